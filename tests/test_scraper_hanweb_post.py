"""Hanweb paging through the POST `startrecord/endrecord` form: discovery, the POST request through the
politeness layer, its archive identity (URL + body) and WARC request record, re-crawls, and the fallback from
a GET `page=N` that gives nothing. Real HTTP on 127.0.0.1 (scraper.testing.add_hanweb_post_column)."""

from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from warcio.archiveiterator import ArchiveIterator

from scraper.archive import Archive
from scraper.crawl import crawl
from scraper.discover import discover, discover_failed, select
from scraper.fetch import Fetcher, Scope, parse_key, post_key
from scraper.registry import Source
from scraper.testing import PortalServer, Reply, add_hanweb_post_column

HOST = "www.hw-post.gov.cn"
PROXY = "/module/web/jpage/dataproxy.jsp"
FORM_TOKENS = ("col=1&appid=1&webid=120&path=/&columnid=12400&sourceContentType=1&unitid=38500"
               "&webname=%25E7%25A4%25BA%25E4%25BE%258B%25E5%258C%25BA&permissiontype=0")


@pytest.fixture
def srv():
    with PortalServer() as s:
        yield s


def run(srv, sources, data_dir, **kw):
    kw.setdefault("min_delay", 0.05)
    return crawl(sources, data_dir, backoff=0.05, resolve=srv.resolve, progress=False, **kw)


def warc_records(data_dir):
    out = []
    for f in sorted((Path(data_dir) / "warc").glob("*.warc.gz")):
        with open(f, "rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type in ("response", "revisit", "request"):
                    out.append((rec.rec_type, dict(rec.rec_headers.headers), rec.http_headers,
                                rec.content_stream().read()))
    return out


def test_post_only_column_every_report_once_politely_and_archived(srv, tmp_path):
    col = add_hanweb_post_column(srv, HOST)
    src = Source(id="hwp", name="示例区 年报", url=srv.url(HOST, col.column_path))
    summary = run(srv, [src], tmp_path)
    assert summary.exit_code == 0, str(summary)
    st = summary.stats["hwp"]
    assert st.reports_new == len(col.reports) == 90 and st.reports_seen == 90 and st.dropped_titles == 10
    assert st.list_pages == 4 and st.failed == 0  # column page, the empty GET, two POST groups

    asked = srv.requested(HOST)
    gets = Counter(r.path for r in asked if r.method == "GET")
    assert all(gets[p] == 1 for p in col.reports)  # every report fetched exactly once
    assert not [p for p in col.news if gets[p]]
    proxy = [(r.method, r.path.split("?", 1)[1], r.status) for r in asked if r.path.startswith(PROXY)]
    assert proxy == [
        ("GET", "page=1&appid=1&webid=120&path=/&columnid=12400&unitid=38500"
                "&webname=%25E7%25A4%25BA%25E4%25BE%258B%25E5%258C%25BA&permissiontype=0", 200),
        ("POST", "startrecord=46&endrecord=90&perpage=15", 200),
        ("POST", "startrecord=91&endrecord=135&perpage=15", 200)]
    for r in asked:
        if r.method == "POST":
            assert r.body.decode() == FORM_TOKENS  # the nextgroup href's tokens, byte for byte
            assert {k: v[0] for k, v in parse_qs(r.body.decode()).items()} == col.form
            assert r.headers["content-type"].startswith("application/x-www-form-urlencoded")
            assert r.headers["user-agent"].startswith("xxgk/")

    # politeness: one request at a time, min_delay apart, POSTs included (as sent, and as the server saw them)
    ar = Archive(tmp_path)
    sent = [r[0] for r in ar.db.execute("SELECT sent_at FROM responses WHERE target_uri LIKE ? ORDER BY sent_at",
                                        (f"http://{HOST}:%",))]
    assert len(sent) == len(asked) == 1 + 1 + 3 + 90  # robots, column, GET + 2 POST, reports
    assert all(b - a >= 0.05 for a, b in zip(sent, sent[1:], strict=False))
    gaps = [y.at - x.at for x, y in zip(asked, asked[1:], strict=False)]
    assert min(gaps) >= 0.025

    # archive: each POST group is a document keyed by URL + form, its response and request in the WARC
    keys = [post_key(srv.url(HOST, f"{PROXY}?startrecord={s}&endrecord={e}&perpage=15"), FORM_TOKENS)
            for s, e in ((46, 90), (91, 135))]
    for key in keys:
        doc = ar.get(key)
        assert doc.kind == "list" and doc.final_url == parse_key(key).url and b"<totalrecord>100" in doc.body()
    reports = {d.url: d for d in ar.documents(kinds=("report",))}
    last = reports[srv.url(HOST, col.reports[-1])]
    assert last.referrer == keys[1] and last.title == "示例区第99单位2015年政府信息公开工作年度报告"
    assert last.list_date == "2016-04-16"
    recs = warc_records(tmp_path)
    requests_ = [(h, http, body) for t, h, http, body in recs if t == "request"]
    assert len(requests_) == 2
    by_id = {h["WARC-Record-ID"]: (t, h) for t, h, _, _ in recs if t == "response"}
    for (h, http, body), key in zip(requests_, keys, strict=True):
        assert http.protocol == "POST" and body.decode() == FORM_TOKENS
        assert h["WARC-Target-URI"] == parse_key(key).url
        t, resp = by_id[h["WARC-Concurrent-To"]]
        assert resp["WARC-Target-URI"] == h["WARC-Target-URI"] and resp["XXGK-Request-Key"] == key
    ok = Counter(h["WARC-Target-URI"] for t, h, http, _ in recs
                 if t == "response" and http.get_statuscode() == "200")
    assert all(n == 1 for n in ok.values())
    ar.close()

    # re-crawl: the column page is asked conditionally (304), nothing else; nothing new
    srv.clear_log()
    again = run(srv, [src], tmp_path)
    assert again.exit_code == 0, str(again)
    st2 = again.stats["hwp"]
    # (the 41 年报 embedded in the column page are seen again; the groups behind it are not asked)
    assert st2.reports_new == 0 and st2.reports_unchanged == 41 and st2.lists_not_modified == 1
    assert [(r.method, r.path, r.status) for r in srv.requested(HOST) if r.path != "/robots.txt"] == [
        ("GET", col.column_path, 304)]


def test_get_form_refused_falls_back_to_post(srv, tmp_path):
    col = add_hanweb_post_column(srv, HOST, total=50, get_status=405)
    summary = run(srv, [Source(id="hwp", name="示例区", url=srv.url(HOST, col.column_path))], tmp_path,
                  min_delay=0.01)
    st = summary.stats["hwp"]
    assert st.reports_new == len(col.reports) == 45 and st.failed == 1  # the refused GET is reported
    proxy = [(r.method, r.path.split("?", 1)[1][:22], r.status) for r in srv.requested(HOST)
             if r.path.startswith(PROXY)]
    assert proxy == [("GET", "page=1&appid=1&webid=1", 405), ("POST", "startrecord=46&endreco", 200)]


def test_same_url_posted_with_two_bodies_is_two_documents(srv, tmp_path):
    def echo(method, target, headers, body):
        q = parse_qs(body.decode())["q"][0]
        return Reply(200, f"<html><body><h1>第{q}组</h1></body></html>")

    srv.route(HOST, "/search.jsp", echo)
    url = srv.url(HOST, "/search.jsp?perpage=15")
    a, b = post_key(url, "q=1"), post_key(url, "q=2")
    srcs = [Source(id="a", name="a", url=a), Source(id="b", name="b", url=b)]
    summary = run(srv, srcs, tmp_path, min_delay=0.01)
    assert summary.stats["a"].probe == "alive" and summary.stats["b"].probe == "alive"
    ar = Archive(tmp_path)
    assert "第1组".encode() in ar.get(a).body() and "第2组".encode() in ar.get(b).body()
    assert ar.get(a).final_url == ar.get(b).final_url == url
    assert sorted(r.body for r in srv.requested(HOST) if r.method == "POST") == [b"q=1", b"q=2"]
    bodies = sorted(body for t, _, _, body in warc_records(tmp_path) if t == "request")
    assert bodies == [b"q=1", b"q=2"]


def test_post_redirect_303_is_followed_by_get(srv):
    srv.route(HOST, "/form.jsp", Reply(303, headers={"Location": "/done.html"}))
    srv.add_site(HOST, files={"/done.html": "<html>ok</html>"})
    f = Fetcher(resolve=srv.resolve, min_delay=0.0)
    res = f.fetch(post_key(srv.url(HOST, "/form.jsp"), "a=1"), Scope.for_source(srv.url(HOST)))
    assert res.outcome == "ok" and res.final_url == srv.url(HOST, "/done.html")
    assert [(r.method, r.path, r.body) for r in srv.requested(HOST) if r.path != "/robots.txt"] == [
        ("POST", "/form.jsp", b"a=1"), ("GET", "/done.html", b"")]
    assert [r.method for r in res.responses] == ["POST", "GET"] and res.responses[0].request_body == b"a=1"


# ------------------------------------------------------------------ discovery, pure
COLUMN = """<div id="900"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/jpage/dataproxy.jsp?page=1&appid=1&appid=1&webid=7&path=/&columnid=77&unitid=900&webname=%25E7&permissiontype=0"></a>]]></nextgroup>
<recordset>{recs}</recordset></datastore></script>
<script>$('#900').jpage({{ perPage : 20, totalRecord : "130" }});</script></div>"""
REC = """<record><![CDATA[<li><a href="/art/2021/2/3/art_77_{n}.html" title="示例市2020年政府信息公开工作年度报告">示例...</a></li>]]></record>"""
BASE = "http://www.a.gov.cn/module/jpage/dataproxy.jsp"
FORM77 = "col=1&appid=1&webid=7&path=/&columnid=77&sourceContentType=1&unitid=900&webname=%25E7&permissiontype=0"


def test_column_page_announces_its_size_on_the_get_pager_link():
    page = COLUMN.format(recs="".join(REC.format(n=n) for n in range(40)))  # 40 embedded = 2 pages of 20
    (link,) = select(discover(page, "http://www.a.gov.cn/col/col77/index.html"), "list").lists
    assert link.page == 1 and link.url == (
        f"{BASE}?page=1&appid=1&appid=1&webid=7&path=/&columnid=77&unitid=900&webname=%25E7&permissiontype=0"
        "#xxgk-jpage:total=130&perpage=20&groupsize=2")
    assert parse_key(link.url).url == link.url.split("#")[0] and parse_key(link.url).method == "GET"
    # the empty GET answer: POST groups 2.. (40 records each); group 1 was embedded
    s = select(discover("<datastore><recordset></recordset></datastore>", link.url), "list")
    assert s.current_page == 1
    assert [(x.page, x.url) for x in s.lists] == [
        (k, post_key(f"{BASE}?startrecord={a}&endrecord={b}&perpage=20", FORM77))
        for k, a, b in ((2, 41, 80), (3, 81, 120), (4, 121, 160))]
    # an HTTP error on the GET gives the same groups
    assert [x.url for x in discover_failed(link.url).lists] == [x.url for x in s.lists]
    # a non-XML error page is "no records" too
    assert [x.url for x in select(discover("<html>系统繁忙</html>", link.url), "list").lists] == [
        x.url for x in s.lists]


def test_get_answer_with_records_stays_get_and_post_answers_continue():
    key = f"{BASE}?page=2&webid=7&columnid=77#xxgk-jpage:total=130&perpage=20&groupsize=2"
    s = select(discover("<datastore>" + REC.format(n=1) + "</datastore>", key), "list")
    assert [x.url.split("#")[0].split("?")[1] for x in s.lists] == ["page=3&webid=7&columnid=77",
                                                                    "page=4&webid=7&columnid=77"]
    # no note, but the empty answer announces its total itself: POST from group N with jpage defaults (15 x 3)
    bare = f"{BASE}?page=3&webid=7&columnid=77"
    s = select(discover("<datastore><totalrecord>100</totalrecord></datastore>", bare), "list")
    assert [parse_key(x.url).url.split("?")[1] for x in s.lists] == ["startrecord=91&endrecord=135&perpage=15"]
    assert parse_key(s.lists[0].url).body == b"col=1&appid=1&webid=7&path=/&columnid=77&sourceContentType=1&permissiontype=0"
    # no total anywhere: nothing to guess
    assert not select(discover("<datastore></datastore>", bare), "list").lists
    # a POST answer without totalrecord goes on only while its group came back full
    post = post_key(f"{BASE}?startrecord=3&endrecord=4&perpage=1", FORM77)
    full = select(discover("<datastore>" + REC.format(n=1) + REC.format(n=2) + "</datastore>", post), "list")
    assert full.current_page == 2 and [x.url for x in full.lists] == [
        post_key(f"{BASE}?startrecord=5&endrecord=6&perpage=1", FORM77)]
    assert len(full.reports) == 2
    assert not select(discover("<datastore>" + REC.format(n=1) + "</datastore>", post), "list").lists


def test_request_keys():
    key = post_key("http://h/x.jsp?a=1", "b=2&c=%25E7")
    req = parse_key(key)
    assert (req.url, req.method, req.body, req.key) == ("http://h/x.jsp?a=1", "POST", b"b=2&c=%25E7", key)
    assert parse_key("http://h/x.jsp?page=1#xxgk-jpage:total=5").url == "http://h/x.jsp?page=1"
    assert parse_key("http://h/gkmlpt/index#5").url == "http://h/gkmlpt/index#5"  # not ours: untouched
    assert urlsplit(key).hostname == "h"


def test_kill_and_resume_with_post_groups(tmp_path):
    """kill -9 after the first POST group is committed: the resumed run neither asks a committed request
    again (same method, URL and body) nor loses one; every body is in the WARC once."""
    import os
    import sqlite3
    import subprocess
    import sys
    import time

    root = Path(__file__).resolve().parents[1]
    with PortalServer(latency=0.003) as srv:
        col = add_hanweb_post_column(srv, HOST)
        reg = tmp_path / "sources.csv"
        reg.write_text(f"id,name,url,min_delay\nhwp,示例区,{srv.url(HOST, col.column_path)},0.02\n", encoding="utf-8")
        data = tmp_path / "data"
        cmd = [sys.executable, "-m", "xxgk", "crawl", "--sources", str(reg), "--data-dir", str(data),
               "--min-delay", "0.02", "--no-progress", "--resolve", f"{HOST}=127.0.0.1"]
        env = {**os.environ, "PYTHONPATH": str(root)}
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while proc.poll() is None:  # kill once the first POST group and 10 reports after it are in
            assert time.monotonic() < deadline, "crawl made no progress"
            log = srv.requested(HOST)
            first = next((i for i, r in enumerate(log) if r.method == "POST"), None)
            if first is not None and len(log) > first + 10:
                break
            time.sleep(0.005)
        proc.kill()
        proc.communicate()
        assert proc.returncode == -9, "the crawl finished before it could be killed"
        db = sqlite3.connect(f"file:{data / 'state.sqlite'}?mode=ro", uri=True)
        committed = {r[0] for r in db.execute("SELECT url FROM documents WHERE sha256 IS NOT NULL")}
        db.close()
        done_keys = {parse_key(k) for k in committed}
        assert any(r.method == "POST" for r in done_keys)  # the first group was committed before the kill
        srv.clear_log()
        done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "(resumed)" in done.stdout
        again = [(r.method, srv.url(HOST, r.path), r.body) for r in srv.requested(HOST)]
        assert not [a for a in again if any((q.method, q.url, q.body) == a for q in done_keys)]
        resumed_posts = [r.path.split("?")[1] for r in srv.requested(HOST) if r.method == "POST"]
        assert resumed_posts in ([], ["startrecord=91&endrecord=135&perpage=15"])  # only an uncommitted group

    ar = Archive(data)
    assert {d.url for d in ar.documents(kinds=("report",))} == {srv.url(HOST, p) for p in col.reports}
    assert len([d for d in ar.documents(kinds=("list",)) if "#xxgk-post:" in d.url]) == 2
    recs = warc_records(data)
    ok = Counter(h["WARC-Target-URI"] for t, h, http, _ in recs
                 if t == "response" and http.get_statuscode() == "200" and not h["WARC-Target-URI"].endswith(
                     "/robots.txt"))
    assert all(n == 1 for n in ok.values()) and len(ok) == 90 + 4
    assert sorted(h["WARC-Target-URI"].split("?")[1] for t, h, _, _ in recs if t == "request") == [
        "startrecord=46&endrecord=90&perpage=15", "startrecord=91&endrecord=135&perpage=15"]
