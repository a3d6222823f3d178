"""Worst-case parse cost of the text layouts: is the stream parser's cost bounded per document?

    python benchmarks/text_worst.py [-n 300] [--layouts flat_skip,pdf_text,glued_lines,glued_rows]
                                    [--start 0] [--top 5] [--profile SEEDS]

For every layout, N synthetic reports (xxgk.synth.random_report, seeded: document i of a layout is
always the same bytes) are rendered and parsed with parsers.api.parse_bytes. Printed per layout:
median, p99 and max CPU time of one parse (time.process_time: on a shared machine wall time mostly
measures the wait for a core), the slowest seeds, the cells that came out certain but wrong against
the synthetic truth (xxgk.synth.certain_wrong, the damaged-document contract: must be 0), the
uncertain cells of sections 二/三/四, how many documents noted a cut search, and how many parses
failed with an internal error (parse_bytes catches them: they would hide in the other figures).
One document is parsed before timing starts (imports, first-use regex compiles are not per-document).

Layouts (the lossy ones are where placements need the rule solver):
  flat_skip    flattened text, one cell per line, blank cells print nothing (`blanks="skip"`)
  flat_empty   flattened text, blank cells as empty lines (lossless; for comparison)
  pdf_text     row-wise PDF text, blank cells print nothing
  glued_lines  glued digits (`规章000`), one row per line
  glued_rows   glued digits, the rows of each section-二 block joined into one line

The report and render options of document i are drawn from random.Random(f"{layout}:{i}") the way
tests/roundtrip_support.py draws them (format and D8 hybrids, blank rate, blank style, scale).
`--profile 12,40` profiles those documents of every chosen layout (cProfile, top 25 by cumulative).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from parsers.api import parse_bytes  # noqa: E402
from xxgk import synth  # noqa: E402

COMBOS = [("gk2019", None, None), ("gk2021", None, None), ("gk2021", None, "gk2019"), ("gk2021", "gk2019", None)]
LAYOUTS = {  # name -> (renderer layout, render options drawn from the document's rng)
    "flat_skip": ("flat_text", lambda r: {"blanks": "skip", "spacing": r.choice(["single", "double"]),
                                          "ascii_brackets": r.random() < 0.5}),
    "flat_empty": ("flat_text", lambda r: {"blanks": "empty", "spacing": r.choice(["single", "double"]),
                                           "ascii_brackets": r.random() < 0.5}),
    "pdf_text": ("pdf_text", lambda r: {"split_labels": r.choice([0.0, 0.5, 1.0]),
                                        "interleave_groups": r.random() < 0.5, "page_markers": r.random() < 0.5}),
    "glued_lines": ("glued_text", lambda r: {"rows": "lines"}),
    "glued_rows": ("glued_text", lambda r: {"rows": "glued"}),
}
LOSSY = ["flat_skip", "pdf_text", "glued_lines", "glued_rows"]
CUT_NOTE = "search"  # the solver's notes on a cut search both mention it


def document(layout: str, i: int) -> tuple[synth.SynthReport, bytes, dict]:
    """Document i of `layout`: the synthetic report (the truth) and its rendered bytes."""
    r = random.Random(f"{layout}:{i}")
    version, s2v, s3v = r.choice(COMBOS)
    rep = synth.random_report(r.randrange(2**31), version, s2_version=s2v, s3_version=s3v,
                              blank_rate=r.choice([0.0, 0.0, 0.3, 0.7, 1.0]),
                              blank_style=r.choice(["cells", "columns"]),
                              scale=r.choice([None, 1, 5, 50, 2000]))
    kind, opts_of = LAYOUTS[layout]
    opts = opts_of(r)
    return rep, synth.render(rep, kind, r.randrange(10**6), **opts), opts


def measure(layout: str, i: int) -> dict:
    rep, data, opts = document(layout, i)
    name = f"synth-{i}{synth.SUFFIX[LAYOUTS[layout][0]]}"
    t0 = time.process_time()
    parsed = parse_bytes(data, name)
    cpu = time.process_time() - t0
    cells = [c for c in parsed.cells if c.code[:2] in ("s2", "s3", "s4")]
    notes = [n for n in parsed.extra.get("notes", []) if CUT_NOTE in n]
    cut = any(CUT_NOTE in (c.note or "") for c in cells) or bool(notes)
    return {"seed": i, "cpu": cpu, "wrong": synth.certain_wrong(rep, parsed),
            "uncertain": sum(c.uncertain for c in cells), "cut": cut, "opts": opts,
            "error": parsed.error if parsed.status == "error" else None}


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(p / 100 * len(xs) + 0.5) - 1))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=300, help="documents per layout")
    ap.add_argument("--start", type=int, default=0, help="first document number")
    ap.add_argument("--layouts", default=",".join(LOSSY), help=f"comma-separated, of {', '.join(LAYOUTS)}")
    ap.add_argument("--top", type=int, default=5, help="slowest seeds to print per layout")
    ap.add_argument("--profile", default="", help="comma-separated document numbers to profile")
    a = ap.parse_args()
    layouts = [x for x in a.layouts.split(",") if x]
    for x in layouts:
        if x not in LAYOUTS:
            ap.error(f"unknown layout {x!r}")
    if a.profile:
        import cProfile
        import pstats

        for lay in layouts:
            for i in (int(s) for s in a.profile.split(",")):
                rep, data, _ = document(lay, i)
                pr = cProfile.Profile()
                pr.enable()
                parse_bytes(data, f"synth-{i}{synth.SUFFIX[LAYOUTS[lay][0]]}")
                pr.disable()
                print(f"== {lay} #{i}")
                pstats.Stats(pr).sort_stats("cumulative").print_stats(25)
        return
    measure(layouts[0], a.start)  # warm-up: imports and first-use regex compiles
    print(f"{a.n} documents per layout from #{a.start}; CPU seconds per parse")
    print(f"{'layout':<12} {'median':>7} {'p99':>7} {'max':>7} {'wrong':>6} {'uncert':>7} {'cut':>4} {'err':>4}  "
          "slowest (#doc cpu)")
    total_wrong = 0
    for lay in layouts:
        res = [measure(lay, i) for i in range(a.start, a.start + a.n)]
        cpu = [r["cpu"] for r in res]
        wrong = sum(len(r["wrong"]) for r in res)
        total_wrong += wrong
        slow = sorted(res, key=lambda r: -r["cpu"])[:a.top]
        print(f"{lay:<12} {statistics.median(cpu):7.3f} {pct(cpu, 99):7.3f} {max(cpu):7.3f} {wrong:6d} "
              f"{sum(r['uncertain'] for r in res):7d} {sum(r['cut'] for r in res):4d} "
              f"{sum(bool(r['error']) for r in res):4d}  "
              + " ".join(f"#{r['seed']} {r['cpu']:.2f}" for r in slow))
        for r in res:
            for w in r["wrong"][:3]:
                print(f"    certain-wrong {lay} #{r['seed']}: {w}")
            if r["error"]:
                print(f"    error {lay} #{r['seed']}: {r['error']}")
        total_wrong += sum(bool(r["error"]) for r in res)
    sys.exit(1 if total_wrong else 0)


if __name__ == "__main__":
    main()
