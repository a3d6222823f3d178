"""Reports whose own sums are wrong (one count misprinted, templates.md D16) in the layouts where values
are placed with the help of the sums: blanks that print nothing, digits glued together.

A misprinted row breaks its own sum (总计 ≠ Σ applicants) however its values are read, or admits only
a reading that no longer fits the column sums. Either way the table's sums are off, so they must not
decide a placement: before, a glued `…13` whose true 总计 was a misprinted 13 came back as a certain
3 (the reading that made the column sums hold), i.e. the parser silently corrected the source.
The seeds below are the documents benchmarks/source_errors.py found wrong before the fix."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from roundtrip_support import reports, soak_settings

from parsers.api import parse_bytes
from xxgk import synth

LOSSY = {"glued_text": {}, "flat_text": {"blanks": "skip"}, "pdf_text": {}}


def _parse(rep, layout, seed):
    return parse_bytes(synth.render(rep, layout, seed, **LOSSY[layout]), f"misprint{synth.SUFFIX[layout]}")


@pytest.mark.parametrize("layout,seed", [("glued_text", 1), ("glued_text", 7), ("glued_text", 108),
                                         ("glued_text", 137), ("flat_text", 367), ("flat_text", 412),
                                         ("flat_text", 517), ("pdf_text", 412), ("pdf_text", 517)])
def test_misprints_found_by_the_benchmark(layout, seed):
    rep, _code = synth.misprinted_report(seed)
    parsed = _parse(rep, layout, seed)
    assert synth.certain_wrong(rep, parsed, tables=("s3", "s4")) == []
    assert parsed.status == "partial"


def test_the_row_sum_note_names_the_broken_row():
    rep = synth.random_report(3, "gk2021", blank_rate=0.3)
    rep.values["s3_result_disclosed__total"] += 10  # the 总计 of （一）予以公开 no longer its applicants' sum
    parsed = _parse(rep, "flat_text", 3)
    notes = " ".join(parsed.extra.get("notes", []))
    assert "result_disclosed break their own sum" in notes
    assert synth.certain_wrong(rep, parsed) == []


def test_a_consistent_report_keeps_its_placements():
    """The guard costs nothing on reports whose sums hold: every cell of a complete glued row stays certain."""
    rep = synth.random_report(12, "gk2021", blank_rate=0.0)
    parsed = _parse(rep, "glued_text", 12)
    assert synth.compare(rep, parsed, lossless=False) == []
    assert "break their own sum" not in " ".join(parsed.extra.get("notes", []))


@soak_settings(30)
@given(reports(), st.sampled_from(sorted(LOSSY)), st.integers(0, 10**6))
def test_a_misprint_never_gives_a_certain_wrong_value(rep, layout, seed):
    synth.misprint(rep, seed)
    parsed = _parse(rep, layout, seed)
    assert synth.certain_wrong(rep, parsed, tables=("s3", "s4")) == [], (layout, seed)


def test_label_only_rows_before_a_glued_row_are_read_and_the_misprint_is_caught():
    """Found by a soak: `1.信访举报投诉类申请` (every cell blank, nothing printed) right before
    `2.重复申请462452` (a misprinted 462 beside its total 452). The bare label was taken for the label
    of the numbers after it, so two rows went missing, the column sums could not be checked, and
    `462452` came back as a certain 46 | 2 | 4 | 52. Now the bare rows are rows of blanks, the sums
    show the misprint, and nothing certain is wrong."""
    import json
    from pathlib import Path

    fix = Path(__file__).parent / "fixtures" / "misprints"  # not fixtures/text: its tests want every cell exact
    data = (fix / "glued_blank_rows.txt").read_bytes()
    truth = json.loads((fix / "glued_blank_rows.truth.json").read_text(encoding="utf-8"))["values"]
    parsed = parse_bytes(data, "glued_blank_rows.txt")
    cells = {c.code: c for c in parsed.cells}
    assert not any("rows not found" in n for n in parsed.extra.get("notes", []))
    for row in ("result_not_processed_petition", "result_other_no_correction"):
        row_cells = [cells[f"s3_{row}__{c}"] for c in ("natural_person", "other_org", "total")]
        assert all(c.kind == "blank" and not c.uncertain for c in row_cells)
    wrong = [code for code, c in cells.items() if code in truth and not c.uncertain and c.value != truth[code]]
    assert wrong == []
    assert cells["s3_result_not_processed_duplicate__total"].uncertain
    assert parsed.status == "partial"
