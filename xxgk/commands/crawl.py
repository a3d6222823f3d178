"""`xxgk crawl`: fetch every registered 年报 column politely into a WARC + SQLite archive."""

from __future__ import annotations

import sys

import click

from scraper.crawl import EXIT_USAGE, crawl
from scraper.fetch import user_agent
from scraper.registry import RegistryError, load_sources, select


def _resolve(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for v in values:
        host, sep, ip = v.partition("=")
        if not sep or not host or not ip:
            raise click.BadParameter(f"{v!r}: use HOST=IP", param_hint="--resolve")
        out[host.lower()] = ip
    return out


@click.command(name="crawl", epilog="""\b
Exit codes:
  0  every source answered and none regressed
  1  a source that had reports before now yields none, or all of a source's
     requests failed (dead, blocked or skipped column): cron should alert
  2  usage error or invalid sources registry (nothing was fetched)
\b
Re-running continues an interrupted crawl (kill -9 included) and otherwise
re-checks list pages with conditional GET, fetching only new or changed
documents. Run it from cron, e.g. weekly in January-April, monthly otherwise.""")
@click.option("--sources", "sources_path", type=click.Path(dir_okay=False), default=None,
              help="Registry CSV (id,name,url[,region_code,level,min_delay,cms,notes,allow_domains]); "
                   "default: the shipped registry.")
@click.option("--data-dir", type=click.Path(file_okay=False), required=True,
              help="Archive directory (WARC files + state.sqlite); created if missing.")
@click.option("--source", "source_ids", multiple=True, help="Crawl only this source id (repeatable).")
@click.option("--max-pages", type=click.IntRange(min=1), default=None, help="At most N list pages per source.")
@click.option("--max-depth", type=click.IntRange(min=0), default=3, show_default=True,
              help="How many levels of sub-columns (year columns, 各区县…) to follow.")
@click.option("--min-delay", type=click.FloatRange(min=0), default=None,
              help="Seconds between two requests to one host, overriding the registry (tests only: be polite).")
@click.option("--workers", type=click.IntRange(min=1), default=None, help="Fetch threads (default: one per host, <=64).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=30.0, show_default=True,
              help="Read timeout per request, seconds.")
@click.option("--retries", type=click.IntRange(min=0), default=3, show_default=True,
              help="Retries on 5xx/timeouts/connection errors (exponential backoff).")
@click.option("--backoff", type=click.FloatRange(min=0), default=2.0, show_default=True,
              help="First backoff delay in seconds (doubles each retry).")
@click.option("--recheck-reports", is_flag=True, help="Also re-check stored reports with conditional GET.")
@click.option("--resolve", "resolve", multiple=True, metavar="HOST=IP",
              help="Connect to IP for HOST (like curl --resolve); for the demo and tests on 127.0.0.1.")
@click.option("--contact", default=None, metavar="URL",
              help="Contact URL put in the User-Agent (default: $XXGK_CONTACT or the project page).")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal).")
def command(sources_path, data_dir, source_ids, max_pages, max_depth, min_delay, workers, timeout, retries, backoff,
            recheck_reports, resolve, contact, progress) -> None:
    """Discover and fetch 政府信息公开工作年度报告 from the registered portals into DATA_DIR."""
    try:
        sources = select(load_sources(sources_path), list(source_ids))
    except RegistryError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(EXIT_USAGE)
    summary = crawl(sources, data_dir, max_pages=max_pages, max_depth=max_depth, min_delay=min_delay,
                    workers=workers, resolve=_resolve(resolve), timeout=(min(10.0, timeout), timeout),
                    retries=retries, backoff=backoff, recheck_reports=recheck_reports, progress=progress,
                    user_agent=user_agent(contact))
    click.echo(str(summary))
    sys.exit(summary.exit_code)
