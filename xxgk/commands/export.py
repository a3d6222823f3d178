"""`xxgk export --data-dir DIR [--input PATH...]`: parse what the archive holds (or your own files)
and write the datasets to DIR/datasets."""

from __future__ import annotations

import sys

import click


@click.command("export")
@click.option("--data-dir", required=True, type=click.Path(file_okay=False),
              help="Data folder: the crawl archive is read from it and DIR/datasets written.")
@click.option("--input", "inputs", multiple=True, type=click.Path(exists=True),
              help="Your own files or folders instead of the archive (paths become the provenance). "
                   "Several paths may follow one --input.")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Parser processes (default: the CPUs available, at most 8).")
@click.argument("more_inputs", nargs=-1, type=click.Path(exists=True))
def command(data_dir: str, inputs: tuple[str, ...], workers: int | None, more_inputs: tuple[str, ...]) -> None:
    """Write the datasets: CSV, Parquet, SQLite, codebook.csv, datapackage.json.

    Only documents that are new or changed since the last export are parsed again (a parse
    cache lives in DIR/cache). The previous datasets stay in place until the new ones are
    complete, and unchanged input gives byte-identical files.

    \b
    Exit codes:
      0  datasets written
      1  the export failed (the previous datasets are untouched)
      2  usage error
    """
    from xxgk.pipeline import export

    if more_inputs and not inputs:
        raise click.UsageError(f"unexpected argument {more_inputs[0]!r} (files to export go after --input)")
    paths = list(inputs) + list(more_inputs)
    try:
        summary = export(data_dir, paths or None, progress=lambda m: click.echo(m, err=True), workers=workers)
    except FileNotFoundError as e:
        click.echo(f"xxgk export: {e}", err=True)
        sys.exit(1)
    except Exception as e:  # noqa: BLE001 — one clear line for cron mail, previous datasets intact
        click.echo(f"xxgk export: failed: {type(e).__name__}: {e}", err=True)
        sys.exit(1)
    click.echo(summary.text())
    sys.exit(summary.exit_code)
