"""One-cell-per-line text that shows blanks as empty lines: a row whose spacing shows more cells than
the table has (a value printed twice) cannot be placed by order — every cell of it is flagged."""

from pathlib import Path

import pytest

from parsers.api import parse_bytes

FIX = Path(__file__).parent / "fixtures" / "text" / "flat_gk2021_blank_lines.txt"
LINES = FIX.read_text(encoding="utf-8").split("\n")
ROW = LINES.index("一、本年新收政府信息公开申请数量")


def _new_received(lines):
    rec = parse_bytes("\n".join(lines).encode("utf-8"), "report.txt").to_dict()
    return rec, [c for c in rec["cells"] if c["code"].startswith("s3_new_received__")]


def test_row_as_printed():
    assert LINES[ROW + 1:ROW + 8] == ["30", "3", "1", "", "2", "1", "37"]
    rec, cells = _new_received(LINES)
    assert [c["raw"] for c in cells] == ["30", "3", "1", "", "2", "1", "37"] and rec["status"] == "ok"


@pytest.mark.parametrize("dup", [2, 5])  # `3` printed twice; `2` printed twice
def test_value_printed_twice_flags_the_row(dup):
    lines = list(LINES)
    lines.insert(ROW + dup, lines[ROW + dup])
    rec, cells = _new_received(lines)
    assert rec["status"] == "partial"
    assert all(c["uncertain"] for c in cells)
    assert "line spacing" in cells[0]["note"]


def test_section_two_row_value_printed_twice_is_flagged():
    i = LINES.index("规章")
    assert LINES[i + 1:i + 4] == ["1", "", "11"]
    lines = list(LINES)
    lines.insert(i + 1, "1")
    rec = parse_bytes("\n".join(lines).encode("utf-8"), "report.txt").to_dict()
    cells = [c for c in rec["cells"] if c["code"].startswith("s2_regulation_")]
    assert len(cells) == 3 and all(c["uncertain"] for c in cells) and rec["status"] == "partial"
    ok = parse_bytes("\n".join(LINES).encode("utf-8"), "report.txt").to_dict()
    assert [c["raw"] for c in ok["cells"] if c["code"].startswith("s2_regulation_")] == ["1", "", "11"]


def test_row_with_blanks_and_a_value_printed_twice_is_flagged():
    """`1`, ``, ``, ``, ``, ``, `1` with its first `1` printed twice: 8 cells shown for 7."""
    i = LINES.index("2.没有现成信息需要另行制作")
    assert LINES[i + 1:i + 8] == ["1", "", "", "", "", "", "1"]
    lines = list(LINES)
    lines.insert(i + 1, "1")
    rec = parse_bytes("\n".join(lines).encode("utf-8"), "report.txt").to_dict()
    row = [c for c in rec["cells"] if c["code"].startswith("s3_result_unavailable_needs_creation__")]
    assert len(row) == 7 and all(c["uncertain"] for c in row) and rec["status"] == "partial"


def test_double_spaced_row_with_values_closer_than_the_spacing_is_flagged():
    """Double spacing (an empty line between cells, two more per blank): a `0` printed twice stands
    on the next line with no empty line between — a spacing no number of blanks explains."""
    double = "\n".join(line + "\n" for line in LINES)
    lines = double.split("\n")
    i = lines.index("一、本年新收政府信息公开申请数量")
    assert lines[i + 2] == "30"
    lines.insert(i + 3, "30")
    rec = parse_bytes("\n".join(lines).encode("utf-8"), "report.txt").to_dict()
    row = [c for c in rec["cells"] if c["code"].startswith("s3_new_received__")]
    assert all(c["uncertain"] for c in row) and rec["status"] == "partial"
    ok = parse_bytes(double.encode("utf-8"), "report.txt").to_dict()
    assert ok["status"] == "ok"
    assert [c["raw"] for c in ok["cells"] if c["code"].startswith("s3_new_received__")] == \
           ["30", "3", "1", "", "2", "1", "37"]


def test_value_printed_twice_in_a_row_with_blanks_double_spaced():
    """Found by fuzzing: a double-spaced synthetic report whose row `7.属于行政执法案卷` prints
    (blank) 1 0 0 0 (blank) 1 and gets one `0` twice, with no empty line between: the row shows
    more cells than it has, so no cell of it may be certain (one came back 0 where a blank was)."""
    from xxgk import synth

    rep = synth.random_report(15821, "gk2019", blank_rate=0.3)
    data = synth.render(rep, "flat_text", 90)
    lines = (data.decode("utf-8") if isinstance(data, bytes) else data).split("\n")
    assert lines[339] == "0" and lines[329] == "7.属于行政执法案卷"
    lines.insert(339, "0")
    rec = parse_bytes("\n".join(lines).encode("utf-8"), "report.txt").to_dict()
    row = [c for c in rec["cells"] if c["code"].startswith("s3_result_withheld_enforcement_file__")]
    assert len(row) == 7 and all(c["uncertain"] for c in row) and rec["status"] == "partial"
