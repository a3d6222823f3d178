"""Pages per second for PDF and DOCX attachments: the reader alone, and the whole parse.

    python benchmarks/attachment_speed.py [--reports 12] [--corpus ../shared/corpus]

Reports are synthetic (xxgk.synth, rendered by tests/fixtures/attachments/make_attachments.py:
ruled tables, section 三 broken across pages). A DOCX has no pages of its own; it is counted with
the pages of the same report rendered as PDF, so the two rates compare like for like. Times are
CPU time of this process (steady on a busy machine). With --corpus, the real PDFs in corpus/pdf
are timed as well.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "attachments"))

import make_attachments as mk  # noqa: E402

from parsers.api import parse_bytes  # noqa: E402
from parsers.readers.docx import read_docx  # noqa: E402
from parsers.readers.pdf import read_pdf  # noqa: E402


def _rate(label: str, files: list[tuple[bytes, int]], fn, repeat: int = 1) -> None:
    pages = sum(p for _, p in files) * repeat
    t0 = time.process_time()
    for _ in range(repeat):
        for data, _p in files:
            fn(data)
    dt = time.process_time() - t0
    print(f"{label:<36} {len(files) * repeat:>4} files {pages:>5} pages {dt:>7.2f} s CPU "
          f"{pages / dt:>7.1f} pages/s {dt / (len(files) * repeat) * 1000:>7.0f} ms/file")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=12, help="synthetic reports per format")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus",
                    help="corpus folder with pdf/*.pdf (skipped when missing)")
    args = ap.parse_args()

    pdfs, docxs = [], []
    for i in range(args.reports):
        rep = mk.build_report("gk2021" if i % 2 else "gk2019", seed=1000 + i, filler=i % 4, blank_rate=0.2)
        pdf = mk.render_pdf(rep, breaks={"s3": 10 + i % 15})
        pages = read_pdf(pdf, "p.pdf").meta["pages"]
        pdfs.append((pdf, pages))
        docxs.append((mk.render_docx(rep), pages))
    print(f"synthetic reports: {args.reports} (gk2019/gk2021, {sum(p for _, p in pdfs)} pages as PDF)")
    _rate("PDF reader (read_pdf)", pdfs, lambda d: read_pdf(d, "x.pdf"))
    _rate("PDF whole parse (parse_bytes)", pdfs, lambda d: parse_bytes(d, "x.pdf"))
    _rate("DOCX reader (read_docx)", docxs, lambda d: read_docx(d, "x.docx"), repeat=5)
    _rate("DOCX whole parse (parse_bytes)", docxs, lambda d: parse_bytes(d, "x.docx"), repeat=5)
    real = sorted((args.corpus / "pdf").glob("*.pdf")) if args.corpus else []
    if real:
        files = [(p.read_bytes(), 0) for p in real]
        files = [(d, read_pdf(d, "r.pdf").meta["pages"]) for d, _ in files]
        print(f"real PDFs: {', '.join(p.name for p in real)}")
        _rate("real PDF reader (read_pdf)", files, lambda d: read_pdf(d, "r.pdf"), repeat=2)
        _rate("real PDF whole parse (parse_bytes)", files, lambda d: parse_bytes(d, "r.pdf"), repeat=2)


if __name__ == "__main__":
    main()
