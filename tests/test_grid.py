"""parsers.grid: official tables from grids, by label, per-table version; every value asserted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers.grid import read_grid_tables
from parsers.layout import Document, Table, expand_spans
from parsers.readers.html import read_html
from parsers.templates import table_fields, versions_of

FX = Path(__file__).parent / "fixtures" / "html"
FIXTURES = ["official_gk2021", "official_gk2019", "word_gk2021_gbk", "onetable_hybrid_s3", "blocks_hybrid_s2"]
APPL = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
        "legal_service_org", "other_org", "total"]


def read_fixture(name: str):
    doc = read_html((FX / f"{name}.html").read_bytes(), f"{name}.html")
    exp = json.loads((FX / f"{name}.expected.json").read_text(encoding="utf-8"))
    return read_grid_tables(doc), exp


def cells_of(tables) -> dict:
    return {c.code: c for tr in tables.values() for c in tr.cells}


@pytest.mark.parametrize("name", FIXTURES)
def test_fixture_cell_by_cell(name):
    tables, exp = read_fixture(name)
    assert {t: tr.version for t, tr in tables.items()} == exp["tables"]
    got = cells_of(tables)
    for code, (value, kind) in exp["cells"].items():
        c = got[code]
        assert (c.value, c.kind) == (value, kind), (code, c)
        assert not c.uncertain, c
        assert c.method if hasattr(c, "method") else True
    assert set(got) == set(exp["cells"])  # nothing invented, nothing from another version
    for code in exp["absent"]:
        assert code not in got
    for t, tr in tables.items():
        assert tr.method == "grid"
        assert tr.complete == (not any(c.startswith(t + "_") for c in exp["absent"]))


def test_gk2019_official_values():
    tables, _ = read_fixture("official_gk2019")
    got = cells_of(tables)
    assert got["s2_licensing_items_change"].value == 49 and got["s2_licensing_items_change"].raw == "+49"
    assert got["s2_other_mgmt_service_items_change"].value == -129
    assert got["s2_penalty_items_change"].value == -17
    assert got["s2_admin_fee_items_change"].value == -2
    amount = got["s2_central_procurement_amount"]
    assert (amount.value, amount.unit, amount.raw) == (251000, "元", "251000元")
    # D2: result rows have a blank 总计; blank is never 0
    assert got["s3_result_disclosed__total"].kind == "blank" and got["s3_result_disclosed__total"].value is None
    assert got["s3_result_total__total"].kind == "number"
    # single （六）其他处理 data row of gk2019
    assert "s3_result_other__natural_person" in got
    assert not any(c.startswith(("s3_result_other_no", "s3_result_other_fee", "s3_result_other_misc")) for c in got)
    # D12 on the 7-column grid: header colspans 1/1/4 over values 2/2/2
    assert got["s2_penalty_decisions"].source.endswith("c6")
    assert got["s2_penalty_items_prev_year"].source.endswith("c2")


def test_gk2021_official_values_and_sources():
    tables, exp = read_fixture("official_gk2021")
    got = cells_of(tables)
    fee = got["s2_admin_fee_amount_wan"]
    assert (fee.value, fee.kind, fee.source) == (12.5, "number", "table 1 r14c2")
    assert got["s3_new_received__natural_person"].source == "table 2 r4c4"
    assert got["s3_carried_forward__total"].source == "table 2 r28c10"
    assert got["s4_litigation_after_review__total"].source == "table 3 r4c15"
    assert all("gk2021" in versions_of(c.code) for c in tables["s2"].cells)
    assert len(tables["s3"].cells) == len(table_fields("gk2021", "s3")) == 175


def test_row_left_out_is_absent_and_table_incomplete():
    tables, exp = read_fixture("word_gk2021_gbk")
    s3 = tables["s3"]
    assert not s3.complete
    assert any("4.无正当理由大量反复申请" in n for n in s3.notes)
    got = cells_of(tables)
    assert not any(c.startswith("s3_result_not_processed_excessive") for c in got)
    assert got["s3_result_not_processed_confirm_reissue__natural_person"].value == \
        exp["cells"]["s3_result_not_processed_confirm_reissue__natural_person"][0]
    assert got["s3_new_received__natural_person"].value >= 100  # number split over <span>s
    assert got["s2_normative_doc_in_force"].value == 2915
    zero = got["s3_carried_forward__other_org"]
    assert (zero.value, zero.kind) == (0, "number")  # &nbsp;0&nbsp;


def test_hybrids_keep_each_tables_version():
    t1, _ = read_fixture("onetable_hybrid_s3")
    assert (t1["s2"].version, t1["s3"].version) == ("gk2021", "gk2019")
    assert "s3_result_other__total" in cells_of(t1)
    t2, _ = read_fixture("blocks_hybrid_s2")
    assert (t2["s2"].version, t2["s3"].version) == ("gk2019", "gk2021")
    got = cells_of(t2)
    assert "s2_central_procurement_amount" in got and "s2_regulation_issued" not in got
    assert got["s4_litigation_direct__total"].kind == "number"  # 3×5 orientation


# ---------------------------------------------------------------------------------------------
# Small grids built inline.

def grid_doc(*tables: list[list]) -> Document:
    """Tables from rows of cells; a cell is text or (text, rowspan, colspan)."""
    blocks = []
    for i, rows in enumerate(tables):
        norm = [[c if isinstance(c, tuple) else (c, 1, 1) for c in r] for r in rows]
        blocks.append(Table(expand_spans(norm), source="test", index=i))
    return Document(blocks=blocks, layout="test")


S4_HEADER = [
    [("行政复议", 1, 5), ("行政诉讼", 1, 10)],
    [("结果维持", 2, 1), ("结果纠正", 2, 1), ("其他结果", 2, 1), ("尚未审结", 2, 1), ("总计", 2, 1),
     ("未经复议直接起诉", 1, 5), ("复议后起诉", 1, 5)],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
]


def test_gk2019_column_never_lands_on_gk2021_code():
    # (一) prints gk2021 columns, (八) still the 2019 item counts: 240 is a count, not 万元
    doc = grid_doc([
        [("第二十条第（一）项", 1, 4)],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "1", "0", "5"], ["行政规范性文件", "2", "1", "30"],
        [("第二十条第（八）项", 1, 4)],
        ["信息内容", "上一年项目数量", "本年增/减", ""],
        ["行政事业性收费", "240", "-3", ""],
    ])
    s2 = read_grid_tables(doc)["s2"]
    got = {c.code: c.value for c in s2.cells}
    assert s2.version == "gk2021"
    assert got["s2_normative_doc_in_force"] == 30
    assert "s2_admin_fee_amount_wan" not in got and "s2_admin_fee_items_prev_year" not in got
    assert not s2.complete


def test_header_colspan_differs_from_value_cells():
    doc = grid_doc([
        [("第二十条第（五）项", 1, 4)],
        ["信息内容", ("本年处理决定数量", 1, 3)],
        ["行政许可", "17", "", ""],  # three value cells under one merged header
        [("第二十条第（六）项", 1, 4)],
        ["信息内容", ("本年处理决定数量", 1, 3)],
        ["行政处罚", "4", "6", ""],  # two numbers under one header: first kept, marked
        ["行政强制", ("", 1, 3)],
    ])
    got = {c.code: c for c in read_grid_tables(doc)["s2"].cells}
    assert (got["s2_licensing_decisions"].value, got["s2_licensing_decisions"].uncertain) == (17, False)
    assert got["s2_penalty_decisions"].value == 4 and got["s2_penalty_decisions"].uncertain
    assert got["s2_coercion_decisions"].kind == "blank" and got["s2_coercion_decisions"].value is None


def test_label_variants_typos_annotations_and_header_unit():
    doc = grid_doc([
        [("第二十条 第(一)项", 1, 4)],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数 (历史累计)"],
        ["规章(设区的市、自治州人民政府应提供相关数据)", "0", "0", "3"],
        ["规范性文件", "1", "/", "—"],
        [("第二十条第(八)项", 1, 4)],
        ["信息内容", ("本年收费金额（元）", 1, 3)],
        ["行政事业性收费", ("25000", 1, 3)],
    ])
    got = {c.code: c for c in read_grid_tables(doc)["s2"].cells}
    assert got["s2_regulation_in_force"].value == 3
    assert got["s2_normative_doc_issued"].value == 1
    assert (got["s2_normative_doc_repealed"].kind, got["s2_normative_doc_in_force"].kind) == ("na", "na")
    fee = got["s2_admin_fee_amount_wan"]
    assert (fee.value, fee.unit, fee.raw) == (2.5, "元", "25000")
    assert "unit 元 from the column header" in fee.note and not fee.uncertain


def test_s3_typo_labels_split_header_and_no_header_fallback():
    labels = [("一、本年新收政府信息公开申请数量", 1, 3), ("二、上年结转政府信息公开申请数量", 1, 3)]
    rows = [[lab, "9", "1", "0", "0", "0", "0", "10"] for lab in labels]
    rows.append([("（二）部分公开(区分处理的,只计这一情况,不计其他情况)", 1, 3), "2", "", "", "", "", "", "2"])
    rows.append([("5.属于三类内容事务信息", 1, 3), "1", "", "", "", "", "", "1"])
    doc = grid_doc(rows)  # no header at all: the last 7 cells, in the fixed applicant order
    got = {c.code: c for c in read_grid_tables(doc)["s3"].cells}
    assert got["s3_new_received__natural_person"].value == 9
    assert got["s3_carried_over__total"].value == 10
    assert got["s3_result_partially_disclosed__natural_person"].value == 2
    assert got["s3_result_withheld_internal_affairs__total"].value == 1
    assert got["s3_result_withheld_internal_affairs__other_org"].kind == "blank"


def test_s3_header_with_extra_subtotal_column_is_read_by_header_text():
    head = [
        [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 1, 8)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 6), ("总计", 2, 1)],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "小计"],
    ]
    row = [("一、本年新收政府信息公开申请数量", 1, 3), "5", "1", "2", "0", "0", "3", "6", "11"]
    got = {c.code: c.value for c in read_grid_tables(grid_doc(head + [row]))["s3"].cells}
    assert [got[f"s3_new_received__{c}"] for c in APPL] == [5, 1, 2, 0, 0, 3, 11]


def test_s4_blank_row_right_after_header_and_15_values_without_header():
    blank = read_grid_tables(grid_doc(S4_HEADER + [[""] * 15]))["s4"]
    assert len(blank.cells) == 15 and all(c.kind == "blank" for c in blank.cells)
    nums = [str(i) for i in range(15)]
    doc = Document(blocks=[], layout="test")
    from parsers.layout import Paragraph
    doc.blocks = [Paragraph("四、政府信息公开行政复议、行政诉讼情况"),
                  Table(expand_spans([[(n, 1, 1) for n in nums]]), source="test")]
    s4 = read_grid_tables(doc)["s4"]
    got = {c.code: c.value for c in s4.cells}
    assert got["s4_review__upheld"] == 0 and got["s4_litigation_after_review__total"] == 14
    assert any("template column order" in n for n in s4.notes)


def test_duplicate_row_with_other_value_is_uncertain():
    doc = grid_doc([
        [("第二十条第（九）项", 1, 3)], ["信息内容", "采购项目数量", "采购总金额"],
        ["政府集中采购", "2", "1530000元"], ["政府集中采购", "某某项目", "621007.6元"],
    ])
    s2 = read_grid_tables(doc)["s2"]
    got = {c.code: c for c in s2.cells}
    assert s2.version == "gk2019"
    assert got["s2_central_procurement_projects"].value == 2 and got["s2_central_procurement_projects"].uncertain
    assert got["s2_central_procurement_amount"].value == 1530000 and got["s2_central_procurement_amount"].uncertain


def test_section_heading_rows_do_not_confuse():
    # D18: 四、结转下年度继续办理 right before the 四、政府信息公开行政复议… heading row, same table
    rows = [[("四、结转下年度继续办理", 1, 3), "1", "0", "0", "0", "0", "0", "1"],
            [("四、政府信息公开行政复议、行政诉讼情况", 1, 15)]] + S4_HEADER + [["1"] * 4 + ["4"] + ["0"] * 10]
    t = read_grid_tables(grid_doc(rows))
    assert {c.code: c.value for c in t["s3"].cells}["s3_carried_forward__natural_person"] == 1
    assert {c.code: c.value for c in t["s4"].cells}["s4_review__total"] == 4
    assert len(t["s4"].cells) == 15


def test_no_tables_no_reads():
    assert read_grid_tables(Document(blocks=[], text="")) == {}
    assert read_grid_tables(grid_doc([["甲", "乙"], ["1", "2"]])) == {}


def test_real_word_export_017_if_corpus_present():
    corpus = next((p for p in (Path(__file__).resolve().parents[1] / "../shared/corpus",
                               Path(__file__).resolve().parents[2] / "shared/corpus",
                               Path(__file__).resolve().parents[3] / "shared/corpus") if (p / "gold/017.json").exists()),
                  None)
    if corpus is None:
        pytest.skip("../shared/corpus not available")
    gold = json.loads((corpus / "gold/017.json").read_text(encoding="utf-8"))["values"]
    doc = read_html((corpus / "raw/017.html").read_bytes(), "017.html")
    got = cells_of(read_grid_tables(doc))
    wrong = {k: (v, got.get(k)) for k, v in gold.items()
             if k not in got or got[k].uncertain or not (got[k].value == v or (got[k].kind == "blank" and v == 0))}
    assert not wrong
    assert set(got) == set(gold)


@pytest.mark.parametrize("prefix", ["", "## "])  # markdown text keeps its heading marks
def test_s4_as_three_small_tables_under_group_headings(prefix):
    from parsers.layout import Paragraph
    head = [(x, 1, 1) for x in ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]]
    blocks = [Paragraph(prefix + "四、政府信息公开行政复议、行政诉讼情况")]
    for title, vals in (("### 行政复议", "2 1 0 1 4"), ("### 行政诉讼（未经复议直接起诉）", "3 0 0 0 3"),
                        ("### 行政诉讼（复议后起诉）", "0 0 1 1 2")):
        blocks += [Paragraph(title), Table(expand_spans([head, [(v, 1, 1) for v in vals.split()]]), source="pipe")]
    s4 = read_grid_tables(Document(blocks=blocks))["s4"]
    got = {c.code: c.value for c in s4.cells}
    assert s4.complete and got["s4_review__total"] == 4 and got["s4_litigation_direct__upheld"] == 3
    assert got["s4_litigation_after_review__total"] == 2


def test_header_row_holding_row_labels_is_not_data():
    # an OCR header naming result rows (予以公开, 总计) over applicant columns must not become a data row
    doc = grid_doc([
        ["项目", "本年新收件数", "上年结转件数", "予以公开", "部分公开", "不予公开", "结转下年度", "总计"],
        ["3.其他", "142", "1", "0", "0", "0", "0", "143"],
        ["（七）总计", "710", "3", "0", "0", "5", "0", "718"],
    ])
    got = {c.code: c.value for c in read_grid_tables(doc)["s3"].cells}
    assert got["s3_result_total__natural_person"] == 710 and got["s3_result_total__total"] == 718
    assert got["s3_result_other_misc__total"] == 143


def test_header_carried_to_a_continuation_table_only_when_the_grid_matches():
    head = [
        [("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", 3, 3), ("申请人情况", 1, 7)],
        [("自然人", 2, 1), ("法人或其他组织", 1, 5), ("总计", 2, 1)],
        ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
        [("一、本年新收政府信息公开申请数量", 1, 3), "5", "1", "0", "0", "0", "0", "6"],
    ]
    same = [[("二、上年结转政府信息公开申请数量", 1, 3), "1", "0", "0", "0", "0", "0", "1"]]
    narrow = [["四、结转下年度继续办理", "2", "0", "0", "0", "0", "1", "3"]]  # 8 columns, not 10
    got = {c.code: c.value for c in read_grid_tables(grid_doc(head, same, narrow))["s3"].cells}
    assert got["s3_carried_over__natural_person"] == 1 and got["s3_carried_over__total"] == 1
    assert got["s3_carried_forward__natural_person"] == 2 and got["s3_carried_forward__other_org"] == 1
    assert got["s3_carried_forward__total"] == 3


def test_header_cut_to_its_first_line_follows_template_order():
    # D9: 本年新 | 本年新 (the second line of both headers lost)
    doc = grid_doc([
        [("第二十条第（一）项", 1, 4)],
        ["信息内容", "本年新", "本年新", "对外公开总数量"],
        ["规章", "0", "8", "21"], ["规范性文件", "3", "5", "60"],
    ])
    s2 = read_grid_tables(doc)["s2"]
    got = {c.code: c.value for c in s2.cells}
    assert s2.version == "gk2019"
    assert (got["s2_regulation_new_made"], got["s2_regulation_new_published"], got["s2_regulation_published_total"]) == (0, 8, 21)
    assert got["s2_normative_doc_new_published"] == 5


def test_label_one_character_per_cell():
    doc = grid_doc([
        [("第二十条第（一）项", 1, 6)],
        [("信息内容", 1, 3), "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规", "章", "", "1", "0", "4"],
        ["行政规", "范性文", "件", "7", "2", "40"],
    ])
    got = {c.code: c.value for c in read_grid_tables(doc)["s2"].cells}
    assert (got["s2_regulation_issued"], got["s2_regulation_in_force"]) == (1, 4)
    assert (got["s2_normative_doc_issued"], got["s2_normative_doc_in_force"]) == (7, 40)
