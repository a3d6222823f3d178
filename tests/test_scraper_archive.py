"""Archive: WARC records readable by offset, state rows, versions, revisit dedupe, kill-tail recovery."""

import hashlib

import pytest
from warcio.archiveiterator import ArchiveIterator

from scraper.archive import Archive, utcnow
from scraper.registry import Source

SRC = Source(id="s1", name="测试", url="http://www.a.gov.cn/nb/", region_code="210124", level="county")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _store(ar, run, url, body, kind="report", status=200, title="某县2020年政府信息公开工作年度报告"):
    now = utcnow()
    loc = ar.write_response(url, status, "OK", [("Content-Type", "application/pdf"),
                                                ("Content-Encoding", "gzip"), ("ETag", '"e1"')], body, now)
    with ar.transaction() as db:
        ar.log_response(db, run, SRC.id, url, url, status, loc, now)
        out = ar.store_version(db, run, url, source_id=SRC.id, kind=kind, body=body, http_status=status,
                               final_url=url, http_content_type="application/pdf", etag='"e1"', last_modified=None,
                               fetched_at=now, loc=loc, title=title, list_date="2021-02-08",
                               referrer="http://www.a.gov.cn/nb/")
        ar.set_committed(db)
    return out, loc


def test_write_read_and_api(tmp_path):
    ar = Archive(tmp_path, create=True)
    ar.register_sources([SRC])
    run = ar.start_run({})
    ar.open_writer(run)
    out, loc = _store(ar, run, "http://www.a.gov.cn/nb/P020.pdf", PDF)
    assert out == "new" and loc[3] == "response"
    html = "<html><body>列表</body></html>".encode()
    _store(ar, run, "http://www.a.gov.cn/nb/index.html", html, kind="list", title=None)
    ar.close()

    ar = Archive(tmp_path)
    docs = list(ar.documents())
    assert [d.url for d in docs] == ["http://www.a.gov.cn/nb/P020.pdf"]
    d = docs[0]
    assert d.kind == "report" and d.content_type == "application/pdf" and d.http_status == 200
    assert d.sha256 == hashlib.sha256(PDF).hexdigest() and d.body() == PDF
    assert d.title == "某县2020年政府信息公开工作年度报告" and d.list_date == "2021-02-08"
    assert d.referrer == "http://www.a.gov.cn/nb/" and d.warc_file.startswith("warc/")
    assert [x.url for x in ar.documents(kinds=("list",))] == ["http://www.a.gov.cn/nb/index.html"]
    assert ar.get("http://www.a.gov.cn/nb/P020.pdf") == d and ar.get("http://nope/") is None
    assert ar.sources() == {"s1": SRC}
    # the WARC record carries status, headers and body; Content-Encoding no longer applies to the stored body
    with open(tmp_path / d.warc_file, "rb") as f:
        f.seek(d.warc_offset)
        rec = next(iter(ArchiveIterator(f)))
        assert rec.rec_type == "response" and rec.http_headers.get_statuscode() == "200"
        assert rec.http_headers.get_header("Content-Encoding") is None
        assert rec.http_headers.get_header("X-Xxgk-Original-Content-Encoding") == "gzip"
        assert rec.content_stream().read() == PDF


def test_same_bytes_twice_is_a_revisit_not_a_new_version(tmp_path):
    ar = Archive(tmp_path, create=True)
    run = ar.start_run({})
    ar.open_writer(run)
    url = "http://www.a.gov.cn/nb/P020.pdf"
    _store(ar, run, url, PDF)
    now = utcnow()
    loc = ar.write_response(url, 200, "OK", [], PDF, now, revisit_of=(url, now))
    with ar.transaction() as db:
        out = ar.store_version(db, run, url, source_id="s1", kind="report", body=PDF, http_status=200, final_url=url,
                               http_content_type=None, etag=None, last_modified=None, fetched_at=now, loc=loc,
                               title=None, list_date=None, referrer=None)
        ar.set_committed(db)
    assert out == "unchanged" and loc[3] == "revisit"
    out2, _ = _store(ar, run, url, PDF + b"% changed\n")
    assert out2 == "changed"
    assert ar.state(url)["versions"] == 2
    assert ar.get(url).body() == PDF + b"% changed\n"
    assert ar.db.execute("SELECT COUNT(*) FROM versions WHERE url = ?", (url,)).fetchone()[0] == 2


def test_failure_keeps_last_good_version(tmp_path):
    ar = Archive(tmp_path, create=True)
    run = ar.start_run({})
    ar.open_writer(run)
    url = "http://www.a.gov.cn/nb/P020.pdf"
    _store(ar, run, url, PDF)
    with ar.transaction() as db:
        ar.store_failure(db, url, source_id="s1", kind="report", status="failed", error="HTTP 500", http_status=500)
    st = ar.state(url)
    assert st["status"] == "failed" and st["http_status"] == 200 and "500" in st["error"]
    assert ar.get(url).body() == PDF


def test_uncommitted_tail_is_truncated_on_next_writer(tmp_path):
    ar = Archive(tmp_path, create=True)
    run = ar.start_run({})
    name = ar.open_writer(run)
    _store(ar, run, "http://www.a.gov.cn/1.pdf", PDF)
    committed = (tmp_path / name).stat().st_size
    ar.write_response("http://www.a.gov.cn/2.pdf", 200, "OK", [], PDF, utcnow())  # flushed, never committed
    assert (tmp_path / name).stat().st_size > committed
    ar._wfile.close()
    ar2 = Archive(tmp_path, create=True)
    ar2.open_writer(run)
    assert (tmp_path / name).stat().st_size == committed
    with open(tmp_path / name, "rb") as f:
        uris = [r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(f) if r.rec_type == "response"]
    assert uris == ["http://www.a.gov.cn/1.pdf"]


def test_missing_archive_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no crawl archive"):
        Archive(tmp_path / "none")
