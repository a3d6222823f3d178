"""HTML (whole pages and bare article fragments) -> layout.Document.

Bytes are decoded by parsers.decode (never latin-1 by default: a GBK fragment without a charset
must read as Chinese), then parsed by lxml, whose libxml2 parser recovers from truncated or
broken markup, so a cut-off page still yields what it has. Blocks come out in reading order:

- a `Table` per innermost <table> (a one-column table is a layout box, read as text) with spans
  expanded: every grid slot is a layout.GridCell that knows whether it is the span's anchor or a
  copy. Cell text is the text of all descendants joined: a number split across <span>s reads whole,
  a label one character per <p> or broken by <br> reads as one word. Whitespace and &nbsp; collapse:
  an &nbsp;-only cell is blank and `&nbsp;0&nbsp;` reads `0`.
- a `Paragraph` per line of the remaining text (p/div/h*/li/td… are block boundaries, <br> breaks
  a line); script, style, head and elements styled invisible are dropped.

`Document.text` renders the same blocks as lines: one line per paragraph and one line per table
row, the row's cells (as written in the <tr>, blank ones as "") joined by a tab. The stream
extractor falls back on that text, so the convention is part of the interface.

Speed: Python touches only block-level elements and table cells; all text comes out of lxml's C
serializer (`tostring(method="text")`), once per table and once for the rest of the page, with
Unicode noncharacters set into the tree as boundary markers, split on afterwards. libxml2 is fed the
page's UTF-8 bytes (the tree is the one of the decoded text); byte searches in them decide whether
hidden elements need looking for, and the hrefs are looked at together before one by one.
See benchmarks/parse_speed.py.
"""

from __future__ import annotations

import re
import threading
from urllib.parse import urljoin

from lxml import etree

from ..decode import MAX_REPLACEMENT_RATIO, DecodeError, decode_text
from ..layout import Document, GridCell, Paragraph, Table, expand_placement, place
from . import ReadError

# Elements whose text never shows on the page (or is widget chrome, not content); removed up front.
DROP = ("script", "style", "noscript", "template", "head", "title", "select", "textarea", "iframe", "object",
        "embed", "svg", "math", "button", "xml")
# Elements that start a new line of text (<br> is handled apart: it only breaks the line).
BLOCK = ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section", "article",
         "header", "footer", "nav", "main", "aside", "blockquote", "pre", "center", "address", "figure",
         "figcaption", "form", "fieldset", "legend", "hr", "table", "tbody", "thead", "tfoot", "tr", "td", "th",
         "caption", "ucapcontent")
CELL = ("td", "th")
ATTACHMENT = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|ofd)(?:$|[?#&])", re.I)
_EXTENSIONS = (".pdf", ".doc", ".wps", ".xls", ".et", ".ofd")  # what ATTACHMENT needs, lowercased
_HREFS = etree.XPath("//a/@href", smart_strings=False)
_WS = re.compile(r"[\s\u00a0\u3000\u200b\u200c\u200d\ufeff]+")
_WS_NOT_NL = re.compile(r"[^\S\n]+|[\u200b\u200c\u200d\ufeff]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
# CSS keywords are ASCII-case-insensitive (re.I alone would also fold "ſ" to "s", "ı" to "i").
_HIDDEN = re.compile(r"(?ai:display)\s*:\s*(?ai:none)|(?ai:visibility)\s*:\s*(?ai:hidden)")
_HIDDEN_WORDS = (b"display", b"visibility", b"hidden")
_CHAR_REF = re.compile(rb"&#(x[0-9a-f]+|[0-9]+)")
_CTRL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters XML (and so lxml) refuses
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
# The same parser fed UTF-8 bytes: the tree is the same as from the str, without lxml's re-encoding.
_PARSER_UTF8 = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, encoding="utf-8",
                              collect_ids=False)
_ONE = (1, 1)
MAX_SPAN = 1000  # a colspan of 10**6 must not allocate a million cells
# Boundary markers written into the tree before serialising (removed from the page text first).
# Unicode noncharacters: valid in XML, never meant to appear in text.
CELL_END, ROW_END, TABLE_MARK = "\ufdd0", "\ufdd1", "\ufdd2"
_MARKERS = {0xFDD0: None, 0xFDD1: None, 0xFDD2: None}


def read_html(data: bytes, name: str = "") -> Document:
    """Read one HTML page or fragment; raises ReadError when nothing readable is in it."""
    try:
        decoded = decode_text(data)
        text = decoded.text
    except DecodeError as e:
        raise ReadError(str(e)) from None
    raw = decoded.utf8  # the text as UTF-8 bytes when the page was UTF-8 (else _read_page encodes it)
    _check_text(text)
    decl = _XML_DECL.match(text)
    if decl:
        text, raw = text[decl.end():], None
    if CELL_END in text or ROW_END in text or TABLE_MARK in text:
        text, raw = text.translate(_MARKERS), None
    if not text or text.isspace():
        raise ReadError("empty HTML document")
    warnings = [decoded.warning()] if decoded.replaced else []
    try:
        return _read_page(text, raw, warnings)
    except ValueError as e:  # lxml refuses to write back text holding a control character (\v, \x01…)
        if "XML compatible" not in str(e):
            raise
    return _read_page(_NOT_XML.sub(" ", text), None, warnings)  # rare: cleaned only when it happens


def _read_page(text: str, raw: bytes | None, warnings: list[str]) -> Document:
    """Parse (from `raw`, the UTF-8 of `text`, when there is one) and read the tree."""
    if text.startswith("<?xml"):  # lxml refuses a str opening with an encoding declaration: keep that error
        raw = None
    elif raw is None:
        raw = _utf8(text)
    try:
        root = etree.fromstring(text, _PARSER) if raw is None else etree.fromstring(raw, _PARSER_UTF8)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ReadError(f"unparseable HTML: {e}") from None
    if root is None:
        raise ReadError("HTML without any element")
    meta = _meta(root)
    if warnings:
        meta["warnings"] = list(warnings)
    styled, attr = _maybe_hidden(raw, root)
    etree.strip_elements(root, *DROP, with_tail=False)
    body = root.find("body")
    body = body if body is not None else root
    if styled or attr:
        _drop_hidden(body, styled, attr)
    tables = _read_tables(body)
    blocks, lines = _lines_and_blocks(body, tables)
    if not blocks:
        raise ReadError("HTML without any text")
    return Document(blocks=blocks, text="\n".join(lines), media_type="text/html", layout="html", meta=meta)


def _utf8(text: str) -> bytes | None:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: lxml gets the str
        return None


def _check_text(text: str) -> None:
    """Mojibake or binary that happened to decode (same limits as decode.check_text, done with
    regexes: this runs on every page). U+FFFD is counted only when there is one (`in` stops there)."""
    bad = text.count("\ufffd") if "\ufffd" in text else 0
    if bad > MAX_REPLACEMENT_RATIO * max(1, len(text)):
        raise ReadError(f"text full of U+FFFD replacement characters ({bad})")
    sample = text[:5000]
    if len(_CTRL.findall(sample)) > len(sample) * 0.02:
        raise ReadError("binary data, not text")


def _collapse(s: str) -> str:
    return _WS.sub(" ", s).strip()


def _span(v: str | None) -> int:
    if not v:
        return 1
    if v.isdigit():
        n = int(v)
    else:
        m = re.match(r"\s*(\d+)", v)
        n = int(m.group(1)) if m else 1
    return min(MAX_SPAN, max(1, n))


def _remove(el) -> None:
    """Remove an element but keep its tail text (lxml's remove() would take the tail along)."""
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _maybe_hidden(raw: bytes | None, root) -> tuple[bool, bool]:
    """(style, attribute): could an element carry a hiding style / a `hidden` attribute? Portal pages
    say `display: none` a thousand times in their CSS and scripts, never in an element: a walk over
    every element of those pages costs as much as parsing them. The words, in any case, must then
    be in the page's bytes outside <style>/<script> text (an attribute is not in an element's text);
    so the page's lowercased bytes are counted against that text. A word spelled with numeric
    character references (`&#100;isplay`) could hide from the count: then the walk decides."""
    if raw is None:
        return True, True
    low = raw.lower()  # ASCII only, as CSS and HTML attribute names are case-insensitive
    if b"&#" in low and any(_letter_ref(m) for m in _CHAR_REF.findall(low)):
        return True, True
    found = [low.count(w) for w in _HIDDEN_WORDS]
    if not any(found):
        return False, False
    for el in root.iter("style", "script"):
        t = el.text
        if t:
            t = t.encode("utf-8", "surrogatepass").lower()
            found = [n - t.count(w) if n else 0 for n, w in zip(found, _HIDDEN_WORDS, strict=True)]
    return found[0] > 0 or found[1] > 0, found[2] > 0


def _letter_ref(ref: bytes) -> bool:
    n = int(ref[1:], 16) if ref[:1] == b"x" else int(ref)
    return 65 <= n <= 90 or 97 <= n <= 122


def _drop_hidden(body, styled: bool, attr: bool) -> None:
    """Remove elements styled invisible (or with a `hidden` attribute): their text is not on the
    page. One walk reads each element's attributes (faster than libxml2's XPath `contains()` over
    the same elements, which costs as much as the parse)."""
    gone = []
    for el in body.iter():
        style = el.get("style") if styled else None
        if (style and _HIDDEN.search(style)) or (attr and el.get("hidden") is not None):
            gone.append(el)
    for el in gone:
        _remove(el)


def _layout_table(tb) -> bool:
    """A table of one column is a layout box around text, not a statistics table."""
    return all(sum(1 for c in tr if c.tag in CELL) <= 1 for tr in tb.iter("tr"))


def _read_tables(body) -> list[tuple[list[str], Table, list[str]]]:
    """Every innermost data table, in document order, as (caption lines, Table, row lines); each is
    emptied down to a marker line so the page text keeps its place."""
    all_tables = list(body.iter("table"))
    outer = {a for t in all_tables for a in t.iterancestors("table")}
    out = []
    for tb in all_tables:
        if tb in outer or _layout_table(tb):
            continue
        caption = []
        cap = tb.find("caption")
        if cap is not None:
            caption = [line for line in (_collapse(x) for x in _text(cap).split("\n")) if line]
            _remove(cap)
        raw = _table_cells(tb)
        tb.clear(keep_tail=True)  # the table becomes its marker (a block, like the table)
        tb.text = f"{TABLE_MARK}{len(out)}{TABLE_MARK}"
        if not any(raw):
            continue
        table = Table(source="html", index=len(out), written=raw)  # GridCells built when first asked for
        out.append((caption, table, ["\t".join(t for t, _, _ in row) for row in raw]))
    return out


def _table_cells(tb) -> list[list[tuple[str, int, int]]]:
    """(text, rowspan, colspan) per cell per <tr>: markers after every cell and row, then one C
    serialisation of the table split on them. Rowspans are clipped to the table."""
    spans: list[list[tuple[int, int]] | int] = []  # a row without spans: just its number of cells
    for tr in tb.iter("tr"):
        row: list[tuple[int, int]] = []
        plain = True
        for td in tr:
            if td.tag in CELL:
                td.tail = CELL_END
                keys = td.keys()  # one call; most cells have no span (or no attribute at all)
                if "rowspan" in keys or "colspan" in keys:
                    rs, cs = td.get("rowspan"), td.get("colspan")
                    if rs or cs:
                        rs, cs = _span(rs) if rs else 1, _span(cs) if cs else 1
                        if rs != 1 or cs != 1:
                            plain = False
                        row.append((rs, cs))
                    else:
                        row.append(_ONE)
                else:
                    row.append(_ONE)
            else:
                td.tail = None  # text between cells is not shown in a cell
        tr.tail = ROW_END
        spans.append(len(row) if plain else row)
    text = _WS.sub(" ", _text(tb))
    raw = []
    n = len(spans)
    for r, (seg, row_spans) in enumerate(zip(text.split(ROW_END), spans, strict=False)):
        if row_spans.__class__ is int:
            raw.append([(p.strip(), 1, 1) for p in seg.split(CELL_END, row_spans)[:row_spans]])
            continue
        left = n - r  # a rowspan past the last row is clipped, as browsers do
        raw.append([(p.strip(), rs if rs <= left else left, cs)
                    for p, (rs, cs) in zip(seg.split(CELL_END), row_spans, strict=False)])
    return raw


def _lines_and_blocks(body, tables) -> tuple[list, list[str]]:
    """Page text with a newline at every block boundary and <br>, split into Paragraph lines, with
    the tables put back at their markers."""
    text = _WS_NOT_NL.sub(" ", _block_text(body))
    blocks: list = []
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            continue
        if TABLE_MARK in line:
            for i, piece in enumerate(line.split(TABLE_MARK)):
                piece = piece.strip()
                if i % 2 == 1 and piece.isdigit() and int(piece) < len(tables):
                    caption, table, rows = tables[int(piece)]
                    blocks.extend(Paragraph(c) for c in caption)
                    blocks.append(table)
                    lines.extend(caption)
                    lines.extend(rows)
                elif piece:
                    blocks.append(Paragraph(piece))
                    lines.append(piece)
            continue
        blocks.append(Paragraph(line))
        lines.append(line)
    return blocks, lines


def _block_text(body) -> str:
    """All text below `body` with a newline before and after every block element's content and
    after every <br>: from one XSLT run (libxslt's text output), which costs half of setting the
    newlines into the tree element by element and serialising it. The tree way stays for a root
    without <body> (XSLT would read the whole document), should XSLT fail, and for text holding a
    character lxml refuses to set into the tree: there the tree way raises the ValueError on which
    read_html retries with those characters cleaned, as it always did."""
    if body.getparent() is not None:
        try:
            text = str(_newline_xslt()(body))
        except etree.XSLTError:
            text = None
        if text is not None and not _NOT_XML.search(text) and "\ufffe" not in text and "\uffff" not in text:
            return text
    for el in body.iter(*BLOCK):
        t = el.text
        el.text = "\n" + t if t else "\n"
        t = el.tail
        el.tail = "\n" + t if t else "\n"
    for el in body.iter("br"):
        t = el.tail
        el.tail = "\n" + t if t else "\n"
    return _text(body)


_NEWLINES = f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:output method="text" encoding="UTF-8"/>
<xsl:template match="{'|'.join(BLOCK)}">
<xsl:text>&#10;</xsl:text><xsl:apply-templates/><xsl:text>&#10;</xsl:text></xsl:template>
<xsl:template match="br"><xsl:text>&#10;</xsl:text></xsl:template>
</xsl:stylesheet>"""
_local = threading.local()  # an XSLT object per thread (lxml's advice)


def _newline_xslt() -> etree.XSLT:
    xslt = getattr(_local, "xslt", None)
    if xslt is None:
        xslt = _local.xslt = etree.XSLT(etree.XML(_NEWLINES))
    return xslt


def _text(el) -> str:
    """All text below `el` (not its tail), from lxml's C serializer."""
    return etree.tostring(el, method="text", encoding=str, with_tail=False)


def _expand(rows: list[list[tuple[str, int, int]]]) -> list[list[GridCell]]:
    """The GridCell grid of clipped written cells (layout.place then layout.expand_placement; equals
    layout.expand_spans, checked in the tests)."""
    return expand_placement(place(rows))


def _meta(root) -> dict:
    """Hints for the metadata extractor: <title>, <meta> tags, attachment links."""
    title = root.find(".//title")
    metas: dict[str, str] = {}
    for m in root.iter("meta"):
        key = m.get("name") or m.get("property") or m.get("itemprop")
        content = m.get("content")
        if key and content is not None:
            metas.setdefault(key.strip().lower(), _collapse(content))
    links: list[str] = []
    hrefs = _HREFS(root)
    # One look at all hrefs at once: TRS pages link 600 menu pages and no attachment. str.lower()
    # maps every character ATTACHMENT matches to its ASCII letter, except "ſ" (matched as "s").
    joined = "\n".join(hrefs).lower() if hrefs else ""
    if any(ext in joined for ext in _EXTENSIONS) or "ſ" in joined:
        base = root.find(".//base")
        base_href = base.get("href") if base is not None else None
        seen: set[str] = set()
        for href in hrefs:
            href = href.strip()
            if not href or not ATTACHMENT.search(href):
                continue
            if base_href:
                href = urljoin(base_href, href)
            if href not in seen:
                seen.add(href)
                links.append(href)
    title_text = _collapse("".join(title.itertext())) if title is not None else ""
    return {"html_title": title_text, "meta": metas, "attachments": links}
