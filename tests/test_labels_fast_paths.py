"""labels.normalize's shortcuts (skip translate when no character changes, a list as the table)
give what one translate through the dict table gives, for every code point."""

from __future__ import annotations

import unicodedata

from parsers import labels as L
from parsers.traditional import fold_vocabulary


def _one_dict_pass(text: str) -> str:
    t = unicodedata.normalize("NFKC", text)
    if not t.isascii():
        t = fold_vocabulary(t)
    return t.translate(L._ONE_PASS)


def test_every_code_point_alone_and_in_a_line():
    points = [*range(0x0, 0xD800), *range(0xE000, 0x10000), *range(0x10000, 0x10000 + 0x3000),
              0x1F600, 0x2F800, 0x2FA1D, 0xE0001, 0x10FFFD]
    for cp in points:
        ch = chr(cp)
        for s in (ch, f"一、{ch}总 体\u3000情况{ch}", f"{ch}\u0301a（{ch}）"):
            assert L.normalize(s) == _one_dict_pass(s), (hex(cp), s)


def test_translate_is_skipped_only_when_nothing_changes():
    assert L.normalize("一、总体情况") == "一、总体情况"
    assert L.normalize("（一）主动 公开\u200b情况：“是”") == '(一)主动公开情况:"是"'
    assert L.normalize("規範性檔案") == "规范性文件"


def test_nfkc_equals_unicodedata_next_to_every_code_point():
    wides = [w for w, _n in L._WIDE]
    for cp in [*range(0x0, 0xD800), *range(0xE000, 0x10000), 0x1F600, 0x2F800, 0xE0001]:
        ch = chr(cp)
        for s in (ch + wides[cp % len(wides)], wides[cp % len(wides)] + ch, f"{ch}，（{ch}）：；！？％\u3000{ch}"):
            assert L.nfkc(s) == unicodedata.normalize("NFKC", s), (hex(cp), s)
    assert L.nfkc("一、总体情况") == "一、总体情况"
    assert L.nfkc("（一）主动公开，情况\u3000") == "(一)主动公开,情况 "


def test_whitespace_list_is_what_isspace_accepts():
    """labels.WHITESPACE is written out to spare a scan of every code point at import; it must be
    exactly the characters this Python's str.isspace() accepts."""
    from parsers.labels import WHITESPACE

    assert sorted(WHITESPACE) == [chr(i) for i in range(0x110000) if chr(i).isspace()]
    assert len(set(WHITESPACE)) == len(WHITESPACE)
