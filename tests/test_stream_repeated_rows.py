"""PDF text with wrapped labels (numbers between or after the two halves of a row label): a row of
numbers printed twice leaves more rows than the table has, so rows placed by reading order cannot be
certain. Every line of numbers of section 三 is repeated in turn (with or without its label text);
no cell may come back certain and wrong."""

import pytest

from parsers.api import parse_bytes
from xxgk import synth


# (report seed, format, render seed): 899192/41 prints `一、本年新收政府信` / numbers / `息公开申请数量`
@pytest.mark.parametrize("seed,version,render_seed", [(899192, "gk2021", 41), (41, "gk2021", 41), (7, "gk2019", 7)])
def test_repeated_number_row_never_gives_a_certain_wrong_value(seed, version, render_seed):
    rep = synth.random_report(seed, version, blank_rate=0.0)
    text = synth.render(rep, "pdf_text", render_seed)
    text = text.decode("utf-8") if isinstance(text, bytes) else text
    lines = text.split("\n")
    lo = next(i for i, line in enumerate(lines) if line.startswith("三、"))
    hi = next(i for i, line in enumerate(lines) if line.startswith("四、政府信息公开行政复议"))
    numeric = [i for i in range(lo, hi) if sum(w.isdigit() for w in lines[i].split()) >= 5]
    assert len(numeric) >= 20
    assert synth.certain_wrong(rep, parse_bytes(text.encode(), "r.txt"), ("s3",)) == []
    for i in numeric:
        damaged = lines[:i + 1] + [lines[i]] + lines[i + 1:]
        parsed = parse_bytes("\n".join(damaged).encode(), "r.txt")
        assert synth.certain_wrong(rep, parsed, ("s3",)) == [], (i, lines[i])
