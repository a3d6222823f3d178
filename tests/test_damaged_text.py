"""Damaged text reports: a line of the tables printed twice, or two lines swapped (what a PDF
extractor or a careless copy does). Every cell reported as certain must be the value the report was
made with — the damage may cost cells (flagged `uncertain`), never a wrong number. A line that is
lost entirely is not tested here: the page then prints that cell as nothing, which reads as blank."""

from hypothesis import given
from hypothesis import strategies as st
from roundtrip_support import reports, soak_settings

from parsers.api import parse_bytes
from xxgk import synth


def _damaged(text: str, kind: str, at: int) -> str:
    lines = text.split("\n")
    lo = next((i for i, line in enumerate(lines) if line.startswith("二、")), 0)
    hi = next((i for i, line in enumerate(lines) if line.startswith("五、")), len(lines))
    k = lo + at % max(1, hi - lo - 1)
    if kind == "repeat_line":
        lines.insert(k, lines[k])
    else:
        lines[k], lines[k + 1] = lines[k + 1], lines[k]
    return "\n".join(lines)


@soak_settings(40)
@given(reports(), st.sampled_from(["flat_text", "markdown", "pdf_text", "glued_text"]),
       st.sampled_from(["repeat_line", "swap_lines"]), st.integers(0, 10**6))
def test_damaged_text_never_gives_a_certain_wrong_value(rep, layout, kind, at):
    data = synth.render(rep, layout, at)
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    parsed = parse_bytes(_damaged(text, kind, at).encode("utf-8"), "damaged" + synth.SUFFIX[layout])
    wrong = synth.certain_wrong(rep, parsed)
    assert not wrong, f"{layout} {kind} at={at} status={parsed.status}: {wrong[:5]}"
