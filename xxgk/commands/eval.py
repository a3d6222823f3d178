"""`xxgk eval DIR`: parse a corpus folder and score every cell against its gold JSON."""

from __future__ import annotations

import json
import sys

import click

from parsers.evaluate import evaluate, summary


@click.command("eval")
@click.argument("corpus", type=click.Path(exists=True, file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the full scores as JSON.")
@click.option("--floor", type=float, default=None, help="Exit 1 when cell accuracy is below this (0–1).")
@click.option("--no-pdf", is_flag=True, help="Skip the pdf/NNN.pdf twins of the text documents.")
@click.option("--show", type=int, default=20, help="Wrong or uncertain cells to list per document.")
def command(corpus: str, as_json: bool, floor: float | None, no_pdf: bool, show: int) -> None:
    """Score the parser on CORPUS (gold/NNN.json + the documents they name).

    A cell is right when the value equals the gold (a blank counts as the gold 0), uncertain when the
    parser flagged it (an honest gap), wrong when it differs silently, missing when absent.

    \b
    Exit codes: 0 accuracy at or above --floor (or no floor); 1 below the floor, or a wrong number
    in a report whose status is `ok`; 2 usage error.
    """
    scores = evaluate(corpus, include_pdf=not no_pdf)
    total = summary(scores)
    if as_json:
        click.echo(json.dumps({"summary": total, "documents": [s.to_dict() for s in scores]},
                              ensure_ascii=False, indent=1))
    else:
        for s in scores:
            flag = "" if s.meta.get("consistency_agrees") is not False else "  (checks disagree with gold)"
            click.echo(f"{s.document}: {s.right}/{s.total} = {s.accuracy:.2%}  status {s.status}, "
                       f"{len(s.uncertain)} uncertain, {len(s.wrong)} wrong, {len(s.missing)} missing{flag}")
            for w in (s.wrong + s.uncertain)[:show]:
                mark = "uncertain" if "note" in w else "WRONG"
                click.echo(f"    {mark:9} {w['code']}: gold {w['gold']} got {w['got']} (raw {w['raw']!r})")
            for m in s.missing[:show]:
                click.echo(f"    missing   {m}")
        click.echo(f"overall: {total['right']}/{total['cells']} cells = {total['accuracy']:.2%}; "
                   f"uncertain {total['uncertain']}, wrong {total['wrong']} (under ok: {total['wrong_under_ok']}), "
                   f"missing {total['missing']}")
    bad = (floor is not None and total["accuracy"] < floor) or total["wrong_under_ok"] > 0
    sys.exit(1 if bad else 0)
