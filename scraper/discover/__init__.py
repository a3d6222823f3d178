"""Discovery: one pure function per CMS family (`page text + url -> links`), combined here.

Every family runs on every page (each returns nothing when its markers are absent), so a portal that mixes
markup (a TRS list with script-written attachments, a Hanweb page with plain links) is read completely.
`discover_page` decodes the raw bytes (parsers.decode) and `select` applies the page's role: on a list page
the report-titled entries become reports and further pages / sub-columns become lists; on a report page the
file links become attachments and article continuation pages stay part of the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.decode import DecodeError, decode

from . import generic, gkmlpt, hanweb, trs
from .common import Discovery, Link
from .rules import is_report_title

FAMILIES = {"generic": generic.discover, "trs": trs.discover, "hanweb": hanweb.discover, "gkmlpt": gkmlpt.discover}


def discover(text: str, url: str) -> Discovery:
    """All links a page offers, from every family's discoverer, de-duplicated by URL."""
    out = Discovery("generic")
    for fn in FAMILIES.values():
        out.merge(fn(text, url))
    if out.current_page is None:
        out.current_page = generic.page_index(url) or 0
    return out


@dataclass
class Selected:
    """Links to follow from one page, by the kind they will be stored as."""

    family: str
    current_page: int | None
    reports: list[Link] = field(default_factory=list)
    lists: list[Link] = field(default_factory=list)  # pages (Link.page set) and sub-columns (page None)
    attachments: list[Link] = field(default_factory=list)
    dropped: int = 0  # list entries whose title is not a 年报 (news, look-alikes)
    error: str | None = None
    page_title: str = ""
    is_report: bool = False  # a "list" page that is itself a 年报 (e.g. xxgkAnnualReport.jsp generators)


def _file_title(title: str) -> str:
    return re.sub(r"\.(pdf|docx?|wps|xlsx?|et|ofd|zip|rar|rtf)$", "", title.strip(), flags=re.I)


def select(d: Discovery, role: str) -> Selected:
    """Apply the page's role ("list" or "report") to a Discovery."""
    s = Selected(d.family, d.current_page, page_title=d.page_title)
    if role == "list":
        for link in d.items:
            if is_report_title(link.title):
                s.reports.append(link)
            else:
                s.dropped += 1
        for link in d.attachments:
            if is_report_title(_file_title(link.title)):
                s.reports.append(Link(link.url, _file_title(link.title), link.date))
        s.lists = list(d.pages) + list(d.columns)
        # a registered "column" that is really one report: no 年报 links, no pages, a 年报 title of its own
        s.is_report = not s.reports and not s.lists and is_report_title(d.page_title)
        if s.is_report:
            s.attachments = list(d.attachments)
    else:
        s.attachments = list(d.attachments)
        s.reports = list(d.continuations)
    return s


def discover_page(body: bytes, url: str, role: str, http_charset: str | None = None) -> Selected:
    """Decode raw bytes and select the links to follow. Undecodable bytes give an empty result with an error."""
    try:
        text, _ = decode(body, http_charset)
    except DecodeError as e:
        s = Selected("generic", None)
        s.error = str(e)
        return s
    return select(discover(text, url), role)


def discover_failed(url: str) -> Selected | None:
    """Links a list request that failed (HTTP error) still implies: another form of the same pager request
    (Hanweb: a refused GET `page=N` gives the POST groups its key announces). None when there are none."""
    d = hanweb.fallback(url)
    if not d.pages:
        return None
    return select(d, "list")


__all__ = ["Discovery", "Link", "Selected", "discover", "discover_failed", "discover_page", "select",
           "is_report_title", "FAMILIES"]
