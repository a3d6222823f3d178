"""Score parsed reports against hand-checked gold values (../shared/corpus layout).

A corpus folder holds `gold/NNN.json` (field code -> number, `document` relative to the folder)
and the documents themselves; `pdf/NNN.pdf` twins are scored against the same gold. Every gold cell
is one of: right (value equal; a blank counts as the gold 0), uncertain (flagged by the parser:
an honest gap), wrong (a different number, silently), or missing. Silent errors are the ones that
matter most: a wrong number under `ok` misleads a researcher; an uncertain one does not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .api import parse_path
from .report import Report


@dataclass
class DocScore:
    document: str
    status: str
    template: str
    total: int = 0
    right: int = 0
    uncertain: list[dict[str, Any]] = field(default_factory=list)
    wrong: list[dict[str, Any]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # gold vs got for year/template/consistency

    @property
    def accuracy(self) -> float:
        return self.right / self.total if self.total else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {"document": self.document, "status": self.status, "template": self.template,
                "total": self.total, "right": self.right, "accuracy": round(self.accuracy, 6),
                "uncertain": self.uncertain, "wrong": self.wrong, "missing": self.missing, "meta": self.meta}


def _equal(got: float | int | None, gold: float | int | None) -> bool:
    if gold is None or got is None:
        return got is None and gold is None
    return abs(float(got) - float(gold)) < 1e-6


def score_report(rep: Report, gold: dict[str, Any]) -> DocScore:
    s = DocScore(rep.document, rep.status, rep.template)
    cells = {c.code: c for c in rep.cells}
    for code, want in gold["values"].items():
        s.total += 1
        c = cells.get(code)
        if c is None:
            s.missing.append(code)
            continue
        got = 0 if (c.kind == "blank" and want == 0) else c.value
        item = {"code": code, "gold": want, "got": c.value, "raw": c.raw, "kind": c.kind}
        if c.uncertain:
            s.uncertain.append({**item, "note": c.note})
            if _equal(got, want):
                continue  # honest, but not counted as read
        elif _equal(got, want):
            s.right += 1
        else:
            s.wrong.append(item)
    failing = sorted({f"{c.rule}:{c.scope}" for c in rep.checks if c.status == "fail"})
    holds = (gold.get("consistency") or {}).get("all_hold")
    s.meta = {"report_year": [gold.get("report_year"), rep.report_year],
              "template": [gold.get("template"), rep.template],
              "checks_failing": failing,
              "consistency_agrees": None if holds is None else (holds == (not failing))}
    return s


def corpus_documents(corpus: Path, include_pdf: bool = True) -> list[tuple[Path, dict[str, Any]]]:
    """(document path, gold) pairs of a corpus folder, in gold order."""
    out = []
    for g in sorted((corpus / "gold").glob("*.json")):
        gold = json.loads(g.read_text(encoding="utf-8"))
        out.append((corpus / gold["document"], gold))
        pdf = corpus / "pdf" / f"{g.stem}.pdf"
        if include_pdf and pdf.exists():
            out.append((pdf, gold))
    return out


def evaluate(corpus: str | Path, include_pdf: bool = True) -> list[DocScore]:
    corpus = Path(corpus)
    return [score_report(parse_path(path), gold) for path, gold in corpus_documents(corpus, include_pdf)]


def summary(scores: list[DocScore]) -> dict[str, Any]:
    total = sum(s.total for s in scores)
    right = sum(s.right for s in scores)
    silent = sum(len(s.wrong) for s in scores if s.status == "ok")
    return {"documents": len(scores), "cells": total, "right": right,
            "accuracy": round(right / total, 6) if total else 1.0,
            "uncertain": sum(len(s.uncertain) for s in scores),
            "wrong": sum(len(s.wrong) for s in scores), "missing": sum(len(s.missing) for s in scores),
            "wrong_under_ok": silent,
            "consistency_disagreements": sum(1 for s in scores if s.meta.get("consistency_agrees") is False)}
