"""parsers.readers.text: plain text and markdown -> Document (text, blocks, layout name)."""

from pathlib import Path

import pytest

from parsers.layout import Paragraph, Table
from parsers.readers import ReadError, reader_for
from parsers.readers.text import detect_layout, read_text, split_pipe_row

SEED = Path(__file__).parent / "fixtures" / "faku-2020.txt"


def test_seed_is_flattened_text_kept_verbatim():
    data = SEED.read_bytes()
    doc = read_text(data, "faku-2020.txt")
    assert doc.layout == "flattened" and doc.media_type == "text/plain"
    assert doc.text == data.decode("utf-8").replace("\r\n", "\n")
    assert all(isinstance(b, Paragraph) for b in doc.blocks)
    assert [b.text for b in doc.blocks][1] == "法库县人民政府2020年度政府信息公开工作报告"
    assert reader_for("text/plain") is read_text


def test_gbk_text_decodes_from_the_bytes():
    text = "某某县人民政府2021年政府信息公开工作年度报告\n一、总体情况\n全年主动公开信息1200条。\n"
    doc = read_text(text.encode("gbk"), "r.txt")
    assert doc.text == text and doc.layout == "plain"


def test_markdown_pipe_tables_become_tables():
    md = ("## 二、主动公开政府信息情况\n\n| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n"
          "| 规章 | 1 | 0 | 11 |\n| 行政规范性文件 | 8 |  | 66 |\n\n正文一行\n| 行政许可 | 447 |\n| 行政处罚 | 39 |\n")
    doc = read_text(md.encode(), "r.md")
    assert doc.layout == "pipe"
    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Table", "Paragraph", "Table"]
    t1, t2 = doc.tables
    assert t1.source == t2.source == "pipe" and (t1.index, t2.index) == (0, 1)
    assert t1.texts() == [["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "1", "0", "11"],
                          ["行政规范性文件", "8", "", "66"]]
    assert t2.texts() == [["行政许可", "447"], ["行政处罚", "39"]]
    assert isinstance(doc.blocks[1], Table) and doc.blocks[1].n_cols == 4


def test_split_pipe_row_keeps_blank_cells():
    assert split_pipe_row("| a | b |  |") == ["a", "b", ""]
    assert split_pipe_row("a | b") == ["a", "b"]


@pytest.mark.parametrize("lines, layout", [
    (["规章000行政规范性文件8855698", "行政许可447228", "行政处罚3985758", "行政强制88283"], "glued"),
    (["- 1 -", "信息内容 本年制发件数", "规章 1 0 11", "- 2 -", "行政许可 447228"], "pdf-text"),
    (["规章            0            0           0", "行政规范性文件     0    5    5"] * 3, "pdf-text"),
    (["规章", *["0"] * 30], "flattened"),
    (["一、总体情况", "全年主动公开信息1200条。"], "plain"),
])
def test_layout_names(lines, layout):
    assert detect_layout(lines) == layout


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"  \n\t \n", "empty"),
    (bytes(range(256)) * 20, "undecodable"),
    (b"\x01\x02\x03\x04abc" * 200, "binary"),
])
def test_unreadable_input_raises_read_error(data, reason):
    with pytest.raises(ReadError) as e:
        read_text(data, "bad.txt")
    assert reason in str(e.value) and "\n" not in str(e.value)


def _without_outer_pipes(md: str) -> str:
    """A markdown report as some converters print it: no outer pipes, no rule rows."""
    from parsers.readers.text import PIPE_RULE

    out = []
    for line in md.split("\n"):
        if line.startswith("|"):
            if PIPE_RULE.match(line):
                continue
            line = " | ".join(c.strip() for c in line.strip()[1:-1].split("|"))
        out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("seed", range(8))
def test_pipe_rows_without_outer_pipes(seed):
    """`一、本年新收… |  | 26 | 26`, ` | （二）部分公开… | 0 |  | ` (first and last cells empty) and
    `行政许可 | 0`: read like markdown tables, every cell exact, blanks kept."""
    from parsers.api import parse_bytes
    from xxgk import synth

    rep = synth.random_report(seed, ("gk2019", "gk2021")[seed % 2], blank_rate=0.3)
    text = _without_outer_pipes(synth.render_markdown(rep, seed, span_fill=("empty", "repeat")[seed % 3 == 0]))
    assert "\n|" not in text
    assert synth.compare(rep, parse_bytes(text.encode("utf-8"), "report.txt"), True) == []


def test_loose_rows_and_breadcrumbs():
    from parsers.readers.text import loose_pipes, pipe_cells

    table = ["| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |", "| --- | --- | --- | --- |",
             "| 规章 | 1 |  | 11 |", "| 行政规范性文件 | 8 | 26 | 66 |"]
    crumbs = ["首页 | 政务公开 | 政府信息公开 | 年报"] * 3
    assert not loose_pipes(crumbs + table)  # a markdown page with breadcrumbs stays a markdown page
    assert pipe_cells(table[2], False) == ["规章", "1", "", "11"]
    loose = ["规章 | 1 |  | 11", "行政规范性文件 | 8 | 26 | 66", " | （二）部分公开 | 0 |  | ", "行政许可 | 0"]
    assert loose_pipes(loose + ["x | y | z | w"])
    assert pipe_cells(loose[2], True) == ["", "（二）部分公开", "0", "", ""]
    assert pipe_cells(loose[3], True) == ["行政许可", "0"]
    assert pipe_cells("没有竖线的正文", True) is None
