"""Minimal reproducers of the round-trip failures found (run from the worktree root with PYTHONPATH=.).

Each case: a synthetic report, one deliberate feature, the rendered document, expected.json, and
parsed.json (what parse_bytes returned). A control (same report without the feature) is checked to pass.
"""
import json
import time
from pathlib import Path

from parsers.api import parse_bytes
from xxgk import synth

OUT = Path(__file__).parent


def check(rep, layout, opts, rs=1):
    data = synth.render(rep, layout, rs, **opts)
    t = time.time()
    parsed = parse_bytes(data, f"x{synth.SUFFIX[layout]}")
    dt = time.time() - t
    return data, parsed, synth.compare(rep, parsed, synth.is_lossless(layout, rep, opts)), dt


def save(name, rep, layout, opts, control=None, rs=1):
    data, parsed, errs, dt = check(rep, layout, opts, rs)
    status = "FAILS" if errs else "passes"
    line = f"{layout}/{name}: {status} ({dt:.1f}s)" + (f" — {errs[0]}" if errs else "")
    if control is not None:
        cerrs = check(control, layout, opts, rs)[2]
        line += f" | control {'passes' if not cerrs else 'FAILS: ' + cerrs[0]}"
    print(line)
    if errs:
        path = synth.save_repro(str(OUT), rep, layout, data, opts, errs, name=name)
        rec = parsed.to_dict() | {"parse_seconds": round(dt, 2)}
        Path(path).with_suffix(".parsed.json").write_text(json.dumps(rec, ensure_ascii=False, indent=1, default=str))
    return errs


def base(seed=21, version="gk2021", **kw):
    rep = synth.random_report(seed, version, blank_rate=0.0, scale=kw.pop("scale", 5), clause_wording=False, **kw)
    rep.sections["review_litigation"] = []
    return rep


def first_zero(rep, prefix, cols=("commercial_enterprise", "research_institution", "social_welfare_org")):
    for f in rep.fields("s3"):
        if f.code.startswith(prefix) and f.column_code in cols and rep.values[f.code] == 0:
            return f.code
    raise LookupError(prefix)


if __name__ == "__main__":
    # 1. a number in the prose before the section-四 table is read as its first cell (D17/X6)
    for layout, opts in (("flat_text", {"blanks": "empty", "spacing": "double"}), ("pdf_text", {"interleave_groups": False, "split_labels": 0.0})):
        rep = base(4)
        ctrl = base(4)
        rep.sections["review_litigation"] = [f"本年度因政府信息公开工作被申请行政复议{rep.values['s4_review__total']}件。"]
        save("s4-prose-number-read-as-cell", rep, layout, opts, control=ctrl)

    # 2. one blank cell printed as an empty line (flattened text, the layout carries it): values shift left
    for spacing in ("single", "double"):
        rep = base(13, scale=10)
        ctrl = base(13, scale=10)
        code = first_zero(rep, "s3_new_received__")
        rep.values[code] = None
        save(f"empty-line-blank-shifts-row-{spacing}", rep, "flat_text", {"blanks": "empty", "spacing": spacing}, control=ctrl)

    # 3. one blank cell that prints nothing (blanks=skip / PDF text): the row has 6 numbers for 7 cells;
    #    the parser must flag the row uncertain, not place the numbers silently
    for layout, opts in (("flat_text", {"blanks": "skip", "spacing": "single"}), ("pdf_text", {"interleave_groups": False, "split_labels": 0.0})):
        # organisation columns left blank where all zero (D1, `56 | | | | | | 56`)
        rep = synth.random_report(13, "gk2021", blank_rate=0.3, blank_style="columns", scale=10)
        rep.sections["review_litigation"] = []
        save("vanished-blanks-placed-silently", rep, layout, opts, rs=13)

    # 4. PDF text: a level-0 label split over two lines with the numbers after the second half
    rep = synth.random_report(14, "gk2021", s3_version="gk2019", blank_rate=0)
    rep.sections["review_litigation"] = []
    save("split-label-row-lost", rep, "pdf_text", {"interleave_groups": True, "split_labels": 0.5}, rs=14)

    # 5. glued digits: ambiguous runs split without the uncertain flag
    rep = base(6, version="gk2021")
    rep.values.update({"s2_regulation_issued": 1, "s2_regulation_repealed": 0, "s2_regulation_in_force": 34})
    save("ambiguous-run-not-flagged", rep, "glued_text", {"rows": "lines"})
    rep = base(7, version="gk2019", unit_in_cell=True)
    rep.values.update({"s2_central_procurement_projects": 3, "s2_central_procurement_amount": synth.Decimal("4883691")})
    save("procurement-run-not-flagged", rep, "glued_text", {"rows": "lines"})
