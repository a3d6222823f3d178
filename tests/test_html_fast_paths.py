"""parsers.readers.html fast paths: each shortcut must give what the plain way gives.

- the page is parsed from its UTF-8 bytes, not from the decoded str;
- hidden elements are looked for only when the page's bytes hold the words outside <style>/<script>;
- attachment links are looked for only when some href holds an attachment extension.
"""

from __future__ import annotations

import codecs
from urllib.parse import urljoin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from parsers.readers import ReadError
from parsers.readers.html import _PARSER, _PARSER_UTF8, ATTACHMENT, _meta, read_html

PAGE = ("<html><head><title>示例局2023年报</title><style>.nav li { display: none; visibility: hidden }</style>"
        "<script>if (a < b) { el.style.display = 'none'; el.hidden = true; }</script></head><body>"
        "<p>一、总体情况</p>{hidden}<table><tr><td>信息内容</td><td>数量</td></tr><tr><td>规章</td><td>3</td></tr></table>"
        "<p>尾</p></body></html>")


@pytest.mark.parametrize("hidden", [
    "<p style='DISPLAY:NONE'>隐藏</p>",
    "<p style=\"COLOR:red;VISIBILITY : HIDDEN\">隐藏</p>",
    "<p HIDDEN>隐藏</p>",
    "<div Style='Display:None'><p>隐藏</p></div>",
    "<p style='&#100;isplay:none'>隐藏</p>",  # the word spelled with a character reference
    "<p style='&#x44;ISPLAY: none'>隐藏</p>",
])
def test_hidden_elements_dropped_in_any_case_next_to_css_and_script_words(hidden):
    doc = read_html(PAGE.replace("{hidden}", hidden).encode(), "x.html")
    assert "隐藏" not in doc.text
    assert doc.text.splitlines() == ["一、总体情况", "信息内容\t数量", "规章\t3", "尾"]


@pytest.mark.parametrize("hidden", ["<p STYLE='DISPLAY:NONE'>隐藏</p>", "<p style='VISIBILITY:HIDDEN'>隐藏</p>",
                                    "<p HIDDEN>隐藏</p>", "<p\thidden>隐藏</p>", "<p style='&#68;ISPLAY:NONE'>隐藏</p>",
                                    "<p style='dis&#x70;lay:none'>隐藏</p>"])
def test_only_hidden_element_written_in_capitals(hidden):
    # the page has no lowercase "display: none" anywhere (a case-sensitive pre-check kept this text)
    doc = read_html(f"<html><body><p>正文</p>{hidden}</body></html>".encode(), "x.html")
    assert doc.text == "正文"


def test_css_and_script_words_alone_hide_nothing():
    page = PAGE.replace("{hidden}", "<p class='nav'>display: none 写在正文里也照读</p>")
    doc = read_html(page.encode("gbk"), "x.html")
    assert "display: none 写在正文里也照读" in doc.text.splitlines()


def test_long_s_is_not_an_s_in_css():
    # re.I alone folds "ſ" to "s"; CSS does not, so this paragraph shows in a browser
    doc = read_html(PAGE.replace("{hidden}", "<p style='diſplay:none'>看得见</p>").encode(), "x.html")
    assert "看得见" in doc.text


@pytest.mark.parametrize("encode", [
    lambda s: s.encode("utf-8"),
    lambda s: s.replace("<head>", "<head><meta charset='gbk'>").encode("gbk"),
    lambda s: codecs.BOM_UTF8 + s.encode("utf-8"),
    lambda s: s.encode("utf-16"),
    lambda s: b'<?xml version="1.0" encoding="utf-8"?>' + s.encode("utf-8"),
])
def test_same_document_from_every_encoding(encode):
    page = PAGE.replace("{hidden}", "<p hidden>隐藏</p><p>&nbsp;正文&#160;二</p>")
    doc, ref = read_html(encode(page), "x.html"), read_html(page.encode(), "y.html")
    assert doc.text == ref.text and doc.meta == ref.meta
    assert [b.texts() if hasattr(b, "texts") else b.text for b in doc.blocks] == \
           [b.texts() if hasattr(b, "texts") else b.text for b in ref.blocks]


def test_xml_encoding_declaration_lxml_refuses_still_refused():
    # not stripped (no "?>"); lxml refuses a str opening with it, and so does the reader, as before
    with pytest.raises(ReadError, match="unparseable HTML"):
        read_html(b'<?xml version="1.0" encoding="utf-8"><p>x</p>', "x.html")


html_piece = st.sampled_from([
    "<p>", "</p>", "<td>", "<tr>", "<table>", "</table>", "<br>", "<b>", "</b>", "<!-- c -->", "<script>", "</script>",
    "&nbsp;", "&#0;", "&#xD800;", "&amp", "中文", "é", "😀", "\x00", "\r\n", "\r", "\x0b", "\ufdd0", "\ufffe", " ", "x",
    "<meta charset='gbk'>", "<meta http-equiv='Content-Type' content='text/html; charset=big5'>", "<?php x ?>",
    "<p style='display:none'>", "<a href='a.PDF'>", "<", ">", "'", '"', "=",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(html_piece, min_size=1, max_size=30))
def test_utf8_bytes_parse_to_the_tree_of_the_str(pieces):
    text = "".join(pieces)
    if not text.strip() or text.startswith("<?xml"):
        return
    a, b = etree.fromstring(text, _PARSER), etree.fromstring(text.encode("utf-8"), _PARSER_UTF8)
    assert (a is None) == (b is None)
    if a is not None:
        assert etree.tostring(a, encoding=str) == etree.tostring(b, encoding=str)


def _plain_links(root) -> list[str]:
    """The attachment links the way the reader found them before its shortcut: every <a>, one regex each."""
    base = root.find(".//base")
    base_href = base.get("href") if base is not None else None
    links: list[str] = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if href and ATTACHMENT.search(href):
            href = urljoin(base_href, href) if base_href else href
            if href not in links:
                links.append(href)
    return links


href = st.lists(st.sampled_from(["a", ".", "/", "?", "#", "&", " ", "pdf", "PDF", "doc", "Docx", "wps", "xls", "XLSX",
                                 "et", "ofd", "ſ", "html", "中"]), max_size=6).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(href, max_size=6), st.booleans())
def test_attachment_links_same_as_one_regex_per_link(hrefs, base):
    head = "<base href='http://x.gov.cn/a/'>" if base else ""
    body = "".join(f"<a href='{h}'>链接</a>" for h in hrefs) + "<a>无</a>"
    root = etree.fromstring(f"<html><head>{head}</head><body>{body}</body></html>", _PARSER)
    assert _meta(root)["attachments"] == _plain_links(root)
