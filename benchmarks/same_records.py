"""Do two versions of the parser give the same records? The guard for speed work on the parser.

    python benchmarks/same_records.py save  BASELINE.json [--pages DIR] [--corpus DIR]
    python benchmarks/same_records.py check BASELINE.json [--pages DIR] [--corpus DIR]

Inputs: every file under tests/fixtures, the corpus raw/ files (when the folder is there) and a few
hundred synthetic pages (xxgk.synth: official and CMS/Word HTML with their options, plus the text
layouts). The synthetic pages are written once to `--pages` (default /tmp/xxgk-same-records-pages)
and read from there afterwards, so a later change to xxgk.synth does not move the baseline.

`save` writes {input: Report.to_dict()} (plus, for HTML inputs, a digest of the Document the HTML
reader returns); `check` parses the same inputs with the current code and prints every difference,
exiting 1 when there is any. Run `save` with the old code (e.g. a `git archive` of main) first.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def synth_pages(folder: Path, n: int) -> None:
    from xxgk.synth import random_report, render, render_cms_html, render_html

    folder.mkdir(parents=True, exist_ok=True)
    layouts = ["flat_text", "markdown", "pdf_text", "glued_text"]
    for seed in range(n):
        rng = random.Random(seed)
        rep = random_report(seed, version=("gk2019", "gk2021")[seed % 2], blank_rate=rng.choice([0, 0.1, 0.3]),
                            blank_style=rng.choice(["cells", "cells", "rows"]) if seed % 3 else "cells")
        opts = {"blank": rng.choice(["&nbsp;", "", "<o:p>&nbsp;</o:p>"]), "label_breaks": rng.choice([0, 0.3, 0.8]),
                "encoding": rng.choice(["utf-8", "gbk"]), "page": rng.random() < 0.7,
                "ascii_brackets": rng.random() < 0.3}
        if rng.random() < 0.3:
            opts["attachments"] = [("/upload/2021/report.pdf", "附件1.pdf"), ("files/a.docx", "附件2")]
        (folder / f"synth-{seed:04d}.html").write_bytes(render_html(rep, seed, **opts))
        (folder / f"synth-cms-{seed:04d}.html").write_bytes(render_cms_html(rep, seed))
        if seed % 4 == 0:
            lay = layouts[(seed // 4) % len(layouts)]
            (folder / f"synth-{lay}-{seed:04d}.txt").write_bytes(render(rep, lay, seed))


def inputs(pages: Path, corpus: Path | None) -> list[tuple[str, Path]]:
    out = [(f"fixtures/{p.relative_to(ROOT / 'tests/fixtures')}", p)
           for p in sorted((ROOT / "tests/fixtures").rglob("*")) if p.is_file()]
    if corpus is not None:
        out += [(f"corpus/{p.name}", p) for p in sorted((corpus / "raw").iterdir()) if p.is_file()]
    out += [(f"synth/{p.name}", p) for p in sorted(pages.iterdir())]
    return out


def doc_digest(data: bytes, name: str) -> str | None:
    from parsers.readers import ReadError
    from parsers.readers.html import read_html

    try:
        doc = read_html(data, name)
    except ReadError as e:
        return f"ReadError: {e}"
    parts = [doc.text, json.dumps(doc.meta, ensure_ascii=False, sort_keys=True)]
    for b in doc.blocks:
        if hasattr(b, "rows"):
            parts.append(repr([[(c.text, c.row, c.col, c.rowspan, c.colspan, c.anchor, c.origin) for c in r]
                               for r in b.rows]) + repr((b.source, b.index)))
        else:
            parts.append("P:" + b.text)
    return hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def records(pages: Path, corpus: Path | None) -> dict[str, dict]:
    from parsers.api import parse_bytes
    from parsers.sniff import sniff

    out = {}
    for key, path in inputs(pages, corpus):
        data = path.read_bytes()
        rec = parse_bytes(data, key).to_dict()
        entry = {"record": json.loads(json.dumps(rec, ensure_ascii=False, default=str))}
        if sniff(data, key) == "text/html":
            entry["document"] = doc_digest(data, key)
        out[key] = entry
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mode", choices=["save", "check"])
    ap.add_argument("baseline")
    ap.add_argument("--pages", default="/tmp/xxgk-same-records-pages")
    ap.add_argument("--corpus", default="/work/shared/corpus")
    ap.add_argument("--synth", type=int, default=200, help="synthetic reports (2–3 pages each)")
    a = ap.parse_args()
    sys.path.insert(0, str(Path.cwd()))
    pages = Path(a.pages)
    if not pages.is_dir():
        synth_pages(pages, a.synth)
    corpus = Path(a.corpus) if (Path(a.corpus) / "raw").is_dir() else None
    got = records(pages, corpus)
    if a.mode == "save":
        Path(a.baseline).write_text(json.dumps(got, ensure_ascii=False, indent=0, sort_keys=True))
        print(f"saved {len(got)} records to {a.baseline}")
        return
    base = json.loads(Path(a.baseline).read_text())
    diffs = 0
    for key in sorted(set(base) | set(got)):
        b, g = base.get(key), got.get(key)
        if b == g:
            continue
        diffs += 1
        if b is None or g is None:
            print(f"{key}: only in {'baseline' if g is None else 'current'}")
            continue
        for part in ("document", "record"):
            if b.get(part) == g.get(part):
                continue
            if part == "document":
                print(f"{key}: HTML reader Document differs")
                continue
            for k in sorted(set(b[part]) | set(g[part])):
                if b[part].get(k) != g[part].get(k):
                    print(f"{key}: record[{k!r}] differs:\n   was {str(b[part].get(k))[:300]}\n   now "
                          f"{str(g[part].get(k))[:300]}")
    print(f"{len(got)} inputs, {diffs} with differences")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
