"""A report read from the portal page a crawler fetches must give exactly what its bare article gives.

The page around the article (xxgk.synth.render_portal_page: TRS menus of 600 links and inline
scripts, Hanweb's 100 KiB of inline CSS and comment markers, pages laid out with nested tables, a
related-articles list naming other years' reports) must change neither a cell, nor the checks, nor
the metadata. Only a cell's `source` may differ (a layout table before the report shifts the table
numbers)."""

import pytest

from parsers.api import parse_bytes
from xxgk import synth


def _cells(rep) -> list[tuple]:
    return [(c.code, c.value, c.raw, c.kind, c.unit, c.uncertain, c.note) for c in rep.cells]


def _meta(rep) -> tuple:
    return rep.status, rep.template, rep.tables, rep.title, rep.agency, rep.report_year, rep.published


@pytest.mark.parametrize("family", synth.PORTAL_FAMILIES)
@pytest.mark.parametrize("body", ["official", "cms"])
def test_portal_page_reads_as_its_article(family, body):
    for seed in range(6):
        rep = synth.random_report(seed, version=("gk2019", "gk2021")[seed % 2], blank_rate=0.3)
        page = synth.render_portal_page(rep, seed, family=family, body=body)
        assert len(page) > 20_000  # sized like real portal pages, not a bare article
        article = (synth.render_html(rep, seed, page=False) if body == "official"
                   else synth.render_cms_html(rep, seed, encoding="utf-8"))
        got, bare = parse_bytes(page, f"{family}.html"), parse_bytes(article, "article.html")
        assert _cells(got) == _cells(bare), (family, body, seed)
        assert [c.to_dict() for c in got.checks] == [c.to_dict() for c in bare.checks]
        assert synth.compare(rep, got, lossless=True) == [], (family, body, seed)
        assert (got.title, got.agency, got.report_year, got.published) == (
            rep.title, rep.agency, rep.report_year, rep.published)
        assert got.status == "ok" and _meta(got)[1:3] == _meta(bare)[1:3]


def test_portal_page_encodings():
    rep = synth.random_report(11, version="gk2021", blank_rate=0.2)
    utf8 = parse_bytes(synth.render_portal_page(rep, 1, family="trs"), "a.html")
    gbk = parse_bytes(synth.render_portal_page(rep, 1, family="trs", encoding="gbk"), "b.html")
    assert _cells(utf8) == _cells(gbk) and gbk.title == rep.title
    with pytest.raises(ValueError, match="unknown portal family"):
        synth.render_portal_page(rep, family="wordpress")
