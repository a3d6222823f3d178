"""Hanweb 大汉 jcms: list records inside `<script type="text/xml"><datastore>` and the
`/module/web/jpage/dataproxy.jsp` paging endpoint (NOTES.md §1.2, checklist 5–6). Any `…/dataproxy.jsp` is
read the same way, so the legacy `/module/jpage/` and `/module/jslib/jquery/jpage/` paths work too. Only the
GET form is followed (the pager link is replayed as given); the POST `startrecord/endrecord` form is not."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from .common import Discovery, Link, absolute, anchors, find_date, parse_html, row_date

_DATASTORE = re.compile(r"<datastore>(.*?)(?:</datastore>|$)", re.S | re.I)
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.S | re.I)
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.I)
_TOTALPAGE = re.compile(r"<totalpage>\s*(\d+)\s*</totalpage>", re.I)
_PAGE_PARAM = re.compile(r"([?&]page=)(\d+)")


def _page_of(url: str) -> int | None:
    q = parse_qs(urlsplit(url).query)
    try:
        return int(q["page"][0])
    except (KeyError, ValueError, IndexError):
        return None


def _with_page(url: str, n: int) -> str:
    """Same URL with page=n, every other parameter byte-for-byte as given (webname stays double-encoded)."""
    return _PAGE_PARAM.sub(lambda m: f"{m.group(1)}{n}", url, count=1)


def discover(text: str, url: str) -> Discovery:
    d = Discovery("generic")
    stores = _DATASTORE.findall(text)
    if not stores:
        return d
    d.family = "hanweb"
    for store in stores:
        for rec in _RECORD.findall(store):
            frag = parse_html(rec)
            for u, title, a in anchors(frag, url):
                d.items.append(Link(u, title, row_date(a) or find_date(frag.text_content() if frag is not None
                                                                       else "")))
        for ng in _NEXTGROUP.findall(store):
            for href in _HREF.findall(ng):
                u = absolute(url, href.replace("&amp;", "&"))
                if u:
                    d.pages.append(Link(u, "nextgroup", page=_page_of(u)))
    path = urlsplit(url).path
    if path.endswith("dataproxy.jsp"):
        cur = _page_of(url)
        m = _TOTALPAGE.search(text)
        if cur is not None and m:
            d.current_page = cur
            d.pages.extend(Link(_with_page(url, i), f"第{i}组", page=i) for i in range(cur + 1, int(m.group(1)) + 1))
    return d
