"""A fixture-portal web server for tests, the demo and the crawl benchmark (127.0.0.1 only).

One threaded HTTP/1.1 server answers for many virtual host names; the crawler reaches those names through
its `resolve` map (like curl --resolve), so registrable-domain scoping sees realistic names while every
packet stays on the loopback interface. API:

    with PortalServer() as srv:                        # binds 127.0.0.1:<free port>
        host = srv.load_portal("tests/fixtures/portals/trs")   # a directory with _site.json
        srv.add_site("www.x.gov.cn", files={"/nb/index.html": b"..."})
        srv.route("www.x.gov.cn", "/flaky.html", Reply(500), Reply(500), Reply(200, b"ok"))
        srv.url(host, "/zwgk/xxgknb/")  -> "http://www.trs-city.gov.cn:PORT/zwgk/xxgknb/"
        srv.resolve                     -> {"www.trs-city.gov.cn": "127.0.0.1", ...}
        srv.requests                    -> [Logged(host, method, path, headers, at, status, body)]

Files are served with ETag/Last-Modified and honour conditional GET (304). `.html` is sent as `text/html`
*without* a charset (as many portals do), unless a route says otherwise. A site's `_site.json` may give
`host`, `transcode` ({glob: codec}: the UTF-8 file is sent encoded in codec, e.g. gbk) and `routes`
({path: [reply, ...]}: replies served in order, the last one repeating; a reply is {status, headers, body,
file}, or in code a callable `(method, target, headers, body) -> Reply`). The token `__PORT__` in any text body is replaced by the server's port.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

_TYPES = {".html": "text/html", ".htm": "text/html", ".shtml": "text/html", ".xml": "text/xml",
          ".json": "application/json", ".pdf": "application/pdf", ".txt": "text/plain", ".jsp": "text/html",
          ".doc": "application/msword", ".docx": "application/octet-stream", ".ofd": "application/octet-stream"}
LAST_MODIFIED = "Mon, 01 Mar 2021 00:00:00 GMT"


@dataclass
class Reply:
    """One canned answer. `body` may be bytes or str (sent as UTF-8); `file` names a site file instead."""

    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    file: str | None = None


@dataclass
class Logged:
    host: str
    method: str
    path: str  # path with query string, as requested
    headers: dict[str, str]
    at: float  # time.monotonic() when the request arrived
    status: int = 0
    body: bytes = b""  # request body (POST forms)


@dataclass
class _Site:
    files: dict[str, bytes] = field(default_factory=dict)
    root: Path | None = None
    transcode: dict[str, str] = field(default_factory=dict)
    routes: dict[str, list[Reply | Callable]] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)


class PortalServer:
    """Threaded HTTP server with virtual hosts, canned replies and a request log. Thread-safe."""

    def __init__(self, bind: str = "127.0.0.1", port: int = 0, latency: float = 0.0,
                 poll_interval: float = 0.05) -> None:
        self.bind = bind
        self.latency = latency
        self.poll_interval = poll_interval  # how fast stop() returns; many idle servers want it large
        self.sites: dict[str, _Site] = {}
        self.requests: list[Logged] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((bind, port), self._handler_class())
        self._httpd.daemon_threads = True
        self._httpd.request_queue_size = 256
        self.port = self._httpd.server_address[1]
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ setup
    def add_site(self, host: str, root: str | Path | None = None, *, files: dict[str, bytes | str] | None = None,
                 transcode: dict[str, str] | None = None) -> str:
        site = self.sites.setdefault(host.lower(), _Site())
        if root is not None:
            site.root = Path(root)
        for path, body in (files or {}).items():
            site.files[path] = body.encode("utf-8") if isinstance(body, str) else body
        site.transcode.update(transcode or {})
        return host.lower()

    def load_portal(self, directory: str | Path) -> str:
        """Serve a fixture portal directory (see module docstring); returns its host name."""
        d = Path(directory)
        conf = json.loads((d / "_site.json").read_text(encoding="utf-8"))
        host = self.add_site(conf["host"], d, transcode=conf.get("transcode"))
        for path, replies in conf.get("routes", {}).items():
            self.route(host, path, *[Reply(**r) for r in replies])
        return host

    def route(self, host: str, path: str, *replies: Reply | Callable) -> None:
        """Answer `path` (with its query string, if any) with these replies in turn; the last repeats."""
        site = self.sites.setdefault(host.lower(), _Site())
        site.routes[path] = list(replies)

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"

    @property
    def resolve(self) -> dict[str, str]:
        return {h: self.bind for h in self.sites}

    def requested(self, host: str | None = None, path: str | None = None) -> list[Logged]:
        with self._lock:
            return [r for r in self.requests if (host is None or r.host == host) and (path is None or r.path == path)]

    def clear_log(self) -> None:
        with self._lock:
            self.requests.clear()

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> PortalServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": self.poll_interval},
                                        daemon=True, name="portal-server")
        self._thread.start()
        # one request to ourselves so lazy imports on the serving path do not skew the first logged time
        import http.client

        conn = http.client.HTTPConnection(self.bind, self.port, timeout=5)
        conn.request("GET", "/", headers={"Host": "warm-up.invalid"})
        conn.getresponse().read()
        conn.close()
        with self._lock:
            self.requests.clear()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> PortalServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ serving
    def _file(self, site: _Site, path: str) -> bytes | None:
        if path in site.files:
            data = site.files[path]
        elif site.root is not None:
            rel = path.lstrip("/")
            if rel.startswith("_site.json") or ".." in rel.split("/"):
                return None
            p = site.root / rel
            if not p.is_file():
                return None
            data = p.read_bytes()
        else:
            return None
        for pattern, codec in site.transcode.items():
            if fnmatch.fnmatch(path, pattern):
                data = data.decode("utf-8").encode(codec)
        return data

    def _answer(self, host: str, method: str, target: str, headers: dict[str, str],
                body_in: bytes = b"") -> tuple[int, dict, bytes]:
        site = self.sites.get(host)
        if site is None:
            return 404, {"Content-Type": "text/plain"}, b"unknown host"
        path = urlsplit(target).path or "/"
        key = target if target in site.routes else path if path in site.routes else None
        if key is not None:
            with self._lock:
                n = site.hits.get(key, 0)
                site.hits[key] = n + 1
            replies = site.routes[key]
            reply = replies[min(n, len(replies) - 1)]
            if callable(reply):
                reply = reply(method, target, headers, body_in)
            if reply.file is not None:
                body = self._file(site, reply.file) or b""
                ctype = _TYPES.get(Path(reply.file).suffix, "application/octet-stream")
                hdrs = {"Content-Type": ctype, **reply.headers}
            else:
                body = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
                hdrs = {"Content-Type": "text/html", **reply.headers}
            return reply.status, hdrs, body
        lookup = path + "index.html" if path.endswith("/") else path
        body = self._file(site, lookup)
        if body is None and not path.endswith("/") and "." not in path.rsplit("/", 1)[-1]:
            body = self._file(site, path + "/index.html")
            if body is not None:
                return 301, {"Location": path + "/"}, b""
        if body is None:
            return 404, {"Content-Type": "text/html"}, b"<html><body>404 Not Found</body></html>"
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        hdrs = {"Content-Type": _TYPES.get(Path(lookup).suffix, "application/octet-stream"), "ETag": etag,
                "Last-Modified": LAST_MODIFIED}
        if headers.get("if-none-match") == etag or (
                "if-none-match" not in headers and headers.get("if-modified-since") == LAST_MODIFIED):
            return 304, hdrs, b""
        return 200, hdrs, body

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            wbufsize = 1 << 16  # headers and body leave in one write (no Nagle/delayed-ACK stalls)
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:  # quiet
                pass

            def _serve(self) -> None:
                at = time.monotonic()
                host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
                hdrs = {k.lower(): v for k, v in self.headers.items()}
                entry = Logged(host, self.command, self.path, hdrs, at)
                with server._lock:
                    server.requests.append(entry)
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    entry.body = self.rfile.read(length)
                if server.latency:
                    time.sleep(server.latency)
                status, out_headers, body = server._answer(host, self.command, self.path, hdrs, entry.body)
                entry.status = status
                body = body.replace(b"__PORT__", str(server.port).encode())
                self.send_response(status)
                for k, v in out_headers.items():
                    self.send_header(k, v.replace("__PORT__", str(server.port)))
                self.send_header("Content-Length", str(0 if self.command == "HEAD" else len(body)))
                self.end_headers()
                if self.command != "HEAD" and status != 304:
                    self.wfile.write(body)

            do_GET = do_HEAD = do_POST = _serve

        return Handler


def synthetic_trs_site(n_pages: int = 3, per_page: int = 5, *, year0: int = 2015, prefix: str = "/zfxxgknb/",
                       pdf_every: int = 0, agency: str = "示例县人民政府") -> dict[str, bytes]:
    """Files of a small TRS-style 年报 column: `index.html`, `index_1.html`... with createPageHTML paging,
    report pages `./YYYYMM/tYYYYMMDD_N.html`, a news item per page, and every `pdf_every`-th report
    carrying a PDF attachment. Used by the kill/resume test and the crawl benchmark."""
    files: dict[str, bytes] = {}
    n = 0
    for page in range(n_pages):
        rows = []
        for _ in range(per_page):
            n += 1
            year = year0 + n
            doc = f"{year + 1}02/t{year + 1}0208_{n}.html"
            title = f"{agency}{year}年政府信息公开工作年度报告（{n}）"
            rows.append(f'<li><a href="./{doc}" title="{title}">{title}</a><span>{year + 1}-02-08</span></li>')
            att = ""
            if pdf_every and n % pdf_every == 0:
                att = f'<p>附件：<a href="./P0{year + 1}0208{n:06d}.pdf">{title}.pdf</a></p>'
                files[f"{prefix}{year + 1}02/P0{year + 1}0208{n:06d}.pdf"] = minimal_pdf(title)
            files[prefix + doc] = (
                f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
                f"<div class='TRS_Editor'><h1>{title}</h1><p>一、总体情况</p><p>本报告编号 {n}。</p>{att}</div>"
                "</body></html>").encode()
        rows.append(f'<li><a href="./{year0}01/t{year0}0101_9{page}.html">示例县召开工作会议</a>'
                    f'<span>{year0}-01-01</span></li>')
        name = "index.html" if page == 0 else f"index_{page}.html"
        files[prefix + name] = (
            "<html><head><meta charset='utf-8'><title>信息公开年报</title></head><body><ul>"
            + "".join(rows) + "</ul>"
            f'<script>createPageHTML({n_pages}, {page}, "index", "html");</script></body></html>').encode()
    return files


def minimal_pdf(text: str = "report") -> bytes:
    """A tiny but well-formed one-page PDF (ASCII content stream) whose bytes differ per `text`."""
    tag = hashlib.sha1(text.encode()).hexdigest()[:12]
    stream = f"BT /F1 12 Tf 72 720 Td (xxgk fixture {tag}) Tj ET".encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


@dataclass
class HanwebColumn:
    """A synthetic Hanweb column whose dataproxy answers only the POST `startrecord/endrecord` form."""

    host: str
    column_path: str  # /col/col<id>/index.html
    reports: list[str]  # paths of the 年报 articles, newest first
    news: list[str]  # paths of the other records (never to be fetched)
    form: dict[str, str]  # the POST form fields the server insists on (values as the server decodes them)


def add_hanweb_post_column(srv: PortalServer, host: str, *, columnid: int = 12400, unitid: int = 38500,
                           webid: int = 120, total: int = 100, per_page: int = 15, group_size: int = 3,
                           news_every: int = 10, webname: str = "示例区", get_status: int = 200) -> HanwebColumn:
    """Serve a Hanweb 大汉 column of `total` records on `host`: the column page embeds the first group
    (`per_page * group_size` records) and a GET nextgroup link; `/module/web/jpage/dataproxy.jsp` answers a
    GET with an empty datastore (as POST-only servers do) and a POST `?startrecord=S&endrecord=E&perpage=P`
    with records S..E, but only when the form carries col, appid, webid, path, columnid, sourceContentType,
    unitid, webname (double-encoded in the href, decoded once here) and permissiontype (else HTTP 400).
    Every `news_every`-th record is news, the rest are 年报 with their article pages. `get_status` other
    than 200 makes the GET form an HTTP error instead (e.g. 405)."""
    from urllib.parse import parse_qs, quote

    records, files, reports, news = [], {}, [], []
    for n in range(1, total + 1):
        year = 2024 - (n % 10)
        month, day = 1 + n % 12, 1 + n % 28
        path = f"/art/{year + 1}/{month}/{day}/art_{columnid}_{5000 + n}.html"
        if news_every and n % news_every == 0:
            title = f"{webname}召开第{n}次政务公开工作推进会"
            news.append(path)
        else:
            title = f"{webname}第{n}单位{year}年政府信息公开工作年度报告"
            reports.append(path)
            files[path] = (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body><div id='zoom'>"
                           f"<h1>{title}</h1><p>一、总体情况</p><p>记录 {n}。</p></div></body></html>")
        records.append(f"<record><![CDATA[\n<li><a target=\"_blank\" href=\"{path}\" title=\"{title}\">{title[:14]}..."
                       f"</a> <b>{year + 1}-{month:02d}-{day:02d}</b></li>]]></record>")
    group = per_page * group_size
    name_token = quote(quote(webname))
    href = (f"/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid={webid}&path=/&columnid={columnid}"
            f"&unitid={unitid}&webname={name_token}&permissiontype=0")
    column_path = f"/col/col{columnid}/index.html"
    files[column_path] = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><meta name='Generator' content='大汉版通'>"
        f"<title>政府信息公开年报 {webname}人民政府</title></head><body>"
        f"<div id=\"{unitid}\"><script type=\"text/xml\"><datastore>\n<nextgroup><![CDATA[<a href=\"{href}\"></a>]]>"
        "</nextgroup>\n<recordset>\n" + "\n".join(records[:group]) + "\n</recordset></datastore></script>\n"
        f"<script type=\"text/javascript\">$(document).ready(function(){{ $('#{unitid}').jpage({{perPage:{per_page},"
        f" totalRecord:{total}, groupSize:{group_size}, proxyUrl:'/module/web/jpage/dataproxy.jsp'}}); }});</script>"
        "</div></body></html>")
    form = {"col": "1", "appid": "1", "webid": str(webid), "path": "/", "columnid": str(columnid),
            "sourceContentType": "1", "unitid": str(unitid), "webname": quote(webname), "permissiontype": "0"}
    xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<datastore>\n{head}<recordset>\n{recs}\n</recordset>\n</datastore>"
    ctype = {"Content-Type": "text/xml;charset=UTF-8"}

    def dataproxy(method: str, target: str, headers: dict[str, str], body: bytes) -> Reply:
        if method != "POST":
            if get_status != 200:
                return Reply(get_status, "method not supported", {"Content-Type": "text/plain"})
            return Reply(200, xml.format(head="", recs=""), ctype)
        got = {k: v[0] for k, v in parse_qs(body.decode("utf-8"), keep_blank_values=True).items()}
        q = {k: v[0] for k, v in parse_qs(urlsplit(target).query).items()}
        if got != form or not headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
            return Reply(400, "bad form", {"Content-Type": "text/plain"})
        try:
            start, end = int(q["startrecord"]), int(q["endrecord"])
        except (KeyError, ValueError):
            return Reply(400, "bad range", {"Content-Type": "text/plain"})
        head = f"<totalrecord>{total}</totalrecord>\n<totalpage>{-(-total // per_page)}</totalpage>\n"
        return Reply(200, xml.format(head=head, recs="\n".join(records[max(start, 1) - 1:end])), ctype)

    srv.add_site(host, files=files)
    srv.route(host, "/module/web/jpage/dataproxy.jsp", dataproxy)
    return HanwebColumn(host, column_path, reports, news, form)
