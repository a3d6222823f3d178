"""Hanweb 大汉 jcms: list records inside `<script type="text/xml"><datastore>` and the `…/dataproxy.jsp`
paging endpoint in both its forms (NOTES.md §1.2, checklist 5–6). Any `…/dataproxy.jsp` is read the same way,
so the legacy `/module/jpage/` and `/module/jslib/jquery/jpage/` paths work too.

A column page embeds its first group of records (groupSize pages × perPage, typically 3 × 15 = 45), a
`nextgroup` pager link `…/dataproxy.jsp?page=1&appid=1&webid=…`, and announces the column's size in its
`jpage({totalRecord, perPage, groupSize})` initialiser. The further groups come in two request forms:

- GET `dataproxy.jsp?page=N&<params>`: the nextgroup href replayed with page=N, every other byte as given;
- POST `dataproxy.jsp?startrecord=S&endrecord=E&perpage=P` with the form `col=1&appid=1&webid&path=/&columnid&
  sourceContentType=1&unitid&webname&permissiontype=0` (what jpage.js does in a browser).

Design: GET first, POST as the fallback. The GET form is the link the page itself carries, can be re-checked
with a conditional GET and is all some older servers answer; other servers answer only the POST form. So the
nextgroup link is followed as given, with a request-key note (fetch.py; never sent) holding what the column
page announced: `#xxgk-jpage:total=T&perpage=P&groupsize=G`. A GET `page=N` answer with records goes on by
GET (`<totalpage>`, else the announced total). A GET `page=N` answer without records (an empty datastore, or
no datastore at all) while more records are announced (`<totalrecord>` in the answer, else the note), or an
HTTP error on it (`fallback`, used by discover_failed), switches to POST for the remaining groups N…
(group 1 is embedded in the column page, so never from 1 when the note is there). A POST answer goes on with
the later groups from its own `<totalrecord>`, or, without one, with the next group when its group came back
full. Group k covers records (k-1)·L+1 … k·L with L = perPage × groupSize; endrecord is not clamped to the
total, so a group's request key does not change when the column grows. The form's values are the nextgroup
href's query tokens byte for byte (a double-encoded webname stays so: the server decodes the same value from
either form); missing ones take jpage.js's constants. Cost on a POST-only server: one wasted GET per column
and crawl; a re-crawl of an unchanged column asks neither form (crawl.py's paging policy).
"""

from __future__ import annotations

import math
import re
from urllib.parse import parse_qs, urlsplit, urlunsplit

from ..fetch import KEY_MARK, POST_MARK, parse_key, post_key
from .common import Discovery, Link, absolute, anchors, find_date, parse_html, row_date

_DATASTORE = re.compile(r"<datastore>(.*?)(?:</datastore>|$)", re.S | re.I)
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>\s*</nextgroup>", re.S | re.I)
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.I)
_TOTALPAGE = re.compile(r"<totalpage>\s*(\d+)\s*</totalpage>", re.I)
_TOTALRECORD = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_PAGE_PARAM = re.compile(r"([?&]page=)(\d+)")
# jpage({...}) initialiser values on the column page (quoted or not)
_JPAGE = {name: re.compile(rf"""\b{name}\s*[:=]\s*["']?(\d+)""") for name in ("totalRecord", "perPage", "groupSize")}
NOTE = KEY_MARK + "jpage:"
PER_PAGE, GROUP_SIZE = 15, 3  # jpage.js defaults when a page does not say
# The POST form as jpage.js sends it: (field, constant used when the nextgroup href lacks it; None = required
# from the href for the form to be sent at all, "" = left out when absent).
FORM = (("col", "1"), ("appid", "1"), ("webid", ""), ("path", "/"), ("columnid", None), ("sourceContentType", "1"),
        ("unitid", ""), ("webname", ""), ("permissiontype", "0"))
MAX_GROUPS = 2000


def _page_of(url: str) -> int | None:
    q = parse_qs(urlsplit(url).query)
    try:
        return int(q["page"][0])
    except (KeyError, ValueError, IndexError):
        return None


def _with_page(url: str, n: int) -> str:
    """Same URL with page=n, every other parameter byte-for-byte as given (webname stays double-encoded)."""
    return _PAGE_PARAM.sub(lambda m: f"{m.group(1)}{n}", url, count=1)


def _raw_params(query: str) -> dict[str, str]:
    """Query tokens as given (not decoded), first occurrence of each name."""
    out: dict[str, str] = {}
    for tok in query.split("&"):
        k, sep, v = tok.partition("=")
        if k and sep and k not in out:
            out[k] = v
    return out


def _int(s: str | None) -> int | None:
    try:
        return int(s) if s is not None else None
    except ValueError:
        return None


def _note(key: str) -> dict[str, int]:
    """The column page's announcement carried in a request key's `#xxgk-jpage:` note."""
    i = key.find(NOTE)
    if i < 0:
        return {}
    return {k: n for k, v in _raw_params(key[i + len(NOTE):]).items() if (n := _int(v)) is not None}


def _form(query: str) -> str | None:
    """The POST form from a GET pager query, values byte for byte; None without a columnid."""
    raw = _raw_params(query)
    parts = []
    for name, default in FORM:
        value = raw.get(name, default)
        if value is None:
            return None
        if value != "" or name in raw:
            parts.append(f"{name}={value}")
    return "&".join(parts)


def _post_link(url: str, form: str, group: int, size: int, per_page: int) -> Link:
    p = urlsplit(url)
    start = (group - 1) * size + 1
    target = urlunsplit((p.scheme, p.netloc, p.path, f"startrecord={start}&endrecord={group * size}&perpage={per_page}",
                         ""))
    return Link(post_key(target, form), f"第{group}组", page=group)


def _post_groups(url: str, form: str, first: int, total: int, size: int, per_page: int) -> list[Link]:
    last = min(math.ceil(total / size), first + MAX_GROUPS)
    return [_post_link(url, form, k, size, per_page) for k in range(max(first, 1), last + 1)]


def _get_fallback(key: str, total: int | None) -> list[Link]:
    """POST groups replacing a GET `page=N` request that gave nothing (`total`: announced by the answer)."""
    req = parse_key(key)
    page, note = _page_of(req.url), _note(key)
    form = _form(urlsplit(req.url).query)
    total = total or note.get("total")
    if page is None or form is None or not total:
        return []
    per_page = note.get("perpage") or PER_PAGE
    size = per_page * (note.get("groupsize") or GROUP_SIZE)
    first = max(page, 2) if note else page  # with a note, group 1 came embedded in the column page
    return _post_groups(req.url, form, first, total, size, per_page)


def fallback(key: str) -> Discovery:
    """What a failed (HTTP error) GET dataproxy request implies: the POST groups its note announces."""
    d = Discovery("generic")
    if urlsplit(key).path.endswith("dataproxy.jsp") and POST_MARK not in key:
        d.pages = _get_fallback(key, None)
        if d.pages:
            d.family, d.current_page = "hanweb", _page_of(key)
    return d


def _announce(text: str, n_records: int) -> str:
    """`#xxgk-jpage:…` note from a column page's jpage initialiser ("" when it announces no total)."""
    vals = {name: _int(m.group(1)) for name, rx in _JPAGE.items() if (m := rx.search(text))}
    total = vals.get("totalRecord")
    if not total:
        return ""
    per_page = vals.get("perPage") or PER_PAGE
    group = vals.get("groupSize") or (math.ceil(n_records / per_page) if n_records else GROUP_SIZE)
    return f"{NOTE}total={total}&perpage={per_page}&groupsize={group}"


def discover(text: str, url: str) -> Discovery:
    d = Discovery("generic")
    req = parse_key(url)
    is_proxy = urlsplit(req.url).path.endswith("dataproxy.jsp")
    stores = _DATASTORE.findall(text)
    if not stores and not is_proxy:
        return d
    d.family = "hanweb"
    n_records = 0
    nextgroups = []
    for store in stores:
        for rec in _RECORD.findall(store):
            n_records += 1
            frag = parse_html(rec)
            for u, title, a in anchors(frag, req.url):
                d.items.append(Link(u, title, row_date(a) or find_date(frag.text_content() if frag is not None
                                                                       else "")))
        for ng in _NEXTGROUP.findall(store):
            for href in _HREF.findall(ng):
                u = absolute(req.url, href.replace("&amp;", "&"))
                if u:
                    nextgroups.append(u)
    note = "" if is_proxy else _announce(text, n_records)
    for u in nextgroups:
        d.pages.append(Link(u + note if note and _page_of(u) is not None else u, "nextgroup", page=_page_of(u)))
    if not is_proxy:
        return d
    m_total = _TOTALRECORD.search(text)
    total = int(m_total.group(1)) if m_total else None
    if req.method == "POST":
        q = _raw_params(urlsplit(req.url).query)
        start, end = _int(q.get("startrecord")), _int(q.get("endrecord"))
        per_page = _int(q.get("perpage")) or PER_PAGE
        if start is None or end is None or end < start:
            return d
        size = end - start + 1
        group = (start - 1) // size + 1
        d.current_page = group
        form = req.body.decode("utf-8")
        if total:
            d.pages.extend(_post_groups(req.url, form, group + 1, total, size, per_page))
        elif n_records >= size:
            d.pages.append(_post_link(req.url, form, group + 1, size, per_page))
        return d
    cur = _page_of(req.url)
    if cur is None:
        return d
    d.current_page = cur
    if not n_records:  # the GET form gave nothing: the POST form for the remaining groups
        d.pages.extend(_get_fallback(url, total))
        return d
    m = _TOTALPAGE.search(text)
    note = _note(url)
    last = int(m.group(1)) if m else (math.ceil(note["total"] / ((note.get("perpage") or PER_PAGE) * (
        note.get("groupsize") or GROUP_SIZE))) if note.get("total") else None)
    if last is not None:
        d.pages.extend(Link(_with_page(url, i), f"第{i}组", page=i) for i in range(cur + 1, min(last, cur + MAX_GROUPS) + 1))
    return d
