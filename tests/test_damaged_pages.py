"""Damaged HTML reports: a cell or row lost, a row repeated or out of place, an end tag missing, a
cell emptied. Whatever the damage, every cell the parser reports as certain is the value the report
was made with — damage may cost cells (missing, or flagged `uncertain`), never a wrong number."""

import re

from hypothesis import given
from hypothesis import strategies as st
from roundtrip_support import reports, soak_settings

from parsers.api import parse_bytes
from xxgk import synth

TD = re.compile(r"<td\b[^>]*>.*?</td>", re.S | re.I)
TR = re.compile(r"<tr\b[^>]*>.*?</tr>", re.S | re.I)
END = re.compile(r"</t[dr]>", re.I)
DAMAGE = ["lose_cell", "repeat_row", "lose_row", "swap_rows", "lose_end_tag", "empty_cell"]


def damage(html: str, kind: str, at: int) -> str:
    if kind == "lose_cell":
        m = list(TD.finditer(html))[at % len(TD.findall(html))]
        return html[:m.start()] + html[m.end():]
    rows = list(TR.finditer(html))
    if kind == "repeat_row":
        m = rows[at % len(rows)]
        return html[:m.end()] + m.group(0) + html[m.end():]
    if kind == "lose_row":
        m = rows[at % len(rows)]
        return html[:m.start()] + html[m.end():]
    if kind == "swap_rows":
        a, b = rows[at % (len(rows) - 1)], rows[at % (len(rows) - 1) + 1]
        return html[:a.start()] + b.group(0) + html[a.end():b.start()] + a.group(0) + html[b.end():]
    if kind == "lose_end_tag":
        p = list(END.finditer(html))[at % len(END.findall(html))].start()
        return html[:p] + html[p + 5:]
    m = list(TD.finditer(html))[at % len(TD.findall(html))]  # empty_cell: its text removed
    return html[:m.start()] + re.sub(r">[^<>]*<", "><", m.group(0)) + html[m.end():]


@soak_settings(60)
@given(reports(), st.sampled_from(["html", "cms_html"]), st.sampled_from(DAMAGE), st.integers(0, 10**6))
def test_damage_never_gives_a_certain_wrong_value(rep, layout, kind, at):
    data = synth.render(rep, layout, at)
    enc = "gbk" if layout == "cms_html" else "utf-8"
    html = data.decode(enc) if isinstance(data, bytes) else data
    parsed = parse_bytes(damage(html, kind, at).encode(enc), "damaged.html")
    # a cell emptied on purpose prints nothing: a certain blank is right for it
    wrong = synth.certain_wrong(rep, parsed, blank_ok=kind == "empty_cell")
    assert not wrong, f"{layout} {kind} at={at} status={parsed.status}: {wrong[:5]}"
