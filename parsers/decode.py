"""Bytes -> text, from the raw bytes only (NOTES.md §2.1): BOM, declared charset, then detection.

gb2312/gbk are decoded as gb18030 (a superset); text full of U+FFFD is rejected. The crawler and
the parser both decode through here so a page reads the same wherever it came from.

A file cut off in the middle of a character (an interrupted download) or with a few damaged bytes
is not valid in any encoding, yet it is still the report: when no encoding decodes the bytes
cleanly, the one that needs the fewest replacements is used (the declared charset, then UTF-8,
then GB18030), if they stay under MAX_REPLACEMENT_RATIO, and `Decoded.replaced` says how many
byte sequences became U+FFFD so the record can say so.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    replaced: int = 0  # byte sequences not valid in `encoding`, each now a U+FFFD in `text`
    # The bytes themselves when they are the text's UTF-8 (decoded as UTF-8, nothing replaced), else
    # None: the HTML reader feeds them to libxml2 without encoding the text again.
    utf8: bytes | None = field(default=None, repr=False, compare=False)

    def warning(self) -> str | None:
        """One line for the record when bytes were replaced, else None."""
        if not self.replaced:
            return None
        return (f"{self.replaced} byte sequence(s) not valid {self.encoding} replaced by U+FFFD "
                "(damaged or truncated file)")


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
    d = decode_text(data, http_charset)
    return d.text, d.encoding


def decode_text(data: bytes, http_charset: str | None = None) -> Decoded:
    """decode(), also telling how many damaged byte sequences were replaced."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(enc, errors="replace"), enc)
    candidates = [canonical(http_charset), canonical(declared_charset(data))]
    for enc in candidates:
        if not enc:
            continue
        try:
            text = data.decode(enc)
            return Decoded(text, enc, utf8=data if enc == "utf-8" else None)
        except (UnicodeDecodeError, LookupError):
            continue  # a lying declaration: fall through to detection
    try:
        return Decoded(data.decode("utf-8"), "utf-8", utf8=data)
    except UnicodeDecodeError:
        pass
    try:
        return Decoded(data.decode("gb18030"), "gb18030")
    except UnicodeDecodeError:
        pass
    damaged = _least_damaged(data, [*candidates, "utf-8", "gb18030"])
    if damaged is not None:
        return damaged
    best = from_bytes(data[:200_000]).best()
    if best is not None and best.encoding:
        enc = canonical(best.encoding) or best.encoding
        text = data.decode(enc, errors="replace")
        if _replacement_ratio(text) <= MAX_REPLACEMENT_RATIO and not _looks_binary(text):
            return Decoded(text, enc, _replaced(text, data, enc))
    raise DecodeError("undecodable bytes: no declared or detectable text encoding")


def _least_damaged(data: bytes, encodings: list[str | None]) -> Decoded | None:
    """The decoding with the fewest replaced sequences among `encodings` (first wins a tie), when
    under MAX_REPLACEMENT_RATIO. UTF-8 read as GB18030 (or the reverse) fails on a share of its
    characters, a damaged file on a handful of bytes: the counts tell them apart."""
    best: Decoded | None = None
    for enc in dict.fromkeys(e for e in encodings if e):
        try:
            text = data.decode(enc, errors="replace")
        except LookupError:
            continue
        n = _replaced(text, data, enc)
        if best is None or n < best.replaced:
            best = Decoded(text, enc, n)
    if best is None or best.replaced > MAX_REPLACEMENT_RATIO * max(1, len(best.text)) or _looks_binary(best.text):
        return None
    return best


def _replaced(text: str, data: bytes, enc: str) -> int:
    """U+FFFD in `text` that the bytes did not spell out themselves (a page may print U+FFFD)."""
    try:
        own = "\ufffd".encode(enc)
    except (UnicodeEncodeError, LookupError):
        return text.count("\ufffd")
    return text.count("\ufffd") - data.count(own)


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
