"""Plain HTML lists: links, numbered pages, year sub-columns, attachments (also those written in <script>)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from .common import Discovery, Link, anchors, page_title, parse_html, row_date, script_attachments
from .rules import (
    COLUMN_SLUG,
    PAGER_LABEL,
    PAGER_URL,
    YEAR_LABEL,
    is_attachment_url,
    is_column_label,
    normalize_title,
)

_PAGE_NO = (
    (re.compile(r"index_(\d+)\.s?html?$", re.I), 0),      # TRS: index_1 is the 2nd page (index 1)
    (re.compile(r"/(\d+)\.s?html?$", re.I), -1),          # 延安: 1.html is the first page
    (re.compile(r"[?&](?:page|pageNum|cur_page|pageIndex|pageNo|pn)=(\d+)", re.I), -1),
)


def page_index(url: str) -> int | None:
    """0-based position of a list page in its pagination, from its URL; None if the URL shows none."""
    for rx, shift in _PAGE_NO:
        m = rx.search(url)
        if m:
            return max(0, int(m.group(1)) + shift)
    return None


def _dir(url: str) -> str:
    path = urlsplit(url).path
    return path[: path.rfind("/") + 1]


def _is_column_url(url: str, base: str) -> bool:
    """Directory-like URL below the list's directory, or with a 年报/year column slug."""
    p = urlsplit(url).path
    dirlike = p.endswith("/") or re.search(r"/(index|list|default)\.s?html?$", p, re.I) is not None
    if _dir(url) == _dir(base):
        return False  # the page itself (./, index.html)
    below = p.startswith(_dir(base))
    return dirlike and (below or COLUMN_SLUG.search(p) is not None)


def discover(text: str, url: str) -> Discovery:
    tree = parse_html(text)
    d = Discovery("generic", current_page=page_index(url) or 0, page_title=page_title(tree))
    base_dir = _dir(url)
    for u, title, a in anchors(tree, url):
        t = normalize_title(title)
        if is_attachment_url(u):
            d.attachments.append(Link(u, title, row_date(a)))
        elif PAGER_LABEL.match(t) and PAGER_URL.search(u) and _dir(u) == base_dir:
            d.pages.append(Link(u, title, page=page_index(u)))
        elif (is_column_label(t) or YEAR_LABEL.match(t)) and _is_column_url(u, url):
            d.columns.append(Link(u, title))
        else:
            d.items.append(Link(u, title, row_date(a)))
    d.attachments.extend(script_attachments(text, url))
    return d
