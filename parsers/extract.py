"""Contract between the readers and the table extractors.

`TableRead` is what an extractor returns for one official table. `read_tables(doc)` asks the grid
extractor first (tables with real cells: HTML, DOCX, PDF ruled tables, pipe tables), then the
stream extractor for every table the grid could not read completely (flattened text, PDF text,
glued digits, broken OCR).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .layout import Document
from .report import CellRecord


@dataclass
class TableRead:
    table: str  # s2 | s3 | s4
    version: str  # gk2019 | gk2021 (per table: a 2021 report may keep the 2019 section 三)
    cells: list[CellRecord] = field(default_factory=list)
    complete: bool = True  # every template cell of this version was placed
    method: str = ""  # grid | stream
    notes: list[str] = field(default_factory=list)


def read_tables(doc: Document) -> dict[str, TableRead]:
    """Best reading of s2/s3/s4 found in `doc` (absent keys: table not found)."""
    from .grid import read_grid_tables
    from .stream import read_stream_tables

    found = read_grid_tables(doc)
    missing = [t for t in ("s2", "s3", "s4") if t not in found or not found[t].complete]
    if missing:
        for t, tr in read_stream_tables(doc, only=missing).items():
            prev = found.get(t)
            if prev is None or _score(tr) > _score(prev):
                found[t] = tr
    return found


def _score(tr: TableRead) -> tuple[int, int, int]:
    certain = sum(1 for c in tr.cells if not c.uncertain and c.kind == "number")
    return (int(tr.complete), certain, len(tr.cells))
