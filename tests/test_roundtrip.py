"""Round trip: random consistent report -> rendered in a layout -> parsed back -> cell for cell.

Lossless layouts must come back exact (blank stays blank, never 0; status ok; no check fails).
Where the layout itself loses information (blank cells that print nothing, glued digits) every
cell must be right or flagged uncertain — never silently wrong (`xxgk.synth.compare`).
Set XXGK_REPRO_DIR to write the failing document + expected values there.

This file holds the layouts with real cells (official HTML page, Word/CMS GBK fragment, markdown pipe
tables); the text layouts (flattened text, PDF text, glued digits) are in test_roundtrip_text.py.
"""


from hypothesis import given
from hypothesis import strategies as st
from roundtrip_support import reports, roundtrip, soak_settings

SETTINGS = soak_settings(40)


@SETTINGS
@given(reports(), st.integers(0, 10**6), st.booleans(), st.sampled_from([0.0, 0.5]),
       st.sampled_from(["&nbsp;", "", " "]), st.booleans(), st.booleans())
def test_roundtrip_official_html(rep, rs, d12, breaks, blank, ascii_brackets, page):
    parsed = roundtrip(rep, "html", rs, d12=d12, label_breaks=breaks, blank=blank, ascii_brackets=ascii_brackets,
                       page=page)
    if page:
        assert (parsed.title, parsed.report_year, parsed.published) == (rep.title, rep.report_year, rep.published)


@SETTINGS
@given(reports(), st.integers(0, 10**6))
def test_roundtrip_cms_html(rep, rs):
    roundtrip(rep, "cms_html", rs)


@SETTINGS
@given(reports(), st.integers(0, 10**6), st.sampled_from(["empty", "repeat"]), st.booleans())
def test_roundtrip_markdown(rep, rs, span_fill, split_s2):
    roundtrip(rep, "markdown", rs, span_fill=span_fill, split_s2=split_s2)
