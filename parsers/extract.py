"""Contract between the readers and the table extractors.

`TableRead` is what an extractor returns for one official table. `read_tables(doc)` asks the grid
extractor first (tables with real cells: HTML, DOCX, PDF ruled tables, pipe tables), then the
stream extractor for every table the grid could not read completely (flattened text, PDF text,
glued digits, broken OCR).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from types import ModuleType

from .labels import normalize
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


def section_four_version(versions: Iterable[str | None]) -> str:
    """Section 四 is the same in both formats: it takes the report's version, from the versions of its
    other tables (or what their labels show). A report showing any gk2021 table is a gk2021 report;
    with nothing to go by, the current format."""
    seen = set(versions) - {None}
    return "gk2021" if "gk2021" in seen or not seen else "gk2019"


def read_tables(doc: Document) -> dict[str, TableRead]:
    """Best reading of s2/s3/s4 found in `doc` (absent keys: table not found)."""
    grid, stream = _extractors()
    found = grid.read_grid_tables(doc)
    missing = [t for t in ("s2", "s3", "s4") if t not in found or not found[t].complete]
    if missing and not found:  # nothing in a grid: is any table's wording in the text at all?
        text = _folded(doc)
        missing = [t for t in missing if any(w in text for w in TABLE_WORDS[t])]
    if missing:
        for t, tr in stream.read_stream_tables(doc, only=missing).items():
            prev = found.get(t)
            if prev is None or _score(tr) > _score(prev):
                found[t] = tr
        s4 = found.get("s4")
        others = [found[t].version for t in ("s2", "s3") if t in found]
        if s4 is not None and s4.method == "stream" and others:
            # the text reader cannot see the report's version when it was asked for section 四 alone
            s4.version = section_four_version(others)
    return found


@cache
def _extractors() -> tuple[ModuleType, ModuleType]:
    """parsers.grid and parsers.stream (they import this module: imported on first use, once,
    rather than an import statement per document)."""
    from . import grid, stream

    return grid, stream


# Words at least one of which every printing of a table carries (labels, headers), even shredded by OCR
# (015: `商业企科研机社会公法律服`). A page with none of them has no such table to look for in its text, so
# the text extractor is not run over news articles and list pages (it cost 30 ms on a 90 KiB page).
TABLE_WORDS = {
    "s2": ("第二十条", "规章", "规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费", "集中采购"),
    "s3": ("本年新收", "上年结转", "申请人", "予以公开", "不予公开", "无法提供", "不予处理", "结转下年度"),
    "s4": ("行政复议", "行政诉讼", "复议后起诉", "尚未审结", "结果维持"),
}


def _folded(doc: Document) -> str:
    return normalize(doc.text or "")


def _score(tr: TableRead) -> tuple[int, int, int]:
    certain = sum(1 for c in tr.cells if not c.uncertain and c.kind == "number")
    return (int(tr.complete), certain, len(tr.cells))
