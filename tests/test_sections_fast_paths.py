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


def _split_sections_reference(doc):
    """split_sections as it was before the per-line shortcuts (one normalize per line that does not
    start with an ideograph, the unit list, the plain heading code)."""
    from parsers.layout import Paragraph, Table

    if doc.blocks and any(isinstance(b, Table) for b in doc.blocks):
        units = []
        for b in doc.blocks:
            units += [(x, False) for x in b.text.splitlines()] if isinstance(b, Paragraph) else [("", True)]
    else:
        units = [(x, False) for x in (doc.text or "").splitlines()]
    parts, current, next_index = {}, "preamble", 0
    for text, is_table in units:
        if is_table:
            continue
        line = text.strip().lstrip("#").strip()
        if not line or S._NOISE.match(line):
            continue
        ch = line[0]
        if "\u4e00" <= ch <= "\u9fff" and ch not in S._NUMERALS and ch not in S._FOLDED:
            norm, code = None, None
        else:
            norm = normalize(line)
            code = _heading_code_reference(norm)
        if code and S.ORDER.index(code) >= next_index:
            current, next_index = code, S.ORDER.index(code) + 1
            parts.setdefault(current, [])
            continue
        if current in ("proactive_disclosure", "applications", "review_litigation") and not S._is_prose(line, norm):
            continue
        parts.setdefault(current, []).append(line)
    return {k: "\n".join(v).strip() for k, v in parts.items() if k in S.ORDER or v}


def _synthetic_documents():
    from parsers.readers.html import read_html
    from parsers.readers.text import read_text
    from xxgk.synth import (
        PORTAL_FAMILIES,
        random_report,
        render,
        render_cms_html,
        render_html,
        render_portal_page,
    )

    for seed in range(12):
        rep = random_report(seed, version=("gk2019", "gk2021")[seed % 2], blank_rate=0.2)
        yield read_html(render_html(rep, seed), "a.html")
        yield read_html(render_cms_html(rep, seed), "b.html")
        yield read_html(render_portal_page(rep, seed, family=PORTAL_FAMILIES[seed % 3],
                                           body=("official", "cms")[seed % 2]), "c.html")
        for layout in ("flat_text", "markdown", "pdf_text", "glued_text"):
            yield read_text(render(rep, layout, seed), "d.txt")


_SOUP = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、行政复议和行政诉讼情况",
         "五、存在的主要问题及改进情况", "六、其他需要报告的事项", "四、结转下年度继续办理", "（一）主动公开情况",
         "# 一、总体情况", "##", "  ", "", "- 3 -", "第 2 页", "12", "２０２３年１月８日", "2023年1月8日",
         "本年新收政府信息公开申请数量\t3\t4", "规章 | 5 | 0", "信息内容\t本年制发件数", "全年主动公开政府信息3313条，及时回应社会关切。",
         "首页 > 政务公开", "＃三、收到和处理政府信息公开申请情况", "\u3000\u3000五、问题和改进", "⼀、总体情况", "一、總體情況",
         "1.属于国家秘密", "自然人", "七、附件", "三、其他", "（二）依申请公开情况", "-", "—12—", "二、行政机关主动公开政府信息的情况。"]


def test_split_sections_matches_the_reference():
    import random as _random

    from parsers.layout import Document, Paragraph, Table

    docs = list(_synthetic_documents())
    rng = _random.Random(5)
    for _ in range(400):
        blocks = []
        for _ in range(rng.randint(0, 12)):
            if rng.random() < 0.2:
                blocks.append(Table(rows=[], source="html"))
            else:
                blocks.append(Paragraph("\n".join(rng.choice(_SOUP) for _ in range(rng.randint(0, 4)))
                                        + rng.choice(["", "\n", "\r", "\r\n"])))
        text = "\n".join(rng.choice(_SOUP) for _ in range(rng.randint(0, 30)))
        docs.append(Document(blocks=blocks, text=text))
        docs.append(Document(blocks=[b for b in blocks if isinstance(b, Paragraph)], text=text))
    seen = set()
    for doc in docs:
        want = S.split_sections(doc)
        assert want == _split_sections_reference(doc)
        seen.update(want)
    assert seen == {"preamble", *S.ORDER}
