"""parsers.region: division names found by a dict scan, the same as a regex alternation of all names."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.region import _by_name, find_region, names_in

NAMES = sorted(_by_name())


_REGEX = None


def regex_names(text: str) -> list[str]:
    """The plain definition names_in replaces: one alternation of all names, longest first."""
    global _REGEX
    if _REGEX is None:
        _REGEX = re.compile("|".join(map(re.escape, sorted(NAMES, key=len, reverse=True))))
    return [m.group(0) for m in _REGEX.finditer(text)]


pieces = st.one_of(st.sampled_from(NAMES), st.sampled_from(["人民政府", "办公室", "市", "县", "区", "省", "关于", "年度",
                                                             "2023", "政府信息公开", "局", "江", "南"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces, max_size=8).map("".join))
def test_names_in_finds_what_the_alternation_finds(text):
    assert names_in(text) == regex_names(text)


def test_names_in_real_strings():
    for text in ("沈阳市法库县人民政府", "辽宁省沈阳市法库县人民政府办公室关于2020年政府信息公开工作年度报告",
                 "上海市科学技术委员会", "", "无"):
        assert names_in(text) == regex_names(text)


def test_find_region_values():
    d = find_region("法库县人民政府")
    assert d is not None and d.code == "210124" and d.level == "county"
    assert find_region("沈阳市人民政府").code == "210100"
    assert find_region("没有地名的机关") is None
