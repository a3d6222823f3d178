"""How often does a report whose own sums are wrong come back with a certain wrong value?

    python benchmarks/source_errors.py [--docs 100] [--layouts flat_text,pdf_text,glued_text,markdown,html]

Real reports misprint (templates.md D16; corpus 013 prints a 行政复议 total of 0 beside parts that sum
to 11). Where every cell is printed in its place (HTML, pipe tables, flattened text that prints
blanks) a misprint is read as printed and its check fails. Where blanks print nothing or digits are
glued together, values are placed with the help of the sums (the text alone cannot tell where they
go): a misprinted row can then admit another placement whose sums hold, and that placement comes out
certain. This script measures the rate: per document one section-三 or -四 value of a random
synthetic report (xxgk.synth) is printed off by 1–10, the document is rendered in each layout and
parsed, and the cells reported certain are compared with what was printed (xxgk.synth.certain_wrong).

Prints, per layout: documents with at least one certain wrong cell, certain wrong cells, cells
flagged uncertain, and the seeds of the documents that went wrong (to reproduce: same seed, same
layout). Not a test: the contract for a consistent report (tests/test_roundtrip*.py) is that no
certain value is wrong; with a misprint in a lossy layout the rate is a known, measured risk.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from parsers.api import parse_bytes  # noqa: E402
from xxgk import synth  # noqa: E402

OPTIONS = {"flat_text": {"blanks": "skip"}}  # the lossy variant of flattened text (blanks print nothing)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=100, help="misprinted documents per layout")
    ap.add_argument("--layouts", default="flat_text,pdf_text,glued_text,markdown,html")
    a = ap.parse_args()
    print(f"{a.docs} documents per layout, one s3/s4 value misprinted in each")
    for layout in a.layouts.split(","):
        bad_docs, wrong, uncertain, cells, seeds = 0, 0, 0, 0, []
        t0 = time.process_time()
        for seed in range(a.docs):
            rep, _code = synth.misprinted_report(seed)
            parsed = parse_bytes(synth.render(rep, layout, seed, **OPTIONS.get(layout, {})),
                                 f"misprint-{seed}{synth.SUFFIX[layout]}")
            errs = synth.certain_wrong(rep, parsed, tables=("s3", "s4"))
            cells += sum(1 for c in parsed.cells if c.code[:2] in ("s3", "s4"))
            uncertain += sum(1 for c in parsed.cells if c.code[:2] in ("s3", "s4") and c.uncertain)
            if errs:
                bad_docs += 1
                wrong += len(errs)
                seeds.append(seed)
        dt = time.process_time() - t0
        print(f"  {layout:11s} docs with a certain wrong cell: {bad_docs:3d}/{a.docs}   certain wrong cells: "
              f"{wrong:3d}   uncertain: {uncertain}/{cells}   ({dt / a.docs * 1000:.0f} ms/doc)"
              + (f"   seeds: {seeds[:10]}" if seeds else ""))


if __name__ == "__main__":
    main()
