"""The raw archive: every HTTP response in WARC files, crawl state in one SQLite database.

Layout under DATA_DIR:

    DATA_DIR/state.sqlite              state: documents, versions, responses, frontier, runs, sources
    DATA_DIR/warc/xxgk-<UTC>-<pid>.warc.gz   one gzip member per record, so any record is readable by offset

Durability rule: a response is written to the WARC and flushed (and fsynced) *before* the SQLite
transaction that mentions it commits. A kill at any moment therefore leaves at most a WARC tail that state
does not know; `open_writer` truncates such tails, so the archive never holds a record twice and state never
points at bytes that are not on disk. Bodies are never stored twice: a re-fetch whose bytes equal the
stored version is written as a WARC `revisit` record (headers only) that refers to the original.

A request that is not a plain GET (the Hanweb dataproxy POST form) is archived with its WARC `request`
record (method, headers, form body) right after the response record, linked by WARC-Concurrent-To; state
rows are keyed by the request key (fetch.py: URL plus `#xxgk-post:<form>`), so the same URL POSTed with two
bodies is two documents, and the response record carries the key in `XXGK-Request-Key`.

Readers (the output stage) use `Archive(data_dir)`: `documents()`, `get(url)`, `sources()`.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from parsers import sniff

from .registry import Source

STATE_DB = "state.sqlite"
WARC_DIR = "warc"
SCHEMA_VERSION = 1
KINDS = ("list", "report", "attachment")
SOFTWARE = "xxgk-crawler"
# Hop-by-hop / encoding headers that no longer describe the body as we store it (decoded, whole).
_DROP_HEADERS = {"transfer-encoding", "content-encoding", "content-length"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY, json TEXT NOT NULL, registered_at TEXT NOT NULL,
    probe_status TEXT, probe_detail TEXT, probe_url TEXT, probed_at TEXT);
CREATE TABLE IF NOT EXISTS documents (
    url TEXT PRIMARY KEY, source_id TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
    http_status INTEGER, final_url TEXT, sha256 TEXT, content_type TEXT, http_content_type TEXT,
    etag TEXT, last_modified TEXT, fetched_at TEXT, checked_at TEXT, error TEXT,
    title TEXT, list_date TEXT, referrer TEXT, warc_file TEXT, warc_offset INTEGER, warc_length INTEGER,
    versions INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source_id, kind);
CREATE TABLE IF NOT EXISTS versions (
    id INTEGER PRIMARY KEY, url TEXT NOT NULL, sha256 TEXT NOT NULL, fetched_at TEXT NOT NULL,
    http_status INTEGER, content_type TEXT, warc_file TEXT NOT NULL, warc_offset INTEGER NOT NULL,
    warc_length INTEGER NOT NULL, run_id INTEGER, UNIQUE (url, sha256));
CREATE TABLE IF NOT EXISTS responses (
    id INTEGER PRIMARY KEY, run_id INTEGER, source_id TEXT, url TEXT NOT NULL, target_uri TEXT NOT NULL,
    http_status INTEGER, record_type TEXT NOT NULL, warc_file TEXT NOT NULL, warc_offset INTEGER NOT NULL,
    warc_length INTEGER NOT NULL, fetched_at TEXT NOT NULL, sent_at REAL);
CREATE INDEX IF NOT EXISTS responses_url ON responses(url);
CREATE TABLE IF NOT EXISTS warc_files (name TEXT PRIMARY KEY, run_id INTEGER, created_at TEXT NOT NULL,
    committed_end INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS frontier (
    url TEXT PRIMARY KEY, source_id TEXT NOT NULL, kind TEXT NOT NULL, referrer TEXT, title TEXT,
    list_date TEXT, depth INTEGER NOT NULL DEFAULT 0, page INTEGER, state TEXT NOT NULL,
    run_id INTEGER, added_at TEXT NOT NULL, seq INTEGER);
CREATE INDEX IF NOT EXISTS frontier_state ON frontier(state, run_id);
CREATE TABLE IF NOT EXISTS runs (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT,
    exit_code INTEGER, options TEXT);
CREATE TABLE IF NOT EXISTS run_sources (run_id INTEGER NOT NULL, source_id TEXT NOT NULL, stats TEXT NOT NULL,
    PRIMARY KEY (run_id, source_id));
"""


def utcnow() -> str:
    """ISO-8601 UTC timestamp with seconds, the one format used everywhere in state."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _warc_date(iso: str) -> str:
    return iso if iso.endswith("Z") else iso + "Z"


@dataclass(frozen=True)
class StoredDocument:
    """One archived document (latest version of a URL), with where its bytes sit in the WARC files."""

    url: str
    source_id: str
    kind: str
    sha256: str
    fetched_at: str
    http_status: int
    content_type: str  # media type sniffed from the bytes (parsers.sniff), not the header
    title: str | None
    list_date: str | None
    referrer: str | None
    warc_file: str  # relative to the data dir
    warc_offset: int
    final_url: str = ""  # URL that served the bytes after redirects ("" = same as url)
    http_content_type: str | None = None  # Content-Type header as served (its charset helps decoding)
    etag: str | None = None
    last_modified: str | None = None
    data_dir: str = field(default="", repr=False, compare=False)

    @property
    def http_charset(self) -> str | None:
        """The charset parameter of the served Content-Type, if any (for parsers.decode)."""
        ct = self.http_content_type or ""
        for part in ct.split(";")[1:]:
            k, _, v = part.partition("=")
            if k.strip().lower() == "charset" and v.strip():
                return v.strip().strip("\"'")
        return None

    def body(self) -> bytes:
        """The raw response body, read back from its WARC record and checked against sha256."""
        data = read_record(Path(self.data_dir) / self.warc_file, self.warc_offset)[2]
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise OSError(f"WARC record for {self.url} does not match its sha256 (archive damaged)")
        return data


def read_record(path: Path, offset: int) -> tuple[str, StatusAndHeaders | None, bytes]:
    """(target URI, HTTP headers, body) of the WARC record at `offset` in `path`."""
    with open(path, "rb") as f:
        f.seek(offset)
        for rec in ArchiveIterator(f):
            return rec.rec_headers.get_header("WARC-Target-URI"), rec.http_headers, rec.content_stream().read()
    raise OSError(f"no WARC record at {path}:{offset}")


def build_record(url: str, status: int, reason: str, headers: Sequence[tuple[str, str]], body: bytes,
                 fetched_at: str, *, http_version: str = "HTTP/1.1", revisit_of: tuple[str, str] | None = None,
                 truncated: bool = False, extra: dict[str, str] | None = None,
                 request: tuple[str, Sequence[tuple[str, str]], bytes] | None = None) -> tuple[bytes, str]:
    """One gzipped WARC record (response, or revisit when `revisit_of=(uri, date)`) as bytes, and its type.
    With `request=(method, headers as sent, body)` a `request` record follows it in the same bytes (the
    response stays first, so reading at the returned offset gives the response).

    Pure and thread-safe: fetch threads build (and compress) records, the writer only appends them."""
    hdrs = [(k, v) for k, v in headers if k.lower() not in _DROP_HEADERS]
    for k, v in headers:
        if k.lower() == "content-encoding":
            hdrs.append(("X-Xxgk-Original-Content-Encoding", v))
    http_headers = StatusAndHeaders(f"{status} {reason or ''}".strip(), hdrs, protocol=http_version)
    digest = "sha256:" + hashlib.sha256(body).hexdigest()
    warc_headers = {"WARC-Date": _warc_date(fetched_at), "WARC-Payload-Digest": digest}
    if truncated:
        warc_headers["WARC-Truncated"] = "length"
    for k, v in (extra or {}).items():
        warc_headers[k] = v
    out = BytesIO()
    writer = WARCWriter(out, gzip=True)
    if revisit_of is not None:
        http_headers.add_header("Content-Length", "0")
        rec = writer.create_revisit_record(url, digest, revisit_of[0], _warc_date(revisit_of[1]),
                                           http_headers=http_headers, warc_headers_dict=warc_headers)
        rtype = "revisit"
    else:
        http_headers.add_header("Content-Length", str(len(body)))
        rec = writer.create_warc_record(url, "response", payload=BytesIO(body), length=len(body),
                                        http_headers=http_headers, warc_headers_dict=warc_headers)
        rtype = "response"
    writer.write_record(rec)
    if request is not None:
        method, req_headers, req_body = request
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        req_http = StatusAndHeaders(f"{method} {target}", list(req_headers), protocol=http_version,
                                    is_http_request=True)
        if not any(k.lower() == "host" for k, _ in req_headers):
            req_http.add_header("Host", parts.netloc)
        req_warc = {"WARC-Date": _warc_date(fetched_at),
                    "WARC-Concurrent-To": rec.rec_headers.get_header("WARC-Record-ID"), **(extra or {})}
        req_rec = writer.create_warc_record(url, "request", payload=BytesIO(req_body), length=len(req_body),
                                            http_headers=req_http, warc_headers_dict=req_warc)
        writer.write_record(req_rec)
    return out.getvalue(), rtype


class Archive:
    """The archive under `data_dir`. Read-only use needs only the constructor; the crawler also writes."""

    def __init__(self, data_dir: str | Path, create: bool = False, fsync: bool = True) -> None:
        self.root = Path(data_dir)
        db = self.root / STATE_DB
        if not db.exists() and not create:
            raise FileNotFoundError(f"no crawl archive in {self.root} (missing {STATE_DB}); run `xxgk crawl` first")
        if create:
            (self.root / WARC_DIR).mkdir(parents=True, exist_ok=True)
        self.fsync = fsync
        self._lock = threading.RLock()
        self.db = sqlite3.connect(db, isolation_level=None, check_same_thread=False, timeout=30)
        self.db.row_factory = sqlite3.Row
        if create:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            with self.transaction():
                for stmt in _SCHEMA.split(";"):
                    if stmt.strip():
                        self.db.execute(stmt)
                self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
                cols = {r[1] for r in self.db.execute("PRAGMA table_info(responses)")}
                if "sent_at" not in cols:  # archives made before sent_at was recorded
                    self.db.execute("ALTER TABLE responses ADD COLUMN sent_at REAL")
        self._writer: WARCWriter | None = None
        self._pending = bytearray()
        self._wfile = None
        self._wname: str | None = None

    # ------------------------------------------------------------------ reading (the output stage's API)
    def documents(self, kinds: Sequence[str] = ("report", "attachment")) -> Iterator[StoredDocument]:
        """Latest stored version of every URL of the given kinds, ordered by source then URL."""
        kinds = tuple(kinds)
        marks = ",".join("?" * len(kinds))
        rows = self.db.execute(
            f"SELECT * FROM documents WHERE sha256 IS NOT NULL AND kind IN ({marks}) ORDER BY source_id, url",
            kinds).fetchall()
        for r in rows:
            yield self._stored(r)

    def get(self, url: str) -> StoredDocument | None:
        """The stored document for `url` (as linked, or the final URL after redirects), or None."""
        r = self.db.execute("SELECT * FROM documents WHERE url = ? AND sha256 IS NOT NULL", (url,)).fetchone()
        if r is None:
            r = self.db.execute("SELECT * FROM documents WHERE final_url = ? AND sha256 IS NOT NULL "
                                "ORDER BY url LIMIT 1", (url,)).fetchone()
        return self._stored(r) if r is not None else None

    def sources(self) -> dict[str, Source]:
        """Sources as registered at crawl time, by id."""
        return {r["id"]: Source.from_dict(json.loads(r["json"]))
                for r in self.db.execute("SELECT id, json FROM sources ORDER BY id")}

    def state(self, url: str) -> dict[str, Any] | None:
        """The full state row of a URL (any status), as a dict; for reports and tests."""
        r = self.db.execute("SELECT * FROM documents WHERE url = ?", (url,)).fetchone()
        return dict(r) if r is not None else None

    def states(self, source_id: str | None = None) -> list[dict[str, Any]]:
        q, args = "SELECT * FROM documents", ()
        if source_id is not None:
            q, args = q + " WHERE source_id = ?", (source_id,)
        return [dict(r) for r in self.db.execute(q + " ORDER BY url", args)]

    def probes(self) -> dict[str, dict[str, Any]]:
        """Seed probe result per source id: status alive|moved|dead|blocked, detail, final URL, time."""
        return {r["id"]: {"status": r["probe_status"], "detail": r["probe_detail"], "url": r["probe_url"],
                          "at": r["probed_at"]}
                for r in self.db.execute("SELECT * FROM sources WHERE probe_status IS NOT NULL")}

    def _stored(self, r: sqlite3.Row) -> StoredDocument:
        return StoredDocument(
            url=r["url"], source_id=r["source_id"], kind=r["kind"], sha256=r["sha256"], fetched_at=r["fetched_at"],
            http_status=r["http_status"], content_type=r["content_type"], title=r["title"],
            list_date=r["list_date"], referrer=r["referrer"], warc_file=r["warc_file"],
            warc_offset=r["warc_offset"], final_url=r["final_url"] or "", http_content_type=r["http_content_type"],
            etag=r["etag"], last_modified=r["last_modified"], data_dir=str(self.root))

    # ------------------------------------------------------------------ transactions
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of state change (BEGIN IMMEDIATE ... COMMIT, rolled back on error)."""
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            else:
                self.db.execute("COMMIT")

    def close(self) -> None:
        if self._wfile is not None:
            self._wfile.close()
            self._wfile = None
        self.db.close()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ sources and runs
    def register_sources(self, sources: Iterable[Source]) -> None:
        now = utcnow()
        with self.transaction() as db:
            for s in sources:
                db.execute("INSERT INTO sources (id, json, registered_at) VALUES (?, ?, ?) "
                           "ON CONFLICT(id) DO UPDATE SET json = excluded.json, registered_at = excluded.registered_at",
                           (s.id, json.dumps(s.to_dict(), ensure_ascii=False), now))

    def record_probe(self, db: sqlite3.Connection, source_id: str, status: str, detail: str, url: str) -> None:
        db.execute("UPDATE sources SET probe_status = ?, probe_detail = ?, probe_url = ?, probed_at = ? WHERE id = ?",
                   (status, detail, url, utcnow(), source_id))

    def unfinished_run(self) -> int | None:
        r = self.db.execute("SELECT id FROM runs WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1").fetchone()
        return r["id"] if r else None

    def start_run(self, options: dict[str, Any]) -> int:
        with self.transaction() as db:
            cur = db.execute("INSERT INTO runs (started_at, options) VALUES (?, ?)",
                             (utcnow(), json.dumps(options, ensure_ascii=False, default=str)))
            return int(cur.lastrowid)

    def finish_run(self, run_id: int, exit_code: int, stats: dict[str, dict[str, Any]]) -> None:
        with self.transaction() as db:
            for sid, st in stats.items():
                db.execute("INSERT OR REPLACE INTO run_sources VALUES (?, ?, ?)",
                           (run_id, sid, json.dumps(st, ensure_ascii=False)))
            db.execute("UPDATE runs SET finished_at = ?, exit_code = ? WHERE id = ?", (utcnow(), exit_code, run_id))

    def save_run_stats(self, db: sqlite3.Connection, run_id: int, source_id: str, stats: dict[str, Any]) -> None:
        db.execute("INSERT OR REPLACE INTO run_sources VALUES (?, ?, ?)",
                   (run_id, source_id, json.dumps(stats, ensure_ascii=False)))

    def run_stats(self, run_id: int) -> dict[str, dict[str, Any]]:
        return {r["source_id"]: json.loads(r["stats"])
                for r in self.db.execute("SELECT * FROM run_sources WHERE run_id = ?", (run_id,))}

    def previous_reports(self, source_id: str, before_run: int) -> int:
        """Reports the source yielded in its most recent finished run before `before_run` (0 if none)."""
        r = self.db.execute(
            "SELECT rs.stats FROM run_sources rs JOIN runs r ON r.id = rs.run_id WHERE rs.source_id = ? "
            "AND rs.run_id < ? AND r.finished_at IS NOT NULL ORDER BY rs.run_id DESC LIMIT 1",
            (source_id, before_run)).fetchone()
        if r is None:
            return 0
        return int(json.loads(r["stats"]).get("reports_seen", 0))

    # ------------------------------------------------------------------ frontier
    def add_frontier(self, db: sqlite3.Connection, url: str, source_id: str, kind: str, run_id: int, *,
                     referrer: str | None = None, title: str | None = None, list_date: str | None = None,
                     depth: int = 0, page: int | None = None, requeue: bool = False) -> bool:
        """Queue a URL for this run. An URL already queued or done in this run is left alone (True if queued)."""
        row = db.execute("SELECT state, run_id FROM frontier WHERE url = ?", (url,)).fetchone()
        seq = int(time.monotonic_ns())
        if row is None:
            db.execute("INSERT INTO frontier (url, source_id, kind, referrer, title, list_date, depth, page, state, "
                       "run_id, added_at, seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)",
                       (url, source_id, kind, referrer, title, list_date, depth, page, run_id, utcnow(), seq))
            return True
        if row["run_id"] == run_id and not requeue:
            return False
        if row["run_id"] == run_id and row["state"] == "pending":
            return False
        db.execute("UPDATE frontier SET state = 'pending', run_id = ?, referrer = COALESCE(?, referrer), "
                   "title = COALESCE(?, title), list_date = COALESCE(?, list_date), depth = ?, page = ?, seq = ? "
                   "WHERE url = ?", (run_id, referrer, title, list_date, depth, page, seq, url))
        return True

    def pending(self, run_id: int) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute(
            "SELECT * FROM frontier WHERE state = 'pending' AND run_id = ? ORDER BY seq", (run_id,))]

    def in_frontier(self, url: str, run_id: int) -> bool:
        r = self.db.execute("SELECT 1 FROM frontier WHERE url = ? AND run_id = ?", (url, run_id)).fetchone()
        return r is not None

    def mark_frontier(self, db: sqlite3.Connection, url: str, state: str) -> None:
        db.execute("UPDATE frontier SET state = ? WHERE url = ?", (state, url))

    # ------------------------------------------------------------------ writing WARC records
    def open_writer(self, run_id: int) -> str:
        """Start a new WARC file for this process, after truncating uncommitted tails of earlier files."""
        self.recover()
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        name = f"{WARC_DIR}/xxgk-{stamp}-{os.getpid()}.warc.gz"
        with self.transaction() as db:
            db.execute("INSERT INTO warc_files (name, run_id, created_at) VALUES (?, ?, ?)", (name, run_id, utcnow()))
        self._wfile = open(self.root / name, "ab")
        self._wname = name
        self._writer = WARCWriter(self._wfile, gzip=True)
        info = self._writer.create_warcinfo_record(os.path.basename(name), {
            "software": SOFTWARE, "format": "WARC File Format 1.1", "run": str(run_id)})
        self._writer.write_record(info)
        self._flush()
        with self.transaction() as db:
            self.set_committed(db)
        return name

    def recover(self) -> list[str]:
        """Truncate every WARC file to its last committed record (drops what a kill left unreferenced)."""
        fixed = []
        known = {r["name"]: r["committed_end"] for r in self.db.execute("SELECT * FROM warc_files")}
        wdir = self.root / WARC_DIR
        for path in sorted(wdir.glob("*.warc.gz")) if wdir.exists() else []:
            rel = f"{WARC_DIR}/{path.name}"
            end = known.get(rel, 0)
            if path.stat().st_size > end:
                with open(path, "r+b") as f:
                    f.truncate(end)
                fixed.append(rel)
        return fixed

    def _flush(self) -> None:
        assert self._wfile is not None
        if self._pending:
            self._wfile.write(self._pending)
            self._pending = bytearray()
        self._wfile.flush()
        if self.fsync:
            os.fsync(self._wfile.fileno())

    def set_committed(self, db: sqlite3.Connection) -> None:
        """Inside the transaction that references the records: they are now part of the archive."""
        assert self._wfile is not None and not self._pending, "sync() before committing"
        db.execute("UPDATE warc_files SET committed_end = ? WHERE name = ?", (self._wfile.tell(), self._wname))

    def write_response(self, url: str, status: int, reason: str, headers: Sequence[tuple[str, str]],
                       body: bytes, fetched_at: str, *, http_version: str = "HTTP/1.1",
                       revisit_of: tuple[str, str] | None = None, truncated: bool = False,
                       extra: dict[str, str] | None = None, sync: bool = True) -> tuple[str, int, int, str]:
        """Append one response and flush it (`sync=False`: the caller calls `sync()` once for a batch, before
        committing). `revisit_of=(uri, date)` writes a revisit record without the body (same bytes already
        stored). Returns (warc_file, offset, length, record_type)."""
        data, rtype = build_record(url, status, reason, headers, body, fetched_at, http_version=http_version,
                                   revisit_of=revisit_of, truncated=truncated, extra=extra)
        loc = self.append_record(data, rtype)
        if sync:
            self._flush()
        return loc

    def append_record(self, data: bytes, rtype: str) -> tuple[str, int, int, str]:
        """Queue a record made by `build_record` for the next `sync()`; returns its (file, offset, length,
        type). Records of a batch go to disk in one write, before the state that names them commits."""
        if self._wfile is None or self._wname is None:
            raise RuntimeError("open_writer() first")
        offset = self._wfile.tell() + len(self._pending)
        self._pending += data
        return self._wname, offset, len(data), rtype

    def sync(self) -> None:
        """Flush (and fsync) everything written so far; call before committing state that refers to it."""
        self._flush()

    # ------------------------------------------------------------------ state updates (inside a transaction)
    def log_response(self, db: sqlite3.Connection, run_id: int, source_id: str, url: str, target_uri: str,
                     http_status: int | None, loc: tuple[str, int, int, str], fetched_at: str,
                     sent_at: float | None = None) -> None:
        """One exchange in the audit log; `sent_at` (unix time) lets anyone check the per-host spacing."""
        db.execute("INSERT INTO responses (run_id, source_id, url, target_uri, http_status, record_type, warc_file, "
                   "warc_offset, warc_length, fetched_at, sent_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                   (run_id, source_id, url, target_uri, http_status, loc[3], loc[0], loc[1], loc[2], fetched_at,
                    sent_at))

    def latest_version(self, url: str) -> dict[str, Any] | None:
        r = self.db.execute("SELECT * FROM documents WHERE url = ? AND sha256 IS NOT NULL", (url,)).fetchone()
        return dict(r) if r is not None else None

    def store_version(self, db: sqlite3.Connection, run_id: int, url: str, *, source_id: str, kind: str,
                      body: bytes, http_status: int, final_url: str, http_content_type: str | None,
                      etag: str | None, last_modified: str | None, fetched_at: str, loc: tuple[str, int, int, str],
                      title: str | None, list_date: str | None, referrer: str | None) -> str:
        """Record a fetched body as the current version of `url`. Returns new|changed|unchanged."""
        sha = hashlib.sha256(body).hexdigest()
        prev = db.execute("SELECT sha256, versions FROM documents WHERE url = ?", (url,)).fetchone()
        outcome = "new" if prev is None or prev["sha256"] is None else (
            "unchanged" if prev["sha256"] == sha else "changed")
        media = sniff.sniff(body, final_url or url)
        if outcome != "unchanged":
            db.execute("INSERT OR IGNORE INTO versions (url, sha256, fetched_at, http_status, content_type, warc_file, "
                       "warc_offset, warc_length, run_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (url, sha, fetched_at, http_status, media, loc[0], loc[1], loc[2], run_id))
        if prev is None:
            db.execute("INSERT INTO documents (url, source_id, kind, status, http_status, final_url, sha256, content_type, "
                       "http_content_type, etag, last_modified, fetched_at, checked_at, error, title, list_date, referrer, "
                       "warc_file, warc_offset, warc_length, versions) "
                       "VALUES (?, ?, ?, 'ok', ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, 1)",
                       (url, source_id, kind, http_status, final_url, sha, media, http_content_type, etag,
                        last_modified, fetched_at, fetched_at, title, list_date, referrer, loc[0], loc[1], loc[2]))
        elif outcome == "unchanged":
            db.execute("UPDATE documents SET status = 'ok', error = NULL, checked_at = ?, etag = COALESCE(?, etag), "
                       "last_modified = COALESCE(?, last_modified), title = COALESCE(?, title), "
                       "list_date = COALESCE(?, list_date) WHERE url = ?",
                       (fetched_at, etag, last_modified, title, list_date, url))
        else:
            db.execute("UPDATE documents SET status = 'ok', http_status = ?, final_url = ?, sha256 = ?, content_type = ?, "
                       "http_content_type = ?, etag = ?, last_modified = ?, fetched_at = ?, checked_at = ?, error = NULL, "
                       "title = COALESCE(?, title), list_date = COALESCE(?, list_date), "
                       "referrer = COALESCE(?, referrer), warc_file = ?, warc_offset = ?, warc_length = ?, "
                       "versions = versions + 1 WHERE url = ?",
                       (http_status, final_url, sha, media, http_content_type, etag, last_modified, fetched_at,
                        fetched_at, title, list_date, referrer, loc[0], loc[1], loc[2], url))
        return outcome

    def touch(self, db: sqlite3.Connection, url: str, *, etag: str | None = None,
              last_modified: str | None = None) -> None:
        """A conditional GET answered 304: the stored version is still current."""
        db.execute("UPDATE documents SET status = 'ok', error = NULL, checked_at = ?, etag = COALESCE(?, etag), "
                   "last_modified = COALESCE(?, last_modified) WHERE url = ?", (utcnow(), etag, last_modified, url))

    def store_failure(self, db: sqlite3.Connection, url: str, *, source_id: str, kind: str, status: str,
                      error: str, http_status: int | None, final_url: str | None = None, title: str | None = None,
                      list_date: str | None = None, referrer: str | None = None) -> None:
        """A fetch that yielded no usable body (failed, blocked, skipped). A stored version stays readable."""
        now = utcnow()
        prev = db.execute("SELECT 1 FROM documents WHERE url = ?", (url,)).fetchone()
        if prev is None:
            db.execute("INSERT INTO documents (url, source_id, kind, status, http_status, final_url, checked_at, error, "
                       "title, list_date, referrer) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       (url, source_id, kind, status, http_status, final_url, now, error, title, list_date, referrer))
        else:
            # keep http_status/sha256 of the stored version: readers see the last good bytes
            db.execute("UPDATE documents SET status = ?, error = ?, checked_at = ? WHERE url = ?",
                       (status, error, now, url))
