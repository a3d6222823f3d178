"""Label normalisation and lookup against the official labels (templates.md §7.1).

Every reader (HTML grid, flattened text, PDF, DOCX) matches labels through here, so a typo
variant or an annotation learnt once helps every layout.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import cache

from .traditional import TRADITIONAL_TABLE, fold_vocabulary

_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "‘": "'", "’": "'", "、": "、"})
# Trailing annotations not part of an official label: 现行有效件数(历史累计), 上一年项目数量(指2019年事项数)
_ANNOT = re.compile(r"\((?:指|历史|单位|设区|含|注|不含|包括|如)[^()]*\)$")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d+[.、．])")


# Every character str.isspace() accepts (Unicode White_Space less a few, plus the ASCII separators
# 0x1c-0x1f), written out: finding them over all 0x110000 code points took 70 ms of every start-up.
# tests/test_labels_fast_paths.py checks the list against str.isspace on this Python.
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
              "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def _one_pass_table() -> dict[int, str | None]:
    """Quotes, traditional label characters and every kind of whitespace (deleted) in one
    str.translate table: normalize runs on every line of every page."""
    table = dict(_QUOTES) | TRADITIONAL_TABLE
    table |= dict.fromkeys(map(ord, WHITESPACE))
    table |= {0x200B: None, 0xFEFF: None}
    table |= {ord("（"): "(", ord("）"): ")", ord("："): ":", ord("，"): ","}
    return table


_ONE_PASS = _one_pass_table()
# The same table as a list indexed by code point: str.translate looks every character up, and a dict
# miss costs a KeyError inside translate (twice the time of the whole list lookup). Code points past
# the list raise IndexError, a LookupError: translate leaves them alone, as the dict does (none is a key).
assert max(_ONE_PASS) < 0x10000
_ONE_PASS_LIST: list[int | str | None] = list(range(0x10000))
for _k, _v in _ONE_PASS.items():
    _ONE_PASS_LIST[_k] = _v
# Most lines hold no character the table changes (a regex search is ~10x faster than translate).
_CHANGED = re.compile("[" + "".join(re.escape(chr(k)) for k, v in sorted(_ONE_PASS.items()) if v != chr(k)) + "]")


# Full-width punctuation Chinese text is full of, with its compatibility decomposition (one ASCII
# character). Replacing a character by its NFKD form never changes the NFKC form of a string, and a
# line whose only non-NFKC characters were these is then NFKC already: unicodedata's quick check
# passes instead of the full normalisation (5-10x slower on a line of prose).
_WIDE = tuple((c, unicodedata.normalize("NFKD", c)) for c in "，（）：；！？％\u3000")
assert all(len(d) == 1 and d.isascii() for _c, d in _WIDE)


def nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), faster on Chinese text."""
    if unicodedata.is_normalized("NFKC", text):
        return text
    for wide, narrow in _WIDE:
        text = text.replace(wide, narrow)
    return unicodedata.normalize("NFKC", text)


def normalize(text: str) -> str:
    """NFKC, no whitespace of any kind, ASCII brackets/punctuation, unified quotes, traditional
    forms of label characters folded to simplified (D15)."""
    t = nfkc(text or "")
    if not t.isascii():
        t = fold_vocabulary(t)
    return t.translate(_ONE_PASS_LIST) if _CHANGED.search(t) else t


def strip_annotation(norm: str) -> str:
    """Drop one provincial annotation in parentheses at the end of a normalised label (D6)."""
    return _ANNOT.sub("", norm)


def strip_numbering(norm: str) -> str:
    """`（一）予以公开` -> `予以公开`, `1.属于国家秘密` -> `属于国家秘密`, `一、本年…` -> `本年…`."""
    return _NUMBERING.sub("", norm)


def similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


@cache
def _norm_cached(text: str) -> str:
    return normalize(text)


def best_match(label: str, candidates: dict[str, list[str]], threshold: float = 0.84) -> tuple[str | None, float]:
    """Find the key whose labels best match `label`.

    `candidates` maps a key (row or column code) to its official label and variants. Exact
    matches (after normalisation, with or without numbering/annotation) win; otherwise the
    highest similarity at or above `threshold`. Returns (key, score) or (None, best score).
    """
    n = normalize(label)
    forms = {n, strip_annotation(n), strip_numbering(n), strip_numbering(strip_annotation(n))}
    best_key, best = None, 0.0
    for key, labels in candidates.items():
        for lab in labels:
            ln = _norm_cached(lab)
            if ln in forms or strip_numbering(ln) in forms:
                return key, 1.0
            s = max(similarity(f, ln) for f in forms)
            if s > best:
                best_key, best = key, s
    return (best_key, best) if best >= threshold else (None, best)
