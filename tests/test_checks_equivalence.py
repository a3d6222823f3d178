"""run_checks' fast path (sums from a code -> value map) gives exactly what `evaluate` gives rule by
rule (evaluate itself is held to the plain reference in tests/test_perf_equivalence.py)."""

from __future__ import annotations

import random

import pytest

from parsers import checks
from parsers.report import CellRecord


def _slow(cells, version):
    by_code = {c.code: c for c in cells}
    rules = checks.rules(version)
    unfilled = checks._unfilled_totals(rules, by_code)
    return [checks.evaluate(r, by_code, unfilled, {}) for r in rules]


def _same(got, want):
    assert [g.to_dict() for g in got] == [w.to_dict() for w in want]
    assert [(type(g.left), type(g.right)) for g in got] == [(type(w.left), type(w.right)) for w in want]


def _codes(version):
    return sorted({c for _n, _s, left, right in checks.rules(version) for c in left + right})


@pytest.mark.parametrize("profile", ["clean", "blanks", "blank_totals", "messy", "empty_tables", "dups"])
def test_fast_run_checks_matches_evaluate(profile):
    rng = random.Random(profile)
    for trial in range(150):
        version = ("gk2019", "gk2021", None)[trial % 3]
        codes = _codes(version)
        if profile == "empty_tables":  # one table printed with only blanks, the other absent or blank too
            table = rng.choice(["s3_", "s4_"])
            codes = [c for c in codes if c.startswith(table) or rng.random() < 0.5]
        cells = []
        for code in codes:
            total = "total" in code
            if profile == "clean":
                kind, p_unc = "number", 0.0
            elif profile == "blanks":
                kind, p_unc = rng.choices(["number", "blank"], [0.7, 0.3])[0], 0.0
            elif profile == "blank_totals":
                kind = "blank" if total and rng.random() < 0.5 else rng.choices(["number", "blank"], [0.8, 0.2])[0]
                p_unc = 0.05
            elif profile == "empty_tables":
                kind, p_unc = "blank", 0.0
            else:
                if rng.random() < 0.1:
                    continue
                kind = rng.choices(["number", "blank", "na", "text"], [0.7, 0.2, 0.05, 0.05])[0]
                p_unc = 0.1
            value = rng.choice([0, 0, 0.0, -0.0, 1, 2, 3, 7, 2.5, 0.1, 0.2, 10**6]) if kind == "number" else None
            if profile == "messy" and kind == "blank" and rng.random() < 0.2:
                value = rng.choice([0, 3])  # no reader does this, but the rules must not care
            cells.append(CellRecord(code, value, str(value), kind, None, rng.random() < p_unc))
        if profile == "dups" and cells:  # a code read twice: the last reading counts
            for _ in range(3):
                c = rng.choice(cells)
                cells.append(CellRecord(c.code, None, "", rng.choice(["blank", "na", "number"]), None, False))
        rng.shuffle(cells)
        _same(checks.run_checks(cells, version), _slow(cells, version))
        _same(checks.run_checks(iter(cells), version), _slow(cells, version))  # any iterable


def test_blank_total_beside_uncertain_number_is_an_unfilled_total():
    """The unfilled-total test looks at the cell itself when its value is not a certain number."""
    version = "gk2021"
    cells = [CellRecord(c, 0, "0", "number") for c in _codes(version)]
    for c in cells:
        if c.code == "s3_result_total__natural_person":
            c.kind, c.value, c.raw = "blank", None, ""
        if c.code == "s3_result_disclosed__natural_person":
            c.value, c.uncertain = 4, True
    got = checks.run_checks(cells, version)
    _same(got, _slow(cells, version))
    r1 = next(r for r in got if r.rule == "R1" and r.scope == "natural_person")
    assert (r1.status, r1.note) == ("uncertain", "total cell left blank: s3_result_total__natural_person")


def test_only_number_cells_make_a_blank_total_unfilled():
    version = "gk2019"
    cells = [CellRecord(c, 0, "0", "number") for c in _codes(version)]
    row = [c for c in cells if c.code.startswith("s3_result_disclosed__") and not c.code.endswith("__total")]
    for c in cells:
        if c.code == "s3_result_disclosed__total":
            c.kind, c.value, c.raw = "blank", None, ""
    for c in row:
        c.kind, c.value = "blank", 3  # a blank that carries a value (no reader makes one) is not a number
    _same(checks.run_checks(cells, version), _slow(cells, version))
