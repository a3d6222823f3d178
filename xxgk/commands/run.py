"""`xxgk run --sources FILE --data-dir DIR`: crawl + export, the command for cron."""

from __future__ import annotations

import sys

import click


@click.command("run")
@click.option("--sources", "sources_path", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Registry CSV of 年报 columns (default: the shipped registry).")
@click.option("--data-dir", required=True, type=click.Path(file_okay=False),
              help="Data folder: archive, parse cache and datasets.")
@click.option("--max-pages", type=int, default=None, help="Stop each source after this many list pages.")
@click.option("--min-delay", type=float, default=None,
              help="Seconds between requests to one host (overrides the registry; be polite).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when on a terminal).")
def command(sources_path: str | None, data_dir: str, max_pages: int | None, min_delay: float | None,
            progress: bool | None) -> None:
    """Crawl every source into DIR, then export the datasets to DIR/datasets.

    Re-running is cheap: pages are fetched conditionally and only new or changed documents are
    parsed. The exit code is the crawl's, so cron can alert on it:

    \b
      0  every source crawled
      1  some sources failed (their previous data stays; see the summary)
      2  usage error, unreadable registry
      other codes: see `xxgk crawl --help`
    If the export itself fails, the previous datasets stay in place and the exit code is 1 (or
    the crawl's, if that is higher).
    """
    from scraper.registry import RegistryError, load_sources
    from xxgk.pipeline import run

    try:
        sources = load_sources(sources_path)
    except RegistryError as e:
        click.echo(f"xxgk run: {e}", err=True)
        sys.exit(2)
    opts = {k: v for k, v in {"max_pages": max_pages, "min_delay": min_delay, "progress": progress}.items()
            if v is not None}
    try:
        code, crawl_summary, summary = run(sources, data_dir, progress=lambda m: click.echo(m, err=True), **opts)
    except Exception as e:  # noqa: BLE001 — one clear line for cron mail
        click.echo(f"xxgk run: failed: {type(e).__name__}: {e}", err=True)
        sys.exit(1)
    click.echo(str(crawl_summary).rstrip())
    if summary is not None:
        click.echo(summary.text())
    sys.exit(code)
