"""Narrative sections 一–六 by their codes (templates.md §2.1), headings in format or 条例 wording.

A heading is a short line numbered 一…六 whose words match the section (by keyword, so 条例
wording D14 works) and which comes after the previous section's heading. Table rows that look
like headings (D18: `四、结转下年度继续办理`) fail the keyword test and stay out.
"""

from __future__ import annotations

import re

from .labels import normalize, similarity, strip_numbering
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
    for code, (numeral, words) in _KEYWORDS.items():
        if n.startswith(numeral) and any(w in rest for w in words):
            return code
    # a heading under the wrong numeral (renumbered or OCR-broken): the wording must match closely
    for code, heading, variants in common.SECTIONS:
        if any(similarity(rest, strip_numbering(normalize(h))) >= 0.85 for h in [heading, *variants]):
            return code
    return None


def _units(doc: Document) -> list[tuple[str, bool]]:
    """(text, is_table_text) units in reading order."""
    if doc.blocks and any(isinstance(b, Table) for b in doc.blocks):
        out = []
        for b in doc.blocks:
            if isinstance(b, Paragraph):
                out += [(x, False) for x in b.text.splitlines()]
            else:
                out.append(("", True))
        return out
    return [(x, False) for x in (doc.text or "").splitlines()]


def split_sections(doc: Document) -> dict[str, str]:
    """{section code: text}; text before 一 goes under `preamble`. Table cells are left out of the
    table sections (二/三/四 keep their prose only)."""
    parts: dict[str, list[str]] = {}
    current = "preamble"
    next_index = 0
    for text, is_table in _units(doc):
        if is_table:
            continue
        line = text.strip().lstrip("#").strip()
        if not line or _NOISE.match(line):
            continue
        if _cannot_be_heading(line):
            norm, code = None, None
        else:
            norm = normalize(line)
            code = _heading_code(norm)
        if code and ORDER.index(code) >= next_index:
            current, next_index = code, ORDER.index(code) + 1
            parts.setdefault(current, [])
            continue
        if current in ("proactive_disclosure", "applications", "review_litigation") and not _is_prose(line, norm):
            continue  # a table cell flattened into text
        parts.setdefault(current, []).append(line)
    return {k: "\n".join(v).strip() for k, v in parts.items() if k in ORDER or v}


_NUMERALS = frozenset("一二三四五六七八九十")
# Characters labels.normalize may change at the start of a line (traditional forms, vocabulary).
_FOLDED = frozenset(TRADITIONAL) | frozenset(EXTRA) | frozenset(k[0] for k in VOCABULARY)


def _cannot_be_heading(line: str) -> bool:
    """True when `line` starts with a CJK ideograph other than a numeral: normalisation leaves such a
    first character alone (no decomposition, no composition, not folded), so the normalised line
    cannot start with the numbering a heading needs. Saves normalising most prose lines."""
    ch = line[0]
    return "\u4e00" <= ch <= "\u9fff" and ch not in _NUMERALS and ch not in _FOLDED


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
