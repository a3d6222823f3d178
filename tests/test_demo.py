"""`xxgk demo` end to end: bundled portals on 127.0.0.1 -> crawl -> parse -> datasets, and every
synthetic report's numbers in the datasets equal the numbers the portal printed."""

import functools
import json
from decimal import Decimal

import pandas as pd
import pytest
from click.testing import CliRunner

from xxgk.cli import main
from xxgk.demo import DemoError, prepare, table_text
from xxgk.demo.site import COUNTY_HOST, build, pdf_report


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data = tmp_path_factory.mktemp("demo") / "xxgk-demo-data"
    res = CliRunner().invoke(main, ["demo", "--data-dir", str(data)])
    assert res.exit_code == 0, res.output
    return data, res.output


@functools.cache
def _built():
    return build()


@functools.cache
def _expected():
    """(agency, year) -> (format, section-三 format, {code: value}) of every synthetic report served."""
    out = {}
    for p in _built():
        for e in p.entries:
            if e.report is not None:
                out[(e.report.agency, e.report.report_year)] = (e.report.version, e.report.s3_version,
                                                                e.report.expected())
    meta = pdf_report()[1]
    out[(meta["agency"], meta["report_year"])] = (meta["version"], meta["tables"]["s3"], meta["values"])
    return out


def test_demo_finds_every_report_and_prints_where_the_data_is(demo):
    data, output = demo
    ds = data / "datasets"
    reports = pd.read_parquet(ds / "parquet" / "reports.parquet")
    expected = _expected()
    got = {(r.agency, r.report_year) for r in reports.itertuples()}
    assert got == set(expected) | {("法库县人民政府", 2020)}
    assert (reports["status"] == "ok").all()
    assert str(ds) in output and "reports.csv" in output and "法库县人民政府" in output
    assert "演示县召开" not in output  # the news item and the look-alike are not reports
    for f in ("reports.csv", "cells.csv", "xxgk.db", "codebook.csv", "datapackage.json"):
        assert (ds / f).exists()


def test_demo_values_equal_what_the_portal_printed(demo):
    data, _ = demo
    ds = data / "datasets"
    reports = pd.read_parquet(ds / "parquet" / "reports.parquet")
    cells = pd.read_parquet(ds / "parquet" / "cells")
    for (agency, year), (version, s3_version, exp) in _expected().items():
        row = reports[(reports["agency"] == agency) & (reports["report_year"] == year)].iloc[0]
        assert row["template"] == version and row["s3_template"] == s3_version
        got = cells[cells["report_id"] == row["report_id"]].set_index("code")
        assert set(got.index) == set(exp), (agency, year)
        for code, v in exp.items():
            c = got.loc[code]
            if v is None:  # printed blank: null, never 0
                assert c["kind"] == "blank" and pd.isna(c["value"]), (agency, year, code)
            else:
                assert c["kind"] == "number" and Decimal(str(c["value"])) == Decimal(v), (agency, year, code)
        assert row["checks_failed"] == 0
        if exp["s3_new_received__total"] is None:
            assert pd.isna(row["new_received"])
        else:
            assert row["new_received"] == exp["s3_new_received__total"]


def test_demo_repost_and_attachment_are_one_report_each(demo):
    data, _ = demo
    ds = data / "datasets"
    reports = pd.read_csv(ds / "reports.csv", encoding="utf-8-sig", dtype={"region_code": str})
    repost = reports[(reports["agency"] == "演示县人民政府") & (reports["report_year"] == 2023)]
    assert len(repost) == 1
    row = repost.iloc[0]
    urls = row["source_urls"].split()
    assert row["url_count"] == 2 and {u.split("/")[2].split(":")[0] for u in urls} == {
        "www.yanshi.gov.cn", "www.yanshishi.gov.cn"}
    assert COUNTY_HOST in row["source_url"] and row["region_code"] == "990121"  # the county's own copy
    docx = reports[(reports["agency"] == "演示县教育局")].iloc[0]
    assert docx["source_url"].endswith(".docx") and docx["url_count"] == 2
    assert docx["title"] == "演示县教育局2022年政府信息公开工作年度报告"
    pdf = reports[(reports["agency"] == "演示县审计局")].iloc[0]
    assert pdf["source_url"].endswith(".pdf") and pdf["url_count"] == 2 and pdf["published"] == "2021-01-21"
    faku = reports[reports["agency"] == "法库县人民政府"].iloc[0]
    assert faku["new_received"] == 0 and faku["published"] == "2021-02-08" and faku["level"] == "city"


def test_demo_datasets_validate_and_rerun_is_clean(demo, tmp_path):
    data, _ = demo
    from frictionless import Package

    report = Package(str(data / "datasets" / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]
    meta = json.loads((data / "datasets" / "datapackage.json").read_text("utf-8"))
    assert meta["resources"][0]["name"] == "reports"


def test_demo_refuses_a_folder_it_did_not_create(tmp_path):
    (tmp_path / "precious.txt").write_text("x")
    with pytest.raises(DemoError):
        prepare(tmp_path)
    assert (tmp_path / "precious.txt").exists()
    res = CliRunner().invoke(main, ["demo", "--data-dir", str(tmp_path)])
    assert res.exit_code == 2 and "not a demo folder" in res.output


def test_demo_site_is_deterministic_and_offline():
    a, b = _built(), build()
    for pa, pb in zip(a, b, strict=True):
        assert {k: v.body for k, v in pa.files.items()} == {k: v.body for k, v in pb.files.items()}
    county = a[0]
    assert "createPageHTML(3, 0" in county.files[county.column + "index.html"].body.decode()
    assert (county.column + "index_2.html") in county.files
    docx = [k for k in county.files if k.endswith(".docx")]
    assert len(docx) == 1
    import io

    import docx as python_docx

    d = python_docx.Document(io.BytesIO(county.files[docx[0]].body))
    assert len(d.tables) == 3 and "三、本年度办理结果" in {c.text for c in d.tables[1].columns[0].cells}


def test_table_text_aligns_cjk():
    df = pd.DataFrame({"report_year": pd.array([2020, None], dtype="Int64"), "agency": ["法库县人民政府", None],
                       "template": ["gk2019", "unknown"], "status": ["ok", "error"],
                       "new_received": pd.array([0, None], dtype="Int64"), "checks_failed": [0, 0], "url_count": [1, 1]})
    lines = table_text(df).splitlines()
    assert lines[1].startswith("2020  法库县人民政府  gk2019") and lines[2].startswith("-     -")
