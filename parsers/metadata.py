"""Title, agency (发布机关), report_year (the year covered), published date, from a Document.

Order of trust (NOTES.md checklist 11): what the page shows, then its meta tags, then what the
crawler saw on the list page (`context`), then dates inside the text. All candidates are kept.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache
from typing import Any

from .labels import nfkc, normalize
from .layout import Document, Paragraph
from .region import agency_level, find_region
from .sections import _NUMERALS, _cannot_be_heading
from .templates import common
from .traditional import EXTRA, SIMPLIFIED, VOCABULARY

# A report title: [agency] YEAR 年[度] [agency] 政府信息公开[工作][年度]报告 (and 年报 variants).
_TITLE = re.compile(
    r"(?P<pre>[^\s，。；:：《》,;()]{0,40}?)(?P<year>(?:19|20)\d{2})\s*年度?(?P<mid>[^\s，。；:：《》,;()]{0,40}?)"
    r"(?:政府|政务)?信息公开(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)")
_TITLE_LOOSE = re.compile(r"信息公开(?:工作)?(?:年度)?(?:工作)?(?:报告|年报)")
# Titles that name the report without being it: a notice about writing it, a call for comments, a
# meeting or training on it, a website's own annual statistics form. The crawler drops list entries
# with the first group too (scraper/discover/rules.py EXCLUDE).
LOOK_ALIKE_TITLES = ("通知", "征求意见", "会议", "培训", "网站年度工作报表", "政府网站年度")
NOT_A_REPORT_TITLE = (*LOOK_ALIKE_TITLES, "通报", "的函", "编制工作", "报送")
_AGENCY_SUFFIX = re.compile(
    r"(人民政府(?:办公厅|办公室)?|政府办公室|政府办|委员会|办公室|办公厅|管理局|局|厅|委|部|署|院|中心|"
    r"街道办事处|街道|镇|乡|管委会|管理委员会|总局|集团|所|站|队|处|会|政府)$")
_DATE_CN = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_ISO = re.compile(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")
_VISIBLE_DATE = re.compile(r"(?:发布日期|发布时间|公开日期|成文日期|日期|时间)\s*[:：]?\s*")
_PERIOD = re.compile(r"(?:统计期限|统计时限|统计周期|统计时间)[^。]{0,20}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日")
_PRE2019_SIGNALS = ["收到申请数", "申请答复数", "同意公开答复数", "政府信息公开专项经费", "行政复议数量",
                    "对申请的答复总数", "主动公开信息数"]
_GK_SIGNALS = ["本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "本年度办理结果"]
_BREADCRUMB = re.compile(r"首页|->|>|›|»|当前位置|您的位置")
_FILE_EXT = re.compile(r"\.(?:pdf|docx?|wps|ofd|xlsx?|et|txt|html?|shtml)$", re.I)
_NOISE_LINE = re.compile(r"^[-—–\s]*\d+[-—–\s]*$")
_DATE_LINE = re.compile(r"[(（]?[\d年月日\s-]+[)）]?")


def _lines(doc: Document) -> list[str]:
    """The page's non-empty lines, stripped (and of leading #), without page-number lines."""
    text = doc.text or "\n".join(b.text for b in doc.blocks if isinstance(b, Paragraph))
    lines = [s for s in map(str.strip, text.splitlines()) if s]
    if "#" in text:
        lines = [t for t in [s.lstrip("#").strip() if s[0] == "#" else s for s in lines] if t]
    noise, noise_first = _NOISE_LINE.match, _NOISE_FIRST
    # a noise line starts (stripped) with a dash or a digit (\d: str.isdecimal)
    return [s for s in lines if not ((s[0] in noise_first or s[0].isdecimal()) and noise(s))]


_NOISE_FIRST = frozenset("-—–")


def _clean_title(t: str) -> str:
    t = nfkc(t)
    t = re.sub(r"\s+", "", t)
    t = _FILE_EXT.sub("", t)  # a link text that is the attachment's file name
    for sep in ("——", "_", "|", "-"):
        # strip portal prefixes/suffixes: 保定市人民政府网——…, …_中华人民共和国中央人民政府门户网站
        parts = [p for p in t.split(sep) if _TITLE_LOOSE.search(p)]
        if parts:
            t = parts[0]
    t = re.sub(r"\.(?:pdf|docx?|wps|ofd|html?)$", "", t, flags=re.I)  # a link text naming the file
    return t.strip("《》\"' ")


def _find_title(lines: list[str], hints: list[str]) -> str | None:
    for h in hints:
        if h and _TITLE_LOOSE.search(nh := normalize(h)) and not _BREADCRUMB.search(nh):
            return _clean_title(h)
    memo: dict[int, str] = {}  # each line is looked at alone and joined to the next: normalise once

    def norm(i: int) -> str:
        n = memo.get(i)
        if n is None:
            n = memo[i] = normalize(lines[i])
        return n

    # "。" (U+3002) survives normalisation, so a line holding it is skipped without normalising it
    for i, line in enumerate(lines[:40]):
        if "。" in line:
            continue
        n = norm(i)
        if len(n) > 60 or "。" in n or _BREADCRUMB.search(n):
            continue
        cand = None
        if _TITLE_LOOSE.search(n):
            cand = n
        elif i + 1 < len(lines) and "。" not in lines[i + 1]:  # a title broken over two lines: "…信息公开工作" / "年度报告"
            joined = n + norm(i + 1)
            if _TITLE_LOOSE.search(joined) and len(joined) <= 60 and "。" not in joined:
                cand = joined
        if cand is None:
            continue
        # the agency on the line before: "淮安市洪泽区人民政府" / "2024 年政府信息公开工作年度报告"
        if re.match(r"(?:19|20)\d{2}年", cand) and i > 0 and _is_agency(norm(i - 1)):
            cand = norm(i - 1) + cand
        return _clean_title(cand)
    return None


def _title_from_prose(lines: list[str]) -> str | None:
    """"现向社会公布沭阳县发展和改革局2023年度政府信息公开年度报告。" -> that title."""
    for line in lines[:5]:
        for m in _TITLE.finditer(normalize(line)):
            agency = re.sub(r"^(关于|公布|现向社会公布|现予公布)", "", m["pre"] or "")
            if _is_agency(agency):
                return agency + m.group(0)[m.start("year") - m.start():]
    return None


def _is_agency(s: str) -> bool:
    return 2 <= len(s) <= 30 and bool(_AGENCY_SUFFIX.search(s)) and not re.search(r"\d", s)


def _agency_from_title(title: str | None) -> str | None:
    if not title:
        return None
    m = _TITLE.search(title)
    if not m:
        return None
    for part in (m["pre"], m["mid"]):
        part = re.sub(r"^(关于|公布|现向社会公布)", "", part or "")
        if part and _is_agency(part):
            return part
    return None


def _to_iso(y: str, m: str, d: str) -> str | None:
    try:
        return date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def _dates_in(s: str) -> list[str]:
    out = []
    s = nfkc(s)
    for rx in (_DATE_CN, _DATE_ISO):
        for m in rx.finditer(s):
            iso = _to_iso(*m.groups())
            if iso:
                out.append(iso)
    return out


def _near_title(lines: list[str], title: str | None) -> list[str]:
    """The first lines of the page, and the lines right after the title wherever it sits (a portal
    may print dozens of navigation lines before the article: www.gov.cn 2014 pages)."""
    head = lines[:12]
    if title:
        t = normalize(title)
        if not t:
            return head
        # Only a line holding the title's "stable" characters can hold the title once normalised
        # (_stable): normalise just those lines instead of hundreds of menu lines.
        keys = [ch for ch in t if _stable(ch)]
        if keys:
            k1, k2, k3 = keys[0], keys[len(keys) // 2], keys[-1]
            if any(t in normalize(line) for line in head if k1 in line and k2 in line and k3 in line):
                return head
            rest = lines[12:]
            found = next((i for i, line in enumerate(rest)
                          if k1 in line and k2 in line and k3 in line and t in normalize(line)), None)
        else:
            if any(t in normalize(line) for line in head):
                return head
            rest = lines[12:]
            found = _first_line_holding(rest, t)
        if found is not None:
            head = head + rest[found:found + 6]
    return head


def _first_line_holding(rest: list[str], t: str) -> int | None:
    """Index of the first line whose normalised text contains `t`. The lines normalised in one call:
    normalize() works character by character and "\\0" is a starter nothing composes with, so it keeps
    the lines apart and a match cannot span two."""
    joined = "\0".join(rest)
    if "\0" in t or joined.count("\0") != len(rest) - 1:
        return next((i for i, line in enumerate(rest) if t in normalize(line)), None)
    nj = normalize(joined)
    pos = nj.find(t)
    return None if pos < 0 else nj.count("\0", 0, pos)


# Ranges holding every character whose NFKC form contains a CJK unified ideograph other than itself
# (radicals, Kanbun, enclosed and squared ideographs, compatibility ideographs; checked over all of
# Unicode by tests/test_metadata_fast_paths.py).
_NFKC_IDEOGRAPH_SOURCES = ((0x2E80, 0x2FE0), (0x3000, 0x3040), (0x3190, 0x31A0), (0x3200, 0x3400),
                           (0xF900, 0xFB00), (0x1F200, 0x1F300), (0x2F800, 0x2FA20))


@cache
def _unstable_ideographs() -> frozenset[str]:
    """CJK unified ideographs that labels.normalize may produce from another character: a
    compatibility character's NFKC form, a traditional form's or a vocabulary fold's result. Every
    other ideograph is "stable": a line whose normalised text holds it holds it already."""
    produced = set(SIMPLIFIED) | set(EXTRA.values()) | {ch for word in VOCABULARY.values() for ch in word}
    for start, end in _NFKC_IDEOGRAPH_SOURCES:
        for cp in range(start, end):
            produced.update(x for x in unicodedata.normalize("NFKC", chr(cp)) if x != chr(cp))
    return frozenset(produced)


def _stable(ch: str) -> bool:
    """A CJK unified ideograph (U+4E00-U+9FFF) that no other character normalises into."""
    return "\u4e00" <= ch <= "\u9fff" and ch not in _unstable_ideographs()


def _published_candidates(doc: Document, lines: list[str], context: dict[str, Any],
                          title: str | None = None) -> list[tuple[str, str]]:
    """(origin, ISO date) in order of trust."""
    cands: list[tuple[str, str]] = []
    head = _near_title(lines, title)
    for line in head:  # visible page date near the title: "发布日期：2021-02-08", "2021年02月08日来源:法库县"
        # _VISIBLE_DATE.search(line): its words, the rest of the pattern is optional
        if "日期" in line or "时间" in line or "来源" in line or _DATE_LINE.fullmatch(line):
            cands += [("page", d) for d in _dates_in(line)[:1]]
    meta = (doc.meta or {}).get("meta", {}) or {}
    for key in ("pubdate", "publishdate", "firstpublishedtime", "article:published_time", "dc.date"):
        if meta.get(key):
            cands += [("meta", d) for d in _dates_in(str(meta[key]))[:1]]
    if context.get("list_date"):
        cands += [("list", d) for d in _dates_in(str(context["list_date"]))[:1]]
    tail = lines[-6:]
    for line in reversed(tail):  # signature date at the end: "沭阳县发展和改革局" / "2024年1月17日"
        if len(normalize(line)) <= 16:
            ds = _dates_in(line)
            if ds:
                cands.append(("signature", ds[0]))
                break
    return cands


def _agency_from_text(lines: list[str]) -> str | None:
    for line in lines[:10]:
        n = normalize(line)
        m = re.search(r"(?:现向社会公布|现予公布|公布)([^，。]{2,30}?)(?:19|20)\d{2}年度?", n)
        if m and _is_agency(m.group(1)):
            return m.group(1)
    tail = [normalize(x) for x in lines[-4:]]
    for i, n in enumerate(tail[:-1]):
        if _is_agency(n) and _dates_in(tail[i + 1]):
            return n
    return None


def _report_year(title: str | None, lines: list[str], published: str | None) -> int | None:
    if title:
        m = _TITLE.search(title) or re.search(r"((?:19|20)\d{2})\s*年", title)
        if m:
            return int(m.group("year") if "year" in m.re.groupindex else m.group(1))
    for line in lines[:30]:
        m = _PERIOD.search(normalize(line))
        if m:
            return int(m.group(1))
    text = "".join(normalize(x) for x in lines[:15])
    m = _PERIOD.search(text) or re.search(r"((?:19|20)\d{2})年度?(?:政府|政务)?信息公开", text)
    if m:
        return int(m.group(1))
    if published:
        return int(published[:4]) - 1  # reports are published early in the following year
    return None


def is_pre2019(lines: list[str], report_year: int | None) -> bool:
    joined = "".join(lines)
    # Fast path, same answer: a format signal (CJK ideographs only) found in the raw text is also in
    # the normalised text (NFKC keeps ideographs, removing whitespace cannot split a match).
    if any(s in joined for s in _GK_SIGNALS):
        return False
    text = normalize(joined)
    if any(s in text for s in _GK_SIGNALS):
        return False
    if report_year is not None and report_year <= 2018:
        return True
    return sum(s in text for s in _PRE2019_SIGNALS) >= 2


@cache
def _heading_keys() -> tuple[frozenset[str], ...]:
    return tuple(frozenset({normalize(heading)} | {normalize(v) for v in variants})
                 for _code, heading, variants in common.SECTIONS)


@cache
def _headings_numbered() -> bool:
    return all(key[:1] in _NUMERALS for keys in _heading_keys() for key in keys)


def _headings_found(lines: list[str]) -> int:
    """How many sections have a line that is exactly their heading (normalised). Every heading
    starts with its numeral, so a line sections.py knows cannot start with one is not normalised."""
    if _headings_numbered():
        norms = {normalize(x) for x in lines if x and not _cannot_be_heading(x)}
    else:
        norms = {normalize(x) for x in lines}
    return sum(1 for keys in _heading_keys() if not keys.isdisjoint(norms))


def extract_metadata(doc: Document, context: dict[str, Any] | None = None) -> dict[str, Any]:
    """Metadata of one document; `context` (crawler) fills what the document lacks."""
    context = context or {}
    lines = _lines(doc)
    meta = (doc.meta or {}).get("meta", {}) or {}
    hints = [meta.get("articletitle"), (doc.meta or {}).get("html_title"), context.get("title")]
    title = _find_title(lines, [h for h in hints if h])
    if not title:
        title = _title_from_prose(lines)
    if not title and context.get("title"):
        title = _clean_title(context["title"])
    cands = _published_candidates(doc, lines, context, title)
    published = cands[0][1] if cands else None
    agency = (_agency_from_title(title) or _agency_from_text(lines)
              or (meta.get("contentsource") if meta.get("contentsource") else None) or context.get("agency"))
    year = _report_year(title, lines, published)
    out: dict[str, Any] = {
        "title": title, "agency": agency, "report_year": year, "published": published,
        "is_report": (bool(title and _TITLE_LOOSE.search(title)) and not any(w in title for w in NOT_A_REPORT_TITLE))
        or _headings_found(lines) >= 3,
    }
    if len({d for _, d in cands}) > 1:
        out["published_candidates"] = [{"origin": o, "date": d} for o, d in cands]
    out["pre2019"] = out["is_report"] and is_pre2019(lines, year)
    division = find_region(agency) or find_region(title)
    if division:
        out["region_code"], out["region_name"] = division.code, division.name
    if agency_level(agency, division):
        out["level"] = agency_level(agency, division)
    for k in ("region_code", "level"):  # the registry knows better than a name lookup
        if context.get(k):
            out[k] = context[k]
    if (doc.meta or {}).get("attachments"):
        out["attachments"] = doc.meta["attachments"]
    return out
