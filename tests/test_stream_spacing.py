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
