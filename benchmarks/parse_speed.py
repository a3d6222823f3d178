"""How fast is the full parse of an HTML report, against pandas.read_html and a bare lxml parse?

    python benchmarks/parse_speed.py [--pages 20] [--repeat 7] [--corpus ../shared/corpus] [--stages]

Pages, `--pages` of each synthetic kind (xxgk.synth, both formats, random blanks), and the real
Word-exported 017.html when the corpus folder is there:

- official: the official-layout tables on a minimal page (render_html, ~10 KiB);
- cms: the Word/CMS article fragment in GBK without a charset (render_cms_html, ~110 KiB);
- portal: either article inside a portal page as crawlers fetch it (render_portal_page: TRS menus
  and scripts, Hanweb inline CSS, nested layout tables; 20–220 KiB, like ../shared/portals/samples).

Three timings over the same bytes, each the best of `--repeat` rounds (the rounds interleave, so a
busy machine hurts all three alike), printed for all pages and per kind:

- full parse: parsers.api.parse_bytes (decode, lxml, blocks, grid, metadata, sections, checks);
- pandas.read_html on the same page (given the decoded text: only its table extraction is timed);
- bare lxml.html.fromstring on the bytes;
- and, as a floor, `json.loads` of each page's record JSON: the least any Python code pays to hand
  over the record's objects (the C decoder builds them as cheaply as CPython allows). The figure
  `floor = (lxml + json.loads) / lxml` is the best ratio to lxml that a parser built on lxml could
  reach if reading the cells, matching labels and checking sums cost nothing at all.

`--stages` adds where the full parse spends its time (decode, reader, grid, metadata, sections,
checks), to see what to optimise next. The HTML reader keeps each table's cells as written and the
grid places the spans itself (GridCells are built only if something asks for `Table.rows`), so the
span placement is counted in the grid stage, which is timed on freshly read Documents. Times are
CPU time of this process (time.process_time): on a shared machine wall time mostly measures the wait
for a free core. `--wall` switches to time.perf_counter.

Targets: full parse ≥ 3× faster than read_html, and ≤ 2× the bare lxml parse.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import lxml.html  # noqa: E402
import pandas as pd  # noqa: E402

from parsers.api import parse_bytes  # noqa: E402
from parsers.decode import decode  # noqa: E402
from xxgk.synth import PORTAL_FAMILIES, random_report, render_cms_html, render_html, render_portal_page  # noqa: E402


def pages(n: int, corpus: Path | None) -> list[tuple[str, str, bytes]]:
    """(kind, name, bytes): `n` pages of each synthetic kind, then the corpus's real HTML reports."""
    out = []
    for seed in range(n):
        rep = random_report(seed, version=("gk2019", "gk2021")[seed % 2], blank_rate=0.3)
        out.append(("official", f"synth-{seed}.html", render_html(rep, seed)))
        out.append(("cms", f"synth-cms-{seed}.html", render_cms_html(rep, seed)))
        family = PORTAL_FAMILIES[seed % len(PORTAL_FAMILIES)]
        body = ("official", "cms")[(seed // len(PORTAL_FAMILIES)) % 2]
        out.append(("portal", f"synth-portal-{family}-{body}-{seed}.html",
                    render_portal_page(rep, seed, family=family, body=body)))
    if corpus is not None:
        for f in sorted((corpus / "raw").glob("*.html")):
            out.append(("real", f.name, f.read_bytes()))
    return out


def find_corpus(arg: str | None) -> Path | None:
    cands = [Path(arg)] if arg else [ROOT / "../shared/corpus", ROOT.parent.parent / "shared/corpus"]
    return next((p.resolve() for p in cands if (p / "raw").is_dir()), None)


def full(docs):
    for _kind, name, data in docs:
        parse_bytes(data, name)


def with_read_html(texts):
    for text in texts:
        try:
            pd.read_html(io.StringIO(text))
        except ValueError:  # no tables
            pass


def bare_lxml(docs):
    for _kind, _name, data in docs:
        lxml.html.fromstring(data)


def record_objects(records):
    for rec in records:
        json.loads(rec)


TIMINGS = (("full", "full parse (parsers.api.parse_bytes)"), ("read_html", "pandas.read_html"),
           ("lxml", "bare lxml.html.fromstring"), ("record", "json.loads of the record JSON (floor)"))


def time_kinds(docs, repeat: int, clock) -> dict[str, dict[str, float]]:
    """Best-of-`repeat` seconds of each timing over each kind's pages (rounds interleave all of them)."""
    kinds = list(dict.fromkeys(k for k, _n, _d in docs))
    by_kind = {k: [d for d in docs if d[0] == k] for k in kinds}
    texts = {k: [decode(data)[0] for _k, _n, data in ds] for k, ds in by_kind.items()}
    records = {k: [json.dumps(parse_bytes(data, n).to_dict(), ensure_ascii=False) for _k, n, data in ds]
               for k, ds in by_kind.items()}
    best = {k: dict.fromkeys((key for key, _l in TIMINGS), float("inf")) for k in kinds}
    for _ in range(repeat):
        for k, ds in by_kind.items():
            for key, fn, arg in (("full", full, ds), ("read_html", with_read_html, texts[k]), ("lxml", bare_lxml, ds),
                                 ("record", record_objects, records[k])):
                t = clock()
                fn(arg)
                best[k][key] = min(best[k][key], clock() - t)
    return best


def ratios(t: dict[str, float]) -> str:
    r1, r2 = t["read_html"] / t["full"], t["full"] / t["lxml"]
    floor = (t["lxml"] + t["record"]) / t["lxml"]
    return (f"read_html / full = {r1:4.1f}x ({'ok' if r1 >= 3 else 'MISSED'}),  "
            f"full / lxml = {r2:5.2f}x ({'ok' if r2 <= 2 else 'MISSED'}; floor {floor:4.2f}x)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=20, help="synthetic pages of each kind (official, cms, portal)")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--corpus", default=None, help="corpus folder with raw/*.html (default: ../shared/corpus)")
    ap.add_argument("--wall", action="store_true", help="wall-clock time instead of CPU time")
    ap.add_argument("--stages", action="store_true", help="also time the stages of the full parse, per kind")
    a = ap.parse_args()
    clock = time.perf_counter if a.wall else time.process_time
    warnings.simplefilter("ignore")
    docs = pages(a.pages, find_corpus(a.corpus))
    reps = [parse_bytes(d, n) for _k, n, d in docs]
    bad = [r.document for r in reps if r.status == "error"]
    cells = sum(len(r.cells) for r in reps)
    best = time_kinds(docs, a.repeat, clock)
    n = len(docs)
    total = {key: sum(b[key] for b in best.values()) for key, _l in TIMINGS}
    size = sum(len(d) for _k, _n, d in docs) / n / 1024
    print(f"{n} HTML pages, {size:.0f} KiB on average, {cells / n:.0f} cells read per page, "
          f"{'wall' if a.wall else 'CPU'} time, best of {a.repeat}"
          + (f", {len(bad)} errors: {bad[:3]}" if bad else ""))
    for key, label in TIMINGS:
        print(f"  {label:40s} {total[key] / n * 1000:7.2f} ms/page")
    print(f"all pages: {ratios(total)}   (targets: >= 3x, <= 2x)")
    print("per kind (ms/page: full, read_html, lxml, json.loads of the record):")
    for k, b in best.items():
        m = sum(1 for d in docs if d[0] == k)
        size = sum(len(d) for kk, _n, d in docs if kk == k) / m / 1024
        ms = "  ".join(f"{b[key] / m * 1000:6.2f}" for key, _l in TIMINGS)
        print(f"  {k:9s} {m:3d} pages {size:4.0f} KiB  {ms}   {ratios(b)}")
    if a.stages:
        for k in best:
            print(f"stages, {k} pages:")
            stages([(nm, d) for kk, nm, d in docs if kk == k], a.repeat, clock)


def stages(docs, repeat: int, clock) -> None:
    """CPU time of each stage of parse_bytes on the same pages (each stage fed the previous one's output)."""
    from lxml import etree

    from parsers.checks import run_checks
    from parsers.grid import read_grid_tables
    from parsers.metadata import extract_metadata
    from parsers.readers.html import _PARSER, read_html
    from parsers.sections import split_sections

    texts = [decode(d)[0] for _n, d in docs]
    read = [read_html(d, n) for n, d in docs]
    grids = [read_grid_tables(doc) for doc in read]
    cells = [[c for tr in g.values() for c in tr.cells] for g in grids]
    versions = [g["s3"].version if "s3" in g else None for g in grids]

    def fresh() -> list:  # the grid caches the span placement on each Table: time it on new Documents
        return [read_html(d, n) for n, d in docs]

    steps = [  # (stage, setup outside the timer, timed function of the setup's result)
        ("decode (parsers.decode)", None, lambda _: [decode(d) for _n, d in docs]),
        ("lxml parse of the decoded text", None, lambda _: [etree.fromstring(t, _PARSER) for t in texts]),
        ("read_html (decode + parse + blocks)", None, lambda _: [read_html(d, n) for n, d in docs]),
        ("grid (parsers.grid)", fresh, lambda new: [read_grid_tables(doc) for doc in new]),
        ("metadata (parsers.metadata)", None, lambda _: [extract_metadata(doc, {}) for doc in read]),
        ("sections (parsers.sections)", None, lambda _: [split_sections(doc) for doc in read]),
        ("checks (parsers.checks)", None, lambda _: [run_checks(c, v) for c, v in zip(cells, versions, strict=True)]),
    ]
    best = dict.fromkeys((k for k, _s, _f in steps), float("inf"))
    for _ in range(repeat):
        for key, setup, fn in steps:
            arg = setup() if setup else None
            t = clock()
            fn(arg)
            best[key] = min(best[key], clock() - t)
    for key, _s, _f in steps:
        print(f"  {key:40s} {best[key] / len(docs) * 1000:7.2f} ms/page")


if __name__ == "__main__":
    main()
