"""Narrative sections 一–六 by their codes (templates.md §2.1), headings in format or 条例 wording.

A heading is a short line numbered 一…六 whose words match the section (by keyword, so 条例
wording D14 works) and which comes after the previous section's heading. Table rows that look
like headings (D18: `四、结转下年度继续办理`) fail the keyword test and stay out.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import cache
from itertools import repeat

from .labels import normalize, strip_numbering
from .layout import Document, Paragraph, Table
from .templates import common
from .traditional import EXTRA, TRADITIONAL, VOCABULARY

# Section code -> numeral and the words that identify its heading in any wording seen.
_KEYWORDS: dict[str, tuple[str, list[str]]] = {
    "overview": ("一", ["总体情况", "概述", "总体"]),
    "proactive_disclosure": ("二", ["主动公开"]),
    "applications": ("三", ["收到和处理", "依申请", "申请情况"]),
    "review_litigation": ("四", ["行政复议", "行政诉讼"]),
    "problems_improvements": ("五", ["问题", "改进", "整改"]),
    "other_matters": ("六", ["其他需要报告", "其他事项", "其他需报告", "其他报告事项"]),
}
ORDER = [code for code, _, _ in common.SECTIONS]
_NOISE = re.compile(r"^[-—–\s]*\d+[-—–\s]*$|^第\s*\d+\s*页")
_NUMBERED = re.compile(r"^[一二三四五六七八九十]+[、.,]")
_TABLE_HEADER = re.compile(r"勾稽关系|^信息内容|^第二十条")
_PROSE = re.compile(r"[。；，,;:：！？]")


def heading_code(line: str) -> str | None:
    """The section code when `line` is a section heading, else None."""
    return _heading_code(normalize(line))


def _heading_code(norm: str) -> str | None:
    """heading_code of a line already normalised (split_sections normalises each line once)."""
    n = norm.lstrip("#").strip()
    if not n or len(n) > 45:
        return None
    if not _NUMBERED.match(n) or n.endswith("。"):
        return None
    rest = strip_numbering(n)
    by_numeral = _BY_NUMERAL.get(n[0])  # n.startswith(numeral): the numerals are single characters
    if by_numeral is not None and any(w in rest for w in by_numeral[1]):
        return by_numeral[0]
    # a heading under the wrong numeral (renumbered or OCR-broken): the wording must match closely
    for code, forms in _section_forms():
        if any(_close(rest, f) for f in forms):
            return code
    return None


_BY_NUMERAL = {numeral: (code, words) for code, (numeral, words) in _KEYWORDS.items()}
assert all(len(numeral) == 1 for numeral in _BY_NUMERAL)


@cache
def _section_forms() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each section's heading and variants, normalised and unnumbered (once, not per line)."""
    return tuple((code, tuple(strip_numbering(normalize(h)) for h in [heading, *variants]))
                 for code, heading, variants in common.SECTIONS)


def _close(a: str, b: str) -> bool:
    """labels.similarity(a, b) >= 0.85, ruling pairs out by SequenceMatcher's upper bounds first
    (length, then shared characters), which are exact bounds of the same ratio."""
    total = len(a) + len(b)
    if total and 2.0 * min(len(a), len(b)) / total < 0.85:  # SequenceMatcher.real_quick_ratio
        return False
    sm = SequenceMatcher(None, a, b, autojunk=False)
    return sm.quick_ratio() >= 0.85 and sm.ratio() >= 0.85


def _text_lines(doc: Document) -> list[str]:
    """Lines of the document's prose in reading order: the Paragraph blocks when the reader found
    tables (their cells stay out), else the document's text. Joining the paragraphs before one
    splitlines gives the same non-empty lines as splitting each."""
    blocks = doc.blocks
    if blocks and any(map(isinstance, blocks, repeat(Table))):
        return "\n".join([b.text for b in blocks if isinstance(b, Paragraph)]).splitlines()
    return (doc.text or "").splitlines()


def split_sections(doc: Document) -> dict[str, str]:
    """{section code: text}; text before 一 goes under `preamble`. Table cells are left out of the
    table sections (二/三/四 keep their prose only).

    A page may have hundreds of lines (portal menus): the loop does the least per line. The first
    character rules most lines out as noise and as headings (_cannot_be_heading, inlined); only the
    others are normalised and tried as headings."""
    parts: dict[str, list[str]] = {}
    current = "preamble"
    target: list[str] | None = None  # parts[current], made when its first line comes
    table_section = False
    next_index = 0
    normalize_, heading_code_, is_prose, noise = normalize, _heading_code, _is_prose, _NOISE.match
    skip_cjk, skip_other, noise_first = _NUMERALS | _FOLDED, _NOT_HEADING_START, _NOISE_FIRST
    for text in _text_lines(doc):
        line = text.strip().lstrip("#").strip()
        if not line:
            continue
        ch = line[0]
        if (ch in noise_first or ch.isdecimal()) and noise(line):
            continue
        if ("\u4e00" <= ch <= "\u9fff" and ch not in skip_cjk) or ch in skip_other:  # _cannot_be_heading
            norm = None
        else:
            norm = normalize_(line)
            code = heading_code_(norm)
            if code and _INDEX[code] >= next_index:
                current, next_index = code, _INDEX[code] + 1
                target = parts.setdefault(current, [])
                table_section = current in _TABLE_SECTIONS
                continue
        if table_section and not is_prose(line, norm):
            continue  # a table cell flattened into text
        if target is None:
            target = parts.setdefault(current, [])
        target.append(line)
    return {k: "\n".join(v).strip() for k, v in parts.items() if k in ORDER or v}


_INDEX = {code: ORDER.index(code) for code in ORDER}
assert set(_KEYWORDS) <= set(_INDEX)
_TABLE_SECTIONS = frozenset(("proactive_disclosure", "applications", "review_litigation"))
# A line _NOISE matches starts (stripped) with a dash, a digit (\d: str.isdecimal) or 第.
_NOISE_FIRST = frozenset("-—–第")


_NUMERALS = frozenset("一二三四五六七八九十")
# Characters labels.normalize may change at the start of a line (traditional forms, vocabulary).
_FOLDED = frozenset(TRADITIONAL) | frozenset(EXTRA) | frozenset(k[0] for k in VOCABULARY)
# Non-ideographs that cannot begin a heading either: NFKC maps each to itself or to one ASCII
# character other than "#" (the full-width forms), nothing composes into a numeral, and none is
# whitespace. Lines opening with them ("（一）主动公开情况", "2023年1月8日", "“…”") are not normalised.
_NOT_HEADING_START = frozenset(
    {chr(i) for i in range(0x21, 0x7F)} | {chr(i) for i in range(0xFF01, 0xFF5F)} | set("《》「」『』【】“”‘’〔〕〈〉…—·、。")
) - {"#", "＃"}


def _cannot_be_heading(line: str) -> bool:
    """True when `line` starts with a character that normalisation leaves a non-numeral: a CJK
    ideograph other than a numeral (no decomposition, no composition, not folded) or one of
    _NOT_HEADING_START. The normalised line then cannot start with the numbering a heading needs.
    Saves normalising most lines."""
    ch = line[0]
    if "\u4e00" <= ch <= "\u9fff":
        return ch not in _NUMERALS and ch not in _FOLDED
    return ch in _NOT_HEADING_START


def _table_labels() -> list[str]:
    from .templates import VERSIONS, s3_rows

    return sorted({normalize(r.label) for v in VERSIONS for r in s3_rows(v)}, key=len, reverse=True)


_LABELS = _table_labels()
_LABEL_PREFIXES = tuple(lab[:8] for lab in _LABELS if len(lab) >= 8)


def _is_prose(line: str, norm: str | None = None) -> bool:
    n = normalize(line) if norm is None else norm
    if n.startswith(_LABEL_PREFIXES):
        return False
    if "\t" in line or "|" in n or _TABLE_HEADER.search(n):
        return False
    digits = sum(ch.isdigit() for ch in n)
    return len(n) >= 16 and bool(_PROSE.search(n)) and digits < len(n) / 3
