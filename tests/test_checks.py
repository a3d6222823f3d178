from parsers.checks import rules, run_checks
from parsers.report import CellRecord
from parsers.templates import table_fields


def _cells(version, value=0, **over):
    out = []
    for f in table_fields(version, "s3") + table_fields(version, "s4"):
        v = over.get(f.code, value)
        kind = "blank" if v is None else "number"
        out.append(CellRecord(f.code, v, "" if v is None else str(v), kind))
    return out


def test_rule_counts_per_version():
    r19, r21 = rules("gk2019"), rules("gk2021")
    assert sum(1 for r in r19 if r[0] == "R1") == 7
    assert sum(1 for r in r19 if r[0] == "R2") == 23
    assert sum(1 for r in r21 if r[0] == "R2") == 25
    assert sum(1 for r in r19 if r[0] == "R5") == 3
    r3 = [r for r in r21 if r[0] == "R3" and r[1] == "total"][0]
    assert "s3_result_other_misc__total" in r3[3] and "s3_result_other__total" not in r3[3]


def test_all_zero_passes():
    res = run_checks(_cells("gk2019"), "gk2019")
    assert res and all(c.status == "pass" for c in res)


def test_failing_sum_is_reported_not_fixed():
    cells = _cells("gk2021", s4_review__upheld=10, s4_review__corrected=1, s4_review__total=0)
    r5 = [c for c in run_checks(cells, "gk2021") if c.rule == "R5" and c.scope == "review"][0]
    assert (r5.status, r5.left, r5.right) == ("fail", 0, 11)


def test_blank_as_zero_when_table_has_numbers():
    cells = _cells("gk2019", s3_new_received__natural_person=5, s3_new_received__total=5,
                   s3_new_received__other_org=None, s3_result_disclosed__natural_person=5,
                   s3_result_disclosed__total=5, s3_result_total__natural_person=5, s3_result_total__total=5)
    r2 = [c for c in run_checks(cells, "gk2019") if c.rule == "R2" and c.scope == "new_received"][0]
    assert r2.status == "pass" and r2.blank_as_zero


def test_all_blank_table_is_uncertain():
    cells = _cells("gk2019", value=None)
    res = [c for c in run_checks(cells, "gk2019") if c.rule == "R1"]
    assert all(c.status == "uncertain" for c in res)


def test_na_operand_is_uncertain():
    cells = _cells("gk2019")
    cells[0] = CellRecord(cells[0].code, None, "/", "na")
    r1 = [c for c in run_checks(cells, "gk2019") if c.rule == "R1" and c.scope == "natural_person"][0]
    assert r1.status == "uncertain"


def test_d2_blank_total_beside_numbers_is_uncertain_not_fail():
    cells = _cells("gk2019", s3_result_disclosed__natural_person=3, s3_result_disclosed__total=None,
                   s3_new_received__natural_person=3, s3_new_received__total=3,
                   s3_result_total__natural_person=3, s3_result_total__total=3,
                   s3_result_partially_disclosed__total=None)
    res = {(c.rule, c.scope): c for c in run_checks(cells, "gk2019")}
    r2 = res[("R2", "result_disclosed")]
    assert (r2.status, r2.left, r2.right, r2.note) == ("uncertain", None, 3, "total cell left blank")
    assert res[("R2", "new_received")].status == "pass"
    # a blank total beside blank/zero components is consistent
    r2 = res[("R2", "result_partially_disclosed")]
    assert (r2.status, r2.blank_as_zero) == ("pass", True)
    # the blank total is not a total of 0: R3 over that column cannot be evaluated either
    r3 = res[("R3", "total")]
    assert (r3.status, r3.note) == ("uncertain", "total cell left blank: s3_result_disclosed__total")


def test_blank_total_makes_r1_uncertain_not_fail():
    """015: 结转下年度继续办理 总计 left empty beside a 1 -> R1 over 总计 cannot be evaluated."""
    cells = _cells("gk2021", s3_new_received__natural_person=3, s3_new_received__total=3,
                   s3_result_disclosed__natural_person=2, s3_result_disclosed__total=2,
                   s3_result_total__natural_person=2, s3_result_total__total=2,
                   s3_carried_forward__natural_person=1, s3_carried_forward__total=None)
    res = {(c.rule, c.scope): c for c in run_checks(cells, "gk2021")}
    assert res[("R2", "carried_forward")].status == "uncertain"
    r1 = res[("R1", "total")]
    assert (r1.status, r1.left, r1.right) == ("uncertain", 3, 2)
    assert r1.note == "total cell left blank: s3_carried_forward__total"
    assert res[("R1", "natural_person")].status == "pass"
