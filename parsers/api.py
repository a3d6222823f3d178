"""parse_bytes / parse_path: the one entry point from raw bytes to a Report.

Every failure becomes a record with status `error` and a one-line reason; nothing raises out of
here, so a batch always goes on.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from . import sniff
from .checks import run_checks
from .decode import DecodeError
from .extract import read_tables
from .layout import Document
from .readers import ReadError, reader_for
from .report import PARSER_VERSION, CellRecord, Report
from .templates import fields

log = logging.getLogger(__name__)

UNREADABLE = {
    sniff.BINARY: "binary data, not a document",
    sniff.IMAGE: "image file (a scanned page?): no text layer to read",
    sniff.ZIP: "zip archive, not a document",
    sniff.RAR: "rar archive, not a document",
    sniff.XLSX: "spreadsheet (xlsx): not a report format xxgk reads",
    sniff.OFD: "OFD document: not supported yet (convert it to PDF)",
}
# Files in a folder that are surely not documents (our own outputs, code, checksums); everything else
# is read and its type sniffed from the bytes, so an oddly named report is never silently skipped.
NOT_DOCUMENTS = {".json", ".jsonl", ".py", ".pyc", ".csv", ".parquet", ".db", ".sqlite", ".js", ".css", ".log",
                 ".warc", ".gz", ".sha256", ".md5"}


def parse_bytes(data: bytes, document: str, context: dict[str, Any] | None = None) -> Report:
    """Parse one raw document. `context` carries what the crawler knows (source_url, link title,
    list date, referrer page's metadata, region_code, level) and fills gaps the document leaves."""
    rep = Report(document=document, sha256=hashlib.sha256(data).hexdigest())
    rep.extra["parser_version"] = PARSER_VERSION
    try:
        media = sniff.sniff(data, document)
        rep.extra["media_type"] = media
        if media == sniff.EMPTY:
            raise ReadError("empty file")
        reader = reader_for(media)
        if reader is None:
            raise ReadError(UNREADABLE.get(media, f"unsupported file type ({media})"))
        doc = reader(data, document)
        _assemble(rep, doc, context or {})
    except (ReadError, DecodeError) as e:
        rep.status, rep.error = "error", str(e).splitlines()[0] if str(e) else type(e).__name__
    except Exception as e:  # a parser bug must not stop the batch; the record says what happened
        log.exception("internal error parsing %s", document)
        rep.status, rep.error = "error", f"internal error: {type(e).__name__}: {e}".splitlines()[0]
    return rep


def _assemble(rep: Report, doc: Document, context: dict[str, Any]) -> None:
    from .metadata import extract_metadata
    from .sections import split_sections

    rep.extra["layout"] = doc.layout
    meta = extract_metadata(doc, context)
    rep.title, rep.agency = meta.get("title"), meta.get("agency")
    rep.report_year, rep.published = meta.get("report_year"), meta.get("published")
    for k in ("published_candidates", "attachments", "region_code", "region_name", "level"):
        if meta.get(k):
            rep.extra[k] = meta[k]
    rep.sections = split_sections(doc)
    pre2019 = meta.get("pre2019", False)
    tables = {} if pre2019 else read_tables(doc)
    rep.tables = {t: tr.version for t, tr in sorted(tables.items())}
    rep.cells = in_template_order([c for tr in tables.values() for c in tr.cells])
    rep.template = _overall_template(tables, pre2019)
    s3 = tables.get("s3")
    rep.checks = run_checks(rep.cells, s3.version if s3 else None) if tables else []
    rep.status, rep.error = _status(rep, tables, meta, pre2019)
    warnings = (doc.meta or {}).get("warnings")
    if warnings:  # what the reader could not read (scanned pages, pages past its cap, damaged bytes)
        rep.extra["reader_warnings"] = list(warnings)
        if rep.status in ("ok", "partial"):  # a document not read whole is not an `ok` record
            rep.status = "partial"
            rep.error = "; ".join([rep.error, *warnings] if rep.error else warnings)
    notes = [n for tr in tables.values() for n in tr.notes]
    if notes:
        rep.extra["notes"] = notes


@cache
def _template_order() -> dict[str, int]:
    """Field code -> position in its template, for cells in template order (record.md)."""
    order: dict[str, int] = {}
    for v in ("gk2021", "gk2019"):
        for i, f in enumerate(fields(v)):
            order.setdefault(f.code, i)
    return order


def in_template_order(cells: list[CellRecord]) -> list[CellRecord]:
    """Cells sorted by table, then by position in the template (record.md); stable."""
    rank = _template_rank()
    try:  # int keys: 3x faster than building a tuple per cell
        return sorted(cells, key=lambda c: rank[c.code])
    except KeyError:  # a code no template has: the general key
        order = _template_order()
        return sorted(cells, key=lambda c: (c.code[:2], order.get(c.code, 10**6)))


@cache
def _template_rank() -> dict[str, int]:
    """Field code -> an int that sorts as (code[:2], _template_order()[code]) does, ties included."""
    order = _template_order()
    keys = sorted({(code[:2], i) for code, i in order.items()})
    dense = {k: j for j, k in enumerate(keys)}
    return {code: dense[code[:2], i] for code, i in order.items()}


def _overall_template(tables: dict, pre2019: bool) -> str:
    if pre2019:
        return "pre2019"
    versions = {tr.version for tr in tables.values()}
    if "gk2021" in versions:
        return "gk2021"
    if "gk2019" in versions:
        return "gk2019"
    return "unknown"


def _status(rep: Report, tables: dict, meta: dict, pre2019: bool) -> tuple[str, str | None]:
    if pre2019:
        return "ok", None
    if not tables:
        if meta.get("is_report"):
            return "partial", "no statistical table found"
        return "not_a_report", "no report title, headings or statistical tables found"
    problems = [f"table {t} not found" for t in ("s2", "s3", "s4") if t not in tables]
    problems += [f"table {t} incomplete" for t, tr in sorted(tables.items()) if not tr.complete]
    unc = [c.code for c in rep.cells if c.uncertain]
    if unc:
        problems.append(f"{len(unc)} uncertain cell(s): {', '.join(unc[:3])}{'…' if len(unc) > 3 else ''}")
    return ("partial", "; ".join(problems)) if problems else ("ok", None)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and the files of folders named (sorted, recursively), in the order given."""
    for p in map(Path, paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and not f.name.startswith(".") and f.suffix.lower() not in NOT_DOCUMENTS:
                    yield f
        else:
            yield p


def parse_path(path: str | Path, context: dict[str, Any] | None = None) -> Report:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        rep = Report(document=str(path), sha256="", status="error", error=f"cannot read file: {e.strerror or e}")
        rep.extra["parser_version"] = PARSER_VERSION
        return rep
    return parse_bytes(data, str(path), context)


def parse_paths(paths: Iterable[str | Path]) -> Iterator[Report]:
    for f in iter_files(paths):
        yield parse_path(f)
