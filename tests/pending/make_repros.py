"""Find small failing round trips per layout and save them (document + expected.json + parsed.json)."""
import json
import random
import sys
import time
from pathlib import Path

from parsers.api import parse_bytes
from xxgk import synth

OUT = Path(__file__).parent
COMBOS = [("gk2019", None, None), ("gk2021", None, None), ("gk2021", None, "gk2019"), ("gk2021", "gk2019", None)]


def classify(errs):
    e = errs[0]
    if "uncertain in a lossless" in e:
        return "uncertain-lossless"
    if "missing" in e:
        return "missing"
    if e.startswith("check"):
        return "check-fails"
    if e.startswith("table"):
        return "table"
    if "want 0, got blank" in e:
        return "zero-read-as-blank"
    if "want blank, got number" in e:
        return "blank-read-as-number"
    return "wrong-number"


def run(layout, optsets, n, blank_rates, scales=(1, 3, 10)):
    seen = {}
    for i in range(n):
        rng = random.Random(i)
        v, s2v, s3v = COMBOS[i % 4]
        br = blank_rates[i % len(blank_rates)]
        rep = synth.random_report(i, v, s2_version=s2v, s3_version=s3v, blank_rate=br, scale=scales[i % len(scales)],
                                  blank_style=rng.choice(["cells", "columns"]))
        opts = optsets[i % len(optsets)]
        data = synth.render(rep, layout, i, **opts)
        t = time.time()
        parsed = parse_bytes(data, f"synth-{i}{synth.SUFFIX[layout]}")
        dt = time.time() - t
        errs = synth.compare(rep, parsed, synth.is_lossless(layout, rep, opts))
        if not errs:
            continue
        key = (json.dumps(opts, sort_keys=True), br > 0, classify(errs))
        if key in seen:
            continue
        name = f"{classify(errs)}-{'blanks' if br else 'noblanks'}-" + "-".join(f"{k}_{v}" for k, v in opts.items()) + f"-seed{i}"
        path = synth.save_repro(str(OUT), rep, layout, data, opts, errs, name=name)
        rec = parsed.to_dict()
        rec["parse_seconds"] = round(dt, 2)
        Path(path).with_suffix(".parsed.json").write_text(json.dumps(rec, ensure_ascii=False, indent=1, default=str))
        seen[key] = path
        print(layout, key, path, f"{dt:.1f}s", errs[0])
    return seen


if __name__ == "__main__":
    which = sys.argv[1:] or ["flat_text", "pdf_text", "glued_text"]
    if "flat_text" in which:
        run("flat_text", [{"blanks": "empty", "spacing": "single"}, {"blanks": "empty", "spacing": "double"},
                          {"blanks": "skip", "spacing": "single"}], 60, [0.0, 0.5])
    if "pdf_text" in which:
        run("pdf_text", [{"interleave_groups": False, "split_labels": 0.0},
                         {"interleave_groups": True, "split_labels": 0.5}], 60, [0.0, 0.5])
    if "glued_text" in which:
        run("glued_text", [{"rows": "lines"}, {"rows": "glued"}], 40, [0.0, 0.5])
