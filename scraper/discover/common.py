"""Shared pieces of the discoverers: the Link/Discovery types, HTML parsing, titles and dates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin

import lxml.html

from .rules import ATTACHMENT_RE, SCRIPT_HREF

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_ELLIPSIS = ("...", "…", "。。。", "..")


@dataclass(frozen=True)
class Link:
    """A discovered URL with what the page said about it."""

    url: str
    title: str = ""
    date: str | None = None  # YYYY-MM-DD shown next to the link
    page: int | None = None  # pagination index (0 = first page) for list pages


@dataclass
class Discovery:
    """What one page offers. `items` are list entries (candidate reports); `pages` further pages of the same
    list; `columns` sub-columns; `attachments` file links; `continuations` further pages of one article."""

    family: str = "generic"
    items: list[Link] = field(default_factory=list)
    pages: list[Link] = field(default_factory=list)
    columns: list[Link] = field(default_factory=list)
    attachments: list[Link] = field(default_factory=list)
    continuations: list[Link] = field(default_factory=list)
    current_page: int | None = None
    page_title: str = ""  # the page's own title (<title>, else the first <h1>)

    def merge(self, other: Discovery) -> Discovery:
        for name in ("items", "pages", "columns", "attachments", "continuations"):
            mine = getattr(self, name)
            where = {x.url: i for i, x in enumerate(mine)}
            for link in getattr(other, name):
                i = where.get(link.url)
                if i is None:
                    where[link.url] = len(mine)
                    mine.append(link)
                else:  # the same URL seen by two discoverers: keep the fuller description
                    old = mine[i]
                    mine[i] = Link(old.url, old.title if len(old.title) >= len(link.title) else link.title,
                                   old.date or link.date, old.page if old.page is not None else link.page)
        if other.family != "generic" and other.current_page is not None and (
                self.family == "generic" or self.current_page is None):
            self.current_page = other.current_page  # a family's own page numbering beats the URL guess
        elif self.current_page is None:
            self.current_page = other.current_page
        if self.family == "generic" and other.family != "generic":
            self.family = other.family
        self.page_title = self.page_title or other.page_title
        return self


def parse_html(text: str):
    """An lxml tree for any HTML-ish text (fragments too); None for empty input."""
    if not text or not text.strip():
        return None
    try:
        return lxml.html.fromstring(text)
    except (lxml.etree.ParserError, ValueError):
        try:
            return lxml.html.fromstring(text.encode("utf-8", "replace"))
        except Exception:
            return None


def absolute(base: str, href: str) -> str | None:
    """Resolve `href` against `base`; None for javascript:, mailto:, anchors and the like."""
    href = (href or "").strip().replace("\\/", "/")
    if not href or href.startswith("#") or re.match(r"(?i)(javascript|mailto|tel|data):", href):
        return None
    url = urldefrag(urljoin(base, href))[0]
    return url if url.startswith(("http://", "https://")) else None


def page_title(tree) -> str:
    """<title> (minus a `_站点名`/`-站点名` suffix), else the first <h1>."""
    if tree is None:
        return ""
    for xp in ("//title", "//h1"):
        found = tree.xpath(xp)
        if found:
            t = clean_text(found[0].text_content())
            t = re.split(r"\s*[_|]\s*|\s+-\s+", t)[0] if t else t
            if t:
                return t
    return ""


def clean_text(s: str) -> str:
    return re.sub(r"\s+", " ", s or "").strip()


def link_title(a) -> str:
    """Full link title: @title when the text is cut with '...' (or empty), else the text."""
    text = clean_text(a.text_content())
    attr = clean_text(a.get("title") or "")
    if attr and (not text or text.endswith(_ELLIPSIS) or (len(attr) > len(text) and attr.startswith(
            text.rstrip(".…。")))):
        return attr
    return text or attr


def find_date(s: str) -> str | None:
    m = _DATE.search(s or "")
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    return f"{y:04d}-{mo:02d}-{d:02d}"


def row_date(a) -> str | None:
    """The date shown beside a link: in its row (li/tr/dd/p) but outside the link text itself."""
    node = a.getparent()
    for _ in range(3):
        if node is None:
            return None
        if node.tag in ("li", "tr", "dd", "dt", "p", "div", "td", "span", "b"):
            own = clean_text(a.text_content())
            text = clean_text(node.text_content()).replace(own, " ", 1)
            d = find_date(text)
            if d:
                return d
            if node.tag in ("li", "tr", "dd", "p"):
                return None
        node = node.getparent()
    return None


def anchors(tree, base: str) -> list[tuple[str, str, object]]:
    """(absolute url, title, element) for every <a href> in document order."""
    out = []
    if tree is None:
        return out
    for a in tree.iter("a"):
        url = absolute(base, a.get("href") or "")
        if url:
            out.append((url, link_title(a), a))
    return out


def strip_js_comments(script: str) -> str:
    """Script text without /* */ and // comments, so commented-out calls are not taken as live."""
    script = re.sub(r"/\*.*?\*/", " ", script, flags=re.S)
    return re.sub(r"(?m)(^|[^:\\\"'])//.*$", r"\1", script)


def scripts(text: str) -> list[str]:
    """Bodies of live <script> elements (HTML comments removed first)."""
    live = re.sub(r"<!--(?!\s*\[CDATA).*?-->", " ", text, flags=re.S)
    return re.findall(r"<script\b[^>]*>(.*?)</script>", live, flags=re.S | re.I)


def script_attachments(text: str, base: str) -> list[Link]:
    """Attachment links written by JavaScript (document.write, var file_appendix='<a href=...>')."""
    out = []
    for body in scripts(text):
        for m in SCRIPT_HREF.finditer(body):
            url = absolute(base, m.group(1))
            if url and ATTACHMENT_RE.search(url):
                tail = body[m.end(): m.end() + 300]
                t = re.search(r">([^<]{1,200})</a>", tail)
                out.append(Link(url, clean_text(t.group(1)) if t else ""))
    return out
