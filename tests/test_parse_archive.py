"""`xxgk parse --data-dir DIR URL`: documents read straight from the crawl archive, with provenance."""

import json
from pathlib import Path

from click.testing import CliRunner

from scraper.crawl import crawl
from scraper.registry import Source
from scraper.testing import PortalServer
from xxgk.cli import main

SEED = Path(__file__).parent / "fixtures" / "faku-2020.txt"
HOST = "www.faku-demo.gov.cn"


def test_parse_archived_url(tmp_path):
    page = ("<html><head><meta charset='utf-8'><title>法库县人民政府2020年度政府信息公开工作报告</title></head><body>"
            "<pre>" + SEED.read_text(encoding="utf-8") + "</pre></body></html>")
    listing = ("<html><head><meta charset='utf-8'><title>政府信息公开年报</title></head><body><ul><li>"
               "<a href='./202102/t20210208_1.html' title='法库县人民政府2020年度政府信息公开工作报告'>"
               "法库县人民政府2020年度政府信息公开工作报告</a><span>2021-02-08</span></li></ul></body></html>")
    with PortalServer() as srv:
        srv.add_site(HOST, files={"/robots.txt": "User-agent: *\nAllow: /\n", "/nb/index.html": listing,
                                  "/nb/202102/t20210208_1.html": page})
        src = Source(id="faku", name="法库县 年报", url=srv.url(HOST, "/nb/index.html"), region_code="210124",
                     level="county", min_delay=0.0, cms="trs", notes="", allow_domains=())
        summary = crawl([src], tmp_path, min_delay=0.01, resolve=srv.resolve, progress=False, fsync=False)
        assert summary.exit_code == 0
        url = srv.url(HOST, "/nb/202102/t20210208_1.html")
    res = CliRunner().invoke(main, ["parse", "--data-dir", str(tmp_path), url, url + "?missing", "--json"])
    rec, missing = [json.loads(x) for x in res.output.splitlines()]
    assert rec["document"] == url and rec["source_url"] == url and rec["source_id"] == "faku"
    assert rec["fetched_at"] and rec["status"] == "ok" and rec["template"] == "gk2019"
    assert rec["report_year"] == 2020 and rec["agency"] == "法库县人民政府"
    assert (rec["region_code"], rec["level"]) == ("210124", "county")
    cells = {c["code"]: c["value"] for c in rec["cells"]}
    assert cells["s2_licensing_decisions"] == 7034 and cells["s2_central_procurement_amount"] == 4448257
    assert missing["status"] == "error" and "not in the archive" in missing["error"]
    assert res.exit_code == 1
