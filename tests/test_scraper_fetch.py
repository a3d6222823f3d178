"""The politeness layer against a real HTTP server on 127.0.0.1 (host names mapped there via `resolve`)."""

import socket
import threading
import time

import pytest

from scraper.fetch import Fetcher, Response, Scope, detect_challenge, registrable_domain, retry_after
from scraper.testing import PortalServer, Reply

H = "www.a.gov.cn"


@pytest.fixture
def srv():
    with PortalServer() as s:
        s.add_site(H, files={"/nb/index.html": "<html>ok</html>", "/big.html": "x" * 5000})
        yield s


def fetcher(srv, **kw):
    kw.setdefault("min_delay", 0.0)
    kw.setdefault("backoff", 0.01)
    return Fetcher(resolve=srv.resolve, **kw)


def test_scope_is_registrable_domain_plus_allow_list():
    assert registrable_domain("zwgk.dingxi.gov.cn") == "dingxi.gov.cn"
    assert registrable_domain("www.shenyang.gov.cn") == "shenyang.gov.cn"
    assert registrable_domain("127.0.0.5") == "127.0.0.5"
    s = Scope.for_source("http://www.dingxi.gov.cn/col/col1/", ["gsei.com.cn"])
    assert s.allows("http://zwgk.dingxi.gov.cn/art/1.html")
    assert s.allows("https://cdn.gsei.com.cn/x.pdf")
    assert not s.allows("http://www.gov.cn/")
    assert not s.allows("http://dingxi.gov.cn.evil.com/")
    assert not s.allows("ftp://www.dingxi.gov.cn/")


def test_retry_after_values():
    assert retry_after("7") == 7.0
    assert retry_after(None) is None and retry_after("soon") is None
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past: go now


@pytest.mark.parametrize("status,body,headers,name", [
    (412, b"<script>$_ts=window['$_ts'];if(!$_ts)$_ts={};</script>", [], "ruishu-412"),
    (521, b"<script>document.cookie='__jsl_clearance=1'</script>", [], "jiasule-521"),
    (302, b"", [("Location", "/WZWSREL2NvbD9hPTE=?wzwschallenge=V1pXU19DT05G")], "wzws-redirect"),
    (412, b"Precondition Failed", [], "challenge-status"),
    (200, b"<html>normal page with $ sign</html>", [], None),
    (302, b"", [("Location", "/nb/index.html")], None),
])
def test_challenge_detection(status, body, headers, name):
    r = Response("http://x/", status, "", headers, body, "2024-01-01T00:00:00Z", 0.0)
    assert detect_challenge(r) == name


def test_host_name_mapping_keeps_host_header_and_ua(srv):
    f = fetcher(srv)
    url = srv.url(H, "/nb/index.html")
    res = f.fetch(url, Scope.for_source(url))
    assert res.outcome == "ok" and res.response.body == b"<html>ok</html>"
    assert [(r.host, r.path) for r in srv.requests] == [(H, "/robots.txt"), (H, "/nb/index.html")]
    ua = srv.requests[-1].headers["user-agent"]
    assert ua.startswith("xxgk/") and "+http" in ua
    assert [r.status for r in res.robots[0].responses] == [404]


def test_5xx_is_retried_with_backoff_then_given_up(srv):
    srv.route(H, "/down.html", Reply(503))
    f = fetcher(srv, retries=2, backoff=0.05)
    res = f.fetch(srv.url(H, "/down.html"), Scope.for_source(srv.url(H)))
    assert res.outcome == "http_error" and "after 3 attempts" in res.error
    hits = srv.requested(H, "/down.html")
    assert len(hits) == 3 and len(res.responses) == 3
    sent = [r.started for r in res.responses]
    gaps = [b - a for a, b in zip(sent, sent[1:], strict=False)]
    assert gaps[0] >= 0.05 and gaps[1] >= 0.1  # exponential: 0.05, 0.1 (+ jitter)


def test_429_retry_after_is_honoured(srv):
    srv.route(H, "/busy.html", Reply(429, headers={"Retry-After": "1"}), Reply(200, "fine"))
    f = fetcher(srv)
    res = f.fetch(srv.url(H, "/busy.html"), Scope.for_source(srv.url(H)))
    assert res.outcome == "ok" and [r.status for r in res.responses] == [429, 200]
    assert len(srv.requested(H, "/busy.html")) == 2
    a, b = res.responses
    assert b.started - a.started >= 1.0


def test_too_long_retry_after_is_not_waited(srv):
    srv.route(H, "/later.html", Reply(503, headers={"Retry-After": "86400"}))
    res = fetcher(srv, max_retry_after=60).fetch(srv.url(H, "/later.html"), Scope.for_source(srv.url(H)))
    assert res.outcome == "http_error" and "Retry-After" in res.error
    assert len(srv.requested(H, "/later.html")) == 1


def test_challenge_is_blocked_once_and_host_not_asked_again(srv):
    srv.route(H, "/a.html", Reply(412, "<script>var $_ts=window['$_ts'];</script>"))
    f = fetcher(srv)
    scope = Scope.for_source(srv.url(H))
    res = f.fetch(srv.url(H, "/a.html"), scope)
    assert res.outcome == "blocked" and "ruishu" in res.error
    res2 = f.fetch(srv.url(H, "/nb/index.html"), scope)
    assert res2.outcome == "blocked" and not res2.responses
    assert [r.path for r in srv.requests] == ["/robots.txt", "/a.html"]


def test_redirects_are_followed_by_hand_within_scope_only(srv):
    srv.add_site("zwgk.a.gov.cn", files={"/x.html": "sub"})
    srv.route(H, "/r1", Reply(302, headers={"Location": "http://zwgk.a.gov.cn:__PORT__/x.html"}))
    srv.route(H, "/r2", Reply(301, headers={"Location": "http://www.elsewhere.org:__PORT__/x.html"}))
    srv.add_site("www.elsewhere.org", files={"/x.html": "never"})
    f = fetcher(srv, min_delay=0.05)
    scope = Scope.for_source(srv.url(H))
    res = f.fetch(srv.url(H, "/r1"), scope)
    assert res.outcome == "ok" and res.final_url == srv.url("zwgk.a.gov.cn", "/x.html")
    assert [r.status for r in res.all_responses] == [404, 404, 302, 200]  # robots of both hosts, hop, target
    res2 = f.fetch(srv.url(H, "/r2"), scope)
    assert res2.outcome == "offsite" and "elsewhere" in res2.error
    assert not srv.requested("www.elsewhere.org")
    # every hop goes through its host's slot: robots, r1, r2 on www.a.gov.cn are min_delay apart
    sent = sorted(x.started for r in (res, res2) for x in r.all_responses if "www.a.gov.cn" in x.url)
    assert len(sent) == 3 and all(b - a >= 0.05 for a, b in zip(sent, sent[1:], strict=False))


def test_robots_rules(srv):
    srv.route(H, "/robots.txt", Reply(200, "User-agent: *\nDisallow: /private/\nCrawl-delay: 0.2\n"))
    srv.add_site("www.closed.gov.cn", files={"/nb/": "x"})
    srv.route("www.closed.gov.cn", "/robots.txt", Reply(403, "forbidden"))
    srv.add_site("www.broken.gov.cn", files={"/nb/": "x"})
    srv.route("www.broken.gov.cn", "/robots.txt", Reply(500))
    f = fetcher(srv, retries=1)
    scope = Scope.for_source(srv.url(H))
    assert f.fetch(srv.url(H, "/private/x.html"), scope).outcome == "robots"
    first = f.fetch(srv.url(H, "/nb/index.html"), scope)
    second = f.fetch(srv.url(H, "/nb/index.html"), scope)
    assert first.outcome == second.outcome == "ok"
    assert not srv.requested(H, "/private/x.html")
    assert len(srv.requested(H, "/nb/index.html")) == 2
    assert second.response.started - first.response.started >= 0.2  # Crawl-delay raised the host's min_delay
    closed = f.fetch(srv.url("www.closed.gov.cn", "/nb/"), Scope.for_source(srv.url("www.closed.gov.cn")))
    assert closed.outcome == "skipped" and "403" in closed.error
    assert [r.path for r in srv.requested("www.closed.gov.cn")] == ["/robots.txt"]
    broken = f.fetch(srv.url("www.broken.gov.cn", "/nb/"), Scope.for_source(srv.url("www.broken.gov.cn")))
    assert broken.outcome == "error" and "host down" in broken.error
    assert [r.path for r in srv.requested("www.broken.gov.cn")] == ["/robots.txt", "/robots.txt"]


def test_body_cap(srv):
    res = fetcher(srv, max_body=1000).fetch(srv.url(H, "/big.html"), Scope.for_source(srv.url(H)))
    assert res.outcome == "error" and "cap" in res.error
    assert res.response.truncated and len(res.response.body) == 1000


def test_connection_refused_is_retried_then_error():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    f = Fetcher(resolve={"www.dead.gov.cn": "127.0.0.1"}, min_delay=0, backoff=0.01, retries=2, respect_robots=False)
    url = f"http://www.dead.gov.cn:{port}/nb/"
    res = f.fetch(url, Scope.for_source(url))
    assert res.outcome == "error" and "connection error" in res.error and res.attempts == 3
    # with robots.txt on, the unreachable robots.txt marks the host down: no further connection attempts
    f = Fetcher(resolve={"www.dead.gov.cn": "127.0.0.1"}, min_delay=0, backoff=0.01, retries=1)
    res = f.fetch(url, Scope.for_source(url))
    assert res.outcome == "error" and "host down" in res.error and res.attempts == 0
    assert [r.attempts for r in res.robots] == [2]


def test_one_request_at_a_time_per_host_many_hosts_in_parallel(srv):
    srv.latency = 0.05
    for h in ("www.b.gov.cn", "www.c.gov.cn"):
        srv.add_site(h, files={f"/p{i}.html": f"{i}" for i in range(4)})
    f = fetcher(srv, min_delay=0.1, jitter=0.0)
    results = []
    scope = Scope(frozenset({"b.gov.cn", "c.gov.cn"}))

    def worker(host, i):
        results.append(f.fetch(srv.url(host, f"/p{i}.html"), scope))

    t0 = time.monotonic()
    threads = [threading.Thread(target=worker, args=(h, i)) for h in ("www.b.gov.cn", "www.c.gov.cn")
               for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - t0
    assert [r.outcome for r in results] == ["ok"] * 8
    for h in ("www.b.gov.cn", "www.c.gov.cn"):
        assert len(srv.requested(h)) == 5  # robots + 4 pages
        sent = sorted((x.started, x.started + x.elapsed) for r in results for x in r.all_responses if h in x.url)
        assert len(sent) == 5
        # sent at least min_delay apart, and never two exchanges with one host at the same time
        assert all(b[0] - a[0] >= 0.1 and b[0] >= a[1] for a, b in zip(sent, sent[1:], strict=False))
    assert elapsed < 0.1 * 5 * 2  # the two hosts were served concurrently
