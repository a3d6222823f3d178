"""split_sections skips normalising lines that cannot be headings: check the shortcut for every
first character it trusts, followed by what would make a heading."""

from __future__ import annotations

import random

from parsers import sections as S
from parsers.labels import normalize

_TAILS = ["", "一、总体情况", "\u0301一、总体情况", "\u3000一、主动公开", "#一、总体情况", "、总体情况", "\u200b一、总体情况"]


def test_every_trusted_first_character_keeps_the_line_from_being_a_heading():
    trusted = [chr(i) for i in range(0x10000) if S._cannot_be_heading(chr(i))]
    assert len(trusted) > 20000  # CJK ideographs and the listed non-ideographs
    for ch in trusted:
        for tail in _TAILS:
            line = ch + tail
            n = normalize(line).lstrip("#").strip()
            assert not n or n[0] not in S._NUMERALS, (hex(ord(ch)), line)
            assert S.heading_code(line) is None, (hex(ord(ch)), line)


def test_headings_and_their_look_alikes():
    assert S.heading_code("一、总体情况") == "overview"
    assert not S._cannot_be_heading("一、总体情况")
    assert S._cannot_be_heading("（一）主动公开情况") and S.heading_code("（一）主动公开情况") is None
    assert S._cannot_be_heading("2023年01月08日")
    assert not S._cannot_be_heading("＃一、总体情况")  # full-width # normalises to #, which is stripped
    assert S.heading_code("＃一、总体情况") == "overview"


def _heading_code_reference(norm):
    """sections._heading_code as it was before the numeral lookup and the similarity bounds."""
    from parsers.labels import similarity, strip_numbering
    from parsers.templates import common

    n = norm.lstrip("#").strip()
    if not n or len(n) > 45:
        return None
    if not S._NUMBERED.match(n) or n.endswith("。"):
        return None
    rest = strip_numbering(n)
    for code, (numeral, words) in S._KEYWORDS.items():
        if n.startswith(numeral) and any(w in rest for w in words):
            return code
    for code, heading, variants in common.SECTIONS:
        if any(similarity(rest, strip_numbering(normalize(h))) >= 0.85 for h in [heading, *variants]):
            return code
    return None


def _heading_lines():
    from parsers.templates import common

    rng = random.Random(11)
    texts = [t for _c, h, vs in common.SECTIONS for t in (h, *vs)] + [w for _n, ws in S._KEYWORDS.values() for w in ws]
    texts += ["结转下年度继续办理", "本年新收政府信息公开申请数量", "总体情况。", "其他"]
    numbers = ["", "一、", "二、", "三、", "四、", "五、", "六、", "七、", "十一、", "一.", "三,", "(一)", "1."]
    for _ in range(3000):
        t = rng.choice(texts)
        chars = list(t.lstrip("一二三四五六七八九十、"))
        for _ in range(rng.choice([0, 0, 1, 2, 4])):  # OCR damage: drop, double or swap characters
            if not chars:
                break
            i = rng.randrange(len(chars))
            op = rng.choice(["drop", "double", "swap", "replace"])
            if op == "drop":
                del chars[i]
            elif op == "double":
                chars.insert(i, chars[i])
            elif op == "swap" and i + 1 < len(chars):
                chars[i], chars[i + 1] = chars[i + 1], chars[i]
            else:
                chars[i] = rng.choice("的情况公开申请行政工作事项问题")
        yield rng.choice(numbers) + "".join(chars) + rng.choice(["", "", "。", "情况", "的情况说明"])


def test_heading_code_matches_the_reference_on_damaged_headings():
    found = set()
    for line in _heading_lines():
        norm = normalize(line)
        want = _heading_code_reference(norm)
        assert S._heading_code(norm) == want, line
        found.add(want)
    assert found == {None, *S.ORDER}  # every section, and non-headings, were exercised
