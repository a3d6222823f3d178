import json
from pathlib import Path

from parsers.labels import best_match, normalize
from parsers.templates import all_codes, field_index, fields, versions_of

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def test_field_counts():
    assert len(fields("gk2019")) == 22 + 23 * 7 + 15
    assert len(fields("gk2021")) == 10 + 25 * 7 + 15


def test_codes_follow_the_spec():
    codes = set(all_codes())
    for c in ["s2_regulation_new_made", "s2_admin_fee_items_prev_year", "s2_central_procurement_amount",
              "s2_regulation_in_force", "s2_admin_fee_amount_wan", "s3_result_other__total",
              "s3_result_other_fee_unpaid__legal_service_org", "s4_litigation_after_review__pending"]:
        assert c in codes
    assert versions_of("s2_admin_fee_amount_wan") == ("gk2021",)
    assert versions_of("s2_admin_fee_items_prev_year") == ("gk2019",)
    assert versions_of("s3_result_other__total") == ("gk2019",)
    assert field_index()["s2_central_procurement_amount"].unit == "元"


def test_gold_codes_exist():
    if not CORPUS.exists():
        return
    codes = set(all_codes())
    for g in (CORPUS / "gold").glob("*.json"):
        assert set(json.loads(g.read_text())["values"]) <= codes


def test_label_matching():
    rows = {"a": ["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"], "b": ["5.属于三类内部事务信息"]}
    assert best_match("(二)部分公开(区分处理的,只计这一情况,不计其他情况)", rows)[0] == "a"
    assert best_match("5.属于三类内容事务信息", rows)[0] == "b"
    assert best_match("属于三类内部 事务信息", rows)[0] == "b"
    assert best_match("完全无关的文字", rows)[0] is None
    assert normalize("本年新<br>制作数量".replace("<br>", "\n")) == "本年新制作数量"
    cols = {"x": ["现行有效件数"]}
    assert best_match("现行有效件数 (历史累计)", cols)[0] == "x"
