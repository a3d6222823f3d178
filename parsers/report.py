"""The Report record (../shared/spec/record.md): the one type every stage after parsing reads."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

PARSER_VERSION = "0.1.0"
STATUSES = ("ok", "partial", "not_a_report", "error")
TEMPLATES = ("gk2019", "gk2021", "pre2019", "unknown")


@dataclass
class CellRecord:
    """One template cell as the document printed it."""

    code: str
    value: int | float | None
    raw: str
    kind: str  # number | blank | na | text
    unit: str | None = None
    uncertain: bool = False
    note: str | None = None
    source: str | None = None  # where it was read: e.g. "table 2 r5c3", "line 118"

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"code": self.code, "value": self.value, "raw": self.raw, "kind": self.kind}
        if self.unit is not None:
            d["unit"] = self.unit
        if self.uncertain:
            d["uncertain"] = True
        if self.note:
            d["note"] = self.note
        if self.source:
            d["source"] = self.source
        return d


_new_object = object.__new__


def cell_record(code: str, value: int | float | None, raw: str, kind: str, unit: str | None = None,
                uncertain: bool = False, note: str | None = None, source: str | None = None) -> CellRecord:
    """CellRecord(...) for hot loops (the grid makes ~200 per report): a plain function call costs
    less than a call of the class, which goes through the dataclass __init__. The same object: the
    fields are set in __init__'s order (tests/test_perf_equivalence.py)."""
    rec = _new_object(CellRecord)
    rec.code = code
    rec.value = value
    rec.raw = raw
    rec.kind = kind
    rec.unit = unit
    rec.uncertain = uncertain
    rec.note = note
    rec.source = source
    return rec


@dataclass
class CheckResult:
    rule: str  # R1 | R2 | R3 | R5
    scope: str  # column code (R1/R3), row code (R2), group code (R5)
    status: str  # pass | fail | uncertain
    left: int | float | None
    right: int | float | None
    blank_as_zero: bool = False
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"rule": self.rule, "scope": self.scope, "status": self.status,
                             "left": self.left, "right": self.right}
        if self.blank_as_zero:
            d["blank_as_zero"] = True
        if self.note:
            d["note"] = self.note
        return d


@dataclass
class Report:
    document: str
    sha256: str
    status: str = "ok"
    error: str | None = None
    title: str | None = None
    agency: str | None = None
    report_year: int | None = None
    published: str | None = None
    template: str = "unknown"
    tables: dict[str, str] = field(default_factory=dict)
    cells: list[CellRecord] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)  # media_type, layout, parser_version, links…

    def cell(self, code: str) -> CellRecord | None:
        for c in self.cells:
            if c.code == code:
                return c
        return None

    def values(self) -> dict[str, int | float | None]:
        return {c.code: c.value for c in self.cells}

    def to_dict(self) -> dict[str, Any]:
        d = {
            "document": self.document, "sha256": self.sha256, "status": self.status, "error": self.error,
            "title": self.title, "agency": self.agency, "report_year": self.report_year,
            "published": self.published, "template": self.template, "tables": dict(self.tables),
            "cells": [c.to_dict() for c in self.cells], "checks": [c.to_dict() for c in self.checks],
            "sections": dict(self.sections),
        }
        for k, v in self.extra.items():
            d.setdefault(k, v)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Report:
        known = {"document", "sha256", "status", "error", "title", "agency", "report_year", "published",
                 "template", "tables", "cells", "checks", "sections"}
        return cls(
            document=d["document"], sha256=d["sha256"], status=d.get("status", "ok"), error=d.get("error"),
            title=d.get("title"), agency=d.get("agency"), report_year=d.get("report_year"),
            published=d.get("published"), template=d.get("template", "unknown"), tables=d.get("tables", {}),
            cells=[CellRecord(**c) for c in d.get("cells", [])],
            checks=[CheckResult(**c) for c in d.get("checks", [])],
            sections=d.get("sections", {}), extra={k: v for k, v in d.items() if k not in known})


def as_plain(obj: Any) -> Any:
    """dataclass -> dict for json.dumps(default=...)."""
    return asdict(obj)
