"""End-to-end crawls of the fixture portals over real HTTP on 127.0.0.1.

Host names such as www.trs-city.gov.cn are mapped to 127.0.0.1 by the crawler's `resolve` option (the same
mechanism as curl --resolve), so scoping by registrable domain is exercised with realistic names while no
packet leaves the loopback interface. Each test asserts what was requested, what never was, what the WARC
files hold and what the state database says.
"""

import socket
from collections import Counter
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from parsers.decode import decode
from scraper.archive import Archive, read_record
from scraper.crawl import crawl
from scraper.registry import Source
from scraper.testing import PortalServer, Reply

PORTALS = Path(__file__).parent / "fixtures" / "portals"
TRS, ZWGK, HW, CTY = "www.trs-city.gov.cn", "zwgk.trs-city.gov.cn", "www.hw-city.gov.cn", "www.county.gov.cn"


@pytest.fixture
def srv():
    with PortalServer() as s:
        for d in ("trs", "trs-zwgk", "hanweb", "county"):
            s.load_portal(PORTALS / d)
        yield s


def source(srv, sid, host, path, **kw):
    return Source(id=sid, name=f"测试源 {sid}", url=srv.url(host, path), **kw)


def run(srv, sources, data_dir, **kw):
    kw.setdefault("min_delay", 0.02)
    return crawl(sources, data_dir, backoff=0.05, resolve=srv.resolve, progress=False, **kw)


def paths(srv, host):
    return [r.path for r in srv.requested(host)]


def warc_responses(data_dir):
    """(record type, target URI, HTTP status) of every record in every WARC file."""
    out = []
    for f in sorted((Path(data_dir) / "warc").glob("*.warc.gz")):
        with open(f, "rb") as fh:
            for rec in ArchiveIterator(fh):
                if rec.rec_type in ("response", "revisit"):
                    out.append((rec.rec_type, rec.rec_headers.get_header("WARC-Target-URI"),
                                int(rec.http_headers.get_statuscode())))
    return out


def test_trs_site(srv, tmp_path):
    summary = run(srv, [source(srv, "trs", TRS, "/zwgk/xxgknb/")], tmp_path, min_delay=0.05)
    assert summary.exit_code == 0, str(summary)
    st = summary.stats["trs"]
    assert st.probe == "alive" and st.list_pages == 2 and st.reports_new == 8 and st.attachments_new == 2
    got = paths(srv, TRS)
    base = "/zwgk/xxgknb/"
    for p in ["/robots.txt", base, base + "index_1.html", base + "202103/t20210308_1001.html",
              base + "202103/t20210309_1002.html", base + "202103/t20210309_1002_1.html",
              base + "202103/P020210308123456.pdf", base + "202103/P020210308654321.docx",
              base + "old/t20200301_1005.html", base + "202003/t20200301_1005.html",
              base + "202004/P020200401555000.pdf"]:
        assert p in got, p
    # never requested: news, the 网站年度工作报表 look-alike, robots-disallowed, commented-out pages, off-site host
    for p in [base + "202101/t20210101_9001.html", base + "202001/t20200114_9002.html",
              "/private/t20210311_3001.html", base + "index_2.html", base + "index.html"]:
        assert p not in got, p
    assert not srv.requested("www.offsite-example.com")
    assert st.offsite_links == 1 and st.dropped_titles >= 2
    # the sibling subdomain is in scope (same registrable domain) and gets its own robots.txt
    assert paths(srv, ZWGK) == ["/robots.txt", "/qxnb/t20210310_2001.html"]
    # 500 twice then success; 429 then success after Retry-After
    assert [r.status for r in srv.requested(TRS, base + "202103/t20210305_1003.html")] == [500, 500, 200]
    a, b = srv.requested(TRS, base + "202103/t20210306_1004.html")
    assert (a.status, b.status) == (429, 200) and b.at - a.at >= 0.9
    retried = [r[0] for r in Archive(tmp_path).db.execute(
        "SELECT sent_at FROM responses WHERE target_uri LIKE '%t20210306_1004.html' ORDER BY sent_at")]
    assert len(retried) == 2 and retried[1] - retried[0] >= 1.0  # Retry-After: 1, as sent
    # one request at a time per host, min_delay (0.05 s) apart: exactly as sent (the crawler's audit log), and
    # roughly as the server saw them (arrival times measured in this busy process jitter), honest User-Agent
    hits = srv.requested(TRS)
    gaps = [y.at - x.at for x, y in zip(hits, hits[1:], strict=False)]
    assert min(gaps) >= 0.025, sorted(gaps)[:3]
    sent = [r[0] for r in Archive(tmp_path).db.execute(
        "SELECT sent_at FROM responses WHERE target_uri LIKE 'http://www.trs-city.gov.cn:%' ORDER BY sent_at")]
    assert len(sent) == len(hits)
    assert all(b - a >= 0.05 for a, b in zip(sent, sent[1:], strict=False))
    assert all(h.headers["user-agent"].startswith("xxgk/") for h in hits)

    ar = Archive(tmp_path)
    docs = {d.url: d for d in ar.documents()}
    u = srv.url
    report = docs[u(TRS, base + "202103/t20210309_1002.html")]
    assert report.kind == "report" and report.title == "示例市人民政府办公室2021年政府信息公开工作年度报告"
    assert report.list_date == "2021-03-09" and report.referrer == u(TRS, base)
    assert docs[u(TRS, base + "202103/t20210309_1002_1.html")].title == report.title
    pdf = docs[u(TRS, base + "202103/P020210308123456.pdf")]
    assert pdf.kind == "attachment" and pdf.content_type == "application/pdf" and pdf.body().startswith(b"%PDF")
    assert pdf.referrer == u(TRS, base + "202103/t20210308_1001.html")
    docx = docs[u(TRS, base + "202103/P020210308654321.docx")]
    assert docx.content_type.endswith("wordprocessingml.document")  # sniffed from bytes, not the header
    direct = docs[u(TRS, base + "202004/P020200401555000.pdf")]
    assert direct.kind == "report" and direct.title == "示例市教育局2019年政府信息公开工作年度报告"
    moved = ar.get(u(TRS, base + "old/t20200301_1005.html"))
    assert moved.final_url == u(TRS, base + "202003/t20200301_1005.html") and ar.get(moved.final_url) == moved
    assert len([d for d in docs.values() if d.kind == "report"]) == 8
    private = ar.state(u(TRS, "/private/t20210311_3001.html"))
    assert private["status"] == "skipped" and "robots" in private["error"]
    # WARC: every response is there (the two 500s and the 429 too), each body exactly once
    recs = warc_responses(tmp_path)
    per_uri = Counter((t, uri, s) for t, uri, s in recs)
    assert per_uri[("response", u(TRS, base + "202103/t20210305_1003.html"), 500)] == 2
    assert per_uri[("response", u(TRS, base + "202103/t20210306_1004.html"), 429)] == 1
    assert per_uri[("response", u(TRS, base + "old/t20200301_1005.html"), 301)] == 1
    assert all(n == 1 for (t, uri, s), n in per_uri.items() if s == 200)
    assert ar.probes()["trs"]["status"] == "alive"
    assert ar.sources()["trs"].url == u(TRS, base)


def test_hanweb_site(srv, tmp_path):
    summary = run(srv, [source(srv, "hw", HW, "/col/col12377/index.html")], tmp_path)
    assert summary.exit_code == 0, str(summary)
    got = paths(srv, HW)
    webname = "webname=%25E7%25A4%25BA%25E4%25BE%258B%25E5%25B8%2582"
    proxy = [p for p in got if p.startswith("/module/web/jpage/dataproxy.jsp")]
    assert [p.split("&")[0] for p in proxy] == ["/module/web/jpage/dataproxy.jsp?page=1",
                                                  "/module/web/jpage/dataproxy.jsp?page=2"]
    assert all(webname in p for p in proxy)  # replayed as given, not re-encoded
    assert "/art/2022/1/14/art_12377_502.html" not in got  # 网站年度工作报表
    assert "/art/2022/1/12/art_12377_503.html" not in got  # news
    ar = Archive(tmp_path)
    reports = {d.url.split(":", 2)[2].split("/", 1)[1]: d for d in ar.documents(kinds=("report",))}
    assert sorted(reports) == ["art/2021/2/3/art_12377_401.html", "art/2022/1/18/art_12377_504.html",
                               "art/2022/1/20/art_12377_501.html"]
    assert reports["art/2022/1/20/art_12377_501.html"].title == "示例市人民政府2021年政府信息公开工作年度报告"
    assert reports["art/2022/1/18/art_12377_504.html"].list_date == "2022-01-18"
    (att,) = list(ar.documents(kinds=("attachment",)))
    assert "downfile.jsp" in att.url and att.content_type == "application/pdf"
    assert att.http_content_type == "application/octet-stream"


def test_county_gbk_site(srv, tmp_path):
    summary = run(srv, [source(srv, "cty", CTY, "/zfxxgk/zfxxgknb/")], tmp_path)
    assert summary.exit_code == 0, str(summary)
    got = paths(srv, CTY)
    nb = "/zfxxgk/zfxxgknb/"
    assert {nb + "2021/", nb + "2020/", nb + "index_1.html"} <= set(got)  # year sub-columns, numbered page
    assert nb + "2022/t20230105_302.html" not in got  # 统计公报
    assert "/zfxxgk/zfxxgkzn/" not in got  # a sibling column, not a 年报 sub-column
    ar = Archive(tmp_path)
    reports = {d.title: d for d in ar.documents(kinds=("report",))}
    assert sorted(reports) == sorted([
        "示例县人民政府2022年度政府信息公开工作报告", "示例县人民政府2021年度政府信息公开工作报告",
        "示例县堃镕镇2021年政府信息公开工作年度报告", "示例县人民政府2020年度政府信息公开工作报告",
        "示例县人民政府2018年政府信息公开工作年度报告"])
    gbk = reports["示例县堃镕镇2021年政府信息公开工作年度报告"]
    assert gbk.http_content_type == "text/html" and gbk.http_charset is None  # no charset in the header
    raw = gbk.body()
    assert "堃镕".encode("gbk") in raw  # raw bytes kept as served
    text, enc = decode(raw, gbk.http_charset)
    assert enc == "gb18030" and "示例县堃镕镇" in text
    assert reports["示例县人民政府2018年政府信息公开工作年度报告"].list_date == "2019-02-01"
    (att,) = list(ar.documents(kinds=("attachment",)))
    assert att.content_type == "application/pdf"


def test_probes_blocked_dead_moved_and_exit_code(srv, tmp_path):
    srv.route("www.waf-city.gov.cn", "/nb/", Reply(412, "<html><script>var $_ts=window['$_ts'];</script></html>"))
    srv.route("www.jsl-city.gov.cn", "/nb/", Reply(521, "<script>document.cookie='__jsl_clearance=1.0'</script>"))
    srv.route("www.closed-city.gov.cn", "/robots.txt", Reply(403, "no"))
    srv.route("www.closed-city.gov.cn", "/nb/", Reply(200, "<a href='t1.html'>某2021年政府信息公开工作年度报告</a>"))
    srv.add_site("www.gone-city.gov.cn", files={})
    srv.add_site("www.moved-city.gov.cn", files={
        "/new/nb/index.html": "<a href='t1.html'>示例市2022年政府信息公开工作年度报告</a>",
        "/new/nb/t1.html": "<html><body>一、总体情况</body></html>"})
    srv.route("www.moved-city.gov.cn", "/nb/", Reply(301, headers={"Location": "/new/nb/index.html"}))
    closed_port = socket.socket()
    closed_port.bind(("127.0.0.1", 0))
    port = closed_port.getsockname()[1]
    closed_port.close()
    srcs = [source(srv, "waf", "www.waf-city.gov.cn", "/nb/"), source(srv, "jsl", "www.jsl-city.gov.cn", "/nb/"),
            source(srv, "closed", "www.closed-city.gov.cn", "/nb/"),
            source(srv, "gone", "www.gone-city.gov.cn", "/nb/"), source(srv, "moved", "www.moved-city.gov.cn", "/nb/"),
            Source(id="refused", name="无人应答", url=f"http://www.refused-city.gov.cn:{port}/nb/")]
    summary = crawl(srcs, tmp_path, min_delay=0.02, backoff=0.05, retries=1, progress=False,
                    resolve={**srv.resolve, "www.refused-city.gov.cn": "127.0.0.1"})
    probes = {sid: st.probe for sid, st in summary.stats.items()}
    assert probes == {"waf": "blocked", "jsl": "blocked", "closed": "blocked", "gone": "dead", "moved": "moved",
                      "refused": "dead"}
    assert summary.exit_code == 1 and summary.dead_columns == ["gone", "refused"]
    assert "connection error" in summary.stats["refused"].probe_detail
    text = str(summary)
    assert "DEAD column gone" in text and "PROBLEM waf: all 1 fetch(es) failed" in text
    assert "PROBLEM moved" not in text and "exit code 1" in text
    # a challenge is recorded once, never retried in a loop; a 403 robots.txt stops the host
    assert [r.status for r in srv.requested("www.waf-city.gov.cn")] == [404, 412]
    assert [r.status for r in srv.requested("www.jsl-city.gov.cn")] == [404, 521]
    assert paths(srv, "www.closed-city.gov.cn") == ["/robots.txt"]
    assert summary.stats["moved"].reports_new == 1
    ar = Archive(tmp_path)
    assert ar.state(srv.url("www.waf-city.gov.cn", "/nb/"))["status"] == "blocked"
    assert ar.probes()["moved"]["detail"].startswith("redirects to http://www.moved-city.gov.cn:")


def test_incremental_rerun_fetches_only_new_or_changed(srv, tmp_path):
    srcs = [source(srv, "trs", TRS, "/zwgk/xxgknb/"), source(srv, "cty", CTY, "/zfxxgk/zfxxgknb/")]
    first = run(srv, srcs, tmp_path)
    assert first.exit_code == 0
    before = warc_responses(tmp_path)
    srv.clear_log()
    second = run(srv, srcs, tmp_path)
    assert second.exit_code == 0, str(second)
    # only list pages were asked again, all conditionally, all answered 304
    asked = [(r.host, r.path, r.status) for r in srv.requests if r.path != "/robots.txt"]
    assert sorted(p for _, p, _ in asked) == sorted(["/zwgk/xxgknb/", "/zfxxgk/zfxxgknb/", "/zfxxgk/zfxxgknb/2021/",
                                                      "/zfxxgk/zfxxgknb/2020/"])
    assert all(s == 304 for *_, s in asked)
    assert all("if-none-match" in r.headers for r in srv.requests if r.path != "/robots.txt")
    assert second.stats["cty"].reports_new == 0 and second.stats["cty"].reports_unchanged == 4
    assert second.stats["trs"].reports_seen > 0
    new_recs = warc_responses(tmp_path)[len(before):]
    assert all(s in (304, 404, 200) for *_, s in new_recs)
    assert not [r for r in new_recs if r[2] == 200 and "robots" not in r[1]]

    # a new report appears on the county list: only the list and that report are fetched
    srv.clear_log()
    page = (PORTALS / "county/zfxxgk/zfxxgknb/index.html").read_text(encoding="utf-8").replace(
        '<ul class="list">', '<ul class="list">\n<li><span>[2024-01-29]</span><a href="2023/t20240129_401.html">'
        '示例县人民政府2023年度政府信息公开工作报告</a></li>')
    srv.add_site(CTY, files={"/zfxxgk/zfxxgknb/index.html": page,
                             "/zfxxgk/zfxxgknb/2023/t20240129_401.html": "<html><body>2023年报</body></html>"})
    third = run(srv, srcs, tmp_path)
    assert third.stats["cty"].reports_new == 1 and third.stats["cty"].reports_unchanged == 5
    got = [(r.path, r.status) for r in srv.requested(CTY) if r.path != "/robots.txt"]
    assert ("/zfxxgk/zfxxgknb/", 200) in got and ("/zfxxgk/zfxxgknb/2023/t20240129_401.html", 200) in got
    assert ("/zfxxgk/zfxxgknb/index_1.html", 304) in got  # the page after one with news is re-checked
    assert not [p for p, s in got if s == 200 and p not in ("/zfxxgk/zfxxgknb/", "/zfxxgk/zfxxgknb/2023/t20240129_401.html")]
    ar = Archive(tmp_path)
    assert ar.get(srv.url(CTY, "/zfxxgk/zfxxgknb/2023/t20240129_401.html")).list_date == "2024-01-29"
    assert ar.state(srv.url(CTY, "/zfxxgk/zfxxgknb/"))["versions"] == 2


def test_source_that_stops_yielding_reports_fails_the_run(srv, tmp_path):
    srcs = [source(srv, "cty", CTY, "/zfxxgk/zfxxgknb/")]
    assert run(srv, srcs, tmp_path).exit_code == 0
    srv.add_site(CTY, files={"/zfxxgk/zfxxgknb/index.html": "<html><body>栏目改版，内容迁移中</body></html>"})
    again = run(srv, srcs, tmp_path)
    assert again.exit_code == 1
    assert any("cty: had 5 report(s) before, yields none now" in p for p in again.problems)
    # nothing stored is lost: the archive still serves every report
    assert len(list(Archive(tmp_path).documents(kinds=("report",)))) == 5


def test_revised_report_is_fetched_again_and_kept_as_a_new_version(srv, tmp_path):
    srcs = [source(srv, "cty", CTY, "/zfxxgk/zfxxgknb/")]
    run(srv, srcs, tmp_path)
    nb = "/zfxxgk/zfxxgknb/"
    url = srv.url(CTY, nb + "2022/t20230130_301.html")
    old_body = Archive(tmp_path).get(url).body()
    # the portal republishes the 2022 report (new date on the list, new text)
    page = (PORTALS / "county/zfxxgk/zfxxgknb/index.html").read_text(encoding="utf-8").replace(
        "[2023-01-30]", "[2023-02-15]")
    srv.add_site(CTY, files={nb + "index.html": page,
                             nb + "2022/t20230130_301.html": "<html><body>示例县2022年度报告（修订版）</body></html>"})
    srv.clear_log()
    again = run(srv, srcs, tmp_path, recheck_reports=False)
    st = again.stats["cty"]
    assert st.reports_changed == 1 and st.reports_new == 0
    assert [r.path for r in srv.requested(CTY) if r.path.endswith("_301.html")] == [nb + "2022/t20230130_301.html"]
    ar = Archive(tmp_path)
    doc = ar.get(url)
    assert doc.list_date == "2023-02-15" and "修订版".encode("gbk") in doc.body()
    assert ar.state(url)["versions"] == 2
    versions = ar.db.execute("SELECT warc_file, warc_offset FROM versions WHERE url = ? ORDER BY id", (url,)).fetchall()
    assert [read_record(tmp_path / f, o)[2] for f, o in versions] == [old_body, doc.body()]


def test_registered_page_that_is_itself_a_report(srv, tmp_path):
    host, gen = "www.gen-city.gov.cn", "/module/xxgk/xxgkAnnualReport.jsp?area=11371000004359010J&fbtime=2022"
    srv.route(host, gen, Reply(200, "<html><head><title>示例市2022年政府信息公开工作年度报告_示例市人民政府</title></head>"
                                    "<body><h1>示例市2022年政府信息公开工作年度报告</h1><p>一、总体情况</p>"
                                    "<a href='/attach/nb2022.pdf'>附件</a></body></html>"))
    srv.add_site(host, files={"/attach/nb2022.pdf": PORTALS.joinpath(
        "county/zfxxgk/zfxxgknb/2020/P020210208000001.pdf").read_bytes()})
    srcs = [Source(id="gen", name="年报生成页", url=srv.url(host, gen))]
    first = run(srv, srcs, tmp_path)
    st = first.stats["gen"]
    assert first.exit_code == 0 and st.reports_new == 1 and st.attachments_new == 1 and st.list_pages == 0
    ar = Archive(tmp_path)
    (rep,) = list(ar.documents(kinds=("report",)))
    assert rep.url == srv.url(host, gen) and rep.title == "示例市2022年政府信息公开工作年度报告"
    (att,) = list(ar.documents(kinds=("attachment",)))
    assert att.referrer == rep.url and att.content_type == "application/pdf"
    ar.close()
    second = run(srv, srcs, tmp_path)
    assert second.exit_code == 0 and second.stats["gen"].reports_seen == 1
