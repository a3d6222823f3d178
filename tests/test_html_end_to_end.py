"""HTML reports through parsers.api.parse_bytes: record fields, cells, checks, errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from parsers.api import parse_bytes

pytest.importorskip("parsers.stream")  # extract.read_tables needs it (stream engineer)

FX = Path(__file__).parent / "fixtures" / "html"
FIXTURES = ["official_gk2021", "official_gk2019", "word_gk2021_gbk", "onetable_hybrid_s3", "blocks_hybrid_s2"]


def parse(name: str):
    data = (FX / f"{name}.html").read_bytes()
    exp = json.loads((FX / f"{name}.expected.json").read_text(encoding="utf-8"))
    return parse_bytes(data, f"{name}.html"), exp


@pytest.mark.parametrize("name", FIXTURES)
def test_record_cells_match_fixture(name):
    rep, exp = parse(name)
    assert rep.tables == exp["tables"]
    got = {c.code: c for c in rep.cells}
    for code, (value, kind) in exp["cells"].items():
        assert (got[code].value, got[code].kind) == (value, kind), code
    assert set(got) == set(exp["cells"])
    d = rep.to_dict()
    assert d["layout"] == "html" and d["media_type"] == "text/html"
    json.dumps(d, ensure_ascii=False)  # the record is JSON as it stands


def test_official_gk2021_record():
    rep, _ = parse("official_gk2021")
    assert rep.status == "ok", rep.error
    assert rep.template == "gk2021"
    assert rep.report_year == 2022 and rep.published == "2023-01-16"
    assert rep.title == "示例市交通运输局2022年政府信息公开工作年度报告"
    assert rep.agency == "示例市交通运输局"
    assert {c.status for c in rep.checks} == {"pass"}
    assert {c.rule for c in rep.checks} == {"R1", "R2", "R3", "R5"}
    assert rep.extra["attachments"] == ["/attach/2023/report.pdf", "stat.xls?id=3"]
    assert rep.sections.get("problems_improvements")


def test_official_gk2019_record():
    rep, _ = parse("official_gk2019")
    assert rep.template == "gk2019" and rep.report_year == 2019
    assert rep.cell("s2_central_procurement_amount").value == 251000
    assert rep.cell("s2_penalty_items_change").value == -17
    total = rep.cell("s3_result_disclosed__total")  # D2: printed blank, stays blank
    assert (total.kind, total.value) == ("blank", None)
    assert {c.status for c in rep.checks if c.rule in ("R1", "R5")} == {"pass"}
    assert {c.status for c in rep.checks if c.rule == "R3" and c.scope != "total"} == {"pass"}


def test_gbk_fragment_with_a_row_left_out_is_partial():
    rep, _ = parse("word_gk2021_gbk")
    assert rep.status == "partial"
    assert "s3" in (rep.error or "")
    assert rep.cell("s3_result_not_processed_excessive__natural_person") is None
    assert rep.cell("s2_normative_doc_in_force").value == 2915
    r3 = [c for c in rep.checks if c.rule == "R3" and c.scope == "natural_person"][0]
    assert r3.status == "uncertain"  # an operand row is missing, not zero


def test_hybrid_reports_are_gk2021_with_per_table_versions():
    rep, _ = parse("onetable_hybrid_s3")
    assert rep.template == "gk2021" and rep.tables["s3"] == "gk2019"
    assert rep.cell("s3_result_other__total") is not None
    assert not [c for c in rep.checks if c.status == "fail"]
    rep2, _ = parse("blocks_hybrid_s2")
    assert rep2.template == "gk2021" and rep2.tables["s2"] == "gk2019"
    assert rep2.report_year == 2021


@pytest.mark.parametrize("data,reason", [
    (b"\x00\x01\x02binary\xff\xfe" * 100, ""),
    ("<html><body><p>本站首页 通知公告</p></body></html>".encode(), ""),
])
def test_bad_or_unrelated_input_gets_a_status(data, reason):
    rep = parse_bytes(data, "x.html")
    assert rep.status in ("error", "not_a_report")
    assert rep.error and "\n" not in rep.error
    assert not rep.cells


def test_truncated_page_keeps_what_it_has():
    raw = (FX / "official_gk2021.html").read_bytes()
    cut = raw[: raw.index("5.属于三类内部事务信息".encode()) + 20]
    rep = parse_bytes(cut, "cut.html")
    assert rep.status == "partial"
    assert rep.cell("s2_admin_fee_amount_wan").value == 12.5
    assert rep.cell("s3_new_received__natural_person") is not None
    assert rep.cell("s4_review__total") is None


def test_real_word_export_017_end_to_end_if_corpus_present():
    corpus = next((p for p in (Path(__file__).resolve().parents[1] / "../shared/corpus",
                               Path(__file__).resolve().parents[2] / "shared/corpus",
                               Path(__file__).resolve().parents[3] / "shared/corpus") if (p / "gold/017.json").exists()),
                  None)
    if corpus is None:
        pytest.skip("../shared/corpus not available")
    gold = json.loads((corpus / "gold/017.json").read_text(encoding="utf-8"))
    rep = parse_bytes((corpus / "raw/017.html").read_bytes(), "017.html")
    assert rep.status == "ok", rep.error
    assert rep.template == gold["template"] and rep.report_year == gold["report_year"]
    got = {c.code: c for c in rep.cells}
    wrong = {k: v for k, v in gold["values"].items()
             if k not in got or not (got[k].value == v or (got[k].kind == "blank" and v == 0))}
    assert not wrong
    assert not [c for c in rep.checks if c.status == "fail"]
