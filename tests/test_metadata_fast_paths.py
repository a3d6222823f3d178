"""parsers.metadata's shortcuts give what the plain definitions give."""

from __future__ import annotations

import random
import unicodedata

from test_perf_equivalence import _near_title_reference  # the plain definition, kept once

from parsers import metadata as M
from parsers.labels import normalize
from parsers.layout import Document


def test_ideograph_sources_cover_all_of_unicode():
    """Every character whose NFKC form holds a CJK unified ideograph other than itself lies in
    _NFKC_IDEOGRAPH_SOURCES, so _stable() really is stable."""
    inside = [range(a, b) for a, b in M._NFKC_IDEOGRAPH_SOURCES]
    for cp in range(0x110000):
        if 0xD800 <= cp < 0xE000 or any(cp in r for r in inside):
            continue
        ch = chr(cp)
        n = unicodedata.normalize("NFKC", ch)
        assert n == ch or not any("\u4e00" <= x <= "\u9fff" for x in n), hex(cp)
    assert M._stable("告") and not M._stable("一") and not M._stable("区") and not M._stable("信")
    assert not M._stable("a") and not M._stable("⼯") and not M._stable("\u3400")


_PIECES = ["2021年", "政府信息公开", "工作年度报告", "报告", "⼯作", "㊀", "一", "報告", "区", "區", "首页", "人民政府", " ",
           "\u3000", "（", "x", "怀浦区", "懷浦區", "\u0301", "\0", "⺠", "。"]


def test_near_title_matches_the_reference_on_menu_like_pages():
    rng = random.Random(2)
    titles = [None, "", "怀浦区2021年政府信息公开工作年度报告", "一区", "⼯作报告", "報告", "x", "区政府", "2021"]
    for _ in range(3000):
        lines = ["".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 6))) for _ in range(rng.randint(0, 60))]
        title = rng.choice(titles)
        if title and lines and rng.random() < 0.5:  # the title itself somewhere, maybe damaged
            i = rng.randrange(len(lines))
            lines[i] = title.replace("工", rng.choice(["工", "⼯"])) + rng.choice(["", "。", " 发布"])
        assert M._near_title(lines, title) == _near_title_reference(lines, title)


def test_visible_date_words_are_the_pattern():
    rng = random.Random(4)
    for _ in range(3000):
        line = "".join(rng.choice(["日期", "时间", "发布", "日", "期", "时", "间", "：", ":", " ", "2021-02-01", "x"])
                       for _ in range(rng.randint(0, 5)))
        assert bool(M._VISIBLE_DATE.search(line)) == ("日期" in line or "时间" in line)


def _lines_reference(doc):
    out = []
    for line in doc.text.splitlines():
        s = line.strip().lstrip("#").strip()
        if s and not M._NOISE_LINE.match(s):
            out.append(s)
    return out


def _headings_found_reference(lines):
    norms = {normalize(x) for x in lines}
    return sum(1 for keys in M._heading_keys() if not keys.isdisjoint(norms))


def test_lines_and_headings_match_the_reference():
    rng = random.Random(6)
    pieces = ["一、总体情况", "二、主动公开政府信息情况", "# 三、收到和处理政府信息公开申请情况", "＃四、政府信息公开行政复议、行政诉讼情况",
              "⼀、总体情况", "五、存在的主要问题及改进情况\u3000", "六、其他需要报告的事项", "- 3 -", "—12—", "３", "12", "第2页", "  ",
              "#", "（一）主动公开情况", "2021年2月1日", "首页 > 政务公开", "\u200b一、概述", "一、 总体 情况", "٣", "-"]
    for _ in range(1500):
        doc = Document(text="\n".join(rng.choice(pieces) for _ in range(rng.randint(0, 25))))
        lines = M._lines(doc)
        assert lines == _lines_reference(doc)
        assert M._headings_found(lines) == _headings_found_reference(lines)
