"""Control characters in an HTML page (Word's \\v line break, a stray \\x01) are read as spaces, not a crash."""

from __future__ import annotations

from parsers.api import parse_bytes
from parsers.readers.html import read_html

PAD = "<p>" + "本机关依照条例公开政府信息。" * 40 + "</p>"


def test_control_characters_in_text_and_cells_read_as_spaces():
    page = PAD + "<p>第一行\x0b第二行</p><table><tr><td>行政许可\x01</td><td>1\x0c2</td></tr><tr><td>3</td><td>4</td></tr></table>"
    doc = read_html(page.encode())
    lines = doc.text.split("\n")
    assert "第一行 第二行" in lines
    assert "行政许可\t1 2" in lines and "3\t4" in lines
    assert doc.meta.get("warnings") is None


def test_a_report_with_a_vertical_tab_parses():
    from xxgk.synth import random_report, render_html

    rep = random_report(4, version="gk2021", blank_rate=0.2)
    page = render_html(rep, 4).decode("utf-8")
    clean = parse_bytes(page.encode(), "a.html")
    dirty = parse_bytes(page.replace("</p>", "\x0b</p>", 1).encode(), "a.html")
    assert dirty.status == clean.status and dirty.error == clean.error
    assert [(c.code, c.value) for c in dirty.cells] == [(c.code, c.value) for c in clean.cells]


def test_damaged_bytes_make_the_record_partial_with_the_reason():
    from xxgk.synth import random_report, render_html

    page = render_html(random_report(4, version="gk2021", blank_rate=0.2), 4)
    cut = page + "报".encode()[:2]
    clean, rep = parse_bytes(page, "a.html"), parse_bytes(cut, "a.html")
    assert rep.status == "partial" and clean.status == "ok"
    assert rep.error == "1 byte sequence(s) not valid utf-8 replaced by U+FFFD (damaged or truncated file)"
    assert [(c.code, c.value) for c in rep.cells] == [(c.code, c.value) for c in clean.cells]
