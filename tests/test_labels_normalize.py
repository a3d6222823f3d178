"""labels.normalize runs in one translate pass; it must equal the plain definition."""

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from parsers import labels as L
from parsers.traditional import fold

_WS = re.compile(r"[\s\u00a0\u3000\u200b\ufeff]+")


def plain(text: str) -> str:
    """NFKC, traditional folded, quotes unified, whitespace of any kind removed, ASCII brackets."""
    t = fold(unicodedata.normalize("NFKC", text or "")).translate(L._QUOTES)
    t = _WS.sub("", t)
    return t.replace("（", "(").replace("）", ")").replace("：", ":").replace("，", ",")


ALPHABET = st.sampled_from(list("规範性檔案資訊料 \t\n\r\x0b\x0c\x1c\x85\u00a0\u3000\u200b\ufeff\u2003\u2028\u202f"
                                "（）：，“”「」‘’、abc123一二三行政許可處罰總計()")) | st.characters()


@settings(max_examples=3000, deadline=None)
@given(st.text(ALPHABET, max_size=30))
def test_normalize_equals_plain_definition(s):
    assert L.normalize(s) == plain(s)


def test_normalize_examples():
    assert L.normalize("（二）部分公开（区分处理的，只计这一情形）") == "(二)部分公开(区分处理的,只计这一情形)"
    assert L.normalize("規範性檔案\u3000本年新製作數量") == "规范性文件本年新制作数量"
    assert L.normalize("本年新\n制作　数量\u200b") == "本年新制作数量"
