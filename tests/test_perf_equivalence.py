"""The parser's fast paths give the same answers as the plain code they short-cut (issue 2).

Each test states the slow definition and checks the fast one against it on generated input.
"""

from __future__ import annotations

import pickle
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from parsers import checks, grid, metadata
from parsers.grid import _placed_cells, _Row, _row_cells, _where, _written_rows
from parsers.labels import normalize
from parsers.layout import Table, expand_placement, expand_spans, place
from parsers.report import CellRecord, CheckResult, cell_record
from parsers.sections import _cannot_be_heading, heading_code

# Text that exercises normalisation: CJK (numerals, traditional forms), full-width and combining
# characters, compatibility ideographs and Kangxi radicals (NFKC maps them to ideographs), spaces.
_CHARS = st.sampled_from(list("一二三四五六七八九十总体情况主动公开收到和处理政府信息申请數據資訊檔案報告（）、，。 \u3000\u00a0\u200b#1２.")
                         + ["\u0301", "\u2f00", "\u2f06", "\uf900", "\u3280", "\u3220", "e", "A", "-"])


@given(st.text(_CHARS, min_size=1, max_size=20))
@settings(max_examples=400, deadline=None)
def test_lines_skipped_by_sections_are_never_headings(line):
    line = line.strip().lstrip("#").strip()
    if line and _cannot_be_heading(line):
        assert heading_code(line) is None


def _is_pre2019_slow(lines, year):
    text = normalize("".join(lines))
    if any(s in text for s in metadata._GK_SIGNALS):
        return False
    if year is not None and year <= 2018:
        return True
    return sum(s in text for s in metadata._PRE2019_SIGNALS) >= 2


_PIECES = st.sampled_from([*metadata._GK_SIGNALS, *metadata._PRE2019_SIGNALS, "本年 新收政府信息公开申请数量",
                           "收到申\u3000请数", "資訊", "公开", "（一）", " ", "\u2f00"])


@given(st.lists(st.lists(_PIECES, max_size=4).map("".join), max_size=6),
       st.one_of(st.none(), st.integers(2015, 2023)))
@settings(max_examples=300, deadline=None)
def test_is_pre2019_fast_path_matches_the_definition(lines, year):
    assert metadata.is_pre2019(lines, year) == _is_pre2019_slow(lines, year)


def _evaluate_reference(rule, cells, unfilled=frozenset()):
    """checks.evaluate as it was before the one-pass rewrite."""
    name, scope, left, right = rule
    table = left[0][:2]
    operands = [cells.get(code) for code in left + right]
    if all(c is None for c in operands):
        return CheckResult(name, scope, "uncertain", None, None, note="table not found")
    missing = [code for code, c in zip(left + right, operands, strict=True) if c is None or c.kind in ("na", "text")]
    blanks = [c for c in operands if c is not None and c.kind == "blank"]
    uncertain_cells = [c for c in operands if c is not None and c.uncertain]

    def side(codes):
        vals = [cells[c].value if c in cells else None for c in codes]
        if any(cells.get(c) is None or cells[c].kind in ("na", "text") for c in codes):
            return None
        return sum(v or 0 for v in vals)

    lv, rv = side(left), side(right)
    if missing:
        return CheckResult(name, scope, "uncertain", lv, rv, note="missing or n/a: " + ", ".join(missing[:4]))
    blank_as_zero = bool(blanks)
    if blank_as_zero and not checks._table_has_numbers(cells, table):
        return CheckResult(name, scope, "uncertain", lv, rv, note="operands blank and table has no numbers")
    if name in ("R2", "R3", "R5") and cells[left[0]].kind == "blank" and rv:
        return CheckResult(name, scope, "uncertain", None, rv, note="total cell left blank")
    blank_totals = [code for code in left + right if code in unfilled]
    if blank_totals:
        return CheckResult(name, scope, "uncertain", lv, rv, note="total cell left blank: " + ", ".join(blank_totals[:4]))
    if lv is None or rv is None:
        return CheckResult(name, scope, "uncertain", lv, rv)
    ok = abs(lv - rv) < 1e-9
    if uncertain_cells:
        return CheckResult(name, scope, "pass" if ok else "uncertain", lv, rv, blank_as_zero,
                           note=None if ok else "operands uncertain")
    return CheckResult(name, scope, "pass" if ok else "fail", lv, rv, blank_as_zero)


def test_run_checks_matches_the_reference_on_random_cells():
    rng = random.Random(7)
    for trial in range(300):
        version = ("gk2019", "gk2021", None)[trial % 3]
        rules = checks.rules(version)
        codes = sorted({c for _n, _s, left, right in rules for c in left + right})
        cells = []
        for code in codes:
            if rng.random() < 0.15:
                continue
            kind = rng.choices(["number", "blank", "na", "text"], [0.8, 0.12, 0.04, 0.04])[0]
            value = rng.choice([0, 0, 1, 2, 3, 5, 10, 2.5]) if kind == "number" else None
            cells.append(CellRecord(code, value, str(value), kind, None, rng.random() < 0.05))
        by_code = {c.code: c for c in cells}
        unfilled = checks._unfilled_totals(rules, by_code)
        want = [_evaluate_reference(r, by_code, unfilled) for r in rules]
        got = checks.run_checks(cells, version)
        assert [g.to_dict() for g in got] == [w.to_dict() for w in want]
        assert [type(g.left) for g in got] == [type(w.left) for w in want]  # 0 stays int, sums stay typed


_WRITTEN = st.lists(st.lists(st.tuples(st.sampled_from(["", "1", "0", "自然人", "总计", "x"]),
                                       st.integers(1, 3), st.integers(1, 3)), max_size=5), min_size=1, max_size=6)


def _clip(rows):
    n = len(rows)
    return [[(t, min(rs, n - r), cs) for t, rs, cs in row] for r, row in enumerate(rows)]


@given(_WRITTEN)
@settings(max_examples=300, deadline=None)
def test_placement_expands_like_expand_spans_and_reads_like_the_grid_cells(rows):
    rows = _clip(rows)
    grid = expand_spans(rows)
    assert expand_placement(place(rows)) == grid
    table = Table(source="html", written=rows)
    placed, occ = table.placement()
    assert len(occ) == len(grid)
    for r, (slots, grow) in enumerate(zip(occ, grid, strict=True)):
        assert _placed_cells(placed, slots, r) == _row_cells(grow, r)
    assert table.rows == grid  # the lazy GridCell grid


@given(_WRITTEN)
@settings(max_examples=500, deadline=None)
def test_rows_read_from_written_cells_equal_the_placement_read(rows):
    """grid._written_rows (one pass over the written cells) gives _placed_cells' rows, or None (the
    caller then places the table) only where cells overlap."""
    rows = _clip(rows)
    placed, occ = place(rows)
    want = [_placed_cells(placed, slots, r) for r, slots in enumerate(occ)]
    got = _written_rows(rows)
    if got is None:  # only for overlapping spans: some written cell lost a slot to a later one
        covered = {}
        for i, (_t, r0, c0, rs, cs) in enumerate(placed):
            for dr in range(rs):
                for dc in range(cs):
                    covered.setdefault((r0 + dr, c0 + dc), []).append(i)
        assert any(len(v) > 1 for v in covered.values())
    else:
        assert got == want


def test_rows_read_from_written_cells_fall_back_on_overlap_and_unclipped_spans():
    overlap = [[("a", 1, 1), ("b", 2, 1)], [("c", 1, 2)]]  # c's colspan runs into b's rowspan copy
    assert _written_rows(overlap) is None
    assert _written_rows([[("a", 3, 1)], [("b", 1, 1)]]) is None  # rowspan past the last row
    spans = [[("a", 2, 2), ("b", 1, 1)], [], [("c", 1, 1)], []]  # holes, an empty row, trailing empty row
    placed, occ = place(spans)
    assert _written_rows(spans) == [_placed_cells(placed, slots, r) for r, slots in enumerate(occ)]


def _near_title_reference(lines, title):
    head = lines[:12]
    if title:
        t = normalize(title)
        for i, line in enumerate(lines):
            if t and t in normalize(line):
                if i >= 12:
                    head = head + lines[i:i + 6]
                break
    return head


def _find_title_reference(lines):
    for i, _line in enumerate(lines[:40]):
        n = normalize(lines[i])
        if len(n) > 60 or "。" in n or metadata._BREADCRUMB.search(n):
            continue
        cand = None
        if metadata._TITLE_LOOSE.search(n):
            cand = n
        elif i + 1 < len(lines):
            joined = n + normalize(lines[i + 1])
            if metadata._TITLE_LOOSE.search(joined) and len(joined) <= 60 and "。" not in joined:
                cand = joined
        if cand is None:
            continue
        if metadata.re.match(r"(?:19|20)\d{2}年", cand) and i > 0 and metadata._is_agency(normalize(lines[i - 1])):
            cand = normalize(lines[i - 1]) + cand
        return metadata._clean_title(cand)
    return None


_LINE = st.lists(st.sampled_from(["2021年", "政府信息公开", "工作年度报告", "报告", "。", "｡", "\u0301", "\0", " ",
                                  "首页", "人民政府", "區", "（", "x"]), max_size=5).map("".join)


@given(st.lists(_LINE, max_size=30), st.sampled_from([None, "", "2021年政府信息公开工作年度报告", "報告", "\u0301报告"]))
@settings(max_examples=400, deadline=None)
def test_title_search_shortcuts_match_the_definitions(lines, title):
    assert metadata._near_title(lines, title) == _near_title_reference(lines, title)
    assert metadata._find_title(lines, []) == _find_title_reference(lines)


_VALUES = st.one_of(st.none(), st.integers(-10**12, 10**12), st.floats(allow_nan=False), st.sampled_from([0, 0.5]))
_OPT_TEXT = st.one_of(st.none(), st.text(max_size=8))


@given(st.text(max_size=12), _VALUES, st.text(max_size=8), st.sampled_from(["number", "blank", "na", "text"]),
       _OPT_TEXT, st.booleans(), _OPT_TEXT, _OPT_TEXT)
@settings(max_examples=300, deadline=None)
def test_cell_record_factory_builds_the_same_record(code, value, raw, kind, unit, uncertain, note, source):
    want = CellRecord(code, value, raw, kind, unit, uncertain, note, source)
    got = cell_record(code, value, raw, kind, unit, uncertain, note, source)
    assert type(got) is CellRecord
    assert got == want and repr(got) == repr(want) and got.to_dict() == want.to_dict()
    assert list(got.__dict__.items()) == list(want.__dict__.items())  # same fields, same order
    assert pickle.loads(pickle.dumps(got)) == want
    assert cell_record(code, value, raw, kind) == CellRecord(code, value, raw, kind)  # the defaults


def test_rows_share_cells_but_stay_right():
    """_written_rows reuses the cells of a text at a column (labels, blanks, numbers) and their
    rowspan copies across rows and reports (cells are never changed once built): reading tables in
    any order gives what reading each one fresh gives."""
    tables = [
        [[("规章", 1, 1), ("1", 1, 1), ("", 1, 1)], [("规章", 1, 2), ("", 1, 1)], [("", 2, 1), ("规章", 1, 1)], [("x", 1, 1)]],
        [[("", 1, 1), ("规章", 2, 1), ("0", 1, 1)], [("规章", 1, 1), ("0", 1, 1)]],
        [[("0", 3, 1), ("规章", 2, 2)], [("0", 2, 1)], [("1", 1, 1), ("0", 1, 1)]],  # the same text, other spans
        [[("0", 2, 2), ("规章", 1, 1)], [("规章", 1, 1)], [("0", 1, 2), ("1", 1, 1)]],
    ]
    fresh = []
    for rows in tables:
        placed, occ = place(rows)
        fresh.append([_placed_cells(placed, slots, r) for r, slots in enumerate(occ)])
    for order in ([0, 1, 2, 3, 0, 1, 2, 3], [3, 2, 1, 0, 3, 2, 1, 0], [2, 3, 2, 0, 3]):
        for i in order:
            assert _written_rows(tables[i]) == fresh[i]


@given(st.integers(0, 40), st.integers(0, 200), st.lists(st.integers(0, 60), max_size=8))
@settings(max_examples=200, deadline=None)
def test_cell_sources_are_the_formatted_positions(ti, r, cols):
    """grid._where: a row's cell sources, shared strings, read as the position they name."""
    row = _Row("s3", "data", ti, r, [])
    for c in cols:
        assert _where(row)[c] == f"table {ti + 1} r{r + 1}c{c + 1}"


def _line_opens_reference(text):
    """What read_grid_tables did with a paragraph line before the per-text memo."""
    if len(text) < 60 and grid._HEADING.match(text):
        sec = grid._vocab("sections").match(grid._norm(text.lstrip("# \t")))
        return "no section" if sec is None else ("opens", grid._SECTION_TABLES.get(sec))
    return "not a heading"


_HEADINGS = st.sampled_from(["一、总体情况", "## 三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
                             "二、主动公开政府信息情况", "五、存在的主要问题及改进情况", "一、", "六、其他", "首页", "\u3000二．主动公开",
                             "x" * 70, "三、" + "收到" * 30, " ", "", "行政复议"])


@given(st.lists(_HEADINGS, max_size=4).map("".join))
@settings(max_examples=300, deadline=None)
def test_paragraph_lines_memoised_open_the_same_sections(text):
    for _ in range(2):  # computed, then from the memo
        got = grid._line_opens(text) if text not in grid._LINES else grid._LINES[text]
        if got is grid._NOT_HEADING:
            assert _line_opens_reference(text) == "not a heading"
        elif got is grid._NO_SECTION:
            assert _line_opens_reference(text) == "no section"
        else:
            assert _line_opens_reference(text) == ("opens", got[0])


@given(st.lists(st.sampled_from(["0", "1", "12", "", "—", "无", "1 2", "3.5", "x", "１０", "-2"]), min_size=7, max_size=7),
       st.sampled_from(["gk2019", "gk2021"]), st.integers(0, 5), st.integers(0, 30))
@settings(max_examples=300, deadline=None)
def test_plain_row_records_are_those_put_builds(texts, version, ti, r):
    """_Reader.put_plain (records built inline) gives the records put gives, cell by cell."""
    key = "result_disclosed"
    cells = [grid._Cell(t, grid._norm(t), True, 3 + i, 4 + i, False) for i, t in enumerate(texts)]
    where = grid._where(grid._Row("s3", "data", ti, r, cells))
    grid._Reader("s3", version).put_plain(grid._s3_targets(version, key), cells, where)  # texts parsed once
    fast, slow = grid._Reader("s3", version), grid._Reader("s3", version)
    for _ in range(2):  # the second time, every code is already read
        fast.put_plain(grid._s3_targets(version, key), cells, where)
        for code, cell in zip(grid._s3_cell_codes(key), cells, strict=True):
            slow.put(code, cell, where)
    assert list(fast.cells) == list(slow.cells)
    for code, rec in fast.cells.items():
        assert type(rec) is CellRecord and list(rec.__dict__.items()) == list(slow.cells[code].__dict__.items())
