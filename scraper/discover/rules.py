"""What counts as an annual report, a sub-column, an attachment: patterns as data (NOTES.md §1.7, §3.4, §4)."""

from __future__ import annotations

import re

from parsers.metadata import LOOK_ALIKE_TITLES

# Title must carry a reporting year and one of these kinds (after NFKC and whitespace removal).
REPORT_KINDS = (
    "政府信息公开工作年度报告", "政府信息公开年度报告", "政府信息公开工作报告", "信息公开工作年度报告",
    "政务公开工作年度报告", "政府信息公开年报", "信息公开年度报告", "信息公开年报", "年度报告", "年报",
)
# Look-alikes that live in the same columns and must be dropped.
EXCLUDE = (
    *LOOK_ALIKE_TITLES, "网站工作年度报表", "企业年度报告", "企业年报", "政府工作报告", "统计公报", "预算", "决算",
    "监管信息公开",
)
YEAR = re.compile(r"(?:19|20)\d{2}(?=\s*年)|[（(](?:19|20)\d{2}[)）]|(?<!\d)(?:19|20)\d{2}(?=年度)")
CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})年")
_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0"}

# A link to a sub-column of a 年报 column: a year alone, or a column-like label without a year.
YEAR_LABEL = re.compile(r"^(?:19|20)\d{2}\s*(?:年度?|年报)?$")
COLUMN_LABEL = re.compile(r"(年报|年度报告|工作报告|各区县|区县市|部门|市政府|县政府|乡镇|街道)")
COLUMN_SLUG = re.compile(r"/(?:[a-z]*?(?:nb|ndbg|gknb|xxgknb|zfxxgknb)\d{0,4}|(?:gknb)?(?:19|20)\d{2}(?:n|nb)?|"
                         r"(?:19|20)\d{2}nb?|col/col\d+)/(?:index\.s?html?)?$", re.I)

# Files a report may come as (extension in the path, or in a `filename=` query as Hanweb does).
ATTACHMENT_EXT = ("pdf", "doc", "docx", "wps", "xls", "xlsx", "et", "ofd", "zip", "rar", "rtf", "txt")
_EXT_ALT = "|".join(ATTACHMENT_EXT)
ATTACHMENT_RE = re.compile(r"\.(" + _EXT_ALT + r")(?:$|[?#&])", re.I)
SCRIPT_HREF = re.compile(r"""href\s*=\s*\\?["']([^"'\\<>\s]+?\.(?:""" + _EXT_ALT + r"""))\\?["']""", re.I)

# Pagination link labels and URL shapes (NOTES.md §4.9).
PAGER_LABEL = re.compile(r"^(?:\d{1,4}|下一?页|下页|尾页|末页|next|>|>>|»)$", re.I)
PAGER_URL = re.compile(r"(?:index_\d+\.s?html?$|/\d+\.s?html?$|[?&](?:page|pageNum|cur_page|pageIndex|pageNo|pn)=\d+)",
                       re.I)


def normalize_title(title: str) -> str:
    import unicodedata

    t = unicodedata.normalize("NFKC", title or "")
    return re.sub(r"\s+", "", t)


def report_year(title: str) -> int | None:
    """The reporting year named in a title (arabic or Chinese numerals), or None."""
    t = normalize_title(title)
    m = YEAR.search(t)
    if m:
        return int(re.sub(r"\D", "", m.group(0)))
    m = CN_YEAR.search(t)
    if m:
        return int("".join(_CN_DIGITS[c] for c in m.group(1)))
    return None


def is_report_title(title: str) -> bool:
    """True for 年报 titles (a year + a report kind), False for news and look-alikes."""
    t = normalize_title(title)
    if not t or any(x in t for x in EXCLUDE):
        return False
    if not any(k in t for k in REPORT_KINDS):
        return False
    return report_year(t) is not None


def is_column_label(title: str) -> bool:
    t = normalize_title(title)
    if not t or len(t) > 40 or any(x in t for x in EXCLUDE):
        return False
    if YEAR_LABEL.match(t):
        return True
    return bool(COLUMN_LABEL.search(t)) and report_year(t) is None and ("报告" in t or "年报" in t)


def is_attachment_url(url: str) -> bool:
    return bool(ATTACHMENT_RE.search(url))
