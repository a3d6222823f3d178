"""`xxgk parse` end to end: records as record.md defines, bad input recorded and the batch goes on."""

import json
from pathlib import Path

from click.testing import CliRunner

from xxgk.cli import main

FIX = Path(__file__).parent / "fixtures"
OFFICIAL_2021 = FIX / "html" / "official_gk2021.html"
RECORD_KEYS = {"document", "sha256", "status", "error", "title", "agency", "report_year", "published",
               "template", "tables", "cells", "checks", "sections"}


def _run(*args):
    res = CliRunner().invoke(main, ["parse", *map(str, args)])
    return res


def _records(res):
    return [json.loads(line) for line in res.output.splitlines() if line.strip()]


def test_json_record_shape_and_values():
    res = _run(OFFICIAL_2021, "--json")
    assert res.exit_code == 0, res.output
    (rec,) = _records(res)
    assert RECORD_KEYS <= set(rec)
    assert rec["status"] == "ok" and rec["template"] == "gk2021"
    assert rec["title"] == "示例市交通运输局2022年政府信息公开工作年度报告"
    assert rec["report_year"] == 2022 and rec["published"] == "2023-01-16"
    expected = json.loads((FIX / "html" / "official_gk2021.expected.json").read_text(encoding="utf-8"))["cells"]
    got = {c["code"]: c for c in rec["cells"]}
    assert len(expected) > 150
    for code, (value, kind) in expected.items():
        assert (got[code]["value"], got[code]["kind"]) == (value, kind), code
    assert all(set(c) >= {"rule", "scope", "status", "left", "right"} for c in rec["checks"])


def test_bad_inputs_get_records_and_the_batch_goes_on(tmp_path):
    (tmp_path / "a_empty.html").write_bytes(b"")
    (tmp_path / "b_garbage.bin").write_bytes(bytes(range(256)) * 40)
    (tmp_path / "c_notice.html").write_text(
        "<html><head><title>关于开展安全检查的通知</title></head><body><p>各单位：请于下周完成。</p></body></html>",
        encoding="utf-8")
    html = OFFICIAL_2021.read_bytes()
    (tmp_path / "d_truncated.html").write_bytes(html[: len(html) * 2 // 3])
    (tmp_path / "e_report.html").write_bytes(html)
    no_s4 = html.decode("utf-8")
    cut = no_s4.rfind("<table")
    (tmp_path / "f_missing_table.html").write_text(no_s4[:cut] + "</body></html>", encoding="utf-8")
    res = _run(tmp_path, "--json")
    recs = {Path(r["document"]).name: r for r in _records(res)}
    assert list(recs) == sorted(recs)  # a folder is read in sorted order
    assert recs["a_empty.html"]["status"] == "error" and recs["a_empty.html"]["error"] == "empty file"
    assert recs["b_garbage.bin"]["status"] == "error" and "binary" in recs["b_garbage.bin"]["error"]
    assert recs["c_notice.html"]["status"] == "not_a_report"
    assert recs["d_truncated.html"]["status"] in ("partial", "ok")
    assert recs["d_truncated.html"]["cells"]  # what the truncated page still has is read
    assert recs["e_report.html"]["status"] == "ok"
    assert recs["f_missing_table.html"]["status"] == "partial"
    assert "s4" in recs["f_missing_table.html"]["error"]
    for r in recs.values():
        assert "\n" not in (r["error"] or "")
    assert res.exit_code == 1  # some documents could not be read at all


def test_missing_path_is_a_record_not_a_crash(tmp_path):
    res = _run(tmp_path / "nope.html", "--json")
    (rec,) = _records(res)
    assert rec["status"] == "error" and "cannot read file" in rec["error"]
    assert res.exit_code == 1


def test_summary_output():
    res = _run(OFFICIAL_2021)
    assert res.exit_code == 0
    assert "示例市交通运输局2022年政府信息公开工作年度报告" in res.output
    assert "format: gk2021" in res.output and "checks:" in res.output


def test_url_without_archive_is_explained():
    res = _run("https://www.example.gov.cn/a.html", "--json")
    (rec,) = _records(res)
    assert rec["status"] == "error" and "--data-dir" in rec["error"]
