"""Section 四 tables that lost their colspans (markdown, some CMS exports): `未经复议直接起诉` written as
one cell and four empty ones still names the five columns under it."""

from __future__ import annotations

import pytest

from parsers.api import parse_bytes
from xxgk import synth


@pytest.mark.parametrize("blank_rate", [0.0, 1.0])
def test_markdown_without_spans_reads_section_four_from_its_header(blank_rate):
    rep = synth.random_report(8147237, "gk2021", blank_rate=blank_rate, scale=300)
    data = synth.render(rep, "markdown", 0, span_fill="empty", split_s2=False)
    assert "| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 | 未经复议直接起诉 |  |  |  |  | 复议后起诉 |" in data.decode()
    parsed = parse_bytes(data, "no-spans.md")
    assert parsed.status == "ok" and not synth.compare(rep, parsed, lossless=True)
    s4 = [c for c in parsed.cells if c.code.startswith("s4_")]
    assert len(s4) == 15 and all(c.source.startswith("table") and not c.uncertain for c in s4)
    assert not any("s4: header not readable" in n for n in parsed.extra.get("notes", []))
    expected = {k: v for k, v in rep.expected().items() if k.startswith("s4_")}
    assert {c.code: c.value for c in s4} == expected
    if blank_rate == 1.0:
        assert {c.kind for c in s4} == {"blank"}
