"""Bytes -> text, from the raw bytes only (NOTES.md §2.1): BOM, declared charset, then detection.

gb2312/gbk are decoded as gb18030 (a superset); text full of U+FFFD is rejected. The crawler and
the parser both decode through here so a page reads the same wherever it came from.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_XML = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-]+)""", re.I)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
            "cp936": "gb18030", "iso-8859-1": None, "latin-1": None, "latin1": None, "ascii": None,
            "us-ascii": None, "windows-1252": None, "utf8": "utf-8"}
_BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]
MAX_REPLACEMENT_RATIO = 0.01


class DecodeError(ValueError):
    """The bytes are not text in any encoding we can trust."""


def canonical(charset: str | None) -> str | None:
    """Map a declared charset to the codec we decode with; None for ones that prove nothing (latin-1)."""
    if not charset:
        return None
    cs = charset.strip().strip("\"'").lower()
    if cs in _ALIASES:
        return _ALIASES[cs]
    try:
        return codecs.lookup(cs).name
    except LookupError:
        return None


def declared_charset(data: bytes) -> str | None:
    """Charset named by a <meta> or XML declaration in the first 4 KiB."""
    head = data[:4096]
    m = _META.search(head) or _XML.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def _replacement_ratio(text: str) -> float:
    return text.count("\ufffd") / max(1, len(text))


def decode(data: bytes, http_charset: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Raises DecodeError when no trustworthy decoding exists."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc, errors="replace"), enc
    candidates = [canonical(http_charset), canonical(declared_charset(data))]
    for enc in candidates:
        if not enc:
            continue
        try:
            text = data.decode(enc)
            return text, enc
        except (UnicodeDecodeError, LookupError):
            continue  # a lying declaration: fall through to detection
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        enc = canonical(best.encoding) or best.encoding
        text = data.decode(enc, errors="replace")
        if _replacement_ratio(text) <= MAX_REPLACEMENT_RATIO and not _looks_binary(text):
            return text, enc
    raise DecodeError("undecodable bytes: no declared or detectable text encoding")


def _looks_binary(text: str) -> bool:
    sample = text[:5000]
    ctrl = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    return ctrl > len(sample) * 0.02


def check_text(text: str) -> None:
    """Reject text that decoded but is mojibake (U+FFFD density, NOTES.md S09) or binary."""
    if _replacement_ratio(text) > MAX_REPLACEMENT_RATIO:
        raise DecodeError(f"text full of U+FFFD replacement characters ({text.count(chr(0xFFFD))})")
    if _looks_binary(text):
        raise DecodeError("binary data, not text")
