"""The politeness layer: the only code in the project that touches the network.

One `requests.Session` wrapped by small, composable rules (in the spirit of scrapelib):

- scope: only hosts under the source's registrable domain (tldextract, bundled suffix list, no PSL download)
  plus the registry allow-list are ever requested; redirects leaving scope are not followed;
- robots.txt (protego) read once per host through the same slot: 404 = allowed, 401/403 = host skipped,
  5xx/unreachable = host skipped for this run (RFC 9309: assume disallow); Crawl-delay raises min_delay;
- per-host slot: one request at a time per host and at least `min_delay` (+ jitter) between the starts of two
  requests, *every* request counted (robots, retries, each redirect hop, which we follow by hand);
- retries with exponential backoff on 5xx, timeouts and connection errors; 429/503 honour Retry-After;
- bot challenges (412 + `$_ts`, 521 + `__jsl_clearance`, 302 to WZWS) end as `blocked`, and the host is not
  asked again in this run (no retry loop);
- an honest User-Agent with a contact URL, connect/read timeouts, an overall deadline and a body-size cap.

Requests other than a plain GET are named by a *request key*, a URL whose fragment the crawler owns (a
fragment is never sent, so the key stays a valid URL for scoping and robots.txt):
`…/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15#xxgk-post:col=1&appid=1&…` is a POST of that form
body, and `#xxgk-<note>:…` on a GET is an annotation for discovery only (dropped before sending). The key is
what the frontier and the archive store, so two POSTs to one URL with different bodies are two documents and
a resumed run replays the exact request. `fetch` takes a key wherever it takes a URL.
"""

from __future__ import annotations

import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import requests
import tldextract
from protego import Protego
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.connection import create_connection

from xxgk import __version__

# Operators should name themselves: XXGK_CONTACT (env) or `xxgk crawl --contact URL` replaces the default.
CONTACT_URL = os.environ.get("XXGK_CONTACT", "https://github.com/xxgk/xxgk#crawling")


def user_agent(contact: str | None = None) -> str:
    """Honest, ASCII-only User-Agent naming the tool and a contact URL."""
    return f"xxgk/{__version__} (+{contact or CONTACT_URL}; government annual-report research crawler)"


USER_AGENT = user_agent()
ROBOTS_AGENT = "xxgk"
REDIRECTS = (301, 302, 303, 307, 308)
MAX_REDIRECTS = 8

# Bot challenges, as data: (statuses, where to look, marker regex, name). Seen on real portals (NOTES.md §2.2).
CHALLENGES: tuple[tuple[frozenset[int], str, re.Pattern[bytes], str], ...] = (
    (frozenset({412, 202, 200}), "body", re.compile(rb"\$_ts\s*=|\$_ts\["), "ruishu-412"),
    (frozenset({521, 200}), "body", re.compile(rb"__jsl_clearance|__jsluid"), "jiasule-521"),
    (frozenset({301, 302, 303, 307}), "location", re.compile(rb"wzws", re.I), "wzws-redirect"),
    (frozenset({412, 521}), "status", re.compile(rb""), "challenge-status"),
)

KEY_MARK = "#xxgk-"  # fragment prefix of request keys (see the module docstring)
POST_MARK = KEY_MARK + "post:"
FORM_TYPE = "application/x-www-form-urlencoded; charset=UTF-8"


@dataclass(frozen=True)
class Request:
    """What goes on the wire for a request key: method, URL (crawler fragment removed), form body."""

    url: str
    method: str = "GET"
    body: bytes = b""

    @property
    def key(self) -> str:
        return post_key(self.url, self.body.decode("utf-8")) if self.method == "POST" else self.url


def post_key(url: str, form: str) -> str:
    """Request key of a POST of the url-encoded `form` to `url` (the form is kept byte for byte)."""
    return url + POST_MARK + form


def parse_key(key: str) -> Request:
    """The request a key names: `#xxgk-post:<form>` is a POST, any other `#xxgk-…` note is dropped."""
    i = key.find(KEY_MARK)
    if i < 0:
        return Request(key)
    url, note = key[:i], key[i:]
    if note.startswith(POST_MARK):
        return Request(url, "POST", note[len(POST_MARK):].encode("utf-8"))
    return Request(url)


_extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def registrable_domain(host: str) -> str:
    """`zwgk.dingxi.gov.cn` -> `dingxi.gov.cn`; IP addresses and single labels are their own domain."""
    host = (host or "").lower().rstrip(".")
    ext = _extract(host)
    if ext.suffix and ext.domain:
        return f"{ext.domain}.{ext.suffix}"
    return host


@dataclass(frozen=True)
class Scope:
    """Which hosts a source may reach: its registrable domain plus allow-listed domains."""

    domains: frozenset[str]

    @classmethod
    def for_source(cls, url: str, allow_domains: Iterable[str] = ()) -> Scope:
        host = urlsplit(url).hostname or ""
        return cls(frozenset({registrable_domain(host), *(d.lower().lstrip(".") for d in allow_domains)}))

    def allows(self, url: str) -> bool:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return False
        host = parts.hostname.lower().rstrip(".")
        return any(host == d or host.endswith("." + d) for d in self.domains)


@dataclass
class Response:
    """One HTTP exchange as received (body already de-chunked and content-decoded)."""

    url: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: str
    elapsed: float
    http_version: str = "HTTP/1.1"
    truncated: bool = False
    started: float = 0.0  # time.monotonic() when the request was sent (politeness is measured on this)
    sent_at: float = 0.0  # the same instant as unix time, for the audit log
    method: str = "GET"
    request_headers: list[tuple[str, str]] = field(default_factory=list)  # as sent (kept for non-GET requests)
    request_body: bytes = b""

    def header(self, name: str) -> str | None:
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return None


@dataclass
class FetchResult:
    """Outcome of fetching one URL: every response on the way (retries, redirects) and a verdict.

    outcome: ok | not_modified | http_error | blocked | robots | offsite | error | skipped
    """

    url: str
    outcome: str
    responses: list[Response] = field(default_factory=list)
    final_url: str = ""
    error: str | None = None
    attempts: int = 0
    robots: list[FetchResult] = field(default_factory=list)  # robots.txt fetches made on the way

    @property
    def all_responses(self) -> list[Response]:
        """Every exchange, robots.txt ones first, in the order they happened."""
        return [r for rob in self.robots for r in rob.all_responses] + self.responses

    @property
    def response(self) -> Response | None:
        return self.responses[-1] if self.responses else None

    @property
    def status(self) -> int | None:
        return self.response.status if self.response else None


@dataclass
class _Host:
    lock: threading.RLock = field(default_factory=threading.RLock)
    next_at: float = 0.0
    min_delay: float = 1.0
    robots: Protego | None = None
    robots_state: str = "unknown"  # unknown | ok | skip (401/403, challenge) | down (unreachable, 5xx)
    robots_reason: str = ""
    blocked: str = ""  # challenge name once seen


class _ResolvingAdapter(HTTPAdapter):
    """Connect to a fixed IP for some host names, keeping URL, Host header and SNI (like curl --resolve).

    Used by tests and the demo to serve several realistic host names from 127.0.0.1; empty in real crawls.
    """

    def __init__(self, resolve: dict[str, str], **kw) -> None:
        self.resolve = {k.lower(): v for k, v in resolve.items()}
        super().__init__(**kw)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        if not self.resolve:
            return
        resolve = self.resolve

        def _conn(base):
            class _Conn(base):
                def _new_conn(self):
                    ip = resolve.get((self._dns_host or "").lower().rstrip("."))
                    if not ip:
                        return super()._new_conn()
                    try:
                        return create_connection((ip, self.port), self.timeout, source_address=self.source_address,
                                                 socket_options=self.socket_options)
                    except TimeoutError as e:
                        raise ConnectTimeoutError(self, f"connection to {self.host} ({ip}) timed out") from e
                    except OSError as e:
                        raise NewConnectionError(self, f"failed to connect to {self.host} ({ip}): {e}") from e
            return _Conn

        def _pool(base, conn):
            return type(base.__name__, (base,), {"ConnectionCls": _conn(conn)})

        self.poolmanager.pool_classes_by_scheme = {"http": _pool(HTTPConnectionPool, HTTPConnection),
                                                   "https": _pool(HTTPSConnectionPool, HTTPSConnection)}


class Fetcher:
    """Polite fetching over one session. Thread-safe: call `fetch` from many threads (one host each)."""

    def __init__(self, *, user_agent: str = USER_AGENT, min_delay: float = 1.0, jitter: float = 0.05,
                 timeout: tuple[float, float] = (10.0, 30.0), deadline: float = 120.0,
                 max_body: int = 50 * 1024 * 1024, retries: int = 3, backoff: float = 2.0,
                 max_retry_after: float = 300.0, resolve: dict[str, str] | None = None,
                 respect_robots: bool = True, session: requests.Session | None = None,
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.monotonic) -> None:
        self.user_agent = user_agent
        self.default_delay = min_delay
        self.jitter = jitter
        self.timeout = timeout
        self.deadline = deadline
        self.max_body = max_body
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.respect_robots = respect_robots
        self.sleep, self.clock = sleep, clock
        self.session = session or requests.Session()
        self.session.headers.update({"User-Agent": user_agent, "Accept-Language": "zh-CN,zh;q=0.9",
                                     "Accept-Encoding": "gzip, deflate"})
        adapter = _ResolvingAdapter(resolve or {}, pool_connections=512, pool_maxsize=4, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()

    # ------------------------------------------------------------------ host slots
    def _host(self, url: str) -> _Host:
        key = (urlsplit(url).hostname or "").lower()
        with self._hosts_lock:
            h = self._hosts.get(key)
            if h is None:
                h = self._hosts[key] = _Host(min_delay=self.default_delay)
            return h

    def set_min_delay(self, url_or_host: str, delay: float) -> None:
        """Use at least `delay` seconds between requests to this host (the registry's min_delay)."""
        key = url_or_host if "//" not in url_or_host else urlsplit(url_or_host).hostname or ""
        h = self._host(f"http://{key}/")
        h.min_delay = max(h.min_delay, delay) if h.robots_state == "ok" else delay

    def ready_at(self, url: str) -> float:
        """Monotonic time at which the host's slot frees (the scheduler submits work then)."""
        return self._host(url).next_at

    def host_state(self, url: str) -> dict[str, str]:
        h = self._host(url)
        return {"robots": h.robots_state, "robots_reason": h.robots_reason, "blocked": h.blocked}

    def _wait_slot(self, h: _Host) -> None:
        delay = h.next_at - self.clock()
        if delay > 0:
            self.sleep(delay)
        gap = h.min_delay * (1.0 + random.uniform(0.0, self.jitter)) if h.min_delay > 0 else 0.0
        h.next_at = self.clock() + gap

    def _push_back(self, h: _Host, seconds: float) -> None:
        h.next_at = max(h.next_at, self.clock() + seconds)

    # ------------------------------------------------------------------ one exchange
    def _exchange(self, h: _Host, method: str, url: str, headers: dict[str, str], body: bytes = b"") -> Response:
        self._wait_slot(h)
        started, sent_at = self.clock(), time.time()
        when = datetime.fromtimestamp(sent_at, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        if method != "GET":
            headers = {"Content-Type": FORM_TYPE, **headers}
        r = self.session.request(method, url, headers=headers, data=body if method != "GET" else None,
                                 allow_redirects=False, stream=True, timeout=self.timeout)
        try:
            chunks, size, truncated = [], 0, False
            for chunk in r.iter_content(65536):
                size += len(chunk)
                if size > self.max_body:
                    truncated = True
                    chunks.append(chunk[: len(chunk) - (size - self.max_body)])
                    break
                chunks.append(chunk)
                if self.clock() - started > self.deadline:
                    raise requests.Timeout(f"response took longer than {self.deadline:.0f}s")
            body = b"".join(chunks)
        finally:
            r.close()
        version = {10: "HTTP/1.0", 11: "HTTP/1.1"}.get(getattr(r.raw, "version", 11), "HTTP/1.1")
        sent = r.request
        return Response(url=url, status=r.status_code, reason=r.reason or "", headers=list(r.headers.items()),
                        body=body, fetched_at=when, elapsed=self.clock() - started, http_version=version,
                        truncated=truncated, started=started, sent_at=sent_at, method=method,
                        request_headers=list(sent.headers.items()) if method != "GET" else [],
                        request_body=sent.body if isinstance(sent.body, bytes) else (sent.body or "").encode())

    def _backoff_delay(self, attempt: int) -> float:
        return self.backoff * (2 ** attempt) * (1.0 + random.uniform(0.0, 0.25))

    # ------------------------------------------------------------------ robots
    def _ensure_robots(self, h: _Host, url: str, scope: Scope, res: FetchResult) -> None:
        """Read the host's robots.txt once (through its slot); its responses go into `res.robots`."""
        if h.robots_state != "unknown":
            return
        if not self.respect_robots:
            h.robots_state = "ok"
            return
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        rob = FetchResult(url=robots_url, outcome="error", final_url=robots_url)
        self._request(Request(robots_url), scope, {}, rob, check_robots=False)
        res.robots.append(rob)
        resp = rob.response
        if rob.outcome == "ok" and resp is not None:
            h.robots = Protego.parse(resp.body.decode("utf-8", "replace"))
            h.robots_state = "ok"
            delay = h.robots.crawl_delay(ROBOTS_AGENT)
            if delay:
                h.min_delay = max(h.min_delay, float(delay))
        elif rob.outcome == "http_error" and resp is not None and resp.status in (401, 403):
            h.robots_state, h.robots_reason = "skip", f"robots.txt answered HTTP {resp.status}: host skipped"
        elif rob.outcome == "http_error" and resp is not None and 400 <= resp.status < 500:
            h.robots_state = "ok"  # 404 & co: no robots.txt, everything allowed
        elif rob.outcome == "blocked":
            h.robots_state, h.robots_reason = "skip", f"robots.txt behind a bot challenge ({rob.error})"
        elif rob.outcome == "offsite":
            h.robots_state = "ok"  # robots.txt redirected off-site: we may not read it; treat as absent
        else:  # unreachable, or 5xx after retries (RFC 9309: assume disallow): the host is down for this run
            h.robots_state = "down"
            h.robots_reason = f"host down: robots.txt {rob.error or rob.status}"

    # ------------------------------------------------------------------ public
    def needs_robots(self, url: str) -> bool:
        """True until this host's robots.txt has been read (the scheduler fetches it as its own step)."""
        return self.respect_robots and self._host(url).robots_state == "unknown"

    def fetch_robots(self, url: str, scope: Scope) -> FetchResult:
        """Read the robots.txt of `url`'s host now (through its slot); the exchanges are in `.robots`."""
        res = FetchResult(url=url, outcome="ok", final_url=url)
        h = self._host(url)
        with h.lock:
            try:
                self._ensure_robots(h, url, scope, res)
            finally:
                if h.robots_state == "unknown":  # never ask twice in a loop, whatever went wrong
                    h.robots_state, h.robots_reason = "skip", "robots.txt check failed: host skipped this run"
        return res

    def fetch(self, url: str, scope: Scope, *, headers: dict[str, str] | None = None) -> FetchResult:
        """Fetch a URL or request key (a POST for `#xxgk-post:` keys) politely. Never raises for network
        trouble: the FetchResult says what happened. `res.url` is the key, `res.final_url` a plain URL."""
        req = parse_key(url)
        res = FetchResult(url=url, outcome="error", final_url=req.url)
        self._request(req, scope, dict(headers or {}), res, check_robots=True)
        return res

    def _request(self, req: Request, scope: Scope, headers: dict[str, str], res: FetchResult,
                 check_robots: bool) -> None:
        url, method, body = req.url, req.method, req.body
        current, hops, attempt = url, 0, 0
        while True:
            if not scope.allows(current):
                res.outcome, res.error = "offsite", f"not followed: {current} is outside the source's domains"
                return
            if current != url and headers:
                headers = {}  # conditional headers belong to the first URL only
            host = self._host(current)
            with host.lock:  # one exchange at a time per host; released between hops (no cross-host deadlock)
                if check_robots:
                    if host.blocked:
                        res.outcome, res.error = "blocked", f"host answered with a bot challenge ({host.blocked})"
                        return
                    self._ensure_robots(host, current, scope, res)
                    if host.robots_state == "skip":
                        res.outcome, res.error = "skipped", host.robots_reason
                        return
                    if host.robots_state == "down":
                        res.outcome, res.error = "error", host.robots_reason
                        return
                    if host.robots is not None and not host.robots.can_fetch(current, ROBOTS_AGENT):
                        res.outcome, res.error = "robots", f"disallowed by robots.txt: {current}"
                        return
                res.attempts += 1
                try:
                    resp = self._exchange(host, method, current, headers, body)
                except (requests.Timeout, requests.ConnectionError) as e:
                    kind = "timeout" if isinstance(e, requests.Timeout) else "connection error"
                    res.error = f"{kind}: {_short(e)}"
                    if attempt < self.retries:
                        self._push_back(host, self._backoff_delay(attempt))
                        attempt += 1
                        continue
                    res.outcome = "error"
                    return
                except requests.RequestException as e:
                    res.outcome, res.error = "error", f"request failed: {_short(e)}"
                    return
                res.responses.append(resp)
                res.final_url = current
                challenge = detect_challenge(resp)
                if challenge:
                    host.blocked = challenge
                    res.outcome, res.error = "blocked", f"bot challenge ({challenge}), HTTP {resp.status}"
                    return
                if resp.status in (429, 503) or resp.status >= 500:
                    wait = retry_after(resp.header("Retry-After")) if resp.status in (429, 503) else None
                    if wait is not None and wait > self.max_retry_after:
                        res.outcome = "http_error"
                        res.error = f"HTTP {resp.status}, Retry-After {wait:.0f}s exceeds {self.max_retry_after:.0f}s"
                        return
                    if attempt < self.retries:
                        self._push_back(host, wait if wait is not None else self._backoff_delay(attempt))
                        attempt += 1
                        continue
                    res.outcome, res.error = "http_error", f"HTTP {resp.status} after {attempt + 1} attempts"
                    return
            if resp.status in REDIRECTS:
                loc = resp.header("Location")
                if not loc:
                    res.outcome, res.error = "http_error", f"HTTP {resp.status} without Location"
                    return
                hops += 1
                if hops > MAX_REDIRECTS:
                    res.outcome, res.error = "error", "too many redirects"
                    return
                current = urljoin(current, loc.strip())
                if resp.status in (301, 302, 303) and method != "GET":  # as browsers do: the form is not re-sent
                    method, body = "GET", b""
                continue
            if resp.status == 304:
                res.outcome, res.error = "not_modified", None
                return
            if 200 <= resp.status < 300:
                if resp.truncated:
                    res.outcome, res.error = "error", f"body larger than the {self.max_body} byte cap"
                    return
                res.outcome, res.error = "ok", None
                return
            res.outcome, res.error = "http_error", f"HTTP {resp.status}"
            return


def detect_challenge(resp: Response) -> str | None:
    """Name of the bot challenge this response is, or None (table CHALLENGES)."""
    for statuses, where, marker, name in CHALLENGES:
        if resp.status not in statuses or (resp.status == 200 and len(resp.body) > 16384):
            continue
        if where == "status":
            return name
        hay = resp.body[:65536] if where == "body" else (resp.header("Location") or "").encode()
        if marker.search(hay):
            return name
    return None


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _short(e: BaseException) -> str:
    return str(e).splitlines()[0][:200] if str(e) else type(e).__name__
