"""codebook.csv and datapackage.json: generated from the templates; `frictionless validate` passes."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from frictionless import Package
from test_output_fixtures import make_error, make_report

from output.codebook import codebook_frame, datapackage
from output.publish import publish
from output.schema import TABLE_NAMES, tables
from parsers.templates import all_codes, field_index, versions_of


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    out = tmp_path_factory.mktemp("cb") / "datasets"
    publish([make_report(), make_report("乙县人民政府", 2022, "gk2021", seed=2, document="http://b/1.html"),
             make_error()], out)
    return out


def test_codebook_has_every_code_with_labels_units_and_versions(dataset):
    rows = list(csv.DictReader(io.StringIO((dataset / "codebook.csv").read_text("utf-8-sig"))))
    assert [r["code"] for r in rows] == all_codes()
    by = {r["code"]: r for r in rows}
    for code in all_codes():
        f, r = field_index()[code], by[code]
        assert r["label_zh"] and r["label_en"] == f.label_en and r["unit"] == f.unit
        assert r["versions"].split() == list(versions_of(code))
    assert by["s2_admin_fee_amount_wan"]["unit"] == "万元" and by["s2_admin_fee_amount_wan"]["versions"] == "gk2021"
    assert by["s2_admin_fee_amount_wan"]["type"] == "number"
    assert by["s2_central_procurement_amount"]["unit"] == "元"
    # a shared code worded differently in the two versions shows both labels
    assert "处理决定数量" in by["s2_licensing_decisions"]["label_zh"]
    assert "本年处理决定数量" in by["s2_licensing_decisions"]["label_zh"]
    assert by["s2_licensing_decisions"]["versions"] == "gk2019 gk2021"
    assert by["s3_result_other_misc__total"]["wide_table"] == "applications"
    assert by["s4_review__total"]["wide_column"] == "review__total"
    assert len(codebook_frame()) == len(all_codes())


def test_datapackage_describes_every_column_and_code(dataset):
    pkg = json.loads((dataset / "datapackage.json").read_text("utf-8"))
    names = [r["name"] for r in pkg["resources"]]
    assert names == [*TABLE_NAMES, "codebook"]
    for res in pkg["resources"]:
        assert (dataset / res["path"]).exists()
        for f in res["schema"]["fields"]:
            assert f["type"] in ("string", "integer", "number", "boolean", "date", "datetime")
            assert f["description"].strip()
        if res["name"] in tables():
            assert [f["name"] for f in res["schema"]["fields"]] == tables()[res["name"]].names
    wide = {f["name"]: f for r in pkg["resources"] if r["name"] == "proactive_disclosure"
            for f in r["schema"]["fields"]}
    desc = wide["admin_fee_amount_wan"]["description"]
    assert "本年收费金额" in desc and "万元" in desc and "gk2021" in desc and "fees collected" in desc
    assert datapackage()["resources"][-1]["name"] == "codebook"


def test_frictionless_validate_passes(dataset):
    report = Package(str(dataset / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    exe = Path(sys.executable).parent / "frictionless"
    if exe.exists():  # the command line the README tells people to run
        res = subprocess.run([str(exe), "validate", "datapackage.json"], cwd=dataset, capture_output=True, text=True)
        assert res.returncode == 0, res.stdout[-2000:]


def test_frictionless_catches_a_broken_table(dataset, tmp_path):
    """The validation is real: a text in an integer column fails it."""
    import shutil

    copy = tmp_path / "ds"
    shutil.copytree(dataset, copy)
    lines = (copy / "reports.csv").read_text("utf-8-sig").splitlines()
    header = lines[0].split(",")
    i = header.index("url_count")
    row = lines[1].split(",")
    row[i] = "many"
    lines[1] = ",".join(row)
    (copy / "reports.csv").write_text("\n".join(lines) + "\n", "utf-8-sig")
    assert not Package(str(copy / "datapackage.json")).validate().valid
