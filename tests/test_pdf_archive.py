"""The archive path end to end: a portal whose report exists only as a PDF attachment (or a DOCX
behind a Hanweb-style downfile.jsp link) -> crawl -> export -> the report is in the datasets with
its values, the attachment URL as provenance and the linking page as context."""

from __future__ import annotations

import sqlite3
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from scraper.crawl import crawl
from scraper.registry import Source
from scraper.testing import PortalServer
from xxgk import pipeline

pytest.importorskip("parsers.stream", reason="the stream extractor (parsers/stream.py) is not on main yet")

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "attachments"))
import make_attachments as mk  # noqa: E402

HOST = "www.fjx-county.gov.cn"


def _page(title: str, date: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}_示例县人民政府</title></head>'
            f'<body><div class="article"><h1>{title}</h1><div class="info">发布时间：{date}</div>'
            f"<div class=\"TRS_Editor\">{body}</div></div></body></html>").encode()


def test_reports_published_only_as_attachments_reach_the_datasets(tmp_path):
    pdf_rep = mk.build_report("gk2021", seed=61, s3_version="gk2019", blank_rate=0.2, agency="示例县交通运输局")
    docx_rep = mk.build_report("gk2021", seed=62, agency="示例县自然资源局")
    pdf_title = pdf_rep.synth.title
    docx_title = docx_rep.synth.title
    files = {
        "/xxgk/nb/index.html": _page("信息公开年报", "2024-02-06", (
            '<table class="list">'
            f'<tr><td><a href="./202402/t20240205_88.html">{pdf_title}</a></td><td>2024-02-05</td></tr>'
            f'<tr><td><a href="./202402/t20240206_89.html">{docx_title}</a></td><td>2024-02-06</td></tr>'
            "</table>")),
        "/xxgk/nb/202402/t20240205_88.html": _page(pdf_title, "2024-02-05", (
            "<p>详见附件。</p>"
            f'<p>附件：<a href="./P020240205381245.pdf">{pdf_title}.pdf</a></p>')),
        "/xxgk/nb/202402/t20240206_89.html": _page(docx_title, "2024-02-06", (
            f'<p>附件：<a href="/module/download/downfile.jsp?classid=0&amp;filename=2402061.docx">'
            f"{docx_title}.docx</a></p>")),
        "/xxgk/nb/202402/P020240205381245.pdf": mk.render_pdf(pdf_rep, breaks={"s3": 15}),
        "/module/download/downfile.jsp": mk.render_docx(docx_rep),
    }
    with PortalServer() as srv:
        srv.add_site(HOST, files=files)
        src = Source(id="fjx", name="示例县 年报", url=srv.url(HOST, "/xxgk/nb/"), region_code="999901",
                     level="county")
        summary = crawl([src], tmp_path, min_delay=0.02, backoff=0.05, resolve=srv.resolve, progress=False)
        assert summary.exit_code == 0, str(summary)
        pdf_url = srv.url(HOST, "/xxgk/nb/202402/P020240205381245.pdf")
        page_url = srv.url(HOST, "/xxgk/nb/202402/t20240205_88.html")
        docx_url = srv.url(HOST, "/module/download/downfile.jsp?classid=0&filename=2402061.docx")
    export = pipeline.export(tmp_path)
    assert export.exit_code == 0, export.text()
    db = sqlite3.connect(tmp_path / "datasets" / "xxgk.db")
    db.row_factory = sqlite3.Row
    for rep, url, media in ((pdf_rep, pdf_url, "application/pdf"),
                            (docx_rep, docx_url, "application/vnd.openxmlformats-officedocument"
                                                 ".wordprocessingml.document")):
        row = db.execute("select * from reports where source_url = ?", (url,)).fetchone()
        assert row is not None, [dict(r) for r in db.execute("select source_url, status, error from reports")]
        assert (row["status"], row["media_type"], row["title"], row["report_year"]) == (
            "ok", media, rep.synth.title, rep.synth.report_year)
        assert (row["region_code"], row["level"]) == ("999901", "county")
        assert row["s3_template"] == rep.synth.s3_version
        got = {r["code"]: (r["value"], r["kind"]) for r in db.execute(
            "select code, value, kind from cells where report_id = ?", (row["report_id"],))}
        want = rep.values
        assert set(got) == set(want)
        for code, v in want.items():
            value, kind = got[code]
            assert (kind == "blank" and value is None) if v is None else Decimal(str(value)) == Decimal(str(v)), code
    # the page that linked the PDF is the same report (its context), not a second one
    urls = {r["url"]: r["report_id"] for r in db.execute("select url, report_id from report_urls")}
    assert urls[page_url] == urls[pdf_url]
    assert db.execute("select count(*) from reports").fetchone()[0] == 2
