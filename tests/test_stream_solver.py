"""The rule solver's cost is bounded and a cut search never guesses.

The documents are those of benchmarks/text_worst.py (synthetic reports from xxgk.synth, seeded):
the seeds below were the slowest to parse before the solver had a work budget (1–3 s each, nearly
all in the rule solver or in splitting glued digits). Speed itself is measured by the benchmark,
not here: these tests check what the parse returns.
"""

import importlib.util
import random
from pathlib import Path

import pytest

from parsers import stream
from parsers.api import parse_bytes
from xxgk import synth

_spec = importlib.util.spec_from_file_location(
    "text_worst", Path(__file__).resolve().parents[1] / "benchmarks" / "text_worst.py")
text_worst = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(text_worst)

# (layout, document number): the slowest of 300 per layout before the budget, plus the glued rows
# whose digit splitting alone took 0.3–0.6 s
SLOWEST = [("flat_skip", 110), ("flat_skip", 214), ("flat_skip", 228), ("pdf_text", 279), ("pdf_text", 108),
           ("pdf_text", 243), ("glued_lines", 170), ("glued_lines", 58), ("glued_lines", 69),
           ("glued_rows", 124), ("glued_rows", 94), ("glued_rows", 170)]


def _parse(layout: str, i: int):
    rep, data, _ = text_worst.document(layout, i)
    return rep, parse_bytes(data, f"synth-{i}{synth.SUFFIX[text_worst.LAYOUTS[layout][0]]}")


@pytest.mark.parametrize("layout,i", SLOWEST)
def test_previously_slowest_documents_give_no_certain_wrong_value(layout, i):
    rep, parsed = _parse(layout, i)
    assert parsed.status != "error", parsed.error
    assert not synth.certain_wrong(rep, parsed)
    # the table was read, not given up on: every cell of section 三 is there (right, or uncertain)
    assert {c.code for c in parsed.cells if c.code.startswith("s3_")} == {k for k in rep.values if k[:3] == "s3_"}


def _small_budget(monkeypatch, work: int) -> None:
    monkeypatch.setattr(stream, "MAX_WORK", work)


def test_a_cut_search_leaves_cells_uncertain_with_a_note_never_wrong(monkeypatch):
    _small_budget(monkeypatch, 3000)
    rep, parsed = _parse("flat_skip", 110)
    cut = [c for c in parsed.cells if c.note and c.note.startswith(stream.SEARCH_CUT)]
    assert cut, "the budget was not reached"
    assert all(c.uncertain and c.value is None for c in cut)
    assert any("search budget exhausted" in n for n in parsed.extra.get("notes", []))
    assert not synth.certain_wrong(rep, parsed)


def test_no_budget_at_all_still_gives_no_certain_wrong_value(monkeypatch):
    _small_budget(monkeypatch, 0)
    rep, parsed = _parse("pdf_text", 279)
    assert parsed.status != "error", parsed.error
    assert not synth.certain_wrong(rep, parsed)
    assert any(c.note and c.note.startswith(stream.SEARCH_CUT) for c in parsed.cells)


def test_a_cut_only_takes_certainty_away(monkeypatch):
    # pdf_text #279: the full search takes ~0.1 s and settles all but a few cells; with a small
    # budget every cell still reported certain is the one the full search reports
    _, full = _parse("pdf_text", 279)
    assert not any(c.note and c.note.startswith(stream.SEARCH_CUT) for c in full.cells)
    _small_budget(monkeypatch, 2000)
    _, cut = _parse("pdf_text", 279)
    want = {c.code: c for c in full.cells}
    assert any(c.note and c.note.startswith(stream.SEARCH_CUT) for c in cut.cells)
    assert sum(c.uncertain for c in cut.cells) > sum(c.uncertain for c in full.cells)
    for c in cut.cells:
        if not c.uncertain:
            w = want[c.code]
            assert not w.uncertain and (w.kind, w.value, w.raw) == (c.kind, c.value, c.raw), c.code


def _split_sum_reference(digits, target, max_parts):
    """The plain enumeration _split_sum replaced (same cuts, same order)."""
    if not digits:
        if target == 0:
            yield []
        return
    if max_parts == 0:
        return
    for j in range(1, min(len(str(target)), len(digits)) + 1):
        piece = digits[:j]
        if len(piece) > 1 and piece[0] == "0":
            break
        if int(piece) > target:
            break
        for more in _split_sum_reference(digits[j:], target - int(piece), max_parts - 1):
            yield [piece, *more]


def test_split_sum_yields_the_cuts_of_the_plain_enumeration():
    r = random.Random(7)
    hits = 0
    for _ in range(3000):
        d = "".join(r.choice("0123456789" if r.random() < 0.5 else "0001") for _ in range(r.randint(0, 13)))
        if d and r.random() < 0.5:  # a target some cut reaches
            cuts = sorted(r.sample(range(1, len(d)), min(len(d) - 1, r.randint(0, 6))))
            t = sum(int(d[a:b]) for a, b in zip([0, *cuts], [*cuts, len(d)], strict=True))
        else:
            t = r.choice([0, r.randint(0, 50), r.randint(0, 5000), r.randint(0, 10**6)])
        p = r.randint(0, 7)
        got = list(stream._split_sum(d, t, p))
        assert got == list(_split_sum_reference(d, t, p)), (d, t, p)
        hits += bool(got)
    assert hits > 500


def test_a_28_digit_glued_row_splits_to_its_one_reading():
    # 本年新收 of glued_lines #69: six counts and their total glued together; one cut satisfies R2
    reads = list(stream._split_to_total("9777223135546693374434323741", 0, 6))
    assert reads == [(["9777", "223", "1355", "4669", "3374", "4343"], "23741")]
