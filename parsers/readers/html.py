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
Unicode noncharacters set into the tree as boundary markers, split on afterwards. See benchmarks/parse_speed.py.
"""

from __future__ import annotations

import re
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
_WS = re.compile(r"[\s\u00a0\u3000\u200b\u200c\u200d\ufeff]+")
_WS_NOT_NL = re.compile(r"[^\S\n]+|[\u200b\u200c\u200d\ufeff]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HIDDEN_STYLES = ("display:none", "display: none", "visibility:hidden", "visibility: hidden")
_HIDDEN_ATTRS = (" hidden>", " hidden ", " hidden=", " hidden/")
_CTRL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters XML (and so lxml) refuses
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
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
    _check_text(text)
    text = _XML_DECL.sub("", text, count=1)
    if CELL_END in text or ROW_END in text or TABLE_MARK in text:
        text = text.translate(_MARKERS)
    if not text.strip():
        raise ReadError("empty HTML document")
    warnings = [decoded.warning()] if decoded.replaced else []
    try:
        return _read_page(text, warnings)
    except ValueError as e:  # lxml refuses to write back text holding a control character (\v, \x01…)
        if "XML compatible" not in str(e):
            raise
    return _read_page(_NOT_XML.sub(" ", text), warnings)  # rare: cleaned only when it happens


def _read_page(text: str, warnings: list[str]) -> Document:
    try:
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ReadError(f"unparseable HTML: {e}") from None
    if root is None:
        raise ReadError("HTML without any element")
    meta = _meta(root)
    if warnings:
        meta["warnings"] = list(warnings)
    etree.strip_elements(root, *DROP, with_tail=False)
    body = root.find("body")
    body = body if body is not None else root
    _drop_hidden(body, text)
    tables = _read_tables(body)
    blocks, lines = _lines_and_blocks(body, tables)
    if not blocks:
        raise ReadError("HTML without any text")
    return Document(blocks=blocks, text="\n".join(lines), media_type="text/html", layout="html", meta=meta)


def _check_text(text: str) -> None:
    """Mojibake or binary that happened to decode (same limits as decode.check_text, done with
    regexes: this runs on every page)."""
    bad = text.count("\ufffd")
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


def _drop_hidden(body, text: str) -> None:
    """Remove elements styled invisible: their text is not on the page. Looked for only when the
    source mentions such styles at all; then one walk reads each element's attributes (faster than
    libxml2's XPath `contains()` over the same elements, which costs as much as the parse)."""
    hidden = "hidden" in text  # two scans of the page instead of eight when neither word is there
    styled = (("display" in text or hidden) and any(k in text for k in _HIDDEN_STYLES))
    attr = hidden and any(k in text for k in _HIDDEN_ATTRS)
    if not (styled or attr):
        return
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
    replaced in the tree by a marker line so the page text keeps its place."""
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
        marker = etree.Element("div")
        marker.text = f"{TABLE_MARK}{len(out)}{TABLE_MARK}"
        marker.tail = tb.tail
        tb.getparent().replace(tb, marker)
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
                rs, cs = td.get("rowspan"), td.get("colspan")
                if rs or cs:
                    rs, cs = _span(rs) if rs else 1, _span(cs) if cs else 1
                    if rs != 1 or cs != 1:
                        plain = False
                    row.append((rs, cs))
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
    for el in body.iter(*BLOCK):
        el.text = "\n" + el.text if el.text else "\n"
        el.tail = "\n" + el.tail if el.tail else "\n"
    for el in body.iter("br"):
        el.tail = "\n" + el.tail if el.tail else "\n"
    text = _WS_NOT_NL.sub(" ", _text(body))
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
    base = root.find(".//base")
    base_href = base.get("href") if base is not None else None
    links: list[str] = []
    seen: set[str] = set()
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or not ATTACHMENT.search(href):
            continue
        if base_href:
            href = urljoin(base_href, href)
        if href not in seen:
            seen.add(href)
            links.append(href)
    title_text = _collapse("".join(title.itertext())) if title is not None else ""
    return {"html_title": title_text, "meta": metas, "attachments": links}
