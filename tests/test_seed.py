"""The page this project was created from (法库县 2020, flattened text) parses to exactly what it prints."""

import json
from pathlib import Path

from click.testing import CliRunner

from parsers.api import parse_path
from xxgk.cli import main

SEED = Path(__file__).parent / "fixtures" / "faku-2020.txt"

S2 = json.loads(SEED.with_name("faku-2020.expected.json").read_text(encoding="utf-8"))["s2"]


def test_seed_record():
    rep = parse_path(SEED)
    assert rep.status == "ok" and rep.error is None
    assert rep.template == "gk2019" and rep.tables == {"s2": "gk2019", "s3": "gk2019", "s4": "gk2019"}
    assert (rep.report_year, rep.agency, rep.published) == (2020, "法库县人民政府", "2021-02-08")
    assert rep.title == "法库县人民政府2020年度政府信息公开工作报告"
    cells = {c.code: c for c in rep.cells}
    assert {k: cells[k].value for k in S2} == S2
    amount = cells["s2_central_procurement_amount"]
    assert (amount.raw, amount.unit, amount.kind) == ("4448257元", "元", "number")
    s3 = [c for c in rep.cells if c.code.startswith("s3_")]
    s4 = [c for c in rep.cells if c.code.startswith("s4_")]
    assert len(s3) == 23 * 7 and len(s4) == 15
    assert all(c.kind == "number" and c.value == 0 for c in s3 + s4)  # printed 0s, not blanks
    assert len(rep.cells) == 22 + 161 + 15
    assert not any(c.uncertain for c in rep.cells)
    assert rep.checks and all(c.status == "pass" for c in rep.checks)
    assert {c.rule for c in rep.checks} == {"R1", "R2", "R3", "R5"}
    assert rep.sections["other_matters"] == "无其他报告事项。"
    assert rep.extra["region_code"] == "210124"


def test_seed_through_the_command_line():
    res = CliRunner().invoke(main, ["parse", str(SEED), "--json"])
    assert res.exit_code == 0
    rec = json.loads(res.output)
    assert rec["document"] == str(SEED)
    assert [c["code"] for c in rec["cells"]][:3] == ["s2_regulation_new_made", "s2_regulation_new_published",
                                                    "s2_regulation_published_total"]
    change = next(c for c in rec["cells"] if c["code"] == "s2_penalty_items_change")
    assert (change["value"], change["raw"]) == (-2394, "-2394")
