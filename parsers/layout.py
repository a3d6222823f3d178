"""The layout model every reader produces: a sequence of blocks, paragraphs and span-aware tables.

A `Table` is a dense grid after span expansion (as pandas' io/html does), but each `GridCell`
remembers whether it is the anchor of its span or a copy, so a merged value is counted once.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class GridCell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    anchor: bool = True  # False for the copies a span leaves in the cells it covers
    origin: tuple[int, int] = (0, 0)  # (row, col) of the anchor
    filler: bool = False  # no cell in the source here: the row was shorter than the table

    @property
    def is_copy(self) -> bool:
        return not self.anchor


class Table:
    """A dense grid of GridCells. A reader that has the cells as written ((text, rowspan, colspan)
    per <tr>, rowspans clipped to the table) may pass `written=` instead of `rows=`: the grid is then
    expanded on first use of `rows` (the HTML reader does, so a page whose tables nobody reads cell by
    cell never pays for the GridCells; parsers.grid reads `placement()` instead)."""

    __slots__ = ("_rows", "written", "source", "index", "_placement")

    def __init__(self, rows: list[list[GridCell]] | None = None, source: str = "", index: int = 0, *,
                 written: list[list[tuple[str, int, int]]] | None = None) -> None:
        self._rows = rows if rows is not None or written is not None else []
        self.written = written  # (text, rowspan, colspan) per cell per row, or None
        self.source = source  # html | docx | pdf | pipe | text
        self.index = index  # position among the document's tables
        self._placement: Placement | None = None

    @property
    def rows(self) -> list[list[GridCell]]:
        if self._rows is None:
            self._rows = expand_placement(place(self.written) if self._placement is None else self._placement)
        return self._rows

    @rows.setter
    def rows(self, value: list[list[GridCell]]) -> None:
        self._rows, self.written, self._placement = value, None, None

    def placement(self) -> Placement | None:
        """Where every written cell lands (see `place`); None for a table given as GridCell rows."""
        if self._placement is None and self.written is not None:
            self._placement = place(self.written)
        return self._placement

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Table):
            return NotImplemented
        return (self.rows, self.source, self.index) == (other.rows, other.source, other.index)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaces

    def __repr__(self) -> str:
        return f"Table(rows={self.rows!r}, source={self.source!r}, index={self.index!r})"

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def texts(self) -> list[list[str]]:
        return [[c.text for c in r] for r in self.rows]


@dataclass
class Paragraph:
    text: str


Block = Table | Paragraph


@dataclass
class Document:
    """What a reader hands to the extractors: blocks in reading order plus the plain text."""

    blocks: list[Block] = field(default_factory=list)
    text: str = ""  # the whole document as lines of text (tables flattened one row per line)
    media_type: str = ""  # text/html | text/plain | application/pdf | …
    layout: str = ""  # html | flattened | pipe | pdf-text | docx | …
    meta: dict = field(default_factory=dict)  # hints a reader found: html <title>, meta tags, dates

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def expand_spans(rows: list[list[tuple[str, int, int]]]) -> list[list[GridCell]]:
    """Expand (text, rowspan, colspan) cells into a dense grid of GridCells.

    Cells are placed left to right into the first free slot of their row, as browsers do; a
    span's anchor keeps its text and its copies carry the same text with anchor=False.
    """
    grid: dict[tuple[int, int], GridCell] = {}
    n_rows = len(rows)
    for r, row in enumerate(rows):
        c = 0
        for text, rs, cs in row:
            while (r, c) in grid:
                c += 1
            rs, cs = max(1, rs), max(1, cs)
            for dr in range(rs):
                for dc in range(cs):
                    grid[(r + dr, c + dc)] = GridCell(text, r + dr, c + dc, rs, cs, dr == 0 and dc == 0, (r, c))
            c += cs
        n_rows = max(n_rows, r + 1)
    n_rows = max([k[0] + 1 for k in grid] + [0])
    n_cols = max([k[1] + 1 for k in grid] + [0])
    out = []
    for r in range(n_rows):
        out.append([grid.get((r, c)) or GridCell("", r, c, anchor=True, origin=(r, c), filler=True)
                    for c in range(n_cols)])
    return out


# A placement: the expanded grid without GridCell objects. `cells[i]` = (text, row, col, rowspan,
# colspan) of the i-th written cell (its anchor slot) and `slots[r][c]` = the index of the cell that
# covers slot (r, c), or -1 for an empty slot (a short row). Same layout as expand_spans.
Placement = tuple[list[tuple[str, int, int, int, int]], list[list[int]]]


def place(rows: list[list[tuple[str, int, int]]]) -> Placement:
    """Spans placed into the first free slot of their row, as browsers do (rowspans must already be
    clipped to the table: see readers/html.py); a later cell overwrites what it overlaps."""
    cells: list[tuple[str, int, int, int, int]] = []
    occ: list[list[int]] = [[] for _ in rows]
    for r, row in enumerate(rows):
        line = occ[r]
        if not line and all(rs == 1 and cs == 1 for _t, rs, cs in row):  # nothing spans into or out of it
            i0 = len(cells)
            cells.extend((t, r, c, 1, 1) for c, (t, _rs, _cs) in enumerate(row))
            line.extend(range(i0, len(cells)))
            continue
        c = 0
        n = len(line)
        for text, rs, cs in row:
            while c < n and line[c] >= 0:
                c += 1
            i = len(cells)
            cells.append((text, r, c, rs, cs))
            if rs == 1 and cs == 1:  # most cells of a row with spans
                if c < n:
                    line[c] = i
                else:
                    line.append(i)
                    n += 1
                c += 1
                continue
            for dr in range(rs):
                tl = occ[r + dr]
                if len(tl) < c + cs:
                    tl.extend([-1] * (c + cs - len(tl)))
                for dc in range(cs):
                    tl[c + dc] = i
            c += cs
            n = len(line)
    while occ and all(x < 0 for x in occ[-1]):
        occ.pop()
    n_cols = max((len(x) for x in occ), default=0)
    for tl in occ:
        if len(tl) < n_cols:
            tl.extend([-1] * (n_cols - len(tl)))
    return cells, occ


def expand_placement(p: Placement) -> list[list[GridCell]]:
    """The GridCell grid of a placement (empty slots become blank 1×1 anchors)."""
    cells, occ = p
    out = []
    for r, tl in enumerate(occ):
        row = []
        for c, i in enumerate(tl):
            if i < 0:  # nothing in the source here: the row is shorter than the table
                row.append(GridCell("", r, c, 1, 1, True, (r, c), filler=True))
            else:
                text, r0, c0, rs, cs = cells[i]
                row.append(GridCell(text, r, c, rs, cs, r == r0 and c == c0, (r0, c0)))
        out.append(row)
    return out

