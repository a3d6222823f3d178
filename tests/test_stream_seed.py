"""The seed (法库县 2020, one cell per line) read by the stream extractor alone, cell by cell."""

from pathlib import Path

from parsers.checks import run_checks
from parsers.readers.text import read_text
from parsers.stream import read_stream_tables
from parsers.templates import table_fields

SEED = Path(__file__).parent / "fixtures" / "faku-2020.txt"

S2 = {
    "s2_regulation_new_made": 0, "s2_regulation_new_published": 0, "s2_regulation_published_total": 0,
    "s2_normative_doc_new_made": 0, "s2_normative_doc_new_published": 0, "s2_normative_doc_published_total": 0,
    "s2_licensing_items_prev_year": 186, "s2_licensing_items_change": 49, "s2_licensing_decisions": 7034,
    "s2_other_mgmt_service_items_prev_year": 129, "s2_other_mgmt_service_items_change": -129,
    "s2_other_mgmt_service_decisions": 416,
    "s2_penalty_items_prev_year": 2915, "s2_penalty_items_change": -2394, "s2_penalty_decisions": 504,
    "s2_coercion_items_prev_year": 89, "s2_coercion_items_change": -28, "s2_coercion_decisions": 24,
    "s2_admin_fee_items_prev_year": 21, "s2_admin_fee_items_change": 0,
    "s2_central_procurement_projects": 8, "s2_central_procurement_amount": 4448257,
}


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
