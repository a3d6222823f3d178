"""The crawl loop: a frontier in SQLite, a thread pool across hosts, a per-source summary at the end.

Fetch threads fetch (fetch.Fetcher), build the WARC records and run discovery; the main thread appends a
group of finished fetches to the WARC file, fsyncs it, and then commits their state and the links they
revealed in one transaction. So state is always a consistent prefix of the work: kill the process at any
moment and the next run resumes the same run from its pending frontier, and nothing committed is fetched
again. A host is handed its next task shortly before its politeness slot opens (one task per host at a
time), so many hosts are crawled at once and none waits on another's work.

Incremental policy (NOTES.md §2.4): list pages are re-checked every run with a conditional GET; on 304 the
stored copy is re-read for discovery. A report is fetched once; it is fetched again only when its list
entry changed (title or date) or with `recheck_reports`. Further list pages are followed when they were
never fetched, or when the page before them had something new. Attachments are fetched once.
POST list requests (Hanweb dataproxy groups, named by request keys: fetch.py) follow the same policy but are
never sent conditionally; a pager request answered with an HTTP error may yield its other form
(discover.discover_failed).
"""

from __future__ import annotations

import hashlib
import sys
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from parsers import sniff

from .archive import Archive, build_record, read_record
from .discover import Selected, discover_failed, discover_page
from .discover.rules import normalize_title
from .fetch import POST_MARK, USER_AGENT, Fetcher, FetchResult, Scope
from .registry import Source

STATS_EVERY = 1.0  # seconds between saves of the per-source run counters
# A host's next task is handed to a worker this long before its slot opens; the worker then waits for the
# slot itself (fetch.Fetcher keeps the spacing exact), so a busy archiving thread never makes a host late.
LOOKAHEAD = 0.25
GROUP_COMMIT = 0.05  # seconds: finished fetches are archived together, one fsync + one transaction per group
EXIT_OK = 0
EXIT_SOURCE_FAILED = 1  # a source that had reports yields none, or all of a source's requests failed
EXIT_USAGE = 2  # bad options or registry (click's own usage errors also exit 2)
_DOC_COLS = ("url, sha256, title, list_date, final_url, fetched_at, http_content_type, etag, last_modified, "
             "status, warc_file, warc_offset")
DISCOVERABLE = {sniff.HTML, sniff.TEXT}  # JSON (gkmlpt) and XML (Hanweb dataproxy) sniff as text


@dataclass
class SourceStats:
    """What one source did in one run."""

    probe: str | None = None  # alive | moved | dead | blocked
    probe_detail: str = ""
    list_pages: int = 0  # list pages fetched (200 or 304)
    lists_not_modified: int = 0
    reports_seen: int = 0  # distinct report links its lists yielded this run
    reports_new: int = 0
    reports_changed: int = 0
    reports_unchanged: int = 0
    attachments_new: int = 0
    attachments_changed: int = 0
    dropped_titles: int = 0  # list entries that are not 年报 (news, 网站年度工作报表…)
    offsite_links: int = 0  # discovered links outside the source's domains, never requested
    failed: int = 0
    blocked: int = 0
    skipped: int = 0  # robots.txt disallowed / host skipped
    fetches: int = 0
    fetches_ok: int = 0
    requests: int = 0  # HTTP exchanges, robots.txt, retries and redirect hops included
    errors: list[str] = field(default_factory=list)

    def note(self, msg: str) -> None:
        if len(self.errors) < 5:
            self.errors.append(msg)


@dataclass
class CrawlSummary:
    run_id: int
    resumed: bool
    stats: dict[str, SourceStats]
    problems: list[str]
    names: dict[str, str]
    elapsed: float = 0.0

    @property
    def exit_code(self) -> int:
        return EXIT_SOURCE_FAILED if self.problems else EXIT_OK

    @property
    def dead_columns(self) -> list[str]:
        return [sid for sid, st in self.stats.items() if st.probe == "dead"]

    def __str__(self) -> str:
        head = (f"{'source':<28} {'probe':<8} {'lists':>5} {'304':>4} {'new':>4} {'chg':>4} {'same':>5} "
                f"{'att':>4} {'fail':>4} {'blk':>4} {'skip':>4} {'req':>5}")
        lines = [f"crawl run {self.run_id}{' (resumed)' if self.resumed else ''}: "
                 f"{len(self.stats)} source(s), {self.elapsed:.1f}s", head, "-" * len(head)]
        for sid, st in self.stats.items():
            lines.append(f"{sid[:28]:<28} {(st.probe or '-'):<8} {st.list_pages:>5} {st.lists_not_modified:>4} "
                         f"{st.reports_new:>4} {st.reports_changed:>4} {st.reports_unchanged:>5} "
                         f"{st.attachments_new + st.attachments_changed:>4} {st.failed:>4} {st.blocked:>4} "
                         f"{st.skipped:>4} {st.requests:>5}")
        tot = {k: sum(getattr(s, k) for s in self.stats.values())
               for k in ("reports_new", "reports_changed", "reports_unchanged", "attachments_new", "failed",
                         "blocked", "requests")}
        lines.append(f"total: reports new {tot['reports_new']}, changed {tot['reports_changed']}, unchanged "
                     f"{tot['reports_unchanged']}; attachments new {tot['attachments_new']}; failed {tot['failed']}, "
                     f"blocked {tot['blocked']}; {tot['requests']} requests")
        for sid in self.dead_columns:
            lines.append(f"DEAD column {sid} ({self.names.get(sid, '')}): {self.stats[sid].probe_detail}")
        for sid, st in self.stats.items():
            if st.probe in ("blocked", "moved"):
                lines.append(f"{st.probe.upper()} {sid}: {st.probe_detail}")
        for p in self.problems:
            lines.append(f"PROBLEM {p}")
        lines.append(f"exit code {self.exit_code}")
        return "\n".join(lines)


def _sha(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def _probe(res: FetchResult, seed: str) -> tuple[str, str]:
    """alive | moved | dead | blocked for a seed fetch, with a one-line detail."""
    o = res.outcome
    if o in ("ok", "not_modified"):
        if res.final_url.rstrip("/") != seed.split("#")[0].rstrip("/"):
            return "moved", f"redirects to {res.final_url}"
        return "alive", f"HTTP {res.status}"
    if o == "offsite":
        return "moved", f"redirects off the source's domains ({res.error}); not followed"
    if o in ("blocked", "skipped", "robots"):
        return "blocked", res.error or o
    return "dead", res.error or f"HTTP {res.status}"


class _Crawl:
    def __init__(self, sources: list[Source], archive: Archive, fetcher: Fetcher, run_id: int, opts: dict) -> None:
        self.sources = {s.id: s for s in sources}
        self.archive, self.fetcher, self.run_id, self.opts = archive, fetcher, run_id, opts
        self.scopes = {s.id: Scope.for_source(s.url, s.allow_domains) for s in sources}
        saved = archive.run_stats(run_id)
        self.stats = {s.id: _load_stats(saved.get(s.id)) for s in sources}
        self.queues: dict[str, deque[dict]] = {}
        self.total = 0
        self.bar = None
        # In-memory mirrors of what the loop asks about every link (SQLite stays the truth; these only save
        # round trips in the main thread, which otherwise queues behind fetch threads for the GIL).
        self.docs: dict[str, dict] = {r["url"]: dict(r) for r in archive.db.execute(
            f"SELECT {_DOC_COLS} FROM documents")}
        self.in_run: set[str] = {r[0] for r in archive.db.execute("SELECT url FROM frontier WHERE run_id = ?",
                                                                   (run_id,))}
        self.lists_queued: dict[str, int] = dict(archive.db.execute(
            "SELECT source_id, COUNT(*) FROM frontier WHERE run_id = ? AND kind = 'list' GROUP BY source_id",
            (run_id,)).fetchall())
        self._dirty: set[str] = set()
        self._stats_saved = 0.0

    # -------------------------------------------------------------- queueing
    def _host(self, url: str) -> str:
        from urllib.parse import urlsplit

        return (urlsplit(url).hostname or "").lower()

    def push(self, entry: dict) -> None:
        self.queues.setdefault(self._host(entry["url"]), deque()).append(entry)
        self.total += 1
        if self.bar is not None:
            self.bar.total = self.total
            self.bar.refresh()

    def _enqueue(self, db, src: Source, url: str, kind: str, **kw: Any) -> None:
        if self.archive.add_frontier(db, url, src.id, kind, self.run_id, **kw):
            self._new.append({"url": url, "source_id": src.id, "kind": kind, "referrer": kw.get("referrer"),
                              "title": kw.get("title"), "list_date": kw.get("list_date"),
                              "depth": kw.get("depth", 0), "page": kw.get("page")})
        self.in_run.add(url)
        if kind == "list":
            self.lists_queued[src.id] = self.lists_queued.get(src.id, 0) + 1

    def _doc(self, url: str) -> dict | None:
        """Cached state of a URL: sha256 (None = never stored), title, list_date, validators."""
        return self.docs.get(url)

    def _reload_doc(self, db, url: str) -> None:
        r = db.execute(f"SELECT {_DOC_COLS} FROM documents WHERE url = ?", (url,)).fetchone()
        if r is not None:
            self.docs[url] = dict(r)

    # -------------------------------------------------------------- result handling (main thread)
    def handle_batch(self, items: list[tuple]) -> None:
        """Archive a batch of finished fetches: WARC records first (one fsync), then one transaction."""
        prepared = []
        for entry, res, records, sel in items:
            written = [(resp, self.archive.append_record(data, rtype)) for resp, data, rtype in records]
            prepared.append((entry, res, written, sel))
        self.archive.sync()
        self._new: list[dict] = []
        with self.archive.transaction() as db:
            for entry, res, written, sel in prepared:
                if entry.get("robots"):
                    self._commit_robots(db, entry, written)
                else:
                    self._commit(db, entry, res, written, sel)
            if time.monotonic() - self._stats_saved >= STATS_EVERY:  # run stats are a report, not state
                self.save_stats(db)
            self.archive.set_committed(db)
        for e in self._new:
            self.push(e)

    def _prepare(self, entry: dict, res: FetchResult, prev: dict | None):
        """In the fetch thread: WARC records for every exchange (built and compressed) and the discovery on
        the body. Touches no state, so many threads can do it at once."""
        url, kind = entry["url"], "robots" if entry.get("robots") else entry["kind"]
        extra = {"XXGK-Source-Id": entry["source_id"], "XXGK-Kind": kind}
        if POST_MARK in url:
            extra["XXGK-Request-Key"] = url  # the response is identified by URL + form body
        final = res.response if res.outcome == "ok" and kind != "robots" else None
        records = []
        for resp in res.all_responses:
            revisit = None
            if resp is final and prev and prev["sha256"] == _sha(resp.body):
                revisit = (prev["final_url"] or url, prev["fetched_at"])
            request = (resp.method, resp.request_headers, resp.request_body) if resp.method != "GET" else None
            data, rtype = build_record(resp.url, resp.status, resp.reason, resp.headers, resp.body, resp.fetched_at,
                                       http_version=resp.http_version, revisit_of=revisit, truncated=resp.truncated,
                                       extra=extra, request=request)
            records.append((resp, data, rtype))
        if kind == "robots":
            return entry, res, records, None
        body, base = None, url
        if final is not None:
            body, base = final.body, res.final_url
        elif res.outcome == "not_modified" and prev is not None and prev.get("warc_file"):
            body = read_record(self.archive.root / prev["warc_file"], prev["warc_offset"])[2]
            base = prev["final_url"] or url
        sel: Selected | None = None
        if body is not None and kind in ("list", "report") and sniff.sniff(body, base) in DISCOVERABLE:
            charset = None
            ctype = (final.header("Content-Type") if final else prev.get("http_content_type") if prev else None) or ""
            if "charset=" in ctype.lower():
                charset = ctype.lower().split("charset=", 1)[1].split(";")[0].strip()
            sel = discover_page(body, base if "#" not in url else url, "list" if kind == "list" else "report",
                                http_charset=charset)
        elif kind == "list" and res.outcome == "http_error":
            sel = discover_failed(url)  # a pager request the server refuses may have another form (Hanweb POST)
        return entry, res, records, sel

    def save_stats(self, db) -> None:
        for sid in self._dirty:
            self.archive.save_run_stats(db, self.run_id, sid, asdict(self.stats[sid]))
        self._dirty.clear()
        self._stats_saved = time.monotonic()

    def _commit_robots(self, db, entry: dict, written: list) -> None:
        st = self.stats[entry["source_id"]]
        st.requests += len(written)
        for r, loc in written:
            self.archive.log_response(db, self.run_id, entry["source_id"], r.url, r.url, r.status, loc, r.fetched_at,
                                      sent_at=r.sent_at)
        self._dirty.add(entry["source_id"])

    def _commit(self, db, entry: dict, res: FetchResult, written: list, sel: Selected | None) -> None:
        src = self.sources[entry["source_id"]]
        st = self.stats[src.id]
        ar = self.archive
        url, kind = entry["url"], entry["kind"]
        st.requests += len(written)
        st.fetches += 1
        final = res.response if res.outcome == "ok" else None
        for resp, loc in written:
            ar.log_response(db, self.run_id, src.id, url, resp.url, resp.status, loc, resp.fetched_at,
                            sent_at=resp.sent_at)
        state = "done"
        if final is not None:
            st.fetches_ok += 1
            outcome = ar.store_version(
                db, self.run_id, url, source_id=src.id, kind=kind, body=final.body, http_status=final.status,
                final_url=res.final_url, http_content_type=final.header("Content-Type"),
                etag=final.header("ETag"), last_modified=final.header("Last-Modified"),
                fetched_at=final.fetched_at, loc=written[-1][1], title=entry.get("title"),
                list_date=entry.get("list_date"), referrer=entry.get("referrer"))
            self._count(st, kind, outcome)
        elif res.outcome == "not_modified":
            st.fetches_ok += 1
            ar.touch(db, url, etag=res.response.header("ETag") if res.response else None)
            self._count(st, kind, "unchanged")
            if kind == "list":
                st.lists_not_modified += 1
        else:
            status = {"blocked": "blocked", "robots": "skipped", "skipped": "skipped"}.get(res.outcome, "failed")
            state = status
            if status == "blocked":
                st.blocked += 1
            elif status == "skipped":
                st.skipped += 1
            else:
                st.failed += 1
            st.note(f"{url}: {res.error}")
            ar.store_failure(db, url, source_id=src.id, kind=kind, status=status, error=res.error or res.outcome,
                             http_status=res.status, final_url=res.final_url, title=entry.get("title"),
                             list_date=entry.get("list_date"), referrer=entry.get("referrer"))
        if entry["depth"] == 0 and kind == "list" and url == src.url:
            st.probe, st.probe_detail = _probe(res, src.url)
            ar.record_probe(db, src.id, st.probe, st.probe_detail, res.final_url)
        if sel is not None and sel.is_report and kind == "list" and final is not None:
            # the registered page is itself a 年报: store it as a report and fetch its attachments
            db.execute("UPDATE documents SET kind = 'report', title = COALESCE(title, ?) WHERE url = ?",
                       (sel.page_title, url))
            st.list_pages -= 1
            st.reports_seen += 1
            self._count(st, "report", outcome)
            entry = {**entry, "kind": "report", "title": sel.page_title}
            sel = Selected(sel.family, sel.current_page, attachments=sel.attachments, page_title=sel.page_title)
        elif sel is not None and sel.is_report and kind == "list":
            st.reports_seen += 1  # 304: the stored copy is the report
            st.reports_unchanged += 1
            entry = {**entry, "kind": "report"}
            sel = Selected(sel.family, sel.current_page, attachments=sel.attachments, page_title=sel.page_title)
        if sel is not None:
            if sel.error:
                st.note(f"{url}: {sel.error}")
            self._follow(db, src, st, entry, sel)
        ar.mark_frontier(db, url, state)
        self._reload_doc(db, url)
        self._dirty.add(src.id)

    def _count(self, st: SourceStats, kind: str, outcome: str) -> None:
        if kind == "list":
            st.list_pages += 1
        elif kind == "report":
            setattr(st, f"reports_{outcome}", getattr(st, f"reports_{outcome}") + 1)
        elif outcome in ("new", "changed"):
            setattr(st, f"attachments_{outcome}", getattr(st, f"attachments_{outcome}") + 1)

    def _follow(self, db, src: Source, st: SourceStats, entry: dict, sel: Selected) -> None:
        ar, scope = self.archive, self.scopes[src.id]
        url, depth = entry["url"], entry["depth"]
        st.dropped_titles += sel.dropped
        fresh = 0
        child_kind = "report" if entry["kind"] == "list" else "attachment"
        for link in sel.reports if entry["kind"] == "list" else sel.attachments + sel.reports:
            kind = child_kind if link in sel.attachments or entry["kind"] == "list" else "report"
            if not scope.allows(link.url):
                st.offsite_links += 1
                continue
            if link.url in self.in_run:
                continue
            title = link.title
            list_date = link.date
            if kind == "report" and entry["kind"] == "report":  # next page of a multi-page article
                title, list_date = entry.get("title"), entry.get("list_date")
            doc = self._doc(link.url)
            stored = doc is not None and doc["sha256"] is not None
            changed = stored and kind == "report" and (
                bool(self.opts.get("recheck_reports"))
                or (link.title and doc["title"] and normalize_title(link.title) != normalize_title(doc["title"]))
                or (link.date and doc["list_date"] and link.date != doc["list_date"]))
            if kind == "report" and entry["kind"] == "list":
                st.reports_seen += 1
            if stored and not changed:
                ar.add_frontier(db, link.url, src.id, kind, self.run_id, referrer=url, title=title,
                                list_date=list_date, depth=depth + 1)
                ar.mark_frontier(db, link.url, "unchanged")
                self.in_run.add(link.url)
                if kind == "report":
                    st.reports_unchanged += 1
                continue
            if doc is None or changed:
                fresh += 1  # unseen before (a retry of a failed or skipped URL is not news)
            self._enqueue(db, src, link.url, kind, referrer=url, title=title, list_date=list_date, depth=depth + 1)
        if entry["kind"] != "list":
            return
        max_pages, max_depth = self.opts.get("max_pages"), self.opts.get("max_depth", 3)
        cur = sel.current_page
        for link in sel.lists:
            if not scope.allows(link.url):
                st.offsite_links += 1
                continue
            if link.url in self.in_run:
                continue
            if max_pages is not None and self.lists_queued.get(src.id, 0) >= max_pages:
                break
            doc = self._doc(link.url)
            stored = doc is not None and doc["sha256"] is not None
            if link.page == 0 and link.url.rsplit("/", 1)[0] + "/" in self.in_run:
                continue  # index.html of a column crawled as dir/: the same page
            if link.page is not None:  # pagination of this list
                if stored and not (fresh and (cur is None or link.page == cur + 1)):
                    continue
                self._enqueue(db, src, link.url, "list", referrer=url, depth=depth, page=link.page)
            elif depth + 1 <= max_depth:  # a sub-column: cheap conditional GET each run
                self._enqueue(db, src, link.url, "list", referrer=url, title=link.title, depth=depth + 1)

    # -------------------------------------------------------------- the loop
    def task(self, entry: dict) -> tuple:
        """In a fetch thread: fetch one frontier entry (conditionally when stored) and prepare its records."""
        headers = {}
        if (entry["kind"] == "list" or self.opts.get("recheck_reports")) and POST_MARK not in entry["url"]:
            doc = self._cond.get(entry["url"])
            if doc and doc.get("sha256"):
                if doc.get("etag"):
                    headers["If-None-Match"] = doc["etag"]
                if doc.get("last_modified"):
                    headers["If-Modified-Since"] = doc["last_modified"]
        res = self.fetcher.fetch(entry["url"], self.scopes[entry["source_id"]], headers=headers)
        return self._prepare(entry, res, self._prev(entry["url"]))

    def robots_task(self, entry: dict):
        res = self.fetcher.fetch_robots(entry["url"], self.scopes[entry["source_id"]])
        return self._prepare(entry, res, None)

    def _prev(self, url: str) -> dict | None:
        doc = self._cond.get(url)
        return doc if doc is not None and doc.get("sha256") else None

    def run(self, workers: int) -> None:
        # conditional-GET validators are read in the main thread and handed to workers (sqlite stays single-thread)
        self._cond: dict[str, dict] = {}
        inflight: dict[Future, dict] = {}
        busy: set[str] = set()
        batch: list[tuple] = []
        last_commit = 0.0
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fetch") as pool:
            while True:
                now = time.monotonic()
                next_ready = now + 0.5
                for host, q in self.queues.items():
                    if not q or host in busy or len(inflight) >= workers:
                        continue
                    t = self.fetcher.ready_at(q[0]["url"]) - LOOKAHEAD
                    if t <= now and self.fetcher.needs_robots(q[0]["url"]):
                        # robots.txt as a step of its own: no worker sleeps through the slot after it
                        entry = {**q[0], "robots": True}
                        busy.add(host)
                        inflight[pool.submit(self.robots_task, entry)] = entry
                    elif t <= now:
                        entry = q.popleft()
                        st = self._doc(entry["url"])
                        if st:
                            self._cond[entry["url"]] = st
                        busy.add(host)
                        inflight[pool.submit(self.task, entry)] = entry
                    else:
                        next_ready = min(next_ready, t)
                if not inflight:
                    if batch:
                        batch = self._flush_batch(batch)
                        last_commit = time.monotonic()
                        continue
                    if not any(self.queues.values()):
                        break
                    time.sleep(max(0.0, min(0.5, next_ready - time.monotonic())))
                    continue
                timeout = next_ready - time.monotonic()
                if batch:
                    timeout = min(timeout, last_commit + GROUP_COMMIT - time.monotonic())
                done, _ = wait(list(inflight), timeout=max(0.0, timeout), return_when=FIRST_COMPLETED)
                for fut in done:
                    entry = inflight.pop(fut)
                    busy.discard(self._host(entry["url"]))
                    try:
                        batch.append(fut.result())
                    except Exception as e:  # a bug in a worker must not lose the run; record it
                        res = FetchResult(url=entry["url"], outcome="error", error=f"internal error: {e!r}")
                        batch.append((entry, res, [], None))
                if batch and (not inflight or time.monotonic() - last_commit >= GROUP_COMMIT or len(batch) >= 256):
                    batch = self._flush_batch(batch)
                    last_commit = time.monotonic()

    def _flush_batch(self, batch: list[tuple]) -> list[tuple]:
        self.handle_batch(batch)
        for e, *_ in batch:
            self._cond.pop(e["url"], None)
        if self.bar is not None:
            self.bar.update(sum(1 for e, *_ in batch if not e.get("robots")))
        return []


def _load_stats(d: dict | None) -> SourceStats:
    if not d:
        return SourceStats()
    known = {k: v for k, v in d.items() if k in SourceStats.__dataclass_fields__}
    return SourceStats(**known)


def crawl(sources: list[Source], data_dir: str | Path, *, max_pages: int | None = None, max_depth: int = 3,
          min_delay: float | None = None, jitter: float = 0.05, workers: int | None = None,
          resolve: dict[str, str] | None = None, user_agent: str = USER_AGENT,
          timeout: tuple[float, float] = (10.0, 30.0), retries: int = 3, backoff: float = 2.0,
          max_retry_after: float = 300.0, max_body: int = 50 * 1024 * 1024, recheck_reports: bool = False,
          progress: bool | None = None, fsync: bool = True, fetcher: Fetcher | None = None) -> CrawlSummary:
    """Crawl `sources` into the archive at `data_dir`; resume the last run if it was interrupted.

    `min_delay` overrides every source's registry value (tests, benchmarks). `resolve` maps host names to
    IPs (tests and the demo serve realistic host names from 127.0.0.1)."""
    started = time.monotonic()
    archive = Archive(data_dir, create=True, fsync=fsync)
    try:
        archive.register_sources(sources)
        run_id = archive.unfinished_run()
        resumed = run_id is not None
        opts = {"max_pages": max_pages, "max_depth": max_depth, "recheck_reports": recheck_reports}
        if run_id is None:
            run_id = archive.start_run({**opts, "sources": [s.id for s in sources]})
        archive.open_writer(run_id)
        default_delay = min_delay if min_delay is not None else 1.0
        fetcher = fetcher or Fetcher(user_agent=user_agent, min_delay=default_delay, jitter=jitter, timeout=timeout,
                                     retries=retries, backoff=backoff, max_retry_after=max_retry_after,
                                     max_body=max_body, resolve=resolve)
        delays: dict[str, float] = {}
        for s in sources:
            d = min_delay if min_delay is not None else s.min_delay
            delays[s.host] = max(delays.get(s.host, 0.0), d)
        for host, d in delays.items():
            fetcher.set_min_delay(host, d)
        c = _Crawl(sources, archive, fetcher, run_id, opts)
        with archive.transaction() as db:
            for s in sources:
                archive.add_frontier(db, s.url, s.id, "list", run_id, depth=0, requeue=not resumed)
                c.in_run.add(s.url)
        wanted = {s.id for s in sources}
        for e in archive.pending(run_id):
            if e["source_id"] in wanted:
                c.push(e)
        show = sys.stderr.isatty() if progress is None else progress
        if show:
            from tqdm import tqdm

            c.bar = tqdm(total=c.total, file=sys.stderr, unit="url", desc="crawl", dynamic_ncols=True)
        switch = sys.getswitchinterval()
        sys.setswitchinterval(min(switch, 0.001))  # the archiving thread must not queue 5 ms for the GIL
        try:
            n_hosts = len(c.queues) or 1
            c.run(workers or min(128, max(4, n_hosts)))
        finally:
            sys.setswitchinterval(switch)
            if c.bar is not None:
                c.bar.close()
        with archive.transaction() as db:
            c._dirty.update(c.stats)
            c.save_stats(db)
        problems = []
        for s in sources:
            st = c.stats[s.id]
            before = archive.previous_reports(s.id, run_id)
            if before > 0 and st.reports_seen == 0:
                problems.append(f"{s.id}: had {before} report(s) before, yields none now "
                                f"({st.probe or 'no probe'}: {st.probe_detail})")
            if st.fetches > 0 and st.fetches_ok == 0:
                problems.append(f"{s.id}: all {st.fetches} fetch(es) failed "
                                f"({'; '.join(st.errors[:2]) or st.probe_detail})")
        summary = CrawlSummary(run_id, resumed, c.stats, problems, {s.id: s.name for s in sources},
                               elapsed=time.monotonic() - started)
        archive.finish_run(run_id, summary.exit_code, {sid: asdict(st) for sid, st in c.stats.items()})
        return summary
    finally:
        archive.close()
