"""`xxgk run --sources FILE --data-dir DIR`: crawl + export, the command for cron."""

from __future__ import annotations

import sys

import click

from .crawl import _resolve


@click.command("run", epilog="""\b
Exit codes (those of `xxgk crawl`):
  0  every source crawled and the datasets written
  1  a source failed or regressed (see the summary; its earlier data stays),
     or the export failed (the previous datasets stay in place)
  2  usage error or invalid sources registry (nothing was fetched)""")
@click.option("--sources", "sources_path", type=click.Path(dir_okay=False), default=None,
              help="Registry CSV of 年报 columns (default: the shipped registry).")
@click.option("--data-dir", required=True, type=click.Path(file_okay=False),
              help="Data folder: archive, parse cache and DIR/datasets.")
@click.option("--source", "source_ids", multiple=True, help="Only this source id (repeatable).")
@click.option("--max-pages", type=click.IntRange(min=1), default=None, help="At most N list pages per source.")
@click.option("--min-delay", type=click.FloatRange(min=0), default=None,
              help="Seconds between requests to one host, overriding the registry (tests only: be polite).")
@click.option("--resolve", "resolve", multiple=True, metavar="HOST=IP",
              help="Connect to IP for HOST (like curl --resolve); for tests on 127.0.0.1.")
@click.option("--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal).")
def command(sources_path: str | None, data_dir: str, source_ids: tuple[str, ...], max_pages: int | None,
            min_delay: float | None, resolve: tuple[str, ...], progress: bool | None) -> None:
    """Crawl every source into DIR, then export the datasets to DIR/datasets.

    Re-running is cheap: list pages are fetched conditionally and only new or changed documents
    are parsed again. Schedule it from cron and alert on a non-zero exit code.
    """
    from scraper.crawl import EXIT_USAGE
    from scraper.registry import RegistryError, load_sources, select
    from xxgk.pipeline import run

    try:
        sources = select(load_sources(sources_path), list(source_ids))
    except RegistryError as e:
        click.echo(f"error: {e}", err=True)
        sys.exit(EXIT_USAGE)
    code, crawl_summary, summary = run(sources, data_dir, progress=lambda m: click.echo(m, err=True),
                                       max_pages=max_pages, min_delay=min_delay, resolve=_resolve(resolve),
                                       progress_bar=progress)
    click.echo(str(crawl_summary).rstrip())
    if summary is not None:
        click.echo(summary.text())
    else:
        click.echo("export failed: the previous datasets are unchanged (see the log above)", err=True)
    sys.exit(code)
