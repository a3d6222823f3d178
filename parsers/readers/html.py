"""HTML (whole pages and bare article fragments) -> layout.Document.

Bytes are decoded by parsers.decode (never latin-1 by default: a GBK fragment without a charset
must read as Chinese), then parsed by lxml, whose libxml2 parser recovers from truncated or
broken markup, so a cut-off page still yields what it has. One recursive walk over the body emits
blocks in reading order:

- a `Paragraph` per line of text (p/div/h*/li… are block boundaries, <br> breaks a line);
- a `Table` per innermost <table> with spans expanded (layout.expand_spans keeps anchor vs copy).
  Cell text is the text of all descendants joined: a number split across <span>s reads whole, a
  label one character per <p> or broken by <br> reads as one word; in cells holding digits, block
  boundaries (<p>, <br>) give a space, so two numbers in two paragraphs do not silently fuse.
  Whitespace and &nbsp; collapse: an &nbsp;-only cell is blank and `&nbsp;0&nbsp;` reads `0`.

`Document.text` renders the same blocks as lines: one line per paragraph and one line per table
row, the row's cells (as written in the <tr>, blank ones as "") joined by a tab. The stream
extractor falls back on that text, so the convention is part of the interface.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import etree

from ..decode import MAX_REPLACEMENT_RATIO, DecodeError, decode
from ..layout import Document, Paragraph, Table, expand_spans
from . import ReadError

# Elements whose text never shows on the page (or is widget chrome, not content); removed up front.
DROP = ("script", "style", "noscript", "template", "head", "title", "select", "textarea", "iframe", "object",
        "embed", "svg", "math", "button", "xml")
# Elements that start a new line of text.
BLOCK = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "section",
                   "article", "header", "footer", "nav", "main", "aside", "blockquote", "pre", "center", "address",
                   "figure", "figcaption", "form", "fieldset", "legend", "hr", "table", "tbody", "thead", "tfoot",
                   "tr", "td", "th", "caption", "body", "html", "ucapcontent", "br"})
CELL = ("td", "th")
ATTACHMENT = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|ofd)(?:$|[?#&])", re.I)
_WS = re.compile(r"[\s\u00a0\u3000\u200b\u200c\u200d\ufeff]+")
_DIGIT = re.compile(r"\d")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_HIDDEN_STYLES = ("display:none", "display: none", "visibility:hidden", "visibility: hidden")
_HIDDEN_ATTRS = (" hidden>", " hidden ", " hidden=", " hidden/")
_CTRL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)
MAX_SPAN = 1000  # a colspan of 10**6 must not allocate a million cells


def read_html(data: bytes, name: str = "") -> Document:
    """Read one HTML page or fragment; raises ReadError when nothing readable is in it."""
    try:
        text, _enc = decode(data)
    except DecodeError as e:
        raise ReadError(str(e)) from None
    _check_text(text)
    text = _XML_DECL.sub("", text, count=1)
    if not text.strip():
        raise ReadError("empty HTML document")
    try:
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as e:
        raise ReadError(f"unparseable HTML: {e}") from None
    if root is None:
        raise ReadError("HTML without any element")
    meta = _meta(root)
    etree.strip_elements(root, *DROP, with_tail=False)
    body = root.find("body")
    builder = _Builder(_hidden_elements(root, text))
    builder.walk(body if body is not None else root)
    builder.flush()
    if not builder.blocks:
        raise ReadError("HTML without any text")
    return Document(blocks=builder.blocks, text="\n".join(builder.lines), media_type="text/html",
                    layout="html", meta=meta)


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
    m = re.match(r"\s*(\d+)", v)
    return min(MAX_SPAN, max(1, int(m.group(1)))) if m else 1


def _hidden_elements(root, text: str) -> set:
    """Elements styled invisible (their text is not on the page). Found once, not per element, and
    only looked for when the source mentions them at all."""
    styled = any(k in text for k in _HIDDEN_STYLES)
    attr = any(k in text for k in _HIDDEN_ATTRS)
    if not (styled or attr):
        return set()
    cands = root.xpath("//*[@hidden]") if attr else []
    if styled:
        cands += root.xpath("//*[contains(@style, 'none') or contains(@style, 'hidden')]")
    return {el for el in cands if el.get("hidden") is not None or _HIDDEN.search(el.get("style") or "")}


class _Builder:
    """Collects text runs into lines and lines/tables into blocks, in document order."""

    def __init__(self, hidden: set) -> None:
        self.hidden = hidden
        self.blocks: list = []
        self.lines: list[str] = []
        self.parts: list[str] = []
        self.n_tables = 0

    def flush(self) -> None:
        if self.parts:
            line = _collapse("".join(self.parts))
            self.parts = []
            if line:
                self.blocks.append(Paragraph(line))
                self.lines.append(line)

    def walk(self, el) -> None:
        if el.text:
            self.parts.append(el.text)
        hidden = self.hidden
        for ch in el:
            tag = ch.tag
            if not isinstance(tag, str) or (hidden and ch in hidden):
                pass
            elif tag == "br":
                self.flush()
            elif tag == "table" and ch.find(".//table") is None and not _container(ch):
                self.flush()
                self.table(ch)
            elif tag in BLOCK:
                self.flush()
                self.walk(ch)
                self.flush()
            else:
                self.walk(ch)
            if ch.tail:
                self.parts.append(ch.tail)

    def table(self, tb) -> None:
        cap = tb.find("caption")
        if cap is not None:
            self.walk(cap)
            self.flush()
        hidden = self.hidden
        raw: list[list[tuple[str, int, int]]] = []
        for tr in tb.iter("tr"):
            if hidden and tr in hidden:
                continue
            raw.append([(_cell_text(td, hidden), _span(td.get("rowspan")), _span(td.get("colspan")))
                        for td in tr if td.tag in CELL and not (hidden and td in hidden)])
        n = len(raw)
        clipped = [[(t, min(rs, n - r), cs) for t, rs, cs in row] for r, row in enumerate(raw)]
        if not any(clipped):
            return
        self.blocks.append(Table(expand_spans(clipped), source="html", index=self.n_tables))
        self.n_tables += 1
        self.lines.extend("\t".join(t for t, _, _ in row) for row in raw)


def _container(tb) -> bool:
    """A table of one column is a layout box around text, not a statistics table."""
    return all(sum(1 for c in tr if c.tag in CELL) <= 1 for tr in tb.iter("tr"))


def _cell_text(td, hidden: set) -> str:
    """Text of all descendants; runs inside one block join without a separator (a number split over
    <span>s), block boundaries (<p>, <br>) give a space. The fast C path serves cells without digits
    (labels: spaces there are normalised away anyway) and cells without hidden parts."""
    if len(td) == 0:
        return _collapse(td.text or "")
    text = etree.tostring(td, method="text", encoding=str, with_tail=False)
    if not hidden and not _DIGIT.search(text):
        return _collapse(text)
    parts: list[str] = []
    _cell_parts(td, parts, hidden)
    return _collapse("".join(parts))


def _cell_parts(el, parts: list[str], hidden: set) -> None:
    if el.text:
        parts.append(el.text)
    for ch in el:
        tag = ch.tag
        if not isinstance(tag, str) or (hidden and ch in hidden):
            pass
        elif tag in BLOCK:
            parts.append(" ")
            _cell_parts(ch, parts, hidden)
            parts.append(" ")
        else:
            _cell_parts(ch, parts, hidden)
        if ch.tail:
            parts.append(ch.tail)


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
