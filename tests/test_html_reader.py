"""parsers.readers.html: bytes -> Document (blocks in reading order, span-aware tables, text lines)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.layout import Paragraph, Table, expand_spans
from parsers.readers import ReadError, reader_for
from parsers.readers.html import _expand, read_html

FX = Path(__file__).parent / "fixtures" / "html"


def load(name: str):
    data = (FX / f"{name}.html").read_bytes()
    exp = json.loads((FX / f"{name}.expected.json").read_text(encoding="utf-8"))
    return read_html(data, f"{name}.html"), exp


def test_registered_for_text_html():
    assert reader_for("text/html") is read_html


def test_gbk_fragment_without_charset_reads_as_chinese():
    raw = (FX / "word_gk2021_gbk.html").read_bytes()
    assert b"charset" not in raw.lower()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    doc = read_html(raw, "frag.html")
    assert doc.layout == "html" and doc.media_type == "text/html"
    assert "根据《条例》要求，现向社会公布示例县发展和改革局2023年度政府信息公开年度报告。" in doc.text.splitlines()
    assert "三、收到和处理政府信息公开申请情况" in doc.text.splitlines()
    assert len(doc.tables) == 3


def test_meta_hints():
    doc, _ = load("official_gk2021")
    assert doc.meta["html_title"] == "示例市交通运输局2022年政府信息公开工作年度报告_示例市交通运输局"
    assert doc.meta["meta"]["articletitle"] == "示例市交通运输局2022年政府信息公开工作年度报告"
    assert doc.meta["meta"]["pubdate"] == "2023-01-16 09:30"
    assert doc.meta["meta"]["contentsource"] == "示例市交通运输局"
    assert doc.meta["attachments"] == ["/attach/2023/report.pdf", "stat.xls?id=3"]


def test_blocks_in_reading_order_and_script_style_dropped():
    doc, _ = load("official_gk2021")
    kinds = [type(b).__name__ for b in doc.blocks]
    first_table = kinds.index("Table")
    paras = [b.text for b in doc.blocks[:first_table]]
    assert paras[:3] == ["首页 > 政府信息公开 > 年度报告", "示例市交通运输局2022年政府信息公开工作年度报告",
                         "发布时间：2023-01-16 来源：示例市交通运输局"]
    assert paras[-1] == "二、主动公开政府信息情况"
    # <br> splits a paragraph into lines
    assert "2022年，示例市交通运输局认真贯彻落实政府信息公开工作要求。" in paras
    assert "全年主动公开政府信息1,234条。" in paras
    assert "not a cell" not in doc.text and "border:1px" not in doc.text
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph)][-2:] == ["本年度未收取信息处理费。",
                                                                             "附件：年度报告.pdf 统计表"]


def test_table_rows_are_tab_joined_lines():
    doc, exp = load("official_gk2021")
    cells = exp["cells"]
    lines = doc.text.splitlines()
    reg = [str(cells[f"s2_regulation_{c}"][0]) for c in ("issued", "repealed", "in_force")]
    assert "\t".join(["规章", *reg]) in lines
    assert "信息内容\t本年制发件数\t本年废止件数\t现行有效件数" in lines  # 本年<br/>制发件数 joined
    assert f"行政事业性收费\t{cells['s2_admin_fee_amount_wan'][0]}" in lines  # colspan=3: written once
    row = "一、本年新收政府信息公开申请数量\t" + "\t".join(
        "" if cells[f"s3_new_received__{c}"][1] == "blank" else str(cells[f"s3_new_received__{c}"][0])
        for c in ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
                  "legal_service_org", "other_org", "total"))
    assert row in lines  # &nbsp; cells are empty strings between tabs


def test_span_expansion_keeps_anchor_and_copies():
    doc, _ = load("official_gk2021")
    s3 = doc.tables[1]
    assert s3.source == "html"
    top = s3.rows[0]
    assert [c.text for c in top[:3]] == ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"] * 3
    assert top[0].anchor and not top[1].anchor and top[0].rowspan == 3 and top[0].colspan == 3
    assert s3.rows[2][0].origin == (0, 0) and s3.rows[2][0].is_copy
    assert s3.n_cols == 10
    # 三、本年度办理结果 spans the 22 result rows of gk2021 in the first label column
    group = [r[0] for r in s3.rows if r[0].text == "三、本年度办理结果"]
    assert len(group) == 22 and sum(c.anchor for c in group) == 1
    s2 = doc.tables[0]
    fee = s2.rows[-1]
    assert [c.anchor for c in fee] == [True, True, False, False] and fee[1].colspan == 3


def test_word_cells_spans_nbsp_and_per_char_labels():
    doc, exp = load("word_gk2021_gbk")
    s3 = doc.tables[1]
    by_label = {r[2].text: r for r in s3.rows if r[2].text}
    assert by_label["一、本年新收政府信息公开申请数量"][3].text == str(exp["cells"]["s3_new_received__natural_person"][0])
    assert int(by_label["一、本年新收政府信息公开申请数量"][3].text) >= 100  # split over two <span>s, read whole
    zero = next(c for c in by_label["二、上年结转政府信息公开申请数量"][3:] if c.text == "0")
    assert zero.text == "0"  # &nbsp;0&nbsp;
    assert s3.rows[5][0].text == "三、本年度办理结果"  # one character per <p>, joined
    assert "4.无正当理由大量反复申请" not in doc.text


def test_truncated_html_still_yields_what_it_has():
    raw = (FX / "official_gk2021.html").read_bytes()
    cut = raw[: raw.index("5.属于三类内部事务信息".encode()) + 20]
    doc = read_html(cut, "cut.html")
    assert len(doc.tables) == 2
    assert doc.tables[1].n_rows >= 9
    assert "第二十条第（八）项" in doc.text


def test_nested_layout_table_and_hidden_text():
    html = ("<html><body><table><tr><td><p>一、总体情况</p><p>正文一段。</p>"
            "<table border=1><tr><td>信息内容</td><td>本年处理决定数量</td></tr><tr><td>行政许可</td><td>5</td></tr></table>"
            "<div style='display: none'>隐藏的菜单</div><p hidden>也隐藏</p></td><td>右栏</td></tr></table>"
            "<table><tr><td><p>只有一列的排版表格</p><p>第二段</p></td></tr></table></body></html>")
    doc = read_html(html.encode(), "x.html")
    assert [type(b) for b in doc.blocks] == [Paragraph, Paragraph, Table, Paragraph, Paragraph, Paragraph]
    assert doc.tables[0].texts() == [["信息内容", "本年处理决定数量"], ["行政许可", "5"]]
    assert "隐藏" not in doc.text
    assert doc.text.splitlines()[-2:] == ["只有一列的排版表格", "第二段"]


def test_hidden_styles_any_case_but_not_css_or_script_words():
    html = ("<html><head><style>.menu { display: none; }</style></head><body>"
            "<script>el.style.cssText = 'display:none';</script><p>看得见的 display: none 文字</p>"
            "<p STYLE='COLOR:red;DISPLAY:NONE'>大写隐藏</p><span style=\"font-family:'宋体';visibility: hidden\">也隐藏</span>"
            "<div class='menu'>样式表隐藏的菜单仍读出</div><p>尾</p></body></html>")
    doc = read_html(html.encode(), "x.html")
    assert doc.text.splitlines() == ["看得见的 display: none 文字", "样式表隐藏的菜单仍读出", "尾"]


def test_rowspan_beyond_table_is_clipped_and_huge_colspan_capped():
    html = "<table><tr><td rowspan=9>a</td><td colspan=99999999>b</td></tr><tr><td>c</td></tr></table>"
    doc = read_html(html.encode(), "x.html")
    t = doc.tables[0]
    assert t.n_rows == 2 and t.n_cols <= 1001
    assert t.rows[1][0].text == "a" and t.rows[1][0].is_copy and t.rows[1][1].text == "c"


def test_xml_declaration_and_meta_charset_gbk():
    html = '<?xml version="1.0" encoding="gbk"?><html><head><meta charset="gbk"><title>标题</title></head><body><p>正文</p></body></html>'
    doc = read_html(html.encode("gbk"), "x.html")
    assert doc.meta["html_title"] == "标题" and doc.text == "正文"


@pytest.mark.parametrize("data,reason", [
    (b"", "empty"),
    (b"   \n  ", "empty"),
    (b"<html><body><script>x=1</script></body></html>", "without any text"),
    (bytes(range(256)) * 40, ""),
])
def test_unreadable_input_raises_read_error(data, reason):
    with pytest.raises(ReadError) as e:
        read_html(data, "bad.html")
    assert reason in str(e.value)
    assert "\n" not in str(e.value)


cell = st.tuples(st.sampled_from(["", "a", "0", "规章"]), st.integers(1, 3), st.integers(1, 3))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(cell, max_size=5), max_size=6))
def test_fast_span_expansion_equals_layout_expand_spans(rows):
    n = len(rows)
    clipped = [[(t, min(rs, n - r), cs) for t, rs, cs in row] for r, row in enumerate(rows)]
    assert _expand(clipped) == expand_spans(clipped)


def test_caption_marker_characters_and_tables_inside_paragraph_flow():
    html = ("<div>前文<table><caption>表1 统计</caption><tr><td>a\ufdd0</td><td rowspan=2>b</td></tr>"
            "<tr><td>c</td></tr></table>后文<br>末行</div>")
    doc = read_html(html.encode(), "x.html")
    assert [type(b) for b in doc.blocks] == [Paragraph, Paragraph, Table, Paragraph, Paragraph]
    assert doc.text.splitlines() == ["前文", "表1 统计", "a\tb", "c", "后文", "末行"]
    assert doc.tables[0].texts() == [["a", "b"], ["c", "b"]]
