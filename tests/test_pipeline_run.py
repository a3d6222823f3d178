"""`xxgk run` (crawl + export) and `xxgk export` on the command line, against the demo portals
served on 127.0.0.1: exit codes as crawl, datasets written, a failed export keeps the old ones."""

import shutil

import pandas as pd
import pytest
from click.testing import CliRunner

from scraper.testing import PortalServer, Reply
from xxgk import pipeline
from xxgk.cli import main
from xxgk.demo import sources_csv
from xxgk.demo.site import build


@pytest.fixture(scope="module")
def portal():
    portals = build()
    with PortalServer() as srv:
        for p in portals:
            srv.add_site(p.host, files={path: page.body for path, page in p.files.items()})
            for path, page in p.files.items():
                if page.content_type:
                    srv.route(p.host, path, Reply(200, page.body, {"Content-Type": page.content_type}))
        yield srv, portals


def _args(srv, registry, data):
    out = ["run", "--sources", str(registry), "--data-dir", str(data), "--min-delay", "0", "--no-progress"]
    for host, ip in srv.resolve.items():
        out += ["--resolve", f"{host}={ip}"]
    return out


@pytest.fixture(scope="module")
def crawled(portal, tmp_path_factory):
    """One `xxgk run` over both demo portals; tests copy its data folder."""
    srv, portals = portal
    tmp = tmp_path_factory.mktemp("run")
    registry = tmp / "sources.csv"
    registry.write_text(sources_csv(portals, srv.url), "utf-8")
    res = CliRunner().invoke(main, _args(srv, registry, tmp / "data"))
    return registry, tmp / "data", res


def _copy(data, tmp_path):
    shutil.copytree(data, tmp_path / "data")
    return tmp_path / "data"


def test_run_crawls_and_exports(portal, crawled, tmp_path):
    srv, _ = portal
    registry, data, res = crawled
    assert res.exit_code == 0, res.output
    data = _copy(data, tmp_path)
    assert "exit code 0" in res.output and "datasets:" in res.output
    urls = pd.read_csv(data / "datasets" / "report_urls.csv", encoding="utf-8-sig")
    assert len(urls) == 17  # 15 report pages + DOCX and PDF attachments; news and look-alike left out
    assert set(urls["source_id"]) == {"yanshi", "yanshishi"}
    assert urls["fetched_at"].notna().all() and urls["sha256"].str.len().eq(64).all()
    # a second run fetches conditionally, parses nothing again and writes the very same files
    ds = data / "datasets"
    before = {p.relative_to(ds): p.read_bytes() for p in ds.rglob("*") if p.is_file()}
    res = CliRunner().invoke(main, _args(srv, registry, data))
    assert res.exit_code == 0 and "(0 parsed, 17 unchanged from cache)" in res.output
    assert {p.relative_to(ds): p.read_bytes() for p in ds.rglob("*") if p.is_file()} == before


def test_run_exit_code_is_the_crawls_and_export_still_runs(portal, crawled, tmp_path):
    srv, portals = portal
    data = _copy(crawled[1], tmp_path)
    registry = tmp_path / "sources.csv"
    dead = srv.url(portals[0].host, "/no/such/column/")
    registry.write_text(sources_csv(portals, srv.url) + f"gone,消失的栏目,{dead},990122,county,0,trs,\n", "utf-8")
    res = CliRunner().invoke(main, _args(srv, registry, data) + ["--source", "gone"])
    assert res.exit_code == 1, res.output
    assert "gone" in res.output and "datasets:" in res.output
    urls = pd.read_csv(data / "datasets" / "report_urls.csv", encoding="utf-8-sig")
    assert len(urls) == 17  # what the archive held is exported again


def test_run_usage_errors_exit_2(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name,url\nx,y,not-a-url\n", "utf-8")
    res = CliRunner().invoke(main, ["run", "--sources", str(bad), "--data-dir", str(tmp_path / "d")])
    assert res.exit_code == 2 and "bad url" in res.output


def test_failed_export_keeps_previous_datasets_and_exits_1(portal, crawled, tmp_path, monkeypatch):
    srv, _ = portal
    registry = crawled[0]
    data = _copy(crawled[1], tmp_path)
    before = (data / "datasets" / "reports.csv").read_bytes()

    def broken(*a, **k):
        raise OSError(28, "No space left on device")

    import output.publish

    monkeypatch.setattr(output.publish, "write_dataset", broken)
    res = CliRunner().invoke(main, _args(srv, registry, data))
    assert res.exit_code == 1
    assert (data / "datasets" / "reports.csv").read_bytes() == before
    res = CliRunner().invoke(main, ["export", "--data-dir", str(data)])
    assert res.exit_code == 1 and "No space left" in res.output


def test_export_command(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "faku.txt").write_bytes(pipeline.Path(__file__).with_name("fixtures").joinpath(
        "faku-2020.txt").read_bytes())
    (folder / "empty.html").write_bytes(b"")
    res = CliRunner().invoke(main, ["export", "--data-dir", str(tmp_path / "d"), "--input", str(folder / "faku.txt"),
                                    str(folder / "empty.html")])
    assert res.exit_code == 0, res.output
    reports = pd.read_csv(tmp_path / "d" / "datasets" / "reports.csv", encoding="utf-8-sig")
    assert sorted(reports["source_url"]) == sorted([str(folder / "faku.txt"), str(folder / "empty.html")])
    assert reports.loc[reports["source_url"].str.endswith("empty.html"), "status"].item() == "error"
    res = CliRunner().invoke(main, ["export", "--data-dir", str(tmp_path / "d"), str(folder)])
    assert res.exit_code == 2 and "after --input" in res.output
    res = CliRunner().invoke(main, ["export", "--data-dir", str(tmp_path / "nothing")])
    assert res.exit_code == 1 and "no crawl archive" in res.output
