"""Guangdong 政府信息公开目录平台 (gkmlpt): the JS app page yields the JSON list API
`…/gkmlpt/api/all/<catid>?page=N&sid=<sid>`, whose `articles` are the list (NOTES.md §1.3, checklist 8)."""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit, urlunsplit

from .common import Discovery, Link, absolute, find_date

_SID = re.compile(r"""\b(?:sid|SID|siteId|site_id)["']?\s*[:=]\s*["']?(\d+)""")
_API = re.compile(r"/gkmlpt/api/all/(\d+)")
PER_PAGE = 100


def _date(v) -> str | None:
    if isinstance(v, (int, float)) and v > 0:
        return datetime.fromtimestamp(v / 1000 if v > 1e11 else v, UTC).strftime("%Y-%m-%d")
    return find_date(str(v or ""))


def api_url(page_url: str, catid: str, sid: str, page: int = 1) -> str:
    p = urlsplit(page_url)
    prefix = p.path.split("/gkmlpt/")[0]
    return urlunsplit((p.scheme, p.netloc, f"{prefix}/gkmlpt/api/all/{catid}", f"page={page}&sid={sid}", ""))


def discover(text: str, url: str) -> Discovery:
    d = Discovery("generic")
    parts = urlsplit(url)
    if _API.search(parts.path):
        try:
            data = json.loads(text)
        except ValueError:
            return d
        if not isinstance(data, dict):
            return d
        d.family = "gkmlpt"
        arts = data.get("articles") or []
        for a in arts:
            if not isinstance(a, dict):
                continue
            u = absolute(url, str(a.get("url") or ""))
            if u:
                d.items.append(Link(u, str(a.get("title") or ""), _date(a.get("created_at") or a.get("first_publish_time"))))
        q = parse_qs(parts.query)
        page = int((q.get("page") or ["1"])[0] or 1)
        sid = (q.get("sid") or [""])[0]
        catid = _API.search(parts.path).group(1)
        d.current_page = page
        count = (data.get("classify") or {}).get("post_count") if isinstance(data.get("classify"), dict) else None
        if isinstance(count, int):
            pages = math.ceil(count / PER_PAGE)
            d.pages.extend(Link(api_url(url, catid, sid, i), f"第{i}页", page=i) for i in range(page + 1, pages + 1))
        elif arts:
            d.pages.append(Link(api_url(url, catid, sid, page + 1), f"第{page + 1}页", page=page + 1))
        return d
    if "/gkmlpt/" in parts.path and parts.fragment.isdigit():
        m = _SID.search(text)
        if m:
            d.family = "gkmlpt"
            d.pages.append(Link(api_url(url, parts.fragment, m.group(1)), "gkmlpt api", page=1))
    return d
