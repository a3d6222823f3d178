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


@dataclass
class Table:
    rows: list[list[GridCell]]
    source: str = ""  # html | docx | pdf | pipe | text
    index: int = 0  # position among the document's tables

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
