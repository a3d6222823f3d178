"""Round trip for the text layouts (issue 2): random consistent report -> flattened text, PDF text
or glued digits -> parsed back -> cell for cell (`xxgk.synth.compare` is the contract).

Lossless (flattened text with blank cells as empty lines; PDF text without blank cells): every cell
exact, blank stays blank (never 0), status ok, no failing check. Lossy (blank cells that print
nothing, glued digits): every cell right or flagged uncertain (and the record `partial`) — a printed
0 never comes back as a certain blank, a true blank never as a certain 0.
Set XXGK_REPRO_DIR to write the failing document + expected values there.
"""


from hypothesis import given
from hypothesis import strategies as st
from roundtrip_support import reports, roundtrip, soak_settings

from parsers.api import parse_bytes
from xxgk import synth

# 25 derandomized examples per layout keep the suite fast; soak with more (roundtrip_support.soak_settings)
SETTINGS = soak_settings(25)


@SETTINGS
@given(reports(), st.integers(0, 10**6), st.sampled_from(["empty", "skip"]), st.sampled_from(["single", "double"]),
       st.booleans())
def test_roundtrip_flat_text(rep, rs, blanks, spacing, ascii_brackets):
    roundtrip(rep, "flat_text", rs, blanks=blanks, spacing=spacing, ascii_brackets=ascii_brackets)


@SETTINGS
@given(reports(), st.integers(0, 10**6), st.sampled_from([0.0, 0.5, 1.0]), st.booleans(), st.booleans())
def test_roundtrip_pdf_text(rep, rs, split_labels, interleave, markers):
    roundtrip(rep, "pdf_text", rs, split_labels=split_labels, interleave_groups=interleave, page_markers=markers)


@SETTINGS
@given(reports(), st.integers(0, 10**6), st.sampled_from(["lines", "glued"]))
def test_roundtrip_glued_text(rep, rs, rows):
    roundtrip(rep, "glued_text", rs, rows=rows)


def test_gbk_flattened_text_round_trips():
    # GBK has no no-break space: the renderer writes a plain one, the reader decodes the bytes by sniffing
    rep = synth.random_report(11, "gk2019", blank_rate=0.3, scale=50)
    data = synth.render_flat_text(rep, 0, blanks="empty", encoding="gbk")
    assert isinstance(data, bytes) and b"\xa0" not in data
    parsed = parse_bytes(data, "gbk.txt")
    assert not synth.compare(rep, parsed, lossless=True)
