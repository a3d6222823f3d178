"""xxgk.pipeline.export: archive -> datasets with provenance, parse cache, reposts, revisions,
attachment context, --input folders. The parser is replaced by a recorder here so these tests
exercise the pipeline alone (the demo test runs the real parser end to end)."""

import hashlib
import json

import pandas as pd
import pytest
from test_output_fixtures import make_report

from parsers.report import Report
from scraper.archive import Archive, utcnow
from scraper.registry import Source
from xxgk import pipeline

COUNTY = Source(id="jia", name="甲县 年报", url="http://jia.gov.cn/nb/", region_code="210124", level="county")
CITY = Source(id="city", name="市 年报", url="http://city.gov.cn/nb/", region_code="210100", level="city")


def _body(rep: Report, salt: str = "") -> bytes:
    """A 'document' the fake parser understands: the record itself as JSON (+ page chrome salt)."""
    return (json.dumps(rep.to_dict(), ensure_ascii=False, sort_keys=True) + salt).encode()


class FakeParser:
    def __init__(self):
        self.calls = []

    def __call__(self, data: bytes, document: str, context: dict) -> Report:
        self.calls.append((document, context))
        text = data.decode()
        d = json.loads(text[: text.rindex("}") + 1])
        rep = Report.from_dict(d)
        rep.document, rep.sha256 = document, hashlib.sha256(data).hexdigest()
        if not rep.title and context.get("title"):
            rep.title = context["title"]
        if not rep.agency and context.get("agency"):
            rep.agency = context["agency"]
        rep.extra["context"] = context
        return rep


def _store(ar, run, src, url, body, kind="report", title=None, list_date=None, referrer=None):
    now = utcnow()
    loc = ar.write_response(url, 200, "OK", [("Content-Type", "text/html; charset=utf-8")], body, now)
    with ar.transaction() as db:
        ar.log_response(db, run, src.id, url, url, 200, loc, now)
        out = ar.store_version(db, run, url, source_id=src.id, kind=kind, body=body, http_status=200, final_url=url,
                               http_content_type="text/html; charset=utf-8", etag=None, last_modified=None,
                               fetched_at=now, loc=loc, title=title, list_date=list_date, referrer=referrer)
        ar.set_committed(db)
    return out


A = make_report("甲县人民政府", 2020, "gk2019", seed=1, document="-")
PAGE = make_report("乙县人民政府", 2021, "gk2021", seed=2, document="-")
PAGE.cells, PAGE.checks, PAGE.status, PAGE.title = [], [], "partial", "乙县人民政府2021年政府信息公开工作年度报告"
ATT = make_report("乙县人民政府", 2021, "gk2021", seed=2, document="-")
ATT.title, ATT.agency, ATT.published = None, None, None  # the PDF names nothing: context fills it


@pytest.fixture
def archive_dir(tmp_path):
    ar = Archive(tmp_path, create=True)
    ar.register_sources([COUNTY, CITY])
    run = ar.start_run({})
    ar.open_writer(run)
    _store(ar, run, COUNTY, "http://jia.gov.cn/nb/index.html", b"<html>list</html>", kind="list")
    _store(ar, run, COUNTY, "http://jia.gov.cn/nb/202101/t20210128_1.html", _body(A, "<!-- county -->"),
           title="甲县人民政府2020年政府信息公开工作年度报告", list_date="2021-01-28",
           referrer="http://jia.gov.cn/nb/index.html")
    _store(ar, run, CITY, "http://city.gov.cn/nb/202102/t20210201_9.html", _body(A, "<!-- city chrome -->"),
           title="甲县2020年年报", list_date="2021-02-01", referrer="http://city.gov.cn/nb/index.html")
    _store(ar, run, COUNTY, "http://jia.gov.cn/nb/202201/t20220120_2.html", _body(PAGE),
           title="乙县人民政府2021年政府信息公开工作年度报告", list_date="2022-01-20")
    _store(ar, run, COUNTY, "http://jia.gov.cn/nb/202201/P020220120.pdf", _body(ATT), kind="attachment",
           title="附件1.pdf", referrer="http://jia.gov.cn/nb/202201/t20220120_2.html")
    ar.close()
    return tmp_path


def _snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_export_from_archive_with_provenance(archive_dir):
    parser = FakeParser()
    s = pipeline.export(archive_dir, parse=parser)
    assert s.documents == 4 and s.parsed == 4 and s.cached == 0 and s.reports == 2 and s.reposted == 2
    ds = archive_dir / "datasets"
    reports = pd.read_csv(ds / "reports.csv", encoding="utf-8-sig", dtype={"region_code": str})
    assert len(reports) == 2
    a = reports[reports["agency"] == "甲县人民政府"].iloc[0]
    assert a["url_count"] == 2 and a["source_url"] == "http://jia.gov.cn/nb/202101/t20210128_1.html"
    assert a["source_urls"].split() == ["http://city.gov.cn/nb/202102/t20210201_9.html",
                                        "http://jia.gov.cn/nb/202101/t20210128_1.html"]
    assert a["region_code"] == "210124" and a["level"] == "county" and a["source_id"] == "jia"
    assert a["new_received"] == A.cell("s3_new_received__total").value
    ar = Archive(archive_dir)
    stored = ar.get("http://jia.gov.cn/nb/202101/t20210128_1.html")
    assert a["sha256"] == stored.sha256 and a["fetched_at"] == stored.fetched_at
    urls = pd.read_csv(ds / "report_urls.csv", encoding="utf-8-sig")
    city = urls[urls["url"].str.contains("city.gov.cn")].iloc[0]
    assert city["source_id"] == "city" and city["link_title"] == "甲县2020年年报" and city["list_date"] == "2021-02-01"
    assert not city["is_primary"]
    # the page without tables and its PDF are one report whose values come from the PDF
    b = reports[reports["report_year"] == 2021].iloc[0]
    assert b["source_url"] == "http://jia.gov.cn/nb/202201/P020220120.pdf" and b["url_count"] == 2
    assert b["title"] == "乙县人民政府2021年政府信息公开工作年度报告" and b["agency"] == "乙县人民政府"
    ctx = dict(parser.calls)["http://jia.gov.cn/nb/202201/P020220120.pdf"]
    assert ctx["title"] == "乙县人民政府2021年政府信息公开工作年度报告" and ctx["link_title"] == "附件1.pdf"
    assert ctx["agency"] == "乙县人民政府" and ctx["list_date"] == "2022-01-20"
    assert ctx["referrer"] == "http://jia.gov.cn/nb/202201/t20220120_2.html"
    assert "region_code" not in ctx and ctx["http_charset"] == "utf-8"
    # pages are parsed before the attachments they explain
    order = [d for d, _ in parser.calls]
    assert order.index("http://jia.gov.cn/nb/202201/t20220120_2.html") < order.index(
        "http://jia.gov.cn/nb/202201/P020220120.pdf")


def test_unchanged_archive_is_not_parsed_again_and_gives_identical_files(archive_dir):
    pipeline.export(archive_dir, parse=FakeParser())
    first = _snapshot(archive_dir / "datasets")
    parser = FakeParser()
    s = pipeline.export(archive_dir, parse=parser)
    assert parser.calls == [] and s.cached == 4 and s.parsed == 0
    assert _snapshot(archive_dir / "datasets") == first


def test_revision_at_the_same_url_replaces_the_old_version(archive_dir):
    pipeline.export(archive_dir, parse=FakeParser())
    url = "http://jia.gov.cn/nb/202101/t20210128_1.html"
    revised = make_report("甲县人民政府", 2020, "gk2019", seed=1, document="-")
    revised.cell("s3_new_received__total").value = 4242
    ar = Archive(archive_dir)
    run = ar.start_run({})
    ar.open_writer(run)
    assert _store(ar, run, COUNTY, url, _body(revised, "<!-- county -->"), title="甲县人民政府2020年报") == "changed"
    ar.close()
    parser = FakeParser()
    s = pipeline.export(archive_dir, parse=parser)
    assert [d for d, _ in parser.calls] == [url] and s.cached == 3
    reports = pd.read_csv(archive_dir / "datasets" / "reports.csv", encoding="utf-8-sig")
    row = reports[reports["agency"] == "甲县人民政府"].iloc[0]
    assert row["new_received"] == 4242 and row["source_url"] == url
    assert row["content_variants"] == 2  # the city's copy still shows the old numbers
    assert row["url_count"] == 2 and len(reports) == 2
    ar = Archive(archive_dir)
    assert ar.state(url)["versions"] == 2  # the old version stays in the archive
    assert ar.db.execute("SELECT COUNT(*) FROM versions WHERE url = ?", (url,)).fetchone()[0] == 2


def test_input_folder_mode_uses_paths_as_provenance(tmp_path):
    folder = tmp_path / "my reports"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.html").write_bytes(_body(A))
    (folder / "sub" / "b.txt").write_bytes(_body(make_report("丙县人民政府", 2022, "gk2021", seed=3)))
    parser = FakeParser()
    s = pipeline.export(tmp_path / "data", [folder, folder / "a.html"], parse=parser)
    assert s.documents == 2 and len(parser.calls) == 2
    reports = pd.read_csv(tmp_path / "data" / "datasets" / "reports.csv", encoding="utf-8-sig")
    assert sorted(reports["source_url"]) == sorted([str(folder / "a.html"), str(folder / "sub" / "b.txt")])
    urls = pd.read_csv(tmp_path / "data" / "datasets" / "report_urls.csv", encoding="utf-8-sig")
    assert set(urls["kind"]) == {"file"}
    assert dict(parser.calls)[str(folder / "a.html")] == {"source_url": str(folder / "a.html")}
    # a changed file is parsed again, the other comes from the cache
    (folder / "a.html").write_bytes(_body(A, " "))
    parser2 = FakeParser()
    s = pipeline.export(tmp_path / "data", [folder], parse=parser2)
    assert [d for d, _ in parser2.calls] == [str(folder / "a.html")] and s.cached == 1


def test_export_without_archive_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no crawl archive"):
        pipeline.export(tmp_path)


def test_parse_cache_is_keyed_by_parser_version(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.html").write_bytes(_body(A))
    pipeline.export(tmp_path, [folder], parse=FakeParser())
    monkeypatch.setattr(pipeline.ParseCache, "__init__", lambda self, root: (
        setattr(self, "root", root), setattr(self, "dir", root / "0.2.0-newparser"))[0])
    parser = FakeParser()
    pipeline.export(tmp_path, [folder], parse=parser)
    assert len(parser.calls) == 1  # a new parser reads everything again
    assert [d.name for d in (tmp_path / "cache" / "parse").iterdir()] == ["0.2.0-newparser"]


def test_attachment_link_text_becomes_a_clean_title():
    assert pipeline.link_title("附件：甲县2020年政府信息公开工作年度报告.pdf") == "甲县2020年政府信息公开工作年度报告"
    assert pipeline.link_title("甲县教育局2022年年报.DOCX") == "甲县教育局2022年年报"
    assert pipeline.link_title("附件1.pdf") is None and pipeline.link_title(None) is None


def test_two_exports_at_once_take_turns(tmp_path):
    import threading
    import time

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.html").write_bytes(_body(A))
    active, overlap = [], []

    class Slow(FakeParser):
        def __call__(self, data, document, context):
            active.append(1)
            overlap.append(len(active))
            time.sleep(0.2)
            active.pop()
            return super().__call__(data, document, context)

    errors = []

    def go(i):
        try:
            pipeline.export(tmp_path / "data", [folder], parse=Slow(), out_dir=tmp_path / "data" / "datasets")
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=go, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and max(overlap) == 1  # the second export waited; it then found the cache
    assert len(pd.read_csv(tmp_path / "data" / "datasets" / "reports.csv", encoding="utf-8-sig")) == 1


def test_parallel_parsing_gives_the_same_datasets(tmp_path):
    """Worker processes (the real parser) and in-process parsing write identical files."""
    from xxgk import synth

    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        rep = synth.random_report(500 + i, version="gk2021" if i % 2 else "gk2019", blank_rate=0.2)
        (folder / f"r{i}.html").write_bytes(synth.render_html(rep))
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    one = pipeline.export(tmp_path / "one", [folder], workers=1)
    two = pipeline.export(tmp_path / "two", [folder], workers=2)
    assert one.parsed == two.parsed == 7 and one.statuses == two.statuses and one.statuses["ok"] >= 5
    a, b = _snapshot(tmp_path / "one" / "datasets"), _snapshot(tmp_path / "two" / "datasets")
    assert a == b
