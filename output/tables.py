"""Parsed reports -> the published tables (pandas DataFrames). Pure functions, no I/O.

A document is what was fetched (one URL, one file); a *report* is what an agency published. The
same report is often found at several URLs (a city site reposts its counties' reports, a page
carries the report and a PDF of it), so documents are grouped into reports first (`group`):

- identical bytes are one report;
- two documents whose titles name the same agency and year are one report (wording may differ);
- two documents with the same year, the same cells and the same narrative text are one report;
- two documents with the same year and the same numbers, enough of them non-zero, are one report;
- a page without tables and the single report-like attachment it links are one report.

Each report's values come from its best-read copy (`Entry.primary`); every URL is kept
(`reports.source_urls`, table `report_urls`). A report revised at the same URL reaches here only
as its latest version (the archive keeps the older one).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from parsers.report import Report
from parsers.templates import common, field_index, s3_rows

from .schema import HEADLINES, TableSpec, tables, wide_name


@dataclass(frozen=True)
class Provenance:
    """Where a document came from: a crawled URL (archive) or a file (--input)."""

    url: str
    kind: str = "file"  # report | attachment | file
    source_id: str | None = None
    fetched_at: str | None = None
    sha256: str | None = None
    link_title: str | None = None
    list_date: str | None = None
    referrer: str | None = None
    region_code: str | None = None
    level: str | None = None


@dataclass
class Parsed:
    """One parsed document with its provenance."""

    report: Report
    prov: Provenance


@dataclass
class Entry:
    """One report: its id, the copy its values come from, and every copy found."""

    report_id: str
    primary: Parsed
    copies: list[Parsed] = field(default_factory=list)
    content_variants: int = 1


# ---------------------------------------------------------------- grouping

_STATUS_RANK = {"ok": 0, "partial": 1, "not_a_report": 2, "error": 3}
_KIND_RANK = {"report": 0, "file": 1, "attachment": 2}
# the original publisher is usually the most local site: prefer it over the reposting parent
_LEVEL_RANK = {"village": 0, "township": 1, "town": 1, "street": 1, "department": 1, "county": 2, "district": 2,
               "city": 3, "prefecture": 3, "province": 4, "central": 5}
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def as_parsed(doc: Parsed | Report | tuple[Report, Provenance]) -> Parsed:
    if isinstance(doc, Parsed):
        return doc
    if isinstance(doc, Report):
        return Parsed(doc, Provenance(url=doc.document, sha256=doc.sha256))
    rep, prov = doc
    return Parsed(rep, prov)


def _norm(s: str | None) -> str:
    return _PUNCT.sub("", unicodedata.normalize("NFKC", s or ""))


def _number_cells(rep: Report) -> int:
    return sum(1 for c in rep.cells if c.kind == "number")


def _has_content(rep: Report) -> bool:
    return rep.status in ("ok", "partial")


def title_key(rep: Report) -> str | None:
    """Agency + year, trusted only when the title itself names the agency (a generic title such as
    "2020年政府信息公开工作年度报告" on a department page must not merge two departments)."""
    if not _has_content(rep) or not rep.agency or not rep.report_year or not rep.title:
        return None
    agency = _norm(rep.agency)
    if len(agency) < 2 or agency not in _norm(rep.title):
        return None
    return f"t|{agency}|{rep.report_year}"


def content_key(rep: Report) -> str | None:
    """Year + every cell as printed + the narrative text (punctuation and spacing ignored)."""
    if not _has_content(rep):
        return None
    text = "".join(_norm(rep.sections[k]) for k in sorted(rep.sections))
    if _number_cells(rep) == 0 and len(text) < 50:
        return None
    cells = sorted((c.code, c.kind, c.value) for c in rep.cells)
    blob = json.dumps([rep.report_year, cells, text], ensure_ascii=False, default=str)
    return "c|" + hashlib.sha256(blob.encode()).hexdigest()


MIN_NONZERO = 8  # numbers needed before a table alone identifies a report


def numbers_key(rep: Report) -> str | None:
    """Year + every printed number, when the tables hold enough non-zero numbers that two different
    reports cannot share them (a repost whose page frame leaked into the narrative still matches)."""
    if not _has_content(rep):
        return None
    nums = sorted((c.code, c.value) for c in rep.cells if c.kind == "number")
    if sum(1 for _, v in nums if v) < MIN_NONZERO:
        return None
    blob = json.dumps([rep.report_year, nums], default=str)
    return "n|" + hashlib.sha256(blob.encode()).hexdigest()


def _cell_fingerprint(rep: Report) -> str:
    blob = json.dumps(sorted((c.code, c.kind, c.value) for c in rep.cells), default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _quality(p: Parsed) -> tuple:
    rep, prov = p.report, p.prov
    return (_STATUS_RANK.get(rep.status, 9), -_number_cells(rep), sum(c.uncertain for c in rep.cells),
            _KIND_RANK.get(prov.kind, 9), _LEVEL_RANK.get(prov.level or "", 8),
            prov.url)


def group(docs: Iterable[Parsed | Report | tuple[Report, Provenance]]) -> list[Entry]:
    """Documents -> reports (see the module docstring), in a stable order."""
    items = sorted((as_parsed(d) for d in docs), key=lambda p: (p.prov.url, p.report.sha256))
    # one document per URL: the archive gives the latest version; a folder never repeats a path
    uniq: dict[str, Parsed] = {}
    for p in items:
        uniq.setdefault(p.prov.url, p)
    items = list(uniq.values())
    uf = _UnionFind(len(items))
    keys: list[list[str]] = []
    first: dict[str, int] = {}
    for i, p in enumerate(items):
        ks = [k for k in (title_key(p.report), content_key(p.report), numbers_key(p.report)) if k]
        sha = p.prov.sha256 or p.report.sha256
        if sha:
            ks.append("s|" + sha)
        keys.append(ks)
        for k in ks:
            if k in first:
                uf.union(first[k], i)
            else:
                first[k] = i
    _link_pages_to_attachments(items, uf)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        groups.setdefault(uf.find(i), []).append(i)
    entries = []
    for members in groups.values():
        copies = [items[i] for i in members]
        if len(copies) > 1:
            copies.sort(key=_quality)
        gkeys = sorted({k for i in members for k in keys[i]})
        # the most durable identity: agency+year, else content, else bytes, else the URL
        ident = next((k for pref in ("t|", "c|", "n|", "s|") for k in gkeys if k.startswith(pref)),
                     "u|" + copies[0].prov.url)
        rid = "r" + hashlib.sha256(ident.encode()).hexdigest()[:16]
        variants = 1 if len(copies) == 1 else (
            len({_cell_fingerprint(c.report) for c in copies if _has_content(c.report)}) or 1)
        entries.append(Entry(rid, copies[0], copies, variants))
    return sorted(entries, key=_entry_order)


def _link_pages_to_attachments(items: list[Parsed], uf: _UnionFind) -> None:
    """A page without statistics that links exactly one report-like attachment is that report."""
    by_url = {p.prov.url: i for i, p in enumerate(items)}
    children: dict[int, list[int]] = {}
    for i, p in enumerate(items):
        if p.prov.kind == "attachment" and p.prov.referrer in by_url and _number_cells(p.report) > 0:
            children.setdefault(by_url[p.prov.referrer], []).append(i)
    for page, atts in children.items():
        if len(atts) == 1 and _number_cells(items[page].report) == 0:
            uf.union(page, atts[0])


def _entry_order(e: Entry) -> tuple:
    rep = e.primary.report
    return (region(e.primary)[0] or "", rep.agency or "", rep.report_year or 0, e.report_id)


# ---------------------------------------------------------------- frames

def _as_date(s: Any) -> date | None:
    if s is None or s == "":
        return None
    if isinstance(s, date):
        return s
    try:
        return date.fromisoformat(str(s)[:10])
    except ValueError:
        return None


def _as_datetime(s: Any) -> datetime | None:
    if s is None or s == "":
        return None
    if isinstance(s, datetime):
        dt = s
    else:
        try:
            dt = datetime.fromisoformat(str(s).replace("Z", "+00:00"))
        except ValueError:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def _ints(vals: list[Any]) -> Any:
    try:
        return pd.array(vals, dtype="Int64")
    except (TypeError, ValueError) as e:  # a fraction in an integer column is a bug upstream: say so
        bad = next((v for v in vals if isinstance(v, float) and not v.is_integer()), None)
        raise ValueError(f"non-integer value {bad!r} in an integer column") from e


def frame(spec: TableSpec, rows: list[dict[str, Any]] | dict[str, list[Any]]) -> pd.DataFrame:
    """Rows (dicts) or columns (name -> list) -> a DataFrame typed by the table's spec; nullable
    dtypes throughout, so a blank stays <NA>."""
    if isinstance(rows, dict):
        n = max((len(v) for v in rows.values()), default=0)
        cols = {c.name: rows.get(c.name, [None] * n) for c in spec.columns}
    else:
        cols = {c.name: [r.get(c.name) for r in rows] for c in spec.columns}
    data: dict[str, Any] = {}
    for col in spec.columns:
        vals = cols[col.name]
        if col.type == "integer":
            data[col.name] = _ints(vals)
        elif col.type == "number":
            data[col.name] = pd.array(vals, dtype="Float64")
        elif col.type == "boolean":
            data[col.name] = pd.array(vals, dtype="boolean")
        elif col.type == "date":
            data[col.name] = pd.Series([_as_date(v) for v in vals], dtype="object")
        elif col.type == "datetime":
            data[col.name] = pd.Series(pd.to_datetime([_as_datetime(v) for v in vals], utc=True),
                                       dtype="datetime64[us, UTC]")
        else:
            data[col.name] = pd.array([v if v is None or isinstance(v, str) else str(v) for v in vals],
                                      dtype="string")
    return pd.DataFrame(data, columns=spec.names)


def within(code: str, parent: str) -> bool:
    """A 6-digit division code inside (or equal to) another: 210124 is within 210100 and 210000."""
    prefix = parent.rstrip("0")
    prefix = prefix + "0" * (len(prefix) % 2)  # 2101 from 210100, 21 from 210000, 210124 itself
    return code.startswith(prefix)


def region(p: Parsed) -> tuple[str | None, str | None, str | None]:
    """(region_code, region_name, level) of a report.

    The registry knows the portal (a county site: 210124, county); the parser names the division
    in the agency's name (法库县人民政府 -> 210124). The agency's division wins when it lies inside
    the portal's (a city site reposting its counties' reports), the registry otherwise (a
    department without a place name, a name lookup gone wrong)."""
    rep, prov = p.report, p.prov
    found, name, found_level = (rep.extra.get("region_code"), rep.extra.get("region_name"),
                                rep.extra.get("level"))
    if found and (not prov.region_code or within(str(found), prov.region_code)):
        return str(found), name, found_level or prov.level
    return prov.region_code or found, None if prov.region_code else name, prov.level or found_level


def _reports(entries: list[Entry]) -> pd.DataFrame:
    rows = []
    for e in entries:
        p = e.primary
        rep, prov = p.report, p.prov
        code, name, level = region(p)
        vals = rep.values()
        urls = sorted({c.prov.url for c in e.copies})
        row = {
            "report_id": e.report_id, "source_url": prov.url, "source_urls": " ".join(urls), "url_count": len(urls),
            "source_id": prov.source_id, "fetched_at": prov.fetched_at, "sha256": prov.sha256 or rep.sha256,
            "title": rep.title, "agency": rep.agency, "region_code": code, "region_name": name, "level": level,
            "report_year": rep.report_year, "published": rep.published, "template": rep.template,
            "s2_template": rep.tables.get("s2"), "s3_template": rep.tables.get("s3"),
            "s4_template": rep.tables.get("s4"), "status": rep.status, "error": rep.error,
            "checks_failed": sum(c.status == "fail" for c in rep.checks),
            "checks_uncertain": sum(c.status == "uncertain" for c in rep.checks),
            "cells_uncertain": sum(c.uncertain for c in rep.cells), "content_variants": e.content_variants,
            "media_type": rep.extra.get("media_type"), "parser_version": rep.extra.get("parser_version"),
        }
        for name, code in HEADLINES:
            row[name] = vals.get(code)
        rows.append(row)
    return frame(tables()["reports"], rows)


def _report_urls(entries: list[Entry]) -> pd.DataFrame:
    rows = []
    for e in entries:
        for c in sorted(e.copies, key=lambda c: c.prov.url):
            prov = c.prov
            rows.append({
                "report_id": e.report_id, "url": prov.url, "is_primary": c is e.primary, "kind": prov.kind,
                "source_id": prov.source_id, "fetched_at": prov.fetched_at, "sha256": prov.sha256 or c.report.sha256,
                "link_title": prov.link_title, "list_date": prov.list_date, "referrer": prov.referrer,
                "status": c.report.status,
            })
    return frame(tables()["report_urls"], rows)


def _cells(entries: list[Entry]) -> pd.DataFrame:
    idx = field_index()
    spec = tables()["cells"]
    cols: dict[str, list[Any]] = {c.name: [] for c in spec.columns}
    (rid, year, code, table, version, row_code, column_code, value, raw, kind, unit, uncertain, note,
     source) = (cols[n].append for n in spec.names)
    for e in entries:
        rep = e.primary.report
        seen: set[str] = set()
        for c in rep.cells:
            if c.code in seen:  # record.md: one entry per cell; a duplicate would be a parser bug
                continue
            seen.add(c.code)
            f = idx.get(c.code)
            t = f.table if f else c.code[:2]
            rid(e.report_id)
            year(rep.report_year)
            code(c.code)
            table(t)
            version(rep.tables.get(t))
            row_code(f.row_code if f else None)
            column_code(f.column_code if f else None)
            value(c.value)
            raw(c.raw)
            kind(c.kind)
            unit(c.unit)
            uncertain(bool(c.uncertain))
            note(c.note)
            source(c.source)
    return frame(spec, cols)


def _applications(entries: list[Entry]) -> pd.DataFrame:
    cols = [c for c, _, _ in common.S3_COLUMNS]
    rows = []
    for e in entries:
        rep = e.primary.report
        version = rep.tables.get("s3")
        if version not in ("gk2019", "gk2021"):
            continue
        vals = {c.code: c.value for c in rep.cells}
        present = {c.code for c in rep.cells}
        data_rows = [r for r in s3_rows(version) if r.code]
        for order, r in enumerate(data_rows, 1):
            codes = [f"s3_{r.code}__{cc}" for cc in cols]
            if not any(k in present for k in codes):
                continue
            row = {"report_id": e.report_id, "report_year": rep.report_year, "s3_template": version,
                   "row_order": order, "row_code": r.code, "row_label": r.label}
            row.update({cc: vals.get(k) for cc, k in zip(cols, codes, strict=True)})
            rows.append(row)
    return frame(tables()["applications"], rows)


def _wide(entries: list[Entry], name: str, table: str) -> pd.DataFrame:
    spec = tables()[name]
    codes = [c.code for c in spec.columns if c.code]
    rows = []
    for e in entries:
        rep = e.primary.report
        present = {c.code: c.value for c in rep.cells if c.code.startswith(table + "_")}
        if not present:
            continue
        row = {"report_id": e.report_id, "report_year": rep.report_year, f"{table}_template": rep.tables.get(table)}
        row.update({wide_name(code): present.get(code) for code in codes})
        rows.append(row)
    return frame(spec, rows)


def _checks(entries: list[Entry]) -> pd.DataFrame:
    rows = []
    for e in entries:
        seen: set[tuple[str, str]] = set()
        for c in e.primary.report.checks:
            if (c.rule, c.scope) in seen:
                continue
            seen.add((c.rule, c.scope))
            rows.append({"report_id": e.report_id, "rule": c.rule, "scope": c.scope, "status": c.status,
                         "left": c.left, "right": c.right, "blank_as_zero": bool(c.blank_as_zero), "note": c.note})
    return frame(tables()["checks"], rows)


def _sections(entries: list[Entry]) -> pd.DataFrame:
    order = {code: i for i, (code, _, _) in enumerate(common.SECTIONS)}
    rows = []
    for e in entries:
        secs = e.primary.report.sections
        for k in sorted(secs, key=lambda k: (order.get(k, len(order)), k)):
            if secs[k]:
                rows.append({"report_id": e.report_id, "section": k, "text": secs[k]})
    return frame(tables()["sections"], rows)


Docs = Iterable[Parsed | Report | tuple[Report, Provenance]]


def reports(docs: Docs) -> pd.DataFrame:
    return _reports(group(docs))


def report_urls(docs: Docs) -> pd.DataFrame:
    return _report_urls(group(docs))


def cells(docs: Docs) -> pd.DataFrame:
    return _cells(group(docs))


def applications(docs: Docs) -> pd.DataFrame:
    return _applications(group(docs))


def review_litigation(docs: Docs) -> pd.DataFrame:
    return _wide(group(docs), "review_litigation", "s4")


def proactive_disclosure(docs: Docs) -> pd.DataFrame:
    return _wide(group(docs), "proactive_disclosure", "s2")


def checks(docs: Docs) -> pd.DataFrame:
    return _checks(group(docs))


def sections(docs: Docs) -> pd.DataFrame:
    return _sections(group(docs))


def build_tables(docs: Docs) -> dict[str, pd.DataFrame]:
    """Every published table, grouping the documents once."""
    entries = group(docs)
    return {
        "reports": _reports(entries),
        "report_urls": _report_urls(entries),
        "cells": _cells(entries),
        "applications": _applications(entries),
        "review_litigation": _wide(entries, "review_litigation", "s4"),
        "proactive_disclosure": _wide(entries, "proactive_disclosure", "s2"),
        "checks": _checks(entries),
        "sections": _sections(entries),
    }
