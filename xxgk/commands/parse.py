"""`xxgk parse PATH... [--json]`: one record per document (record.md), JSON Lines with --json."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator

import click

from parsers.api import iter_files, parse_bytes, parse_path
from parsers.report import Report


def _is_url(arg: str) -> bool:
    return arg.startswith(("http://", "https://"))


def _from_archive(url: str, data_dir: str) -> Report:
    from scraper.archive import Archive

    archive = Archive(data_dir)
    doc = archive.get(url)
    if doc is None:
        return Report(document=url, sha256="", status="error", error=f"not in the archive under {data_dir}")
    context = {"source_url": doc.url, "title": doc.title, "list_date": doc.list_date, "referrer": doc.referrer}
    source = archive.sources().get(doc.source_id)
    if source is not None:  # the registry's region and level for this column
        context.update({"region_code": source.region_code, "level": source.level})
    rep = parse_bytes(doc.body(), url, context)
    rep.extra.update({"source_url": doc.url, "fetched_at": doc.fetched_at, "source_id": doc.source_id})
    return rep


def _reports(paths: tuple[str, ...], data_dir: str | None) -> Iterator[Report]:
    for arg in paths:
        if _is_url(arg):
            if not data_dir:
                yield Report(document=arg, sha256="", status="error",
                             error="a URL needs --data-dir to read it from the crawl archive")
            else:
                yield _from_archive(arg, data_dir)
            continue
        files = list(iter_files([arg]))
        if not files:
            yield parse_path(arg)  # a missing path still gets its record with the reason
        for f in files:
            yield parse_path(f)


def _summary(rep: Report) -> str:
    failed = sum(1 for c in rep.checks if c.status == "fail")
    uncertain = sum(1 for c in rep.checks if c.status == "uncertain")
    numbers = sum(1 for c in rep.cells if c.kind == "number")
    head = f"{rep.document}\n  status: {rep.status}" + (f" ({rep.error})" if rep.error else "")
    return (f"{head}\n  title: {rep.title or '-'}\n  agency: {rep.agency or '-'}   year: {rep.report_year or '-'}"
            f"   published: {rep.published or '-'}\n"
            f"  format: {rep.template} {json.dumps(rep.tables, ensure_ascii=False) if rep.tables else ''}\n"
            f"  cells read: {len(rep.cells)} ({numbers} numbers)   checks: {len(rep.checks)}, "
            f"failed {failed}, uncertain {uncertain}")


@click.command("parse")
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON record per document (JSON Lines).")
@click.option("--data-dir", type=click.Path(file_okay=False), default=None,
              help="Crawl archive to read URL arguments from (with their provenance).")
def command(paths: tuple[str, ...], as_json: bool, data_dir: str | None) -> None:
    """Parse annual reports: files, folders (their files in sorted order) or archived URLs.

    HTML, plain text, markdown, PDF, DOCX and DOC/WPS are recognised from their bytes. Every
    document gets a record, even a broken one (status `error` with a one-line reason); the batch
    always goes on.

    \b
    Exit codes:
      0  every document was read (status ok, partial or not_a_report)
      1  at least one document could not be read at all (status error)
      2  usage error (bad option, no PATH)
    """
    errors = 0
    for rep in _reports(paths, data_dir):
        errors += rep.status == "error"
        if as_json:
            sys.stdout.write(json.dumps(rep.to_dict(), ensure_ascii=False) + "\n")
        else:
            click.echo(_summary(rep))
        sys.stdout.flush()
    sys.exit(1 if errors else 0)
