"""Cells come out in template order: the int-rank sort equals the (table, template position) sort."""

from __future__ import annotations

import random

from parsers.api import _template_order, in_template_order
from parsers.report import CellRecord


def _reference(cells):
    order = _template_order()
    return sorted(cells, key=lambda c: (c.code[:2], order.get(c.code, 10**6)))


def test_rank_sort_equals_the_tuple_sort():
    rng = random.Random(3)
    codes = list(_template_order())
    for trial in range(200):
        picked = rng.sample(codes, rng.randint(0, 60)) + rng.sample(codes, 5)  # some codes twice
        if trial % 4 == 0:
            picked += rng.sample(["s3_unknown__x", "s9_odd", "zz", "s2_extra", "s"], 2)  # no template has them
        rng.shuffle(picked)
        cells = [CellRecord(code, i, str(i), "number") for i, code in enumerate(picked)]
        got, want = in_template_order(cells), _reference(cells)
        assert [id(c) for c in got] == [id(c) for c in want]


def test_both_templates_in_one_order():
    order = _template_order()
    assert order["s3_new_received__total"] < order["s3_result_total__total"]
    cells = [CellRecord(c, 0, "0", "number") for c in ("s4_review_upheld", "s2_regulation_issued", "s3_new_received__total")]
    assert [c.code[:2] for c in in_template_order(cells)] == ["s2", "s3", "s4"]
