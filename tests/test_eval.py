"""The evaluation harness: scoring rules on a tiny synthetic corpus, and the floor on the real corpus
(../shared/corpus relative to the repository root, or $XXGK_CORPUS; skipped when absent)."""

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from parsers.api import parse_path
from parsers.evaluate import cell_right, evaluate, format_result
from parsers.report import CellRecord
from xxgk.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("XXGK_CORPUS") or ROOT.parent / "shared" / "corpus")
FLOOR = json.loads((ROOT / "tests" / "eval_floor.json").read_text(encoding="utf-8"))
SEED = ROOT / "tests" / "fixtures" / "faku-2020.txt"


def test_cell_scoring_rules():
    num = CellRecord("c", 5, "5", "number")
    blank = CellRecord("c", None, "", "blank")
    assert cell_right(5, num) and not cell_right(6, num)
    assert cell_right(0, blank) and not cell_right(5, blank)  # a blank is right only for gold 0
    assert not cell_right(0, None)  # a gold cell we do not report is wrong
    assert cell_right(None, None) and cell_right(None, blank)  # gold null: anything but a number
    assert not cell_right(None, CellRecord("c", 0, "0", "number"))
    assert cell_right(96171.6, CellRecord("c", 96171.6, "96171.6", "number"))


@pytest.fixture()
def mini_corpus(tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "gold").mkdir()
    (tmp_path / "raw" / "001.txt").write_bytes(SEED.read_bytes())
    gold = {"document": "raw/001.txt", "values": {
        "s2_licensing_items_prev_year": 186, "s2_licensing_items_change": 49,
        "s2_penalty_decisions": 999,  # deliberately wrong gold: the harness must list it
        "s3_new_received__total": 0, "s4_review__total": 0}}
    (tmp_path / "gold" / "001.json").write_text(json.dumps(gold), encoding="utf-8")
    return tmp_path


def test_evaluate_scores_and_lists_wrong_cells(mini_corpus):
    res = evaluate(mini_corpus)
    (doc,) = res.docs
    assert (doc.id, doc.total, doc.right, res.accuracy) == ("001", 5, 4, 0.8)
    (miss,) = doc.wrong
    assert (miss.code, miss.gold, miss.got, miss.raw) == ("s2_penalty_decisions", 999, 504, "504")
    assert len(doc.extra) > 100  # the seed's other number cells, which this gold does not list
    text = format_result(res)
    assert "001" in text and "80.00%" in text and "s2_penalty_decisions: gold 999, got 504" in text


def test_eval_command_json_and_floor(mini_corpus):
    res = CliRunner().invoke(main, ["eval", str(mini_corpus), "--json"])
    assert res.exit_code == 0
    out = json.loads(res.output)
    assert out["accuracy"] == 0.8 and out["documents"][0]["wrong"][0]["code"] == "s2_penalty_decisions"
    below = CliRunner().invoke(main, ["eval", str(mini_corpus), "--floor", "0.9"])
    assert below.exit_code == 1
    empty = CliRunner().invoke(main, ["eval", str(mini_corpus / "raw")])
    assert empty.exit_code == 2


needs_corpus = pytest.mark.skipif(not (CORPUS / "gold").is_dir(), reason=f"no corpus at {CORPUS}")


@needs_corpus
def test_corpus_accuracy_at_or_above_floor():
    res = evaluate(CORPUS)
    by_id = {d.id: d for d in res.docs}
    report = format_result(res)
    assert res.accuracy >= FLOOR["overall"], report
    for doc_id, floor in FLOOR["documents"].items():
        if doc_id in by_id:
            assert by_id[doc_id].accuracy >= floor, report


@needs_corpus
def test_corpus_source_inconsistency_is_reported_not_fixed():
    rep = parse_path(CORPUS / "raw" / "013.txt")
    r5 = {c.scope: (c.status, c.left, c.right) for c in rep.checks if c.rule == "R5"}
    assert r5 == {"review": ("fail", 0, 11), "litigation_direct": ("pass", 0, 0),
                  "litigation_after_review": ("fail", 0, 5)}
    assert rep.cell("s4_review__total").value == 0 and rep.cell("s4_review__upheld").value == 10


@needs_corpus
def test_corpus_broken_ocr_reports_are_partial_never_wrong():
    for doc_id in ("015", "016"):
        rep = parse_path(CORPUS / "raw" / f"{doc_id}.txt")
        assert rep.status == "partial"
        assert any(c.uncertain and c.note for c in rep.cells)
