"""The stream extractor on every text layout, both formats, cell by cell.

Fixtures: tests/fixtures/text/ (written by make_text_fixtures.py from two invented value sets that
satisfy R1/R2/R3/R5). Each NAME.expected.json holds every template cell's value (null = printed
blank), the table versions, and the cells the layout cannot decide (`uncertain`): those must be
flagged with a note and may carry no value — never a different number.
"""

import json
from pathlib import Path

import pytest

from parsers.api import parse_path
from parsers.checks import run_checks
from parsers.layout import Document
from parsers.readers.text import read_text
from parsers.stream import read_stream_tables

FIX = Path(__file__).parent / "fixtures" / "text"
CASES = sorted(p.name[: -len(".expected.json")] for p in FIX.glob("*.expected.json"))


def _read(name: str):
    doc = read_text((FIX / name).read_bytes(), name)
    return doc, read_stream_tables(doc, ["s2", "s3", "s4"])


@pytest.mark.parametrize("name", CASES)
def test_layout_cell_by_cell(name):
    exp = json.loads((FIX / f"{name}.expected.json").read_text(encoding="utf-8"))
    _, tables = _read(name)
    assert {t: tr.version for t, tr in tables.items()} == exp["tables"]
    cells = {c.code: c for tr in tables.values() for c in tr.cells}
    assert set(cells) == set(exp["values"]), "cells of the wrong format version, or missing"
    undecidable = set(exp["uncertain"])
    for code, want in exp["values"].items():
        c = cells[code]
        if c.uncertain:
            assert code in undecidable, f"{code} newly uncertain: {c.note}"
            assert c.note, code
            assert c.value is None or c.value == want, f"{code}: wrong number under uncertain"
        elif want is None:
            assert (c.kind, c.value) == ("blank", None), f"{code}: expected a blank, got {c.value!r} ({c.raw!r})"
        else:
            assert c.kind == "number" and c.value == pytest.approx(want), f"{code}: {c.value!r} ({c.raw!r}) != {want}"


def test_every_layout_and_both_formats_are_covered():
    layouts = {read_text((FIX / n).read_bytes(), n).layout for n in CASES}
    assert {"flattened", "pipe", "pdf-text", "glued"} <= layouts
    versions = {json.loads((FIX / f"{n}.expected.json").read_text(encoding="utf-8"))["tables"]["s3"] for n in CASES}
    assert versions == {"gk2019", "gk2021"}


def test_glued_digits_split_only_where_the_split_is_unique():
    text = ("二、主动公开政府信息情况\n第二十条第（一）项\n信息内容本年制发件数本年废止件数现行有效件数\n"
            "规章000行政规范性文件8855698\n第二十条第（五）项\n信息内容本年处理决定数量\n行政许可447228\n")
    tables = read_stream_tables(read_text(text.encode(), "g.txt"), ["s2"])
    cells = {c.code: c for c in tables["s2"].cells}
    assert [(cells[f"s2_regulation_{c}"].value, cells[f"s2_regulation_{c}"].uncertain)
            for c in ("issued", "repealed", "in_force")] == [(0, False)] * 3  # "000": only 0|0|0
    for c in ("issued", "repealed", "in_force"):
        cell = cells[f"s2_normative_doc_{c}"]
        assert cell.uncertain and cell.value is None and "8855698" in cell.note
    assert (cells["s2_licensing_decisions"].value, cells["s2_licensing_decisions"].uncertain) == (447228, False)


def test_glued_rows_of_section_three_are_split_by_the_rules():
    _, tables = _read("glued_gk2019.txt")
    cells = {c.code: c for c in tables["s3"].cells}
    row = [cells[f"s3_new_received__{c}"] for c in ("natural_person", "commercial_enterprise", "research_institution",
                                                     "social_welfare_org", "legal_service_org", "other_org", "total")]
    assert [c.value for c in row] == [40, 5, 0, 1, 2, 0, 48]  # printed "405012048"
    assert not any(c.uncertain for c in tables["s3"].cells)


def test_row_labels_that_look_like_headings_d18():
    doc, tables = _read("flat_gk2019.txt")
    assert "四、结转下年度继续办理\n\n2\n\n0" in doc.text and "\n\n四、政府信息公开行政复议、行政诉讼情况" in doc.text
    cells = {c.code: c.value for tr in tables.values() for c in tr.cells}
    assert [cells[f"s3_carried_forward__{c}"] for c in ("natural_person", "legal_service_org", "total")] == [2, 1, 3]
    assert cells["s4_review__total"] == 4 and cells["s4_litigation_direct__total"] == 1


def test_hybrid_2021_report_keeps_the_2019_section_three():
    _, tables = _read("pdf_cells_hybrid.txt")
    assert (tables["s2"].version, tables["s3"].version) == ("gk2021", "gk2019")
    codes = {c.code for c in tables["s3"].cells}
    assert "s3_result_other__total" in codes
    assert not any(c.startswith(("s3_result_other_no", "s3_result_other_fee", "s3_result_other_misc")) for c in codes)
    assert {c.code for c in tables["s2"].cells} >= {"s2_regulation_issued", "s2_admin_fee_amount_wan"}


def test_source_inconsistency_is_kept_and_fails_its_checks():
    _, tables = _read("pdf_columns_gk2021.txt")
    cells = [c for tr in tables.values() for c in tr.cells]
    r5 = {c.scope: (c.status, c.left, c.right) for c in run_checks(cells, "gk2021") if c.rule == "R5"}
    assert r5 == {"review": ("fail", 0, 11), "litigation_direct": ("pass", 0, 0),
                  "litigation_after_review": ("fail", 0, 5)}


def test_broken_ocr_floating_cells_and_detached_labels():
    _, tables = _read("ocr_detached_gk2021.md")
    s2 = {c.code: c for c in tables["s2"].cells}
    assert [s2[f"s2_normative_doc_{c}"].value for c in ("issued", "repealed", "in_force")] == [8, 26, 66]
    assert any("floating cell 26" in n for n in tables["s2"].notes)
    s3 = {c.code: c for c in tables["s3"].cells}
    # （四）1–3 have no label and sit between labelled rows in an order the text cannot prove
    assert s3["s3_result_unavailable_not_held__natural_person"].uncertain
    assert "reading order" in s3["s3_result_unavailable_not_held__natural_person"].note
    # ...but a column that is the same in every arrangement is certain
    assert not s3["s3_result_unavailable_not_held__research_institution"].uncertain
    # a cut label that only one row contains names it: `缴纳费用、` + `行政机关不再处理其政` is （六）2
    assert not any(c.uncertain for k, c in s3.items() if k.startswith("s3_result_other_"))


def test_html_table_rows_as_tab_separated_text():
    """The HTML reader renders a table row as one line, cells joined by tabs, blanks as ""."""
    rows = ["三、收到和处理政府信息公开申请情况", "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t申请人情况",
            "一、本年新收政府信息公开申请数量\t5\t\t\t\t1\t\t6", "二、上年结转政府信息公开申请数量\t\t\t\t\t\t\t",
            "三、本年度办理结果\t（一）予以公开\t4\t\t\t\t1\t\t5", "四、政府信息公开行政复议、行政诉讼情况",
            "行政复议\t行政诉讼", "\t".join(["1", "", "", "", "1", *[""] * 10])]
    tables = read_stream_tables(Document(text="\n".join(rows), media_type="text/html", layout="html"), ["s3", "s4"])
    s3 = {c.code: c for c in tables["s3"].cells}
    assert [s3[f"s3_new_received__{c}"].value for c in ("natural_person", "legal_service_org", "total")] == [5, 1, 6]
    assert s3["s3_new_received__commercial_enterprise"].kind == "blank"
    assert all(s3[f"s3_carried_over__{c}"].kind == "blank" for c in ("natural_person", "total"))
    assert s3["s3_result_disclosed__total"].value == 5
    s4 = {c.code: c for c in tables["s4"].cells}
    assert (s4["s4_review__upheld"].value, s4["s4_review__total"].value) == (1, 1)
    assert s4["s4_litigation_after_review__total"].kind == "blank"


def test_blank_cells_stay_blank():
    _, tables = _read("flat_gk2021_blank_lines.txt")
    cells = {c.code: c for tr in tables.values() for c in tr.cells}
    blank = cells["s3_new_received__social_welfare_org"]
    assert (blank.kind, blank.value, blank.raw) == ("blank", None, "")
    assert cells["s3_new_received__research_institution"].value == 1


@pytest.mark.parametrize("name, status", [("pdf_rows_gk2021.txt", "ok"), ("pipe_gk2019.md", "ok"),
                                          ("glued_gk2021.txt", "partial"), ("ocr_detached_gk2021.md", "partial")])
def test_end_to_end_status(name, status):
    rep = parse_path(FIX / name)
    assert rep.status == status, rep.error
    if status == "partial":
        assert "uncertain" in rep.error
