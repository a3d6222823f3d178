"""Section 四 in text: which numbers belong to it (tab-separated rows, blanks as empty cells)."""

import json
from pathlib import Path

from parsers.api import parse_bytes

FIX = Path(__file__).parent / "fixtures" / "text" / "tab_rows_gk2021.txt"
LINES = FIX.read_text(encoding="utf-8").split("\n")
EXPECTED = json.loads(FIX.with_name(FIX.name + ".expected.json").read_text(encoding="utf-8"))["values"]
S4 = {k: v for k, v in EXPECTED.items() if k.startswith("s4_")}


def _index(prefix: str) -> int:
    return next(i for i, line in enumerate(LINES) if line.startswith(prefix))


def _s4(lines: list[str]) -> tuple[dict, dict]:
    rec = parse_bytes("\n".join(lines).encode("utf-8"), "report.txt").to_dict()
    return rec, {c["code"]: c for c in rec["cells"] if c["code"].startswith("s4_")}


def test_fixture_reads_section_four():
    rec, cells = _s4(LINES)
    assert {k: c["value"] for k, c in cells.items()} == S4 and rec["status"] == "ok"


def test_section_three_row_printed_after_the_four_heading_is_not_read_into_four():
    """D18 out of order: `四、结转下年度继续办理 1 1 … 2` stands after `四、政府信息公开行政复议…`."""
    lines = list(LINES)
    i = _index("四、结转下年度继续办理")
    assert lines[i + 1].startswith("四、政府信息公开行政复议")
    lines[i], lines[i + 1] = lines[i + 1], lines[i]
    rec, cells = _s4(lines)
    assert {k: c["value"] for k, c in cells.items()} == S4
    assert not any(c.get("uncertain") for c in cells.values())
    assert all(c["status"] == "pass" for c in rec["checks"] if c["rule"] == "R5")


def test_more_numbers_than_cells_flags_section_four():
    """Two stray numbers before the 15: which 15 are the table's cannot be told, so no cell is certain."""
    lines = list(LINES)
    i = next(i for i, line in enumerate(LINES) if line.count("\t") == 14 and line[:1].isdigit())
    lines.insert(i, "7\t8")
    rec, cells = _s4(lines)
    assert rec["status"] == "partial"
    for code, c in cells.items():
        assert c.get("uncertain") or c["value"] == S4[code], code
    assert sum(1 for c in cells.values() if c.get("uncertain")) >= 10


def test_section_four_read_from_text_takes_the_reports_version():
    """Sections 二/三 in tables (gk2019), section 四 only as text lines: the text reader, asked for 四
    alone, cannot see the report's version; the record must not call a 2019 report gk2021."""
    from parsers.api import parse_bytes
    from xxgk import synth

    rep = synth.random_report(3, "gk2019", blank_rate=0.0)
    md = synth.render(rep, "markdown", 0).decode()
    head, rest = md.split("## 四、", 1)
    table, tail = rest.split("## 五、", 1)
    rows = [line for line in table.splitlines() if line.startswith("|") and "---" not in line]
    values = [c.strip() for c in rows[-1].strip("|").split("|")]
    lines = ["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉",
             *(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2), *values]
    page = head + "## 四、政府信息公开行政复议、行政诉讼情况\n\n" + "\n".join(lines) + "\n\n## 五、" + tail
    parsed = parse_bytes(page.encode(), "s4-as-text.md")
    assert parsed.tables == {"s2": "gk2019", "s3": "gk2019", "s4": "gk2019"} and parsed.template == "gk2019"
    s4 = {c.code: c.value for c in parsed.cells if c.code.startswith("s4_")}
    assert s4 == {k: v for k, v in rep.expected().items() if k.startswith("s4_")}
    assert all(c.source.startswith("line") for c in parsed.cells if c.code.startswith("s4_"))
