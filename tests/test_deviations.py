"""Real-world deviations of templates.md §8, each applied alone to the synthetic official page.

Every variant must read every other cell exactly as the unchanged page (its expected JSON), and the
changed cells as the deviation demands — the variant is read from the grid, not by the text fallback.
"""

import json
from pathlib import Path

import pytest

from parsers.api import parse_bytes

FX = Path(__file__).parent / "fixtures" / "html"
BASE = (FX / "official_gk2019.html").read_text(encoding="utf-8")
EXPECTED = {k: tuple(v) for k, v in json.loads((FX / "official_gk2019.expected.json").read_text("utf-8"))["cells"].items()}

COERCION = '<td>行政强制</td><td colspan="2">186</td><td colspan="2">0</td><td colspan="2">41</td>'
S2_HEAD = '<td>上一年项目数量</td><td>本年<br/>增/减</td><td colspan="4">处理决定数量</td>'
PROCUREMENT = '<tr><td>政府集中采购</td><td colspan="3">3</td><td colspan="3">251000元</td></tr>'
BEFORE_BLOCK5 = '</td></tr><tr><td colspan="7">第二十条第（五）项'


def parse(html: str) -> tuple[dict, dict]:
    rec = parse_bytes(html.encode("utf-8"), "variant.html").to_dict()
    return rec, {c["code"]: c for c in rec["cells"]}


def same_as_base(cells: dict, changed: set[str]) -> None:
    for code, (value, kind) in EXPECTED.items():
        if code in changed:
            continue
        got = cells[code]
        assert (got["value"], got["kind"]) == (value, kind), code
        assert not got.get("uncertain"), code
        assert got["source"].startswith("table "), (code, got["source"])  # read from the grid


def replace_once(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) >= 1, old
    return text.replace(old, new, 1)


def test_base_page_reads_as_expected():
    rec, cells = parse(BASE)
    assert rec["status"] == "ok"
    same_as_base(cells, set())


def test_d3_placeholder_dash_is_not_applicable_not_zero():
    rec, cells = parse(replace_once(COERCION, COERCION.replace(">41<", ">-<")))
    assert (cells["s2_coercion_decisions"]["kind"], cells["s2_coercion_decisions"]["value"]) == ("na", None)
    assert cells["s2_coercion_decisions"]["raw"] == "-"
    same_as_base(cells, {"s2_coercion_decisions"})


@pytest.mark.parametrize("raw,value,unit", [("2792220.8元", 2792220.8, "元"), ("25.1万元", 251000, "万元"),
                                             ("1,530,000元", 1530000, "元")])
def test_d4_unit_in_the_value_cell_is_converted_to_the_code_unit(raw, value, unit):
    _, cells = parse(replace_once("251000元", raw))
    c = cells["s2_central_procurement_amount"]
    assert (c["value"], c["raw"], c["unit"]) == (value, raw, unit)
    same_as_base(cells, {"s2_central_procurement_amount"})


def test_d5_signed_change_values():
    _, cells = parse(replace_once(COERCION, COERCION.replace(">0<", ">-417<")))
    assert (cells["s2_coercion_items_change"]["value"], cells["s2_coercion_items_change"]["raw"]) == (-417, "-417")
    assert cells["s2_licensing_items_change"]["value"] == 49  # printed `+49`
    same_as_base(cells, {"s2_coercion_items_change"})


def test_d6_provincial_annotations_on_header_labels():
    head = ('<td>上一年项目数量(指2019年事项数)</td><td>本年增/减(指2020年…减用负值表示,如-8)</td>'
            '<td colspan="4">处理决定数量(指2020年办件量)</td>')
    rec, cells = parse(replace_once(S2_HEAD, head))
    assert rec["status"] == "ok"
    same_as_base(cells, set())


def test_d7_extra_row_not_in_the_format_is_not_read_into_a_code():
    extra = '</td></tr><tr><td>其他主动公开文件</td><td colspan="2">5</td><td colspan="2">6</td><td colspan="2">7</td>'
    rec, cells = parse(replace_once(BEFORE_BLOCK5, extra + BEFORE_BLOCK5))
    assert rec["status"] == "ok"
    assert not any(c["raw"] in ("5", "6", "7") for c in rec["cells"] if c["code"].startswith("s2_"))
    same_as_base(cells, set())


def test_d7_procurement_rows_with_project_names_are_flagged_not_summed():
    rows = ('<tr><td>政府集中采购</td><td colspan="3">办公设备采购</td><td colspan="3">251000元</td></tr>'
            '<tr><td>政府集中采购</td><td colspan="3">印刷服务</td><td colspan="3">1000元</td></tr>')
    rec, cells = parse(replace_once(PROCUREMENT, rows))
    projects, amount = cells["s2_central_procurement_projects"], cells["s2_central_procurement_amount"]
    assert (projects["kind"], projects["value"], projects["raw"]) == ("text", None, "办公设备采购")
    assert amount["uncertain"] and "1000元" in amount["note"]  # not 252000: a sum would be invented
    assert rec["status"] == "partial"
    same_as_base(cells, {"s2_central_procurement_projects", "s2_central_procurement_amount"})


@pytest.mark.parametrize("old,new", [
    ("5.属于三类内部事务信息", "5.属于三类内容事务信息"),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "（二）部分公开(区分处理的,只计这一情况,不计其他情形)"),
    ("行政事业性收费", "行政事业性收费项目"),
])
def test_d10_label_typos_are_matched(old, new):
    rec, cells = parse(replace_once(old, new))
    assert rec["status"] == "ok"
    same_as_base(cells, set())


def test_d11_ascii_brackets_everywhere():
    rec, cells = parse(BASE.replace("（", "(").replace("）", ")"))
    assert rec["status"] == "ok"
    same_as_base(cells, set())


def to_traditional(text: str) -> str:
    """The page as a mirror site prints it: label characters in traditional forms, 规范性文件 -> 規範性檔案."""
    from parsers.traditional import EXTRA, SIMPLIFIED, TRADITIONAL

    back = str.maketrans(SIMPLIFIED, TRADITIONAL) | str.maketrans({"制": "製"})
    assert set(EXTRA) >= {"製"}
    return text.replace("规范性文件", "規範性檔案").translate(back)


def test_d15_mirror_page_in_traditional_characters():
    page = to_traditional(BASE)
    assert "規範性檔案" in page and "行政許可" in page and "結轉下年度繼續辦理" in page and "製作" in page
    rec, cells = parse(page)
    assert rec["status"] == "ok"
    same_as_base(cells, set())
    assert all(c["status"] != "fail" for c in rec["checks"])
    assert rec["report_year"] == 2019


def test_short_row_cells_are_uncertain_not_blank():
    """A row that lost a cell (an editor's slip, a damaged page): the grid pads it, but which cell is
    missing cannot be told, so every cell of the row is flagged and the padded slot is not reported
    as a printed blank (here the 0 printed under 本年增/减 would otherwise land under 处理决定数量)."""
    short = '<td>行政强制</td><td colspan="2">186</td><td colspan="2">0</td>'
    rec, cells = parse(replace_once(COERCION, short))
    row = {k: cells[f"s2_coercion_{k}"] for k in ("items_prev_year", "items_change", "decisions")}
    assert all(c["uncertain"] and "shorter than the table" in c["note"] for c in row.values())
    assert all(c["source"].startswith("table ") for c in row.values())
    assert [c["raw"] for c in row.values()] == ["186", "", "0"]
    assert "no cell in the source here" in row["items_change"]["note"]
    assert rec["status"] == "partial"
    same_as_base(cells, {f"s2_coercion_{k}" for k in row})


def test_page_without_any_table_wording_skips_the_text_extractor(monkeypatch):
    """A news article or list page: no table words, so the text extractor is not run over it."""
    import parsers.stream

    called = []
    monkeypatch.setattr(parsers.stream, "read_stream_tables", lambda *a, **k: called.append(1) or {})
    page = "<html><body><h1>山西品牌丝路行正式启动</h1>" + "<p>新闻正文，2021年1月1日。</p>" * 50 + "</body></html>"
    rec = parse_bytes(page.encode(), "news.html").to_dict()
    assert rec["status"] == "not_a_report" and not called
    parse_bytes(BASE.replace("<table", "<div").replace("</table>", "</div>").encode(), "flat.html")
    assert called  # table words in the text, no grid: the text extractor is asked


def test_section_four_data_row_left_out_is_not_read_as_blank_cells():
    """The 四 table keeps its two header rows but its row of 15 values is gone: not 15 printed blanks."""
    import re

    tables = list(re.finditer(r"<table.*?</table>", BASE, re.S))
    s4 = next(t for t in tables if "复议后起诉" in t.group(0))
    rows = re.findall(r"<tr.*?</tr>", s4.group(0), re.S)
    page = BASE.replace(rows[-1], "", 1)
    rec, cells = parse(page)
    s4_cells = [c for k, c in cells.items() if k.startswith("s4_")]
    assert len(s4_cells) == 15 and all(c["uncertain"] and c["value"] is None for c in s4_cells)
    assert rec["status"] == "partial"
    same_as_base(cells, {k for k in EXPECTED if k.startswith("s4_")})
