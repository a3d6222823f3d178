"""Consistency rules R1, R2, R3, R5 (templates.md §6) as data over field codes.

`rules(s3_version)` lists every (rule, scope, left codes, right codes); `run_checks` evaluates them
on a report's cells. Values are never corrected: a failing sum is reported with both sides.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from .report import CellRecord, CheckResult
from .templates import common, s3_rows

APPLICANTS = [c for c, _, _ in common.S3_COLUMNS if c != "total"]
COLUMNS = [c for c, _, _ in common.S3_COLUMNS]
Rule = tuple[str, str, list[str], list[str]]  # (rule, scope, left codes, right codes)


def _result_rows(version: str) -> list[str]:
    codes = [r.code for r in s3_rows(version) if r.code]
    return [c for c in codes if c.startswith("result_") and c != "result_total"]


@cache
def rules(s3_version: str | None) -> tuple[Rule, ...]:
    """Every rule instance; section 三 rules follow the version of section 三 (R3 differs)."""
    out: list[Rule] = []
    if s3_version in ("gk2019", "gk2021"):
        for c in COLUMNS:
            out.append(("R1", c, [f"s3_new_received__{c}", f"s3_carried_over__{c}"],
                        [f"s3_result_total__{c}", f"s3_carried_forward__{c}"]))
        for r in [r.code for r in s3_rows(s3_version) if r.code]:
            out.append(("R2", r, [f"s3_{r}__total"], [f"s3_{r}__{a}" for a in APPLICANTS]))
        for c in COLUMNS:
            out.append(("R3", c, [f"s3_result_total__{c}"], [f"s3_{r}__{c}" for r in _result_rows(s3_version)]))
    for g, _, _ in common.S4_GROUPS:
        out.append(("R5", g, [f"s4_{g}__total"],
                    [f"s4_{g}__{r}" for r, _, _ in common.S4_RESULTS if r != "total"]))
    return tuple(out)


def _table_has_numbers(cells: dict[str, CellRecord], table: str) -> bool:
    return any(c.kind == "number" for k, c in cells.items() if k.startswith(table + "_"))


def _unfilled_totals(rule_list: Iterable[Rule], cells: dict[str, CellRecord]) -> set[str]:
    """Total cells left blank beside numbers that sum to more than 0 (D2): a total not filled in.

    Such a cell is not a total of 0, so every other rule that uses it cannot be evaluated either
    (the R1 row of 总计 when the 结转下年度 总计 is blank, 015)."""
    out = set()
    for name, _, left, right in rule_list:
        total = cells.get(left[0])
        if name in ("R2", "R3", "R5") and total is not None and total.kind == "blank":
            if any(c is not None and c.kind == "number" and c.value for c in map(cells.get, right)):
                out.add(left[0])
    return out


def evaluate(rule: Rule, cells: dict[str, CellRecord], unfilled: set[str] | frozenset[str] = frozenset(),
             has_numbers: dict[str, bool] | None = None) -> CheckResult:
    """One rule on the cells. One pass over the operands (this runs ~40 times per report);
    `has_numbers` memoises `_table_has_numbers` across the rules of one report."""
    name, scope, left, right = rule
    codes = left + right
    n_left = len(left)
    missing: list[str] = []
    present = blanks = uncertain = False
    sums = [0, 0]
    bad = [False, False]
    get = cells.get
    for i, code in enumerate(codes):
        c = get(code)
        s = 0 if i < n_left else 1
        if c is None:
            missing.append(code)
            bad[s] = True
            continue
        present = True
        kind = c.kind
        if kind == "na" or kind == "text":
            missing.append(code)
            bad[s] = True
        else:
            if kind == "blank":
                blanks = True
            v = c.value
            if v:  # sum(v or 0): a blank (None) or a 0 adds nothing
                sums[s] += v
        if c.uncertain:
            uncertain = True
    if not present:
        return CheckResult(name, scope, "uncertain", None, None, note="table not found")
    lv = None if bad[0] else sums[0]
    rv = None if bad[1] else sums[1]
    if missing:
        return CheckResult(name, scope, "uncertain", lv, rv, note="missing or n/a: " + ", ".join(missing[:4]))
    if blanks:
        table = left[0][:2]
        if has_numbers is None:
            has_numbers = {}
        if table not in has_numbers:
            has_numbers[table] = _table_has_numbers(cells, table)
        if not has_numbers[table]:
            return CheckResult(name, scope, "uncertain", lv, rv, note="operands blank and table has no numbers")
    if name in ("R2", "R3", "R5") and cells[left[0]].kind == "blank" and rv:
        # D2: the 总计 cell left blank beside numbers is a total not filled in, not a total of 0
        return CheckResult(name, scope, "uncertain", None, rv, note="total cell left blank")
    if unfilled:
        blank_totals = [code for code in codes if code in unfilled]
        if blank_totals:
            return CheckResult(name, scope, "uncertain", lv, rv,
                               note="total cell left blank: " + ", ".join(blank_totals[:4]))
    if lv is None or rv is None:
        return CheckResult(name, scope, "uncertain", lv, rv)
    ok = abs(lv - rv) < 1e-9
    if uncertain:
        return CheckResult(name, scope, "pass" if ok else "uncertain", lv, rv, blanks,
                           note=None if ok else "operands uncertain")
    return CheckResult(name, scope, "pass" if ok else "fail", lv, rv, blanks)


@cache
def _plan(s3_version: str | None) -> tuple[tuple, ...]:
    """Per rule, what run_checks needs, worked out once per version instead of once per report:
    (rule, name, scope, left, right, all codes, first left code, table, is a total rule, every
    operand is a cell of `table`)."""
    return tuple((r, r[0], r[1], tuple(r[2]), tuple(r[3]), tuple(r[2] + r[3]), r[2][0], r[2][0][:2],
                  r[0] in ("R2", "R3", "R5"), all(c.startswith(r[2][0][:2] + "_") for c in r[2] + r[3]))
                 for r in rules(s3_version))


@cache
def _totals(s3_version: str | None) -> frozenset[str]:
    """The total codes `_unfilled_totals` looks at (first left code of R2/R3/R5)."""
    return frozenset(r[2][0] for r in rules(s3_version) if r[0] in ("R2", "R3", "R5"))


def run_checks(cells: Iterable[CellRecord], s3_version: str | None) -> list[CheckResult]:
    """Every rule of `rules(s3_version)` on the cells, in order.

    Same answers as `evaluate` on each rule (tests/test_perf_equivalence.py), faster: a rule whose
    operands are all certain numbers or blanks (the usual case) is summed from one code -> value map
    built once per report; any other rule (an operand missing, n/a, text or uncertain) goes through
    `evaluate`."""
    if not isinstance(cells, list | tuple):
        cells = list(cells)
    # number/blank cells that are certain: value, falsy -> 0 (evaluate's `if v:`); others None, so
    # that summing them fails and the rule goes to `evaluate`
    vals = {c.code: (c.value or 0) if (c.kind == "number" or c.kind == "blank") and not c.uncertain else None
            for c in cells}
    if len(vals) != len(cells):  # a code read twice: the last cell counts, as in evaluate's dict
        by_code = {c.code: c for c in cells}
        rule_list = rules(s3_version)
        unfilled = _unfilled_totals(rule_list, by_code)
        has_numbers: dict[str, bool] = {}
        return [evaluate(r, by_code, unfilled, has_numbers) for r in rule_list]
    blank = {c.code for c in cells if c.kind == "blank"}
    plan = _plan(s3_version)
    by_code: dict[str, CellRecord] | None = None
    unfilled: set[str] = set()
    if blank and not blank.isdisjoint(_totals(s3_version)):  # _unfilled_totals, from the maps
        for _r, _n, _s, _l, right, _c, first, _t, total_rule, _o in plan:
            if not total_rule or first not in blank or first in unfilled:
                continue
            for code in right:
                v = vals.get(code)
                if v is None:  # not a certain number or blank: look at the cell itself
                    if by_code is None:
                        by_code = {c.code: c for c in cells}
                    c = by_code.get(code)
                    if c is not None and c.kind == "number" and c.value:
                        unfilled.add(first)
                        break
                elif v and code not in blank:
                    unfilled.add(first)
                    break
    has_numbers: dict[str, bool] = {}
    number_tables: set[str] | None = None  # code[:3] of the number cells: "s3_" when table s3 has numbers
    get = vals.__getitem__
    out = []
    append = out.append
    for rule, name, scope, left, right, codes, first, table, total_rule, one_table in plan:
        try:
            lv = sum(map(get, left))
            rv = sum(map(get, right))
        except (KeyError, TypeError):  # an operand missing, n/a, text or uncertain
            if by_code is None:
                by_code = {c.code: c for c in cells}
            append(evaluate(rule, by_code, unfilled, has_numbers))
            continue
        blanks = bool(blank) and not blank.isdisjoint(codes)
        if blanks:
            has = has_numbers.get(table)
            if has is None:
                if one_table and not blank.issuperset(codes):  # an operand is a number of this table
                    has = True
                else:
                    if number_tables is None:
                        number_tables = {c.code[:3] for c in cells if c.kind == "number"}
                    has = table + "_" in number_tables
                has_numbers[table] = has
            if not has:
                append(CheckResult(name, scope, "uncertain", lv, rv, note="operands blank and table has no numbers"))
                continue
        if total_rule and rv and first in blank:
            # D2: the 总计 cell left blank beside numbers is a total not filled in, not a total of 0
            append(CheckResult(name, scope, "uncertain", None, rv, note="total cell left blank"))
            continue
        if unfilled:
            blank_totals = [code for code in codes if code in unfilled]
            if blank_totals:
                append(CheckResult(name, scope, "uncertain", lv, rv,
                                   note="total cell left blank: " + ", ".join(blank_totals[:4])))
                continue
        append(CheckResult(name, scope, "pass" if abs(lv - rv) < 1e-9 else "fail", lv, rv, blanks))
    return out
