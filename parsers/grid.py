"""Official tables 二/三/四 from real grids (HTML, DOCX, ruled PDF, pipe tables) by label, not position.

Every row of every `Table` block is classified against the template vocabulary (parsers.templates):
a section-二 block caption (`第二十条第（一）项`), a header row (`信息内容 | 本年制发件数 …`, the applicant
header of 三, the 行政复议/行政诉讼 header of 四), or a data row whose label names a template row. A
page may hold all three tables in one <table>, or section 二 in one table per block; header state
carries over to the next table block, so split tables read as one.

Then, per official table:
- the format version is decided from the labels only one version prints (templates SIGNALS and the
  shape of row （六）其他处理), independently for 二 and 三 (a 2021 report may keep the 2019 二 or the
  2019 （六）, D8);
- values are paired with header slots by their grid columns (anchor/copy aware, so a merged value is
  read once even when header colspan ≠ value colspan, D12); without a usable header the fixed
  template order is used;
- cells are parsed with values.parse_value for the field's kind and unit. Blank stays blank.

Only codes of the detected version are ever produced: a gk2019 column (上一年项目数量) never lands
on a gk2021 code. A template row absent from the grid leaves its cells absent and the table
`complete=False` with a note; the stream extractor may then try the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from operator import itemgetter
from typing import NamedTuple

from . import labels as L
from .extract import TableRead, section_four_version
from .layout import Document, GridCell, Paragraph, Table
from .report import CellRecord, cell_record
from .templates import VERSIONS, Field, common, s3_rows, table_fields
from .values import parse_value

_HEADING = re.compile(r"[#\s]*[一二三四五六]\s*[、.．]")  # markdown text keeps its "## "
_CAPTION = re.compile(r"第二十条第\(([一二三四五六七八九十]+)\)项")
_MONEY_UNIT = re.compile(r"(亿元|万元|元)")
_DIGITS_SPLIT = re.compile(r"\d[\s\u00a0\u3000]+\d")
S3_APPLICANTS = [c for c, _, _ in common.S3_COLUMNS]
S4_ORDER = [(g, r) for g, _, _ in common.S4_GROUPS for r, _, _ in common.S4_RESULTS]
INFO_HEADER = "信息内容"


# ----------------------------------------------------------------------------------------------------
# Vocabulary: the template data turned into label indexes, built once.

_VOCAB_CACHE_MAX = 50000  # cell texts remembered per vocabulary


class _Vocab:
    """Label -> key lookup for one family of labels: exact (normalised, with/without numbering and
    annotation) first, fuzzy (labels.best_match, for typos) only for labels long enough to be safe."""

    THRESHOLD = 0.84  # labels.best_match's default

    def __init__(self, entries: dict[str, list[str]], fuzzy_min: int = 5) -> None:
        self.entries = entries
        self.fuzzy_min = fuzzy_min
        self.exact: dict[str, str] = {}
        self.lengths: list[tuple[int, str, str]] = []  # (normalised length, key, label)
        for key, labs in entries.items():
            for lab in labs:
                n = L.normalize(lab)
                for form in (n, L.strip_annotation(n), L.strip_numbering(n),
                             L.strip_numbering(L.strip_annotation(n))):
                    self.exact.setdefault(form, key)
                    self.lengths.append((len(form), key, lab))
        self._exact_cache: dict[str, str | None] = {}
        self._cache: dict[str, str | None] = {}

    def exact_match(self, norm: str) -> str | None:
        hit = self._exact_cache.get(norm, "")
        if hit != "":
            return hit
        key = None
        if norm:
            for form in (norm, L.strip_annotation(norm), L.strip_numbering(norm),
                         L.strip_numbering(L.strip_annotation(norm))):
                key = self.exact.get(form)
                if key is not None:
                    break
        if len(self._exact_cache) >= _VOCAB_CACHE_MAX:  # a long crawl meets ever new texts: stay bounded
            self._exact_cache.clear()
        self._exact_cache[norm] = key
        return key

    def match(self, norm: str) -> str | None:
        """Exact, else fuzzy (typos). Only labels whose length could reach the similarity threshold
        are compared at all (ratio ≤ 2·min(a, b)/(a + b)), so prose lines cost a length test."""
        hit = self._cache.get(norm, "")
        if hit != "":
            return hit
        key = self.exact_match(norm)
        if key is None and len(norm) >= self.fuzzy_min:
            n = len(norm)
            near: dict[str, list[str]] = {}
            for ln, k, lab in self.lengths:
                if 2 * min(n, ln) >= self.THRESHOLD * (n + ln):
                    near.setdefault(k, []).append(lab)
            if near:
                key, _ = L.best_match(norm, near, self.THRESHOLD)
        if len(self._cache) >= _VOCAB_CACHE_MAX:
            self._cache.clear()
        self._cache[norm] = key
        return key


@dataclass
class _S2Block:
    caption: str
    rows: dict[str, tuple[str, ...]]  # row code -> labels
    cols: list[tuple[str, str, str, tuple[str, ...]]]  # (code, label, kind, variants) in order


@cache
def _s2_blocks(version: str) -> dict[str, _S2Block]:
    """Block number (一, 五, …) -> block of that version."""
    out = {}
    for caption, rows, cols in VERSIONS[version].S2_BLOCKS:
        num = _CAPTION.search(L.normalize(caption)).group(1)
        out[num] = _S2Block(caption, {rc: (lab, *var) for rc, lab, _en, var in rows},
                            [(cc, lab, kind, tuple(var)) for cc, lab, _en, kind, _u, var in cols])
    return out


@cache
def _vocab(name: str, version: str = "") -> _Vocab:
    if name == "s2_rows":  # row code -> labels, every version (row codes are shared)
        ent: dict[str, list[str]] = {}
        for v in VERSIONS:
            for blk in _s2_blocks(v).values():
                for rc, labs in blk.rows.items():
                    ent.setdefault(rc, [])
                    ent[rc] += [x for x in labs if x not in ent[rc]]
        return _Vocab(ent, fuzzy_min=6)
    if name == "s2_cols":  # column code -> labels of one version
        ent = {}
        for blk in _s2_blocks(version).values():
            for cc, lab, _k, var in blk.cols:
                ent.setdefault(cc, [])
                ent[cc] += [x for x in (lab, *var) if x not in ent[cc]]
        return _Vocab(ent, fuzzy_min=5)
    if name == "s3_rows":  # key: row code, "result_other" for （六）其他处理, "group:…" for group labels
        ent = {}
        for v in VERSIONS:
            for row in s3_rows(v):
                key = row.code or ("result_other" if "其他处理" in row.label else "group:" + row.label)
                ent.setdefault(key, [])
                ent[key] += [x for x in (row.label, *row.variants) if x not in ent[key]]
        return _Vocab(ent, fuzzy_min=6)
    if name == "s3_cols":
        ent = {c: [lab] for c, lab, _ in common.S3_COLUMNS}
        ent["_legal_person"] = ["法人或其他组织"]
        ent["_applicant"] = ["申请人情况"]
        return _Vocab(ent, fuzzy_min=99)
    if name == "s4_head":
        ent = {g: [lab.split("/")[-1]] for g, lab, _ in common.S4_GROUPS}
        ent["_litigation"] = ["行政诉讼"]
        ent.update({"r:" + r: [lab] for r, lab, _ in common.S4_RESULTS})
        return _Vocab(ent, fuzzy_min=99)
    if name == "sections":
        return _Vocab({code: [h, *var] for code, h, var in common.SECTIONS}, fuzzy_min=8)
    raise KeyError(name)


@lru_cache(maxsize=8192)
def _is_value(text: str) -> bool:
    """A cell that holds (or could hold) a value: number, blank, n/a, signed, with unit."""
    return (parse_value(text, "signed_int", "元").kind != "text"
            or parse_value(text, "decimal", "元").kind != "text")


@lru_cache(maxsize=8192)
def _norm(text: str) -> str:
    return L.normalize(text)


_PARSED: dict[tuple[str, str | None], dict[str, tuple]] = {}  # (kind, unit) -> cell text -> _parse(...)
_PARSED_MAX = 16384


def _parse(text: str, kind: str, unit: str | None) -> tuple:
    """values.parse_value, memoised per field kind and unit (cells repeat: 0, 1, blanks) and frozen as
    (value, kind, unit, note, plain): `plain` when the read leaves nothing to note (no parse note, no
    digits split by a space)."""
    cache = _parsed_cache(kind, unit)
    got = cache.get(text)
    if got is None:
        if len(cache) >= _PARSED_MAX:
            cache.clear()
        v = parse_value(text, kind, unit)
        split = v.kind == "number" and len(text) > 2 and _DIGITS_SPLIT.search(text.strip()) is not None
        got = cache[text] = (v.value, v.kind, v.unit, v.note, not v.note and not split)
    return got


def _parsed_cache(kind: str, unit: str | None) -> dict[str, tuple]:
    return _PARSED.setdefault((kind, unit), {})


# ----------------------------------------------------------------------------------------------------
# Rows as distinct cells.

@dataclass(slots=True)
class _Cell:
    """A distinct cell of a grid row (a span is one cell). Not changed once a row holds it: rows and
    reports share the cells of a text at a column (_written_rows), and a rowspan's copies are one
    cell. Only _row_cells and _placed_cells widen the cells they have just made."""

    text: str
    norm: str
    is_value: bool  # holds (or could hold) a value: number, blank, n/a
    start: int  # first grid column this cell covers in the row
    end: int  # one past the last
    vcopy: bool  # a rowspan copy whose anchor is in a row above
    filler: bool = False  # not in the source: the row was shorter than the table (layout.GridCell.filler)

    @property
    def blank(self) -> bool:
        return not self.norm


_object_new = object.__new__
_new_record = object.__new__


def _new_cell(text: str, norm: str, is_value: bool, start: int, end: int) -> _Cell:
    """_Cell(text, norm, is_value, start, end, False, False) for the hot loop of _written_rows: a plain
    function call costs less than a class call (no __init__ dispatch), and a report has ~300 cells."""
    cell = _object_new(_Cell)
    cell.text = text
    cell.norm = norm
    cell.is_value = is_value
    cell.start = start
    cell.end = end
    cell.vcopy = False
    cell.filler = False
    return cell


def _row_cells(row: list[GridCell], r: int) -> list[_Cell]:
    if all(gc.anchor and gc.colspan == 1 and gc.rowspan == 1 for gc in row):  # no spans: one cell per slot
        return [_Cell(gc.text, *_cell_info(gc.text), gc.col, gc.col + 1, False, gc.filler) for gc in row]
    out: list[_Cell] = []
    prev = None
    for gc in row:
        if prev is not None and gc.origin == prev:
            out[-1].end = gc.col + 1
            continue
        prev = gc.origin
        text = gc.text or ""
        norm, is_value = _cell_info(text)
        out.append(_Cell(text, norm, is_value, gc.col, gc.col + 1, prev[0] != r, gc.filler))
    return out


# cell text -> (normalised, is_value, shared): texts repeat across reports (labels, blanks, 0, 1, …).
# `shared` holds the cells of the text for _written_rows to reuse (cells are never changed once
# built): start column -> its cell, ~start column -> (start, end, its rowspan copy).
_TEXT_INFO: dict[str, tuple[str, bool, dict[int, _Cell | tuple[int, int, _Cell]]]] = {}
_TEXT_INFO_MAX = 16384


def _text_info(text: str) -> tuple[str, bool, dict[int, _Cell | tuple[int, int, _Cell]]]:
    info = _TEXT_INFO.get(text)
    if info is None:
        if len(_TEXT_INFO) >= _TEXT_INFO_MAX:
            _TEXT_INFO.clear()
        norm = _norm(text) if text else ""
        is_value = _is_value(text)
        info = _TEXT_INFO[text] = (norm, is_value, {})
    return info


def _cell_info(text: str) -> tuple[str, bool]:
    """(normalised text, is_value) of a cell text."""
    return _text_info(text)[:2]


# ----------------------------------------------------------------------------------------------------
# Classification of rows.

@dataclass(slots=True)
class _Row:
    table: str  # s2 | s3 | s4
    role: str  # caption | header | data | heading
    ti: int  # table number (position among the document's tables)
    r: int
    cells: list[_Cell]
    key: str | None = None  # row key (s2 row code, s3 row key, s4 group) for data rows
    label_end: int = 0  # grid column after the label cell
    header: object = None  # header state in force for a data row
    block: str | None = None  # s2 block number
    group_hint: str | None = None  # s4 group from the heading before a 5-column table


@dataclass
class _State:
    ctx: str | None = None  # table we are in (from headers, captions, headings)
    s2_header: list[_Cell] | None = None
    s2_header_block: str | None = None
    s3_header: list[list[_Cell]] = field(default_factory=list)
    s4_header: list[list[_Cell]] = field(default_factory=list)
    s2_block: str | None = None
    s4_group: str | None = None  # section-四 group named by a heading just before (### 行政复议)
    last_header_row: dict[str, int] = field(default_factory=dict)


def _placed_cells(placed: list[tuple[str, int, int, int, int]], slots: list[int], r: int) -> list[_Cell]:
    """_row_cells from a layout placement (a table given as written cells): no GridCells needed."""
    n = len(slots)
    if n and slots[-1] >= 0:
        i0 = slots[0]
        if i0 >= 0 and placed[i0][1] == r and slots == list(range(i0, i0 + n)):
            # one cell per slot, all anchored in this row (cells are numbered in placement order)
            return [_Cell(p[0], *_cell_info(p[0]), c, c + 1, False) for c, p in enumerate(placed[i0:i0 + n])]
    out: list[_Cell] = []
    prev = -1
    for c, i in enumerate(slots):
        if i == prev and i >= 0:
            out[-1].end = c + 1
            continue
        prev = i
        if i < 0:  # empty slot of a short row
            out.append(_Cell("", *_cell_info(""), c, c + 1, False, True))
        else:
            cell = placed[i]
            out.append(_Cell(cell[0], *_cell_info(cell[0]), c, c + 1, cell[1] != r))
    return out


def _written_rows(written: list[list[tuple[str, int, int]]]) -> list[list[_Cell]] | None:
    """The rows of a table given as written cells, in one pass: what _placed_cells reads from
    layout.place(written) (tests/test_perf_equivalence.py), without the placement. Each cell takes the
    first column its row leaves free, a rowspan leaves a copy (vcopy) in the rows below, a row shorter
    than the table is padded with filler cells. None when a cell would overlap another (layout.place
    lets the later one overwrite part of the earlier) or a span is not a plain count that fits the
    table: the caller then takes the placement path."""
    info = _TEXT_INFO.get
    n_rows = len(written)
    below: dict[int, list[tuple[int, int, _Cell]]] = {}  # row -> (start, end, copy) of spans from above
    out: list[list[_Cell]] = []
    for r, row in enumerate(written):
        cells: list[_Cell] = []
        above = below.pop(r, None)
        if above is None:
            above = _NOTHING_ABOVE
        elif len(above) > 2:
            above.sort(key=_first)
        k = 0
        next_copy = above[0][0]  # column where the next span from above starts (_NO_COLUMN: none left)
        c = 0
        for text, rs, cs in row:
            while c == next_copy:  # this column is taken by a span from a row above
                _start, c, copy = above[k]
                cells.append(copy)
                k += 1
                next_copy = above[k][0]
            norm, is_value, shared = info(text) or _text_info(text)
            end = c + cs
            cell = shared.get(c)  # the same cell as in the rows and reports before, if any
            if cell is None or cell.end != end:
                cell = shared[c] = _new_cell(text, norm, is_value, c, end)
            if rs != 1 or cs != 1:
                if rs < 1 or cs < 1 or r + rs > n_rows or end > next_copy:
                    return None
                if rs > 1:
                    copy = shared.get(~c)  # (start, end, the rowspan copy of the cell), shared like the cell
                    if copy is None or copy[1] != end:
                        copy = shared[~c] = (c, end, _Cell(text, norm, is_value, c, end, True, False))
                    if not _span_down(below, copy, r, rs):
                        return None
            cells.append(cell)
            c = end
        while next_copy != _NO_COLUMN:  # spans from above right of the row's own cells, holes between them
            start, end, copy = above[k]
            while c < start:
                cells.append(_Cell("", *_cell_info(""), c, c + 1, False, True))
                c += 1
            cells.append(copy)
            c = end
            k += 1
            next_copy = above[k][0]
        out.append(cells)
    while out and not out[-1]:  # trailing rows with nothing in them are no rows
        out.pop()
    n_cols = max((cells[-1].end for cells in out if cells), default=0)
    for cells in out:
        c = cells[-1].end if cells else 0
        while c < n_cols:
            cells.append(_Cell("", *_cell_info(""), c, c + 1, False, True))
            c += 1
    return out


_first = itemgetter(0)
_NO_COLUMN = 1 << 62  # the start of "no span" (after every column)
_NOTHING_ABOVE: list = [(_NO_COLUMN, _NO_COLUMN, None)]


def _span_down(below: dict[int, list[tuple[int, int, _Cell]]], copy: tuple[int, int, _Cell], r: int,
               rs: int) -> bool:
    """Leave the copy (start, end, cell) of a rowspan cell in the rows below (one _Cell for all of
    them: cells are not changed once built); False when one would overlap a span already there."""
    start, end, _cell = copy
    for row in range(r + 1, r + rs):
        spans = below.get(row)
        if spans is None:
            below[row] = [copy, _NOTHING_ABOVE[0]]  # ends with the "no span left" mark
            continue
        for s, e, _c in spans:
            if s < end and start < e:
                return False
        spans.append(copy)
    return True


def _table_rows(tbl: Table):
    """Each grid row of the table as distinct cells."""
    if isinstance(tbl, Table) and tbl.written is not None:
        rows = _written_rows(tbl.written)
        if rows is not None:
            return rows
    placement = tbl.placement() if isinstance(tbl, Table) else None
    if placement is None:
        return (_row_cells(grow, r) for r, grow in enumerate(tbl.rows))
    placed, occ = placement
    return (_placed_cells(placed, slots, r) for r, slots in enumerate(occ))


def _classify_table(tbl: Table, ti: int, st: _State, out: list[_Row]) -> None:
    for r, cells in enumerate(_table_rows(tbl)):
        texts: list[_Cell] = []  # cells that hold a label (not blank, not a value)
        numbers = False  # some cell holds a value (not only blank)
        last_value = -1  # start of the rightmost cell that holds or could hold a value
        for c in cells:  # (in column order)
            if c.is_value:
                last_value = c.start
                if c.norm:
                    numbers = True
            elif c.norm:
                texts.append(c)
        if not texts:
            after_header = st.last_header_row.get("s4") == (ti, r - 1)
            n_numbers = sum(1 for c in cells if c.norm)
            if st.ctx == "s4" and ((st.s4_header and (numbers or after_header)) or n_numbers == len(S4_ORDER)):
                out.append(_Row("s4", "data", ti, r, cells, None, 0, st.s4_header, group_hint=st.s4_group))
            continue
        # section 二 block caption (a row of its own, or a rowspan cell left of the block's rows)
        caps = None  # (cell, match) of section-二 block captions
        for c in texts:
            if "第二十条" in c.norm and (m := _CAPTION.search(c.norm)):
                caps = [(c, m)] if caps is None else [*caps, (c, m)]
        if caps:
            num = caps[0][1].group(1)
            if num != st.s2_block or not caps[0][0].vcopy:
                st.s2_header = None
            st.ctx, st.s2_block = "s2", num
            texts = [c for c in texts if c not in [x for x, _ in caps]]
            if not texts:
                out.append(_Row("s2", "caption", ti, r, cells, block=num))
                continue
        # section 二 header: 信息内容 | column labels
        if texts[0].norm.startswith(INFO_HEADER):
            st.ctx = "s2"
            st.s2_header = [c for c in cells if c.start >= texts[0].end]
            st.s2_header_block = st.s2_block
            out.append(_Row("s2", "header", ti, r, cells))
            continue
        if numbers:  # header rows hold no numbers
            n3 = n4 = 0
            header3 = False
        else:
            s3k = [_vocab("s3_cols").match(c.norm) for c in texts]
            n3 = sum(k is not None for k in s3k)
            n4 = sum(_vocab("s4_head").match(c.norm) is not None for c in texts)
            header3 = any(k in ("_legal_person", "_applicant") for k in s3k) or any("勾稽关系" in c.norm for c in texts)
        if not numbers and (header3 or (n3 >= 2 and n3 >= n4 and n3 == len(texts))):
            if st.last_header_row.get("s3") != (ti, r - 1):
                st.s3_header = []
            st.s3_header.append(cells)
            st.last_header_row["s3"] = (ti, r)
            st.ctx = "s3"
            out.append(_Row("s3", "header", ti, r, cells))
            continue
        if not numbers and n4 >= 2 and n4 >= len(texts) - 1:
            if st.last_header_row.get("s4") != (ti, r - 1):
                st.s4_header = []
            st.s4_header.append(cells)
            st.last_header_row["s4"] = (ti, r)
            st.ctx = "s4"
            out.append(_Row("s4", "header", ti, r, cells))
            continue
        row = _data_row(cells, texts, last_value, ti, r, st)
        if row is not None:
            out.append(row)
            continue
        sec = _vocab("sections").match(_norm(" ".join(c.text for c in texts)))
        if sec is not None:
            st.ctx = _SECTION_TABLES.get(sec)
            if st.ctx == "s4":
                st.s4_header = []
            continue
        if st.ctx == "s4" and st.s4_header and sum(1 for c in cells if c.is_value and c.norm) >= 5:
            out.append(_Row("s4", "data", ti, r, cells, None, texts[-1].end, st.s4_header))


def _data_row(cells: list[_Cell], texts: list[_Cell], last_value: int, ti: int, r: int, st: _State) -> _Row | None:
    """A row whose label (the rightmost label cell that names a template row) is a data row.
    Exact label matches are tried on every cell before any fuzzy one; a group label (`三、本年度办理结果`,
    a rowspan copy left of the row label) names no data row, so it only wins when no cell names one —
    else its exact match would hide a typo'd row label to its right (D10). `last_value`: start of the
    row's rightmost value cell."""
    group = None
    s3_rows = _vocab("s3_rows")
    for fuzzy in (False, True):
        for c in reversed(texts):
            if last_value < c.end:
                continue  # a label with nothing to read after it: a header or group label
            k3 = s3_rows.match(c.norm) if fuzzy else s3_rows.exact_match(c.norm)
            if k3 is not None and k3.startswith("group:"):
                group = group or (k3, c.end)
                continue
            if k3 is not None:
                st.ctx = "s3"
                return _Row("s3", "data", ti, r, cells, k3, c.end, st.s3_header)
            s2_rows = _vocab("s2_rows")
            k2 = s2_rows.match(c.norm) if fuzzy else s2_rows.exact_match(c.norm)
            if k2 is not None:
                st.ctx = "s2"
                return _Row("s2", "data", ti, r, cells, k2, c.end, st.s2_header)
            k4 = _vocab("s4_head").exact_match(c.norm)
            if k4 is not None and not k4.startswith(("r:", "_")) and st.s4_header:
                st.ctx = "s4"
                return _Row("s4", "data", ti, r, cells, k4, c.end, st.s4_header)
    if len(texts) > 1:  # a label split over several cells
        joined = _norm("".join(c.text for c in texts))
        for vocab, table in (("s3_rows", "s3"), ("s2_rows", "s2")):
            k = _vocab(vocab).match(joined)
            if k is not None:
                st.ctx = table
                hdr = st.s3_header if table == "s3" else st.s2_header
                return _Row(table, "data", ti, r, cells, k, texts[-1].end, hdr)
    if group is not None:
        st.ctx = "s3"
        return _Row("s3", "data", ti, r, cells, group[0], group[1], st.s3_header)
    return None


# ----------------------------------------------------------------------------------------------------
# Version detection (per table, from labels only one version prints).

@cache
def _signals(version: str, table: str) -> tuple[str, ...]:
    return tuple(_norm(s) for s in VERSIONS[version].SIGNALS.get(table, ()))


def _signal_score(norms: list[str], version: str, table: str) -> float:
    score = 0.0
    joined = "\n".join(norms)  # normalised text has no "\n": a signal found here lies within one cell
    cells = set(norms)
    for sig in _signals(version, table):
        if norms and sig in joined:
            score += 1
        elif any(sig[:k] in cells for k in range(3, len(sig) + 1)):  # a cell of 3+ chars that starts sig
            score += 0.5  # header cut to its first line (D9: 本年新 | 本年新)
    return score


def _detect_s2(rows: list[_Row]) -> str | None:
    """The version whose section-二 signals (column and row labels) the table prints, if evident."""
    norms = [c.norm for row in rows for c in row.cells if c.norm and not c.is_value]
    scores = {v: _signal_score(norms, v, "s2") for v in VERSIONS}
    best = max(scores.values())
    winners = [v for v, s in scores.items() if s == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def _detect_s3(rows: list[_Row]) -> str | None:
    """gk2021 when （六）其他处理 has its sub-items, gk2019 when it is one data row; else not evident."""
    data = [row for row in rows if row.role == "data"]
    keys = {row.key for row in data}
    if keys & {"result_other_no_correction", "result_other_fee_unpaid", "result_other_misc"}:
        return "gk2021"
    for i, row in enumerate(data):
        if row.key == "result_other":
            nxt = data[i + 1].key if i + 1 < len(data) else None
            vals = [c for c in row.cells if c.start >= row.label_end]
            if nxt == "result_total" or any(c.norm for c in vals):
                return "gk2019"
    return None


def _version_note(table: str, evident: str | None, chosen: str) -> str:
    if evident:
        return f"{table} format {chosen} from its labels"
    return f"{table} format not evident from its labels; {chosen} assumed"


# ----------------------------------------------------------------------------------------------------
# Pairing header slots with value cells.

Slot = tuple[int, int, object]  # (start, end, key or None for an unknown header)


SHORT_ROW = "the row is shorter than the table: which of its cells is missing cannot be told"


def _assign(slots: list[Slot], values: list[_Cell]) -> dict[object, tuple[_Cell, str | None]]:
    """Value cell for each slot key; a row that lost cells (the grid padded it) is read as well as it
    can be, every slot of it flagged, the unfilled ones as blanks that are not in the source."""
    if not any(v.filler for v in values):  # the common case: no padded slot at all
        return _assign_cells(slots, values)
    keyed = [(s, e) for s, e, k in slots if k is not None]
    if not any(v.filler and any(min(e, v.end) > max(s, v.start) for s, e in keyed) for v in values):
        return _assign_cells(slots, values)
    real = [v for v in values if not v.filler]
    out = {k: (cell, SHORT_ROW) for k, (cell, _n) in _assign_cells(slots, real).items()}
    for s, e, k in slots:
        if k is not None and k not in out:
            out[k] = (_Cell("", "", True, s, e, False, True), SHORT_ROW)
    return out


def _assign_cells(slots: list[Slot], values: list[_Cell]) -> dict[object, tuple[_Cell, str | None]]:
    """Value cell for each slot key. Same count: in order (header and value colspans may differ, D12).
    Otherwise by column overlap; a merged value is given to one slot only; several values under one
    header keep the first non-blank and say so."""
    out: dict[object, tuple[_Cell, str | None]] = {}
    if len(slots) == len(values):
        for (_s, _e, key), v in zip(slots, values, strict=True):
            if key is not None:
                out[key] = (v, None)
        return out
    owner: dict[int, int] = {}  # value index -> slot index with the largest overlap
    for vi, v in enumerate(values):
        best, best_ov = None, 0
        for si, (s, e, _k) in enumerate(slots):
            ov = min(e, v.end) - max(s, v.start)
            if ov > best_ov:
                best, best_ov = si, ov
        if best is not None:
            owner[vi] = best
    for si, (s, e, key) in enumerate(slots):
        if key is None:
            continue
        under = [v for vi, v in enumerate(values) if min(e, v.end) > max(s, v.start)
                 and (owner.get(vi) == si or v.blank)]
        if not under:
            continue
        filled = [v for v in under if v.norm]
        if len(filled) > 1:
            out[key] = (filled[0], f"{len(filled)} values under one column header; first kept")
        else:
            out[key] = (filled[0] if filled else under[0], None)
    return out


# ----------------------------------------------------------------------------------------------------
# Reading each official table.

def _values(row: _Row) -> list[_Cell]:
    """The row's cells right of its label (cells are in column order and do not overlap)."""
    cells, label_end = row.cells, row.label_end
    for i, c in enumerate(cells):
        if c.start >= label_end:
            return cells[i:]
    return []


class _Sources(dict):
    """Grid column -> the source of a row's cell there ("table 2 r5c3"), made when first asked for."""

    __slots__ = ("prefix",)

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __missing__(self, col: int) -> str:
        src = self[col] = f"{self.prefix}{col + 1}"
        return src


_SOURCES: dict[tuple[int, int], _Sources] = {}  # (table number, row number) -> its _Sources
_SOURCES_MAX = 4096


def _where(row: _Row) -> _Sources:
    """The sources of a row's cells by grid column (see _Sources); the strings are the same objects
    for every report (they never change), so a record's source costs a lookup, not a format."""
    key = (row.ti, row.r)
    srcs = _SOURCES.get(key)
    if srcs is None:
        if len(_SOURCES) >= _SOURCES_MAX:
            _SOURCES.clear()
        srcs = _SOURCES[key] = _Sources(f"table {row.ti + 1} r{row.r + 1}c")
    return srcs


@dataclass
class _Reader:
    table: str
    version: str
    notes: list[str] = field(default_factory=list)
    cells: dict[str, CellRecord] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.fields = _fields(self.version, self.table)
        self.parsed = _parsed_caches(self.version, self.table)  # code -> its kind and unit's _parse cache

    def put_plain(self, targets: tuple[tuple[str, dict | None], ...], cells: list[_Cell], where: _Sources) -> None:
        """put(code, cell, where) for each (code, its parse cache or None when the code is not a field
        of this version) and cell of a row, with no doubt and no unit hint, on cells that are neither
        rowspan copies nor fillers (see _plain_cells): the common case. A cell read before, or one
        with something to note, goes through put."""
        records = self.cells
        for (code, parsed), cell in zip(targets, cells, strict=True):
            if parsed is None:
                continue
            text = cell.text
            got = parsed.get(text)
            if got is None or not got[4] or code in records:
                self.put(code, cell, where)
                continue
            # cell_record(code, got[0], text, got[1], got[2], False, None, where[cell.start]) without
            # the call: the same object (tests/test_perf_equivalence.py)
            rec = records[code] = _new_record(CellRecord)
            rec.code = code
            rec.value = got[0]
            rec.raw = text
            rec.kind = got[1]
            rec.unit = got[2]
            rec.uncertain = False
            rec.note = None
            rec.source = where[cell.start]

    def put(self, code: str, cell: _Cell, where: _Sources, doubt: str | None = None,
            unit_hint: str | None = None) -> None:
        """Record one cell of the row whose cells' sources are `where` (see _where); `doubt`
        (a reason) makes it uncertain."""
        parsed = self.parsed.get(code)
        if parsed is None:  # not a field of this version
            return
        text = cell.text
        got = parsed.get(text)
        if got is None:
            f = self.fields[code]
            got = _parse(text, f.kind, f.unit)
        value, kind, unit, vnote, plain = got
        if code in self.cells:
            prev = self.cells[code]
            if (prev.value, prev.kind) != (value, kind):
                prev.uncertain = True
                prev.note = _join(prev.note, f"row repeated with a different value at "
                                             f"{where[cell.start]} ({text!r})")
            return
        if plain and doubt is None and not unit_hint and not cell.filler and not cell.vcopy:
            # nothing to note, not uncertain: the common case
            self.cells[code] = cell_record(code, value, text, kind, unit, False, None, where[cell.start])
            return
        f = self.fields[code]
        notes = [n for n in (doubt, vnote) if n]
        uncertain = doubt is not None
        if unit_hint and kind == "number" and unit is None and unit_hint != f.unit:
            hv, hkind, _u, _n, _p = _parse(cell.norm + unit_hint, f.kind, f.unit)
            if hkind == "number":
                value, unit = hv, unit_hint
                notes.append(f"unit {unit_hint} from the column header")
        if cell.filler:
            notes.append("no cell in the source here")
        if cell.vcopy and cell.norm:
            notes.append("value cell merged with the row above")
            uncertain = True
        if kind == "number" and len(text) > 2 and _DIGITS_SPLIT.search(text.strip()):
            notes.append("digits separated by a space or line break")
            uncertain = True
        self.cells[code] = CellRecord(code, value, text, kind, unit, uncertain,
                                      "; ".join(notes) if notes else None, where[cell.start])

    def result(self) -> TableRead:
        expected = _expected(self.version, self.table)
        if len(self.cells) == len(expected):  # every cell found (only fields of the table are ever put)
            return TableRead(self.table, self.version, list(map(self.cells.__getitem__, expected)), True, "grid",
                             self.notes)
        missing = [c for c in expected if c not in self.cells]
        if missing:
            rows = list(dict.fromkeys(self.fields[c].row_label for c in missing))
            self.notes.append(f"{self.table}: {len(missing)} of {len(expected)} cells not found "
                              f"(rows: {', '.join(rows[:6])}{'…' if len(rows) > 6 else ''})")
        cells = [self.cells[c] for c in expected if c in self.cells]
        return TableRead(self.table, self.version, cells, not missing, "grid", self.notes)


def _join(a: str | None, b: str) -> str:
    return f"{a}; {b}" if a else b


@cache
def _fields(version: str, table: str) -> dict[str, Field]:
    return {f.code: f for f in table_fields(version, table)}


@cache
def _parsed_caches(version: str, table: str) -> dict[str, dict[str, tuple]]:
    return {code: _parsed_cache(f.kind, f.unit) for code, f in _fields(version, table).items()}


@cache
def _s2_row_blocks(version: str) -> tuple[dict[str, str], frozenset[str]]:
    """Row code -> block number of the version, and the row codes only other versions print."""
    row_block = {rc: num for num, b in _s2_blocks(version).items() for rc in b.rows}
    others = frozenset(rc for v in VERSIONS if v != version for b in _s2_blocks(v).values() for rc in b.rows)
    return row_block, others


def _read_s2(rows: list[_Row], version: str, note: str) -> TableRead:
    rd = _Reader("s2", version, notes=[note])
    blocks = _s2_blocks(version)
    row_block, other_blocks = _s2_row_blocks(version)
    headers: dict[tuple[int, str], tuple | None] = {}  # (id of the header rows, block) -> _s2_header
    for row in rows:
        if row.role != "data":
            continue
        num = row_block.get(row.key)
        if num is None:
            if row.key in other_blocks:
                rd.notes.append(f"s2 row {row.key} belongs to another format version than {version}; not read")
            continue
        blk = blocks[num]
        values = _values(row)
        hkey = (id(row.header), num)
        header = headers[hkey] if hkey in headers else headers.setdefault(hkey, _s2_header(row.header, version, num))
        if header is None:
            if len(values) != len(blk.cols):
                rd.notes.append(f"s2 row {row.key}: no usable column header; row not read")
                continue
            slots: list[Slot] | tuple[Slot, ...] = [(v.start, v.end, cc) for v, (cc, *_r) in zip(values, blk.cols, strict=True)]
            hints: dict[str, str | None] = {}
            rd.notes.append(f"s2 row {row.key}: no column header; template column order used")
        else:
            slots, hints = header
        where = _where(row)
        for key, (cell, n) in _assign(slots, values).items():
            rd.put(f"s2_{row.key}_{key}", cell, where, n, hints.get(key))
    return rd.result()


def _header_unit(norm: str) -> str | None:
    m = _MONEY_UNIT.search(norm)
    return m.group(1) if m else None


HeaderKey = tuple[tuple[str, int, int], ...]  # (label, start, end) of a header row's labelled cells


def _header_key(header_row: list[_Cell]) -> HeaderKey:
    """What the slot readers use of a header row, as a key to cache them on (headers repeat across reports)."""
    return tuple((c.norm, c.start, c.end) for c in header_row if c.norm)


def _s2_header(header: list[_Cell] | None, version: str, block: str) -> tuple[tuple[Slot, ...], dict] | None:
    """The block's column slots (start, end, column code | None) under this header, with the money
    unit each column's header names: None when the header in force does not belong to this block's columns."""
    return _s2_header_of(_header_key(header), version, block) if header else None


@lru_cache(maxsize=4096)
def _s2_header_of(header: HeaderKey, version: str, block: str) -> tuple[tuple[Slot, ...], dict] | None:
    slots = _s2_slots(header, _s2_blocks(version)[block], _vocab("s2_cols", version),
                      [_vocab("s2_cols", v) for v in VERSIONS if v != version])
    if slots is None:
        return None
    return tuple((s, e, k) for s, e, k, _n in slots), {k: _header_unit(n) for _s, _e, k, n in slots if k is not None}


def _s2_slots(header: HeaderKey, blk: _S2Block, vocab: _Vocab, foreign: list[_Vocab]):
    """Header slots (start, end, column code | None, header label) for a block, or None when the header
    in force does not belong to this block's columns."""
    hcells = [_HeaderCell(*c) for c in header]
    if not hcells:
        return None
    block_cols = [cc for cc, *_ in blk.cols]
    keys: list[str | None] = []
    for c in hcells:
        k = vocab.match(c.norm)
        if k is not None and k not in block_cols:
            k = None
        if k is None and not any(f.match(c.norm) for f in foreign):
            k = _prefix_match(c.norm, blk)
        keys.append(k)
    if None in keys and len(hcells) == len(blk.cols) and all(
            k == col[0] or (k is None and _compatible(c.norm, col))
            for c, k, col in zip(hcells, keys, blk.cols, strict=True)):
        keys = block_cols  # header lines cut short (本年新 | 本年新) but compatible with the template order
    if not any(keys):
        return None
    return [(c.start, c.end, k, c.norm) for c, k in zip(hcells, keys, strict=True)]


class _HeaderCell(NamedTuple):
    norm: str
    start: int
    end: int


def _prefix_match(norm: str, blk: _S2Block) -> str | None:
    hits = [cc for cc, lab, _k, var in blk.cols if len(norm) >= 2 and any(_norm(x).startswith(norm) for x in (lab, *var))]
    return hits[0] if len(hits) == 1 else None


def _compatible(norm: str, col: tuple) -> bool:
    _cc, lab, _k, var = col
    return len(norm) >= 2 and any(_norm(x).startswith(norm) or norm.startswith(_norm(x)) for x in (lab, *var))


def _read_s3(rows: list[_Row], version: str, note: str) -> TableRead:
    rd = _Reader("s3", version, notes=[note])
    codes = _s3_codes(version)
    slot_cache: dict[int, tuple[list[Slot] | None, int]] = {}  # id(header) -> (its slots, its width)
    n_columns = len(S3_APPLICANTS)
    for row in rows:
        if row.role != "data" or row.key is None or row.key.startswith("group:"):
            continue
        if row.key not in codes:
            if row.key != "result_other":  # the gk2021 （六） group label is not a data row
                rd.notes.append(f"s3 row {row.key} is not in format {version}; not read")
            continue
        values = _values(row)
        hid = id(row.header)
        if hid not in slot_cache:
            slot_cache[hid] = _s3_slots(row.header), _header_width(row.header)
        slots, width = slot_cache[hid]
        if slots is not None and not _same_width(row, width):
            slots = None
        if slots is None:
            values = _trim(values, n_columns)
            if len(values) != n_columns:
                if any(c.norm for c in values):
                    rd.notes.append(f"s3 row {row.key}: {len(values)} value cells for 7 columns; row not read")
                continue
            slots = [(v.start, v.end, k) for v, k in zip(values, S3_APPLICANTS, strict=True)]
        where = _where(row)
        if len(values) == n_columns and _plain_cells(values):
            # the common case: one value per column, in the order of S3_APPLICANTS (both kinds of slots are)
            rd.put_plain(_s3_targets(version, row.key), values, where)
            continue
        cell_codes = dict(zip(S3_APPLICANTS, _s3_cell_codes(row.key), strict=True))
        for key, (cell, n) in _assign(slots, values).items():
            rd.put(cell_codes[key], cell, where, n)
    return rd.result()


def _plain_cells(cells: list[_Cell]) -> bool:
    """No cell is a filler or a rowspan copy."""
    for c in cells:
        if c.filler or c.vcopy:
            return False
    return True


@cache
def _s3_targets(version: str, row_key: str) -> tuple[tuple[str, dict | None], ...]:
    """(cell code, its parse cache or None when not a field of the version) of one section-三 row, in
    the order of S3_APPLICANTS (for _Reader.put_plain)."""
    parsed = _parsed_caches(version, "s3")
    return tuple((code, parsed.get(code)) for code in _s3_cell_codes(row_key))


@cache
def _s3_cell_codes(row_key: str) -> tuple[str, ...]:
    """The cell codes of one section-三 row, in the order of S3_APPLICANTS."""
    return tuple(f"s3_{row_key}__{k}" for k in S3_APPLICANTS)


@cache
def _s3_codes(version: str) -> frozenset[str]:
    return frozenset(r.code for r in s3_rows(version) if r.code)


@cache
def _expected(version: str, table: str) -> tuple[str, ...]:
    return tuple(f.code for f in table_fields(version, table))


def _same_width(row: _Row, header_width: int | None = None) -> bool:
    """Header columns apply to a row only on a grid of the same width (a header carried over from
    an earlier table of another shape says nothing about this one's columns). `header_width`:
    _header_width(row.header), when the caller has it."""
    if not row.header or not row.cells:
        return True
    if header_width is None:
        header_width = _header_width(row.header)
    return header_width == row.cells[-1].end


def _header_width(header_rows: list[list[_Cell]] | None) -> int | None:
    return max(c.end for c in header_rows[-1]) if header_rows else None


def _trim(values: list[_Cell], n: int) -> list[_Cell]:
    """Drop blank cells past the end (a short row padded to the table's width), then blank cells
    before the values (an unmerged label area), while more than `n` cells remain."""
    values = list(values)
    while len(values) > n and values[-1].blank:
        values.pop()
    while len(values) > n and values[0].blank:
        values.pop(0)
    return values


def _s3_slots(header_rows: list[list[_Cell]] | None) -> tuple[Slot, ...] | None:
    """Applicant column slots from the header rows: the lowest header cell naming an applicant column
    claims its grid columns (自然人 and 总计 span rows 2–3, 商业企业 … 其他 sit in row 3)."""
    if not header_rows:
        return None
    return _s3_slots_of(tuple(_header_key(h) for h in header_rows))


@lru_cache(maxsize=1024)
def _s3_slots_of(header_rows: tuple[HeaderKey, ...]) -> tuple[Slot, ...] | None:
    vocab = _vocab("s3_cols")
    claimed: dict[int, str] = {}
    found: dict[str, tuple[int, int]] = {}
    for hrow in reversed(header_rows):
        for norm, start, end in hrow:
            k = vocab.match(norm)
            if k is None or k.startswith("_") or k in found:
                continue
            if any(j in claimed for j in range(start, end)):
                continue
            for j in range(start, end):
                claimed[j] = k
            found[k] = (start, end)
    if len(found) != len(S3_APPLICANTS):
        return None
    slots = sorted((s, e, k) for k, (s, e) in found.items())
    if [k for _s, _e, k in slots] != S3_APPLICANTS:
        return None  # header order differs from the format: do not trust either
    return tuple(slots)


def _read_s4(rows: list[_Row]) -> TableRead | None:
    rd = _Reader("s4", "gk2021", notes=[])
    for row in rows:
        if row.role != "data":
            continue
        values = _values(row)
        if row.key is None:  # one row of 15 values
            slots = _s4_slots(row.header) if _same_width(row) else None
            if slots is None and row.group_hint:  # 5 result columns under a heading naming the group
                slots = _s4_result_slots(row.header, row.group_hint)
            if slots is None:
                values = _trim(values, len(S4_ORDER))
                if len(values) != len(S4_ORDER):
                    rd.notes.append(f"s4: {len(values)} values without a readable header; not read")
                    continue
                slots = [(v.start, v.end, k) for v, k in zip(values, S4_ORDER, strict=True)]
                rd.notes.append("s4: header not readable; template column order used")
        else:  # transposed: one row per group, 5 result columns
            slots = _s4_result_slots(row.header, row.key) if _same_width(row) else None
            if slots is None:
                if len(values) != len(common.S4_RESULTS):
                    continue
                slots = [(v.start, v.end, (row.key, r)) for v, (r, _l, _e) in zip(values, common.S4_RESULTS, strict=True)]
        where = _where(row)
        for (g, r), (cell, n) in _assign(slots, values).items():
            rd.put(f"s4_{g}__{r}", cell, where, n)
    if not rd.cells:
        return None
    tr = rd.result()
    tr.version = ""  # identical in both versions; set from the other tables by the caller
    return tr


def _s4_columns(header_rows: tuple[HeaderKey, ...]) -> dict[int, tuple[str | None, str | None, tuple[int, int]]]:
    """grid column -> (group, result, result cell range) from the header rows."""
    vocab = _vocab("s4_head")
    cols: dict[int, list] = {}
    for hrow in header_rows:
        for norm, start, end in hrow:
            k = vocab.match(norm)
            if k is None:
                continue
            for j in range(start, end):
                g, r, rng = cols.get(j, (None, None, None))
                if k.startswith("r:"):
                    r, rng = k[2:], (start, end)
                elif not k.startswith("_"):
                    g = k
                cols[j] = (g, r, rng)
    return cols


def _s4_group_named(norm: str) -> str | None:
    """The section-四 group a short heading names: ### 行政诉讼（复议后起诉）, ### 行政复议."""
    for g, name in _s4_group_names():
        if name in norm:
            return g
    return None


@cache
def _s4_group_names() -> tuple[tuple[str, str], ...]:
    """(group, its own normalised name), the specific litigation groups first (every line after the
    section-四 heading is tested: a portal page's footer has hundreds)."""
    return tuple((g, _norm(lab.split("/")[-1])) for g, lab, _en in reversed(common.S4_GROUPS))


def _s4_slots(header_rows: list[list[_Cell]] | None) -> tuple[Slot, ...] | None:
    """(group, result) slots of the 15 value columns from the header rows."""
    return _s4_slots_of(tuple(_header_key(h) for h in header_rows)) if header_rows else None


@lru_cache(maxsize=1024)
def _s4_slots_of(header_rows: tuple[HeaderKey, ...], widened: bool = False) -> tuple[Slot, ...] | None:
    cols = _s4_columns(header_rows)
    slots: dict[tuple[str, str], tuple[int, int]] = {}
    for _j, (g, r, rng) in sorted(cols.items()):
        if g and r and (g, r) not in slots:
            slots[(g, r)] = rng
    if len(slots) != len(S4_ORDER):
        return None if widened else _s4_slots_of(_widen_groups(header_rows), True)
    return tuple(sorted((s, e, k) for k, (s, e) in slots.items()))


def _widen_groups(header_rows: tuple[HeaderKey, ...]) -> tuple[HeaderKey, ...]:
    """Header rows whose section-四 group labels reach over the unlabelled cells to their right, up
    to the next label of the row (or the header's right edge): a table that lost its colspans writes
    a merged `未经复议直接起诉` as one cell and four empty ones (markdown, some CMS exports)."""
    vocab = _vocab("s4_head")
    right = max((end for hrow in header_rows for _n, _s, end in hrow), default=0)
    out = []
    for hrow in header_rows:
        cells = list(hrow)
        for i, (norm, start, end) in enumerate(cells):
            k = vocab.match(norm)
            if k is not None and not k.startswith(("r:", "_")):
                stop = cells[i + 1][1] if i + 1 < len(cells) else right
                cells[i] = (norm, start, max(end, stop))
        out.append(tuple(cells))
    return tuple(out)


def _s4_result_slots(header_rows: list[list[_Cell]] | None, group: str) -> tuple[Slot, ...] | None:
    """(group, result) slots of the 5 result columns of one group from the header rows."""
    return _s4_result_slots_of(tuple(_header_key(h) for h in header_rows), group) if header_rows else None


@lru_cache(maxsize=1024)
def _s4_result_slots_of(header_rows: tuple[HeaderKey, ...], group: str) -> tuple[Slot, ...] | None:
    cols = _s4_columns(header_rows)
    slots: dict[str, tuple[int, int]] = {}
    for _j, (_g, r, rng) in sorted(cols.items()):
        if r and r not in slots:
            slots[r] = rng
    if len(slots) != len(common.S4_RESULTS):
        return None
    return tuple(sorted((s, e, (group, r)) for r, (s, e) in slots.items()))


# What a paragraph line does to the table context (see _line_opens); memoised per text: portal pages
# have hundreds of menu and footer lines, the same on every page of the portal.
_LINES: dict[str, object] = {}
_LINES_MAX = 16384
_NOT_HEADING = object()  # not shaped like a section heading (_HEADING)
_NO_SECTION = object()  # shaped like one, but names no section
_SECTION_TABLES = {"proactive_disclosure": "s2", "applications": "s3", "review_litigation": "s4"}


def _line_opens(text: str) -> object:
    """_NOT_HEADING, _NO_SECTION, or (table,) for a section heading: the official table its section
    holds ("s2", "s3", "s4"), None for the other sections."""
    if len(text) < 60 and _HEADING.match(text):
        sec = _vocab("sections").match(_norm(text.lstrip("# \t")))
        opens = _NO_SECTION if sec is None else (_SECTION_TABLES.get(sec),)
    else:
        opens = _NOT_HEADING
    if len(_LINES) >= _LINES_MAX:
        _LINES.clear()
    _LINES[text] = opens
    return opens


# ----------------------------------------------------------------------------------------------------

def read_grid_tables(doc: Document) -> dict[str, TableRead]:
    """Official tables found in the document's grids: {"s2"|"s3"|"s4": TableRead}."""
    st = _State()
    rows: list[_Row] = []
    ti = 0
    lines = _LINES.get
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            text = block.text
            opens = lines(text)
            if opens is None:
                opens = _line_opens(text)
            if opens is _NOT_HEADING:
                if st.ctx == "s4" and len(text) < 40:
                    st.s4_group = _s4_group_named(_norm(text)) or st.s4_group
            elif opens is not _NO_SECTION:
                st.ctx = opens[0]
                st.s4_group = None
            continue
        if isinstance(block, Table):
            _classify_table(block, ti, st, rows)
            ti += 1
    by_table: dict[str, list[_Row]] = {"s2": [], "s3": [], "s4": []}
    for row in rows:
        by_table[row.table].append(row)
    out: dict[str, TableRead] = {}
    has_data = {t: any(r.role == "data" for r in rs) for t, rs in by_table.items()}
    e2 = _detect_s2(by_table["s2"]) if has_data["s2"] else None
    e3 = _detect_s3(by_table["s3"]) if has_data["s3"] else None
    v2, v3 = e2 or e3 or "gk2021", e3 or e2 or "gk2021"
    if has_data["s2"]:
        out["s2"] = _read_s2(by_table["s2"], v2, _version_note("s2", e2, v2))
    if has_data["s3"]:
        out["s3"] = _read_s3(by_table["s3"], v3, _version_note("s3", e3, v3))
    if has_data["s4"]:
        s4 = _read_s4(by_table["s4"])
        if s4 is not None:
            s4.version = section_four_version((e2, e3))
            out["s4"] = s4
    return {t: tr for t, tr in out.items() if tr.cells}
