"""Score the parser against a corpus of real reports with hand-checked gold values.

A corpus folder holds `gold/NNN.json` files (../shared/corpus/README.md); each names its raw document
relative to the folder and lists `values` {field code: number | null}. Every gold cell is scored:

- gold number v: right when we report v, or — for v = 0 — a blank cell (the source left it empty,
  and gold writes such cells as 0); wrong when we report another value or no cell at all;
- gold null (the source cell is empty or cannot be read): right when we report no number there.

A right value the record marks `uncertain` still counts as right (the number is correct; the record
says it could not prove the placement) and is counted apart. Cells we report as numbers that gold
does not have are listed apart too (`extra`): e.g. a 2021 code read from a 2019 column.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .api import parse_path
from .report import CellRecord, Report

TOLERANCE = 1e-6


@dataclass
class CellMiss:
    document: str  # corpus id (gold file stem)
    code: str
    gold: int | float | None
    got: int | float | None
    kind: str | None  # our cell's kind, None when we report no cell
    raw: str | None
    uncertain: bool = False
    note: str | None = None


@dataclass
class DocScore:
    id: str
    document: str
    status: str
    layout: str | None
    template: str
    total: int = 0
    right: int = 0
    uncertain: int = 0  # right values the record marks uncertain
    wrong: list[CellMiss] = field(default_factory=list)
    extra: list[CellMiss] = field(default_factory=list)
    error: str | None = None

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0


@dataclass
class EvalResult:
    corpus: str
    docs: list[DocScore]

    @property
    def total(self) -> int:
        return sum(d.total for d in self.docs)

    @property
    def right(self) -> int:
        return sum(d.right for d in self.docs)

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus, "cells": self.total, "right": self.right, "accuracy": self.accuracy,
            "documents": [{**{k: v for k, v in asdict(d).items() if k not in ("wrong", "extra")},
                           "accuracy": d.accuracy, "wrong": [asdict(m) for m in d.wrong],
                           "extra": [asdict(m) for m in d.extra]} for d in self.docs],
        }


def _equal(a: int | float, b: int | float) -> bool:
    return abs(float(a) - float(b)) <= TOLERANCE * max(1.0, abs(float(b)))


def cell_right(gold: int | float | None, cell: CellRecord | None) -> bool:
    if gold is None:
        return cell is None or cell.value is None
    if cell is None:
        return False
    if cell.value is None:
        return gold == 0 and cell.kind == "blank"
    return _equal(cell.value, gold)


def score(doc_id: str, rep: Report, gold: dict[str, Any]) -> DocScore:
    """Score one parsed report against one gold file."""
    cells = {c.code: c for c in rep.cells}
    ds = DocScore(doc_id, rep.document, rep.status, rep.extra.get("layout"), rep.template, error=rep.error)
    values: dict[str, Any] = gold.get("values", {})
    for code, g in values.items():
        c = cells.get(code)
        ds.total += 1
        if cell_right(g, c):
            ds.right += 1
            ds.uncertain += bool(c is not None and c.uncertain)
        else:
            ds.wrong.append(CellMiss(doc_id, code, g, c.value if c else None, c.kind if c else None,
                                     c.raw if c else None, bool(c and c.uncertain), c.note if c else None))
    for code, c in cells.items():
        if code not in values and c.kind == "number":
            ds.extra.append(CellMiss(doc_id, code, None, c.value, c.kind, c.raw, c.uncertain, c.note))
    return ds


def evaluate(corpus: str | Path, parse: Callable[[Path], Report] = parse_path) -> EvalResult:
    """Parse every document named by `corpus`/gold/*.json and score it."""
    root = Path(corpus)
    golds = sorted((root / "gold").glob("*.json"))
    if not golds:
        raise FileNotFoundError(f"no gold/*.json in {root}")
    docs = []
    for g in golds:
        gold = json.loads(g.read_text(encoding="utf-8"))
        rep = parse(root / gold["document"])
        docs.append(score(g.stem, rep, gold))
    return EvalResult(str(root), docs)


def _fmt(v: Any) -> str:
    return "—" if v is None else str(v)


def format_result(res: EvalResult, show: int = 50) -> str:
    """Per-document and overall cell accuracy, then the wrong cells (code, gold, got, raw)."""
    lines = [f"{'doc':<6}{'cells':>12}{'accuracy':>10}  {'status':<9}{'template':<9}{'layout':<11}uncertain  extra"]
    for d in res.docs:
        lines.append(f"{d.id:<6}{f'{d.right}/{d.total}':>12}{d.accuracy:>10.2%}  {d.status:<9}{d.template:<9}"
                     f"{_fmt(d.layout):<11}{d.uncertain:>9}  {len(d.extra):>5}")
    lines.append(f"{'all':<6}{f'{res.right}/{res.total}':>12}{res.accuracy:>10.2%}")
    wrong = [m for d in res.docs for m in d.wrong]
    if wrong:
        lines.append("")
        lines.append(f"wrong cells ({len(wrong)}):")
        for m in wrong[:show]:
            got = "no cell" if m.kind is None else f"{_fmt(m.got)} ({m.kind}{', uncertain' if m.uncertain else ''})"
            lines.append(f"  {m.document} {m.code}: gold {_fmt(m.gold)}, got {got}, raw {m.raw!r}")
        if len(wrong) > show:
            lines.append(f"  … {len(wrong) - show} more (--json lists all)")
    extra = [m for d in res.docs for m in d.extra]
    if extra:
        lines.append("")
        lines.append(f"cells reported that gold does not have ({len(extra)}):")
        for m in extra[:show]:
            lines.append(f"  {m.document} {m.code}: got {_fmt(m.got)}, raw {m.raw!r}")
    return "\n".join(lines)
