"""The seed (法库县 2020, one cell per line) read by the stream extractor alone, cell by cell."""

import json
from pathlib import Path

from parsers.checks import run_checks
from parsers.readers.text import read_text
from parsers.stream import read_stream_tables
from parsers.templates import table_fields

SEED = Path(__file__).parent / "fixtures" / "faku-2020.txt"

S2 = json.loads(SEED.with_name("faku-2020.expected.json").read_text(encoding="utf-8"))["s2"]


def test_seed_tables_cell_by_cell():
    tables = read_stream_tables(read_text(SEED.read_bytes(), SEED.name), ["s2", "s3", "s4"])
    assert {t: (tr.version, tr.complete, tr.method) for t, tr in tables.items()} == {
        "s2": ("gk2019", True, "stream"), "s3": ("gk2019", True, "stream"), "s4": ("gk2019", True, "stream")}
    cells = {c.code: c for tr in tables.values() for c in tr.cells}
    assert [c.code for c in tables["s2"].cells] == [f.code for f in table_fields("gk2019", "s2")]
    assert {k: cells[k].value for k in S2} == S2
    assert all(cells[k].kind == "number" and not cells[k].uncertain for k in S2)
    amount = cells["s2_central_procurement_amount"]
    assert (amount.raw, amount.unit) == ("4448257元", "元")
    assert cells["s2_other_mgmt_service_items_change"].raw == "-129"
    s3 = [f.code for f in table_fields("gk2019", "s3")]
    s4 = [f.code for f in table_fields("gk2019", "s4")]
    assert [c.code for c in tables["s3"].cells] == s3 and [c.code for c in tables["s4"].cells] == s4
    for code in s3 + s4:  # printed zeros: numbers, not blanks
        assert (cells[code].value, cells[code].kind, cells[code].raw) == (0, "number", "0"), code
    checks = run_checks(list(cells.values()), "gk2019")
    assert len(checks) == 7 + 23 + 7 + 3 and all(c.status == "pass" for c in checks)


def test_only_the_tables_asked_for():
    doc = read_text(SEED.read_bytes(), SEED.name)
    assert set(read_stream_tables(doc, ["s4"])) == {"s4"}
    assert read_stream_tables(read_text("一、总体情况\n全年主动公开信息1200条。\n".encode(), "x.txt"), ["s2", "s3", "s4"]) == {}
