"""TRS WCM (拓尔思): pagination written by JavaScript — createPageHTML(...) in all its argument orders and the
`var countPage = N` form — and multi-page articles (NOTES.md §1.1, checklist 1–4)."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from .common import Discovery, Link, scripts, strip_js_comments

_ARTICLE = re.compile(r"t\d{6,8}_\d+$")  # TRS document file names: t20190918_693227
_CALL = re.compile(r"\bcreatePageHTML\s*\(([^()]*)\)")
_TOKEN = re.compile(r"""\s*(?:(-?\d+)|"([^"]*)"|'([^']*)')\s*(?:,|$)""")
_COUNT = re.compile(r"\bvar\s+countPage\s*=\s*(\d+)")
_CURRENT = re.compile(r"\bvar\s+currentPage\s*=\s*(\d+)")
_EXT = re.compile(r"""["']\.?["']?\s*\+\s*["'](s?html?)["']|index["']?\s*\+[^;]*?\.(s?html?)""")


def _args(s: str) -> list[int | str] | None:
    """Literal arguments of a call, or None when any argument is not a literal (a function definition)."""
    out: list[int | str] = []
    pos, s = 0, s.strip()
    while pos < len(s):
        m = _TOKEN.match(s, pos)
        if not m or m.end() == pos:
            return None
        out.append(int(m.group(1)) if m.group(1) is not None else (m.group(2) if m.group(2) is not None
                                                                    else m.group(3)))
        pos = m.end()
    return out


def create_page_args(args: list[int | str]) -> tuple[int, int, str, str] | None:
    """(page count, current index, base name, extension) from any known createPageHTML argument order."""
    if len(args) >= 5 and isinstance(args[0], str):
        args = args[1:]  # ('page_div', 5, 1, 'fg', 'shtml', 89): container id first, record count last
    if len(args) < 4:
        return None
    n, cur, base, ext = args[:4]
    if not (isinstance(n, int) and isinstance(cur, int) and isinstance(base, str) and isinstance(ext, str)):
        return None
    if n < 1 or n > 10000 or not base or not re.fullmatch(r"[A-Za-z]{2,6}", ext):
        return None
    return n, cur, base, ext


def _page_url(url: str, base: str, ext: str, i: int) -> str:
    name = f"{base}.{ext}" if i == 0 else f"{base}_{i}.{ext}"
    return urljoin(url, name)


def _stems(url: str) -> set[str]:
    """The page's file name without extension, and without a `_k` page suffix (t2019_693227_1 -> t2019_693227)."""
    name = re.sub(r"\.[A-Za-z]+$", "", urlsplit(url).path.rsplit("/", 1)[-1])
    return {name, re.sub(r"_\d+$", "", name)}


def discover(text: str, url: str) -> Discovery:
    d = Discovery("generic")
    live = [strip_js_comments(s) for s in scripts(text)]
    for body in live:
        for m in _CALL.finditer(body):
            args = _args(m.group(1))
            spec = create_page_args(args) if args is not None else None
            if spec is None:
                continue
            n, cur, base, ext = spec
            d.family, d.current_page = "trs", cur
            links = [Link(_page_url(url, base, ext, i), f"第{i + 1}页", page=i) for i in range(n) if i != cur]
            if _ARTICLE.match(base) and base in _stems(url):
                d.continuations.extend(links)  # a multi-page article: t20190918_693227_1.shtml ...
            else:
                d.pages.extend(links)
    for body in live:
        m = _COUNT.search(body)
        if not m:
            continue
        n = int(m.group(1))
        cur_m = _CURRENT.search(body)
        cur = int(cur_m.group(1)) if cur_m else 0
        ext_m = _EXT.search(body)
        path = urlsplit(url).path
        ext = (ext_m.group(1) or ext_m.group(2)) if ext_m else (path.rsplit(".", 1)[-1] if "." in path.rsplit(
            "/", 1)[-1] else "html")
        d.family, d.current_page = "trs", cur
        d.pages.extend(Link(_page_url(url, "index", ext, i), f"第{i + 1}页", page=i) for i in range(min(n, 10000))
                       if i != cur)
    return d
