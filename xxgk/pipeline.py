"""The whole pipeline: archive (or a folder of files) -> parsed reports -> datasets.

`export(data_dir)` reads what the crawl archive under `data_dir` holds, parses each document once
(a parse cache keyed by the bytes' sha256, the parser version and the crawl context lives in
`data_dir/cache/parse`, so only new or changed documents are parsed again) and writes
`data_dir/datasets/`. `export(data_dir, inputs=[paths])` does the same for a researcher's own
files, with the file paths as provenance. `run(sources, data_dir)` = crawl + export.

Provenance travels with every record: source URL, fetch time, sha256, the registry's region code
and level (weighed against the agency's own division in output.tables.region), the list page's link title and date, and for an attachment the page that linked it
(whose title, date and agency fill what the file itself lacks, via `parse_bytes(context=...)`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from parsers.api import iter_files, parse_bytes
from parsers.report import PARSER_VERSION, Report

try:
    import fcntl
except ImportError:  # Windows: no advisory lock; do not run two exports into one folder at once
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

DATASETS = "datasets"
CACHE = Path("cache") / "parse"
ParseFn = Callable[[bytes, str, dict[str, Any]], Report]


@dataclass
class ExportSummary:
    out_dir: Path
    documents: int = 0
    parsed: int = 0  # parsed in this export
    cached: int = 0  # taken from the parse cache
    unreadable: int = 0  # files or archive records that could not be read back
    reports: int = 0  # rows of the reports table
    statuses: Counter = field(default_factory=Counter)
    years: Counter = field(default_factory=Counter)
    checks_failed: int = 0
    reposted: int = 0  # reports found at more than one URL
    exit_code: int = 0

    def text(self) -> str:
        st = ", ".join(f"{k} {v}" for k, v in sorted(self.statuses.items())) or "none"
        years = ", ".join(f"{y}: {n}" for y, n in sorted(self.years.items(), key=lambda kv: str(kv[0])))
        lines = [
            f"documents: {self.documents} ({self.parsed} parsed, {self.cached} unchanged from cache"
            + (f", {self.unreadable} unreadable" if self.unreadable else "") + ")",
            f"reports:   {self.reports} ({st})" + (f"; {self.reposted} found at several URLs" if self.reposted else ""),
        ]
        if years:
            lines.append(f"by year:   {years}")
        lines.append(f"checks:    {self.checks_failed} failing consistency check(s)")
        lines.append(f"datasets:  {self.out_dir}")
        return "\n".join(lines)


@dataclass
class Item:
    """One document to parse: its bytes (lazily), provenance and the context for the parser."""

    prov: Any  # output.tables.Provenance
    load: Callable[[], bytes]
    context: dict[str, Any]


# ---------------------------------------------------------------- parse cache

@cache
def parser_fingerprint() -> str:
    """PARSER_VERSION plus a hash of the parser's source, so a changed parser never reuses old parses."""
    import parsers

    root = Path(parsers.__file__).parent
    h = hashlib.sha256(PARSER_VERSION.encode())
    for p in sorted(root.rglob("*.py")):
        h.update(p.relative_to(root).as_posix().encode())
        h.update(p.read_bytes())
    return f"{PARSER_VERSION}-{h.hexdigest()[:12]}"


class ParseCache:
    """Parsed records on disk: DIR/cache/parse/<parser fingerprint>/<key[:2]>/<key>.json."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.dir = root / parser_fingerprint()

    @staticmethod
    def key(sha256: str, context: dict[str, Any]) -> str:
        blob = json.dumps({"sha256": sha256, "context": context}, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()

    def get(self, key: str) -> Report | None:
        p = self.dir / key[:2] / f"{key}.json"
        try:
            return Report.from_dict(json.loads(p.read_text("utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, rep: Report) -> None:
        p = self.dir / key[:2] / f"{key}.json"
        p.parent.mkdir(parents=True, exist_ok=True)
        tmp = p.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text(json.dumps(rep.to_dict(), ensure_ascii=False, default=str), "utf-8")
        os.replace(tmp, p)

    def prune(self) -> None:
        """Drop parses made by other parser versions (they will never be read again)."""
        import shutil

        if self.root.exists():
            for d in self.root.iterdir():
                if d.is_dir() and d.name != self.dir.name:
                    shutil.rmtree(d, ignore_errors=True)


# ---------------------------------------------------------------- inputs

def _looks_like_report_title(t: str | None) -> bool:
    return bool(t) and ("报告" in t or "年报" in t) and "信息公开" in t


_FILE_EXT = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|ofd|rtf|txt|zip|rar)\s*$", re.I)
_ATTACHMENT_PREFIX = re.compile(r"^\s*附件\s*\d*\s*[:：、.．]?\s*")


def link_title(t: str | None) -> str | None:
    """An attachment's link text as a title: without `附件1：` and the file extension."""
    if not t:
        return t
    return _ATTACHMENT_PREFIX.sub("", _FILE_EXT.sub("", t)).strip() or None


def _clean_context(ctx: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in ctx.items() if v not in (None, "")}


def file_items(inputs: Iterable[str | Path]) -> Iterator[Item]:
    """A researcher's own files (folders recursively, sorted), the path as provenance."""
    from output.tables import Provenance

    seen: set[Path] = set()
    for f in iter_files(inputs):
        real = Path(f).resolve()
        if real in seen:  # a file named and also inside a folder named: one document
            continue
        seen.add(real)
        path = str(f)
        yield Item(Provenance(url=path, kind="file"), (lambda f=f: Path(f).read_bytes()),
                   _clean_context({"source_url": path}))


def archive_items(data_dir: Path) -> tuple[list[Item], list[Item]]:
    """(report pages, attachments) of the crawl archive. The caller parses pages first: an
    attachment's context comes from the page that linked it (`attachment_context`)."""
    from output.tables import Provenance
    from scraper.archive import Archive

    archive = Archive(data_dir)
    try:
        sources = archive.sources()
        docs = list(archive.documents(kinds=("report", "attachment")))
    finally:
        archive.close()
    pages, attachments = [], []
    for d in docs:
        if d.http_status and d.http_status >= 400:
            continue
        src = sources.get(d.source_id)
        prov = Provenance(url=d.url, kind=d.kind, source_id=d.source_id, fetched_at=d.fetched_at, sha256=d.sha256,
                          link_title=d.title, list_date=d.list_date, referrer=d.referrer,
                          region_code=src.region_code if src else None, level=src.level if src else None)
        # region and level stay out of the context: the parser names the agency's own division,
        # output.tables.region weighs it against the registry's (a city site reposts counties)
        ctx = {"source_url": d.url, "source_id": d.source_id, "title": d.title, "list_date": d.list_date,
               "referrer": d.referrer, "http_charset": d.http_charset}
        item = Item(prov, d.body, _clean_context(ctx))
        (attachments if d.kind == "attachment" else pages).append(item)
    return pages, attachments


def attachment_context(item: Item, page: Report | None, page_item: Item | None) -> dict[str, Any]:
    """An attachment's record uses the linking page's title, date and agency when the file lacks them."""
    ctx = dict(item.context)
    raw_title = ctx.get("title")
    title = link_title(raw_title)
    if title != raw_title:
        ctx["title"], ctx["link_title"] = title, raw_title
    if page is None and page_item is None:
        return _clean_context(ctx)
    page_title = (page.title if page else None) or (page_item.context.get("title") if page_item else None)
    if not _looks_like_report_title(title) and page_title:
        ctx["title"] = page_title
        if raw_title:
            ctx["link_title"] = raw_title
    if not ctx.get("list_date"):
        date = (page_item.context.get("list_date") if page_item else None) or (page.published if page else None)
        if date:
            ctx["list_date"] = date
    if page and page.agency:
        ctx["agency"] = page.agency
    if page and page.title:
        ctx["referrer_title"] = page.title
    if page and page.published:
        ctx["referrer_published"] = page.published
    return _clean_context(ctx)


# ---------------------------------------------------------------- export

@contextmanager
def _lock(data_dir: Path) -> Iterator[None]:
    """One export at a time per data dir (a cron job overlapping a manual run waits)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    if fcntl is None:
        yield
        return
    with open(data_dir / ".export.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _default_parse(args: tuple[bytes, str, dict[str, Any]]) -> Report:
    """Top-level (picklable) so worker processes can run it."""
    return parse_bytes(*args)


class _Parser:
    """Parses items through the cache, in worker processes when there are many to parse.

    Documents are read and parsed in bounded batches, so memory holds one batch of bodies, not
    the archive. A custom `parse` function (tests) runs in-process."""

    def __init__(self, cache_: ParseCache, summary: ExportSummary, parse: ParseFn | None, workers: int) -> None:
        self.cache, self.summary, self.custom, self.workers = cache_, summary, parse, workers
        self.pool: Any = None

    def __enter__(self) -> _Parser:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)

    def _load(self, item: Item) -> tuple[bytes | None, Report | None]:
        from output.tables import Provenance

        try:
            data = item.load()
        except OSError as e:  # an unreadable file or a damaged WARC record: a record that says so
            self.summary.unreadable += 1
            rep = Report(document=item.prov.url, sha256=item.prov.sha256 or "", status="error",
                         error=f"cannot read: {getattr(e, 'strerror', None) or e}".splitlines()[0])
            rep.extra["parser_version"] = PARSER_VERSION
            return None, rep
        if isinstance(item.prov, Provenance) and item.prov.sha256 is None:
            item.prov = Provenance(**{**item.prov.__dict__, "sha256": hashlib.sha256(data).hexdigest()})
        return data, None

    def _run(self, jobs: list[tuple[bytes, str, dict[str, Any]]]) -> list[Report]:
        if self.custom is not None:
            return [self.custom(*job) for job in jobs]
        if self.workers > 1 and len(jobs) >= 4:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor
            from concurrent.futures.process import BrokenProcessPool

            try:
                if self.pool is None:  # forkserver: workers fork from a clean single-threaded process
                    methods = multiprocessing.get_all_start_methods()
                    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
                    self.pool = ProcessPoolExecutor(self.workers, mp_context=ctx)
                return list(self.pool.map(_default_parse, jobs))
            except BrokenProcessPool:  # a worker died (a crashing library): go on in-process
                log.warning("parser worker died; parsing this batch in-process")
                self.pool, self.workers = None, 1
        return [_default_parse(job) for job in jobs]

    def parse(self, items: list[Item]) -> list[Report]:
        out: list[Report | None] = [None] * len(items)
        batch: list[tuple[int, str, tuple[bytes, str, dict[str, Any]]]] = []
        size = max(8, self.workers * 8)

        def flush() -> None:
            for (i, key, _), rep in zip(batch, self._run([job for _, _, job in batch]), strict=True):
                self.cache.put(key, rep)
                out[i] = rep
            self.summary.parsed += len(batch)
            batch.clear()

        for i, item in enumerate(items):
            data, failed = self._load(item)
            if data is None:
                out[i] = failed
                continue
            key = ParseCache.key(hashlib.sha256(data).hexdigest(), item.context)
            cached = self.cache.get(key)
            if cached is not None:
                self.summary.cached += 1
                out[i] = cached
                continue
            batch.append((i, key, (data, item.prov.url, dict(item.context))))
            if len(batch) >= size:
                flush()
        if batch:
            flush()
        return [r for r in out if r is not None]


def default_workers() -> int:
    """Parser processes: the CPUs this process may use, at most 8."""
    try:
        n = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        n = os.cpu_count() or 1
    return max(1, min(8, n))


def export(data_dir: str | Path, inputs: Iterable[str | Path] | None = None, *,
           out_dir: str | Path | None = None, parse: ParseFn | None = None,
           progress: Callable[[str], None] | None = None, workers: int | None = None) -> ExportSummary:
    """Parse what `data_dir`'s archive holds (or the files `inputs`) and write `data_dir/datasets`.
    `workers`: parser processes (default: the CPUs available, at most 8; 1 = in-process)."""
    from output.publish import publish
    from output.tables import Parsed

    data_dir = Path(data_dir)
    out = Path(out_dir) if out_dir is not None else data_dir / DATASETS
    summary = ExportSummary(out_dir=out)
    with _lock(data_dir), _Parser(ParseCache(data_dir / CACHE), summary, parse,
                                  workers or default_workers()) as parser:
        docs: list[Parsed] = []
        if inputs is not None:
            items = list(file_items(inputs))
            docs += [Parsed(rep, item.prov) for item, rep in zip(items, parser.parse(items), strict=True)]
        else:
            pages, attachments = archive_items(data_dir)
            by_url: dict[str, tuple[Item, Report]] = {}
            for item, rep in zip(pages, parser.parse(pages), strict=True):
                by_url[item.prov.url] = (item, rep)
                docs.append(Parsed(rep, item.prov))
            for item in attachments:
                page_item, page = by_url.get(item.prov.referrer or "", (None, None))
                item.context = attachment_context(item, page, page_item)
            docs += [Parsed(rep, item.prov) for item, rep in zip(attachments, parser.parse(attachments), strict=True)]
        summary.documents = len(docs)
        if progress:
            progress(f"parsed {summary.parsed} document(s), {summary.cached} from cache; writing {out}")
        frames = publish(docs, out)
        parser.cache.prune()
    import pandas as pd

    rep_df = frames["reports"]
    summary.reports = len(rep_df)
    summary.statuses = Counter(rep_df["status"].dropna().tolist())
    summary.years = Counter(int(y) if pd.notna(y) else "unknown" for y in rep_df["report_year"].tolist())
    summary.checks_failed = int(rep_df["checks_failed"].fillna(0).sum())
    summary.reposted = int((rep_df["url_count"] > 1).sum())
    return summary


def run(sources: list | None, data_dir: str | Path, *, progress: Callable[[str], None] | None = None,
        progress_bar: bool | None = None, **crawl_opts: Any) -> tuple[int, Any, ExportSummary | None]:
    """Crawl `sources` (None = the shipped registry) into `data_dir`, then export. Returns
    (exit code, crawl summary, export summary); the exit code is the crawl's, at least 1 if the
    export itself failed (the previous datasets then stay in place)."""
    from scraper.crawl import crawl
    from scraper.registry import load_sources

    if sources is None:
        sources = load_sources(None)
    crawl_summary = crawl(sources, data_dir, progress=progress_bar, **crawl_opts)
    try:
        summary = export(data_dir, progress=progress)
    except FileNotFoundError as e:  # nothing was ever archived (every source failed)
        log.error("export skipped: %s", e)
        return max(crawl_summary.exit_code, 1), crawl_summary, None
    except Exception:
        log.exception("export failed; the previous datasets are unchanged")
        return max(crawl_summary.exit_code, 1), crawl_summary, None
    return crawl_summary.exit_code, crawl_summary, summary
