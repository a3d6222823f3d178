"""`xxgk eval DIR`: parse every report of a corpus folder and score each cell against its gold JSON.

Exit status: 0 when the overall cell accuracy is at least `--floor` (default 0: report only),
1 below the floor, 2 for a folder without gold files.
"""

from __future__ import annotations

import json
import sys

import click

from parsers.evaluate import evaluate, format_result


@click.command("eval")
@click.argument("corpus", type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the full result as JSON (every wrong cell).")
@click.option("--floor", type=click.FloatRange(0, 1), default=0.0, show_default=True,
              help="Fail (exit 1) when overall cell accuracy is below this fraction, e.g. 0.995.")
@click.option("--show", type=int, default=50, show_default=True, help="Wrong cells to list in the text output.")
def command(corpus: str, as_json: bool, floor: float, show: int) -> None:
    """Score the parser on CORPUS (a folder with gold/*.json naming raw documents relative to it).

    Prints per-document and overall cell accuracy and the cells it got wrong (code, gold, got, raw).
    A gold 0 matches a blank cell; a gold null matches any non-number.
    """
    try:
        res = evaluate(corpus)
    except FileNotFoundError as e:
        click.echo(f"xxgk eval: {e}", err=True)
        sys.exit(2)
    if as_json:
        click.echo(json.dumps(res.to_dict(), ensure_ascii=False, indent=1))
    else:
        click.echo(format_result(res, show))
    if res.accuracy < floor:
        click.echo(f"xxgk eval: accuracy {res.accuracy:.4%} is below the floor {floor:.4%}", err=True)
        sys.exit(1)
