"""`xxgk demo [--data-dir DIR]`: the whole pipeline on a bundled demo portal, offline."""

from __future__ import annotations

import sys

import click


@click.command("demo")
@click.option("--data-dir", default="xxgk-demo-data", show_default=True, type=click.Path(file_okay=False),
              help="Folder for the demo's archive and datasets (recreated on every run).")
def command(data_dir: str) -> None:
    """Serve two small synthetic portals on 127.0.0.1, crawl them, parse every report and write
    the datasets; then show what was found and where the files are. Needs no network.

    \b
    Exit codes: as `xxgk crawl` (0 = everything crawled and exported).
    """
    from xxgk.demo import DemoError, run_demo

    try:
        result = run_demo(data_dir, echo=click.echo)
    except DemoError as e:
        click.echo(f"xxgk demo: {e}", err=True)
        sys.exit(2)
    sys.exit(result.exit_code)
