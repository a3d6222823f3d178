"""The generator itself: rules hold on generated values, renderers print what they promise."""

import re
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from parsers.decode import decode
from parsers.layout import expand_spans
from parsers.templates import table_fields
from xxgk import synth

COMBOS = [("gk2019", None, None), ("gk2021", None, None), ("gk2021", None, "gk2019"), ("gk2021", "gk2019", None)]


@pytest.mark.parametrize("version,s2v,s3v", COMBOS)
def test_rules_hold_for_many_seeds(version, s2v, s3v):
    for seed in range(150):
        rep = synth.random_report(seed, version, s2_version=s2v, s3_version=s3v, blank_rate=(seed % 4) / 3,
                                  blank_style="columns" if seed % 2 else "cells")
        assert synth.violations(rep.values, rep.s3_version) == [], seed
        codes = [f.code for f in rep.fields()]
        assert set(rep.expected()) == set(codes) and len(codes) == len(set(codes))
        for f in rep.fields():
            v = rep.values[f.code]
            if v is None:
                continue  # blank: true value 0 (checked below)
            if f.kind == "decimal":
                assert isinstance(v, Decimal) and v >= 0
            elif f.kind == "signed_int":
                assert isinstance(v, int)
            else:
                assert isinstance(v, int) and v >= 0, f.code


def test_blanks_only_where_zero_and_kinds_vary():
    negatives = decimals = blanks = 0
    for seed in range(200):
        full = synth.random_report(seed, "gk2019")
        holed = synth.random_report(seed, "gk2019", blank_rate=0.6)
        for code, v in holed.values.items():
            if v is None:
                blanks += 1
                assert full.values[code] == 0, code
            else:
                assert v == full.values[code]
        negatives += any(isinstance(v, int) and v < 0 for v in full.values.values())
        decimals += any(isinstance(v, Decimal) and v != v.to_integral_value() for v in full.values.values())
    assert negatives > 20 and decimals > 20 and blanks > 1000


def test_years_titles_and_metadata():
    for seed in range(60):
        r19 = synth.random_report(seed, "gk2019")
        r21 = synth.random_report(seed, "gk2021")
        assert r19.report_year in (2019, 2020) and r21.report_year >= 2021
        for r in (r19, r21):
            assert str(r.report_year) in r.title and r.agency in r.title
            assert r.published > f"{r.report_year}-12-31" and r.published < f"{r.report_year + 1}-04-01"
            assert set(r.headings) == {"overview", "proactive_disclosure", "applications", "review_litigation",
                                       "problems_improvements", "other_matters"}
    # same seed, same report; a Random works too
    assert synth.random_report(5).to_json() == synth.random_report(5).to_json()
    import random
    assert synth.random_report(random.Random(1)).values


def test_clause_wording_headings():
    rep = synth.random_report(1, clause_wording=True)
    assert rep.headings["review_litigation"] == "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"
    assert synth.random_report(1, clause_wording=False).headings["overview"] == "一、总体情况"


def test_cell_text():
    rep = synth.random_report(3, "gk2019", unit_in_cell=True, plus_sign=True)
    rep.values["s2_licensing_items_change"] = 4
    rep.values["s2_penalty_items_change"] = -417
    rep.values["s2_central_procurement_amount"] = Decimal("2792220.8")
    rep.values["s2_coercion_items_change"] = None
    assert rep.cell_text("s2_licensing_items_change") == "+4"
    assert rep.cell_text("s2_penalty_items_change") == "-417"
    assert rep.cell_text("s2_central_procurement_amount") == "2792220.8元"
    assert rep.cell_text("s2_coercion_items_change") == ""


# ---- renderers -------------------------------------------------------------------------------

def _grids(html_text):
    soup = BeautifulSoup(html_text, "lxml")
    out = []
    for t in soup.find_all("table"):
        rows = []
        for tr in t.find_all("tr"):
            rows.append([(td.get_text("", strip=True).replace("\xa0", ""), int(td.get("rowspan", 1)),
                          int(td.get("colspan", 1))) for td in tr.find_all(["td", "th"])])
        out.append(expand_spans(rows))
    return out


def _anchor_values(grid, first_row, first_col):
    return [c.text for r in grid[first_row:] for c in r[first_col:] if c.anchor]


@pytest.mark.parametrize("version,s2v,s3v", COMBOS)
def test_official_html_grid(version, s2v, s3v):
    for seed in range(8):
        rep = synth.random_report(seed, version, s2_version=s2v, s3_version=s3v, blank_rate=0.5)
        data = synth.render_html(rep, d12=bool(seed % 2))
        text = data.decode("utf-8")
        assert "<th" not in text
        assert f"<title>{rep.title}" in text and 'name="ArticleTitle"' in text
        assert f'name="PubDate" content="{rep.published}' in text and 'name="ContentSource"' in text
        assert f"发布日期：{rep.published}" in text
        assert text.count("&nbsp;") == sum(v is None for v in rep.expected().values())
        s2, s3, s4 = _grids(text)
        # every table is rectangular after span expansion
        for g in (s2, s3, s4):
            assert len({len(r) for r in g}) == 1
        assert len(s2[0]) == 4 and len(s3[0]) == 10 and len(s4[0]) == 15
        # section 三: 3 header rows, label area 3 wide, the 本年度办理结果 rowspan 20/22
        assert s3[0][0].rowspan == 3 and s3[0][0].colspan == 3
        grp = [c for r in s3 for c in r if c.anchor and c.text == "三、本年度办理结果"][0]
        assert grp.rowspan == (22 if rep.s3_version == "gk2021" else 20)
        values = [c.text for r in s3[3:] for c in r[3:]]
        assert values == [rep.cell_text(c) for ln in synth.s3_lines(rep) for c in ln.codes]
        assert [c.text for c in s4[3]] == [rep.cell_text(c) for c in synth.s4_codes()]
        # section 二: values in order, merged cells read once
        s2_vals = [c.text for r in s2 for c in r[1:] if c.anchor and not re.search(r"[\u4e00-\u9fff]", c.text)
                   or (c.anchor and c.text.endswith("元") and c.col > 0)]
        assert s2_vals == [rep.cell_text(f.code) for f in table_fields(rep.s2_version, "s2")]
        if rep.s2_version == "gk2021":
            lic = [r for r in s2 if r[0].text == "行政许可"][0]
            assert lic[1].colspan == 3 and lic[1].anchor and not lic[3].anchor


def test_official_html_d12_header_and_value_spans_differ():
    rep = synth.random_report(2, "gk2019")
    g = _grids(synth.render_html(rep, d12=True).decode())[0]
    fee = [i for i, r in enumerate(g) if r[0].text == "行政事业性收费"][0]
    assert [c.colspan for c in g[fee - 1][1:] if c.anchor] == [1, 2]
    assert [c.colspan for c in g[fee][1:] if c.anchor] == [2, 1]


def test_cms_fragment_is_gbk_without_charset():
    rep = synth.random_report(4, "gk2021", blank_rate=0.4)
    data = synth.render_cms_html(rep)
    assert b"charset" not in data.lower() and not data.lstrip().lower().startswith(b"<html")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text, enc = decode(data)
    assert enc == "gb18030" and text == data.decode("gb18030") and rep.title in text
    assert "border=0" in text and "border:solid windowtext 1.0pt" in text
    # a label one character per <p>: 结/果/维/持
    assert re.search(r">结</span></p><p[^>]*><span[^>]*>果</span></p><p[^>]*><span[^>]*>维</span>", text)
    assert "&nbsp;0" in text or "0&nbsp;" in text
    # each value cell reads back (spans joined, &nbsp; stripped) to the printed value
    g = _grids(text)
    assert [c.text for c in g[2][3]] == [rep.cell_text(c) for c in synth.s4_codes()]
    s3_vals = [c.text for r in g[1][3:] for c in r[3:]]
    assert s3_vals == [rep.cell_text(c) for ln in synth.s3_lines(rep) for c in ln.codes]


def test_cms_number_split_across_spans():
    rep = synth.random_report(9, "gk2021", scale=300)
    text = synth.render_cms_html(rep).decode("gbk")
    assert re.search(r">\d+</span><span[^>]*>\d+</span>", text)


def test_flat_text_like_the_seed():
    rep = synth.random_report(6, "gk2019", blank_rate=0.5)
    text = synth.render_flat_text(rep)
    assert "\n\n第二十条第(一)项\n\n信息内容\n\n" in text and "四、结转下年度继续办理\n\n" in text
    # single spacing, blanks as empty lines: the cell lines in order are exactly the cells
    single = synth.render_flat_text(rep, blanks="empty", spacing="single", ascii_brackets=False)
    block = single.split("（七）总计\n", 1)[1].split("\n四、结转", 1)[0].split("\n")
    assert block == [rep.cell_text(f"s3_result_total__{c}") for c in synth.S3_COLUMNS]
    skip = synth.render_flat_text(rep, blanks="skip", spacing="single", ascii_brackets=False)
    block = skip.split("（七）总计\n", 1)[1].split("\n四、结转", 1)[0].split("\n")
    assert block == [t for t in (rep.cell_text(f"s3_result_total__{c}") for c in synth.S3_COLUMNS) if t]
    assert isinstance(synth.render_flat_text(rep, encoding="utf-8"), bytes)


def test_markdown_tables_are_rectangular():
    for fill in ("empty", "repeat"):
        rep = synth.random_report(8, "gk2021", blank_rate=0.3)
        md = synth.render_markdown(rep, span_fill=fill)
        tables: list[list[str]] = []
        prev = False
        for line in md.splitlines():
            is_row = line.startswith("|")
            if is_row and not prev:
                tables.append([])
            if is_row:
                tables[-1].append(line)
            prev = is_row
        for t in tables:
            assert len({row.count(" | ") for row in t}) == 1, t[0]
        s3 = [r for r in tables if "申请人情况" in r[0]][0]
        total_row = [r for r in s3 if "（七）总计" in r][0]
        cells = [c.strip() for c in total_row.strip("|").split("|")][3:]
        assert cells == [rep.cell_text(f"s3_result_total__{c}") for c in synth.S3_COLUMNS]


def test_pdf_text_features():
    rep = synth.random_report(11, "gk2021", blank_rate=0.0)
    text = synth.render_pdf_text(rep, split_labels=1.0, interleave_groups=True)
    lines = text.splitlines()
    assert any(re.fullmatch(r"- \d+ -", x) for x in lines)
    assert "结 结 其 尚 总 结 结 其 尚 总 结 结 其 尚 总" in lines and "持 正 果 结 持 正 果 结 持 正 果 结" in lines
    s4 = " ".join(rep.cell_text(c) for c in synth.s4_codes())
    assert s4 in lines and len(s4.split()) == 15
    # a long row label split over two lines
    assert any(x.startswith("（二）部分公开") and not x.endswith("情形）") and "不计其他情形）" not in x for x in lines)
    blanky = synth.render_pdf_text(synth.random_report(11, "gk2021", blank_rate=1.0), interleave_groups=False)
    assert "\n\n" not in blanky.strip()


def test_glued_digits():
    rep = synth.random_report(12, "gk2021")
    rep.values.update({"s2_regulation_issued": 0, "s2_regulation_repealed": 0, "s2_regulation_in_force": 0,
                       "s2_normative_doc_issued": 8, "s2_normative_doc_repealed": 85, "s2_normative_doc_in_force": 5698})
    text = synth.render_glued_text(rep)
    assert "\n规章000\n" in text and "\n行政规范性文件8855698\n" in text
    assert "".join(rep.cell_text(c) for c in synth.s4_codes()) in text.splitlines()
    one = synth.render_glued_text(rep, rows="glued")
    assert "\n规章000行政规范性文件8855698\n" in one


def test_render_registry_returns_bytes():
    rep = synth.random_report(13, "gk2019", blank_rate=0.2)
    for name in synth.RENDERERS:
        out = synth.render(rep, name, 1)
        assert isinstance(out, bytes) and len(out) > 1000
        assert synth.render(rep, name, 1) == out  # deterministic for a given rng seed
