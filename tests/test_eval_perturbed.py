"""The corpus read again after changes a copy, a save or another extractor makes to the same text:
line endings, full-width digits, GBK bytes, a BOM, double spacing, no empty lines, page markers,
spaces for tabs. Every document must score exactly as the unchanged one (cells right, uncertain and
wrong alike): layout noise must not move a number. Skipped where the corpus folder is absent."""

import re

import pytest
from test_eval import CORPUS

from parsers.api import parse_bytes
from parsers.evaluate import corpus_documents, score_report

FULLWIDTH = str.maketrans({chr(ord("0") + i): chr(0xFF10 + i) for i in range(10)})
PERTURB = {
    "crlf": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "fullwidth_digits": lambda t: t.translate(FULLWIDTH).encode("utf-8"),
    "gbk": lambda t: t.encode("gbk", "replace"),
    "bom": lambda t: ("\ufeff" + t).encode("utf-8"),
    "double_spaced": lambda t: "\n\n".join(t.split("\n")).encode("utf-8"),
    "no_empty_lines": lambda t: "\n".join(x for x in t.split("\n") if x.strip()).encode("utf-8"),
    "page_markers": lambda t: "\n".join(x + (f"\n- {i // 40 + 1} -" if i % 40 == 39 else "")
                                        for i, x in enumerate(t.split("\n"))).encode("utf-8"),
    "tabs_and_spaces": lambda t: re.sub(r" {2,}", "\t", t.replace("\t", "    ")).encode("utf-8"),
}
DOCS = ([(p, g) for p, g in corpus_documents(CORPUS, include_pdf=False) if p.suffix == ".txt"]
        if (CORPUS / "gold").is_dir() else [])


@pytest.mark.skipif(not DOCS, reason="corpus folder not present")
@pytest.mark.parametrize("name", sorted(PERTURB))
def test_layout_noise_does_not_move_a_number(name):
    for path, gold in DOCS:
        text = path.read_text(encoding="utf-8")
        base = score_report(parse_bytes(text.encode("utf-8"), path.name), gold)
        got = score_report(parse_bytes(PERTURB[name](text), path.name), gold)
        assert (got.right, len(got.uncertain), got.wrong, got.missing) == \
               (base.right, len(base.uncertain), base.wrong, base.missing), (path.name, name)
        assert got.status == base.status, (path.name, name)
