"""output.tables: every value of every table equals the parsed record; reposts are one report."""

import pandas as pd
import pytest
from test_output_fixtures import make_error, make_report

from output.schema import HEADLINES, TABLE_NAMES, tables, wide_name
from output.tables import Parsed, Provenance, build_tables, content_key, group, title_key
from parsers.templates import common, fields


def _prov(url, **kw):
    return Provenance(url=url, kind=kw.pop("kind", "report"), **kw)


@pytest.fixture
def two_reports():
    a = make_report("甲县人民政府", 2020, "gk2019", seed=1, document="http://a.gov.cn/nb/t1.html")
    b = make_report("乙县人民政府", 2022, "gk2021", seed=2, document="http://b.gov.cn/nb/t2.html")
    docs = [Parsed(a, _prov(a.document, source_id="a", fetched_at="2024-03-01T08:00:00Z", sha256=a.sha256,
                            region_code="210124", level="county", link_title="甲县2020年报", list_date="2021-01-28")),
            Parsed(b, _prov(b.document, source_id="b", fetched_at="2024-03-02T08:00:00+00:00", sha256=b.sha256,
                            region_code="210100", level="city"))]
    return a, b, build_tables(docs)


def _rid(frames, rep):
    r = frames["reports"]
    return r.loc[r["source_url"] == rep.document, "report_id"].item()


def _eq(x, y):
    if y is None:
        return x is None or x is pd.NA
    return x == y


def test_tables_have_the_spec_columns_and_dtypes(two_reports):
    _, _, frames = two_reports
    assert set(frames) == set(TABLE_NAMES)
    for name, df in frames.items():
        spec = tables()[name]
        assert list(df.columns) == spec.names
        for c in spec.columns:
            dt = str(df[c.name].dtype)
            assert {"integer": "Int64", "number": "Float64", "boolean": "boolean", "string": "string"}.get(
                c.type, dt) == dt, (name, c.name, dt)


def test_reports_row_equals_the_record(two_reports):
    a, b, frames = two_reports
    r = frames["reports"].set_index("report_id")
    row = r.loc[_rid(frames, a)]
    assert row["title"] == a.title and row["agency"] == a.agency and row["report_year"] == 2020
    assert str(row["published"]) == a.published and row["template"] == "gk2019" and row["status"] == "ok"
    assert row["sha256"] == a.sha256 and row["source_id"] == "a" and row["region_code"] == "210124"
    assert row["level"] == "county" and row["url_count"] == 1 and row["source_urls"] == a.document
    assert row["fetched_at"] == pd.Timestamp("2024-03-01T08:00:00Z")
    assert row["checks_failed"] == sum(c.status == "fail" for c in a.checks)
    assert row["checks_uncertain"] == sum(c.status == "uncertain" for c in a.checks)
    assert row["cells_uncertain"] == 1 and row["parser_version"] == a.extra["parser_version"]
    for name, code in HEADLINES:
        assert row[name] == a.cell(code).value, name
    assert r.loc[_rid(frames, b), "s3_template"] == "gk2021"


def test_cells_long_table_equals_the_record(two_reports):
    a, b, frames = two_reports
    cells = frames["cells"]
    for rep in (a, b):
        sub = cells[cells["report_id"] == _rid(frames, rep)]
        assert list(sub["code"]) == [c.code for c in rep.cells]
        for (_, row), c in zip(sub.iterrows(), rep.cells, strict=True):
            assert _eq(row["value"], c.value) and row["raw"] == c.raw and row["kind"] == c.kind
            assert _eq(row["unit"], c.unit) and bool(row["uncertain"]) == c.uncertain and _eq(row["note"], c.note)
            assert row["table"] == c.code[:2] and row["version"] == rep.tables[c.code[:2]]
            assert row["report_year"] == rep.report_year
    blank = cells[cells["code"] == "s3_result_disclosed__total"].iloc[0]
    assert blank["kind"] == "blank" and pd.isna(blank["value"])
    zero = cells[cells["code"] == "s4_review__other"].iloc[0]
    assert zero["value"] == 0 and not pd.isna(zero["value"])
    neg = cells[cells["code"] == "s2_licensing_items_change"].iloc[0]
    assert neg["value"] == -129
    money = cells[cells["code"] == "s2_central_procurement_amount"].iloc[0]
    assert money["value"] == a.cell("s2_central_procurement_amount").value and money["unit"] == "元"


def test_wide_tables_equal_the_record(two_reports):
    a, b, frames = two_reports
    apps = frames["applications"]
    for rep in (a, b):
        rid = _rid(frames, rep)
        sub = apps[apps["report_id"] == rid]
        codes = {f.row_code for f in fields(rep.tables["s3"]) if f.table == "s3"}
        assert set(sub["row_code"]) == codes
        for _, row in sub.iterrows():
            for cc, _, _ in common.S3_COLUMNS:
                assert _eq(row[cc], rep.cell(f"s3_{row['row_code']}__{cc}").value)
        rl = frames["review_litigation"].set_index("report_id").loc[rid]
        for f in fields(rep.template):
            if f.table == "s4":
                assert _eq(rl[wide_name(f.code)], rep.cell(f.code).value)
        pdis = frames["proactive_disclosure"].set_index("report_id").loc[rid]
        s2 = {f.code for f in fields(rep.template) if f.table == "s2"}
        for col in tables()["proactive_disclosure"].columns:
            if col.code:
                expect = rep.cell(col.code).value if col.code in s2 else None
                assert _eq(pdis[col.name], expect), col.name
    # the gk2021 report has the three （六） sub-rows, the gk2019 one the single （六）其他处理 row
    assert "result_other_misc" in set(apps.loc[apps["report_id"] == _rid(frames, b), "row_code"])
    assert "result_other" in set(apps.loc[apps["report_id"] == _rid(frames, a), "row_code"])


def test_checks_and_sections_equal_the_record(two_reports):
    a, _, frames = two_reports
    rid = _rid(frames, a)
    ch = frames["checks"][frames["checks"]["report_id"] == rid]
    assert len(ch) == len(a.checks)
    for (_, row), c in zip(ch.iterrows(), a.checks, strict=True):
        assert (row["rule"], row["scope"], row["status"]) == (c.rule, c.scope, c.status)
        assert _eq(row["left"], c.left) and _eq(row["right"], c.right)
        assert bool(row["blank_as_zero"]) == c.blank_as_zero
    secs = frames["sections"][frames["sections"]["report_id"] == rid]
    assert list(secs["section"]) == ["overview", "problems_improvements", "other_matters"]  # format order
    assert dict(zip(secs["section"], secs["text"], strict=True)) == a.sections


def test_repost_is_one_report_with_every_url():
    orig = make_report("丙县人民政府", 2021, "gk2021", seed=5, document="http://bing.gov.cn/nb/t1.html")
    repost = make_report("丙县人民政府", 2021, "gk2021", seed=5, document="http://city.gov.cn/xq/t9.html")
    repost.title = "丙县人民政府2021年度政府信息公开工作报告"  # the city words the title differently
    repost.sha256 = "f" * 64
    frames = build_tables([
        Parsed(repost, _prov(repost.document, source_id="city", level="city", region_code="210100")),
        Parsed(orig, _prov(orig.document, source_id="bing", level="county", region_code="210124")),
    ])
    r = frames["reports"]
    assert len(r) == 1
    row = r.iloc[0]
    assert row["url_count"] == 2
    assert row["source_urls"].split() == sorted([orig.document, repost.document])
    assert row["source_url"] == orig.document and row["region_code"] == "210124"  # the county's own copy
    assert row["content_variants"] == 1
    urls = frames["report_urls"]
    assert sorted(urls["url"]) == sorted([orig.document, repost.document])
    assert urls.loc[urls["url"] == orig.document, "is_primary"].item()
    assert len(frames["cells"]) == len(orig.cells)  # values counted once


def test_repost_under_another_title_is_merged_by_content():
    orig = make_report("丁县人民政府", 2020, seed=7, document="http://ding.gov.cn/1.html")
    copy = make_report("丁县人民政府", 2020, seed=7, document="http://city.gov.cn/2.html")
    copy.title, copy.agency, copy.sha256 = "2020年政府信息公开工作年度报告", None, "e" * 64  # generic title
    assert title_key(copy) is None and content_key(copy) == content_key(orig)
    assert len(group([orig, copy])) == 1


def test_different_reports_are_not_merged():
    zero_a = make_report("戊局", 2020, seed=1, document="http://x.gov.cn/1.html")
    zero_b = make_report("己局", 2020, seed=1, document="http://x.gov.cn/2.html")
    for rep in (zero_a, zero_b):  # identical all-zero tables, different agencies and prose
        for c in rep.cells:
            c.value, c.raw, c.kind = 0, "0", "number"
    zero_b.sections = {"overview": "己局认真贯彻落实条例。"}
    other_year = make_report("戊局", 2021, seed=1, document="http://x.gov.cn/3.html")
    generic1 = make_report("庚局", 2020, seed=2, document="http://y.gov.cn/1.html")
    generic2 = make_report("辛局", 2020, seed=3, document="http://z.gov.cn/1.html")
    for g in (generic1, generic2):
        g.title, g.agency = "2020年政府信息公开工作年度报告", "某县人民政府"
    assert len(group([zero_a, zero_b, other_year, generic1, generic2])) == 5


def test_page_without_tables_and_its_attachment_are_one_report():
    page = make_report("壬县人民政府", 2020, seed=9, document="http://ren.gov.cn/t1.html")
    page.cells, page.checks, page.status = [], [], "partial"
    page.title = "关于公布年报的通知"
    att = make_report("壬县人民政府", 2020, seed=9, document="http://ren.gov.cn/P0201.pdf")
    frames = build_tables([Parsed(page, _prov(page.document)),
                           Parsed(att, _prov(att.document, kind="attachment", referrer=page.document))])
    assert len(frames["reports"]) == 1
    row = frames["reports"].iloc[0]
    assert row["source_url"] == att.document and row["url_count"] == 2


def test_report_id_is_stable_and_order_independent():
    a = make_report("甲县人民政府", 2020, seed=1)
    b = make_report("乙县人民政府", 2021, "gk2021", seed=2, document="http://b/1.html")
    e = make_error()
    ids1 = list(build_tables([a, b, e])["reports"]["report_id"])
    ids2 = list(build_tables([e, b, a])["reports"]["report_id"])
    assert ids1 == ids2 and len(set(ids1)) == 3
    # a revised version of the same report (same agency and year, corrected numbers) keeps its id
    a2 = make_report("甲县人民政府", 2020, seed=99)
    assert group([a2])[0].report_id == group([a])[0].report_id


def test_error_documents_are_rows_without_figures():
    frames = build_tables([make_error("bad.doc")])
    row = frames["reports"].iloc[0]
    assert row["status"] == "error" and row["error"].startswith("unsupported")
    assert pd.isna(row["new_received"]) and pd.isna(row["report_year"])
    assert len(frames["cells"]) == 0 and list(frames["cells"].columns) == tables()["cells"].names


def test_region_prefers_the_agencys_division_inside_the_portals():
    from output.tables import region, within

    rep = make_report("法库县人民政府", 2020)
    rep.extra.update(region_code="210124", region_name="法库县", level="county")
    city = Parsed(rep, _prov("u", region_code="210100", level="city"))  # Shenyang reposts its counties
    assert region(city) == ("210124", "法库县", "county")
    other = Parsed(rep, _prov("u", region_code="110000", level="province"))  # a lookup outside the portal
    assert region(other) == ("110000", None, "province")
    own = Parsed(rep, _prov("u"))  # --input: no registry
    assert region(own) == ("210124", "法库县", "county")
    dept = make_report("法库县教育局", 2020)
    dept.extra.update(region_code="210124", region_name="法库县", level="department")
    assert region(Parsed(dept, _prov("u", region_code="210124", level="county"))) == ("210124", "法库县", "department")
    unknown = make_report("某局", 2020)
    assert region(Parsed(unknown, _prov("u", region_code="210124", level="county"))) == ("210124", None, "county")
    assert within("210124", "210100") and within("210124", "210000") and within("210124", "210124")
    assert not within("210224", "210100") and not within("220124", "210000")
    frames = build_tables([city])
    assert frames["reports"].iloc[0]["region_name"] == "法库县"


def test_repost_with_page_chrome_in_the_text_is_merged_by_its_numbers():
    from output.tables import numbers_key

    orig = make_report("癸县人民政府", 2022, "gk2021", seed=11, document="http://gui.gov.cn/1.html")
    copy = make_report("癸县人民政府", 2022, "gk2021", seed=11, document="http://city.gov.cn/9.html")
    copy.title, copy.agency, copy.sha256 = "2022年度报告", None, "d" * 64
    copy.sections["other_matters"] += "【打印本页】【关闭窗口】"  # the city's page frame leaked in
    assert content_key(copy) != content_key(orig) and numbers_key(copy) == numbers_key(orig)
    assert len(group([orig, copy])) == 1
    # a nearly empty table identifies nothing: two agencies with the same few numbers stay apart
    a = make_report("子局", 2022, seed=12, document="http://x/1.html")
    b = make_report("丑局", 2022, seed=12, document="http://x/2.html")
    for rep in (a, b):
        for c in rep.cells:
            c.value, c.raw, c.kind = 0, "0", "number"
        rep.cells[0].value = 3
    b.sections = {"overview": "丑局的报告。"}
    assert numbers_key(a) is None and len(group([a, b])) == 2
