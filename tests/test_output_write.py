"""output.write: CSV/Parquet/SQLite read back equal to the tables; blank != 0 in every format;
BOM; spreadsheet safety without touching numbers; byte-identical re-export; atomic commit."""

import csv
import io
import sqlite3

import pandas as pd
import pyarrow.parquet as pq
import pytest
from test_output_fixtures import make_error, make_report

from output import write
from output.publish import publish
from output.schema import TABLE_NAMES, tables
from output.tables import Parsed, Provenance


def _docs():
    a = make_report("甲县人民政府", 2020, "gk2019", seed=1, document="http://a.gov.cn/nb/t1.html")
    b = make_report("乙县人民政府", 2022, "gk2021", seed=2, document="http://b.gov.cn/nb/t2.html")
    c = make_report("丙县人民政府", 2022, "gk2021", seed=3, document="http://c.gov.cn/nb/t3.html")
    return [Parsed(a, Provenance(a.document, "report", "a", "2024-03-01T08:00:00Z", a.sha256, "甲县年报",
                                 "2021-01-28", "http://a.gov.cn/nb/", "210124", "county")),
            Parsed(b, Provenance(b.document, "report", "b", "2024-03-02T08:00:00.250000Z", b.sha256)),
            c, make_error("folder/bad.pdf")]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("x") / "datasets"
    frames = publish(_docs(), out)
    return frames, out


def _norm(v):
    if v is None or v is pd.NA or (isinstance(v, float) and v != v) or v is pd.NaT:
        return None
    if hasattr(v, "isoformat") and not isinstance(v, str):
        return pd.Timestamp(v).isoformat() if hasattr(v, "hour") else v.isoformat()
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    return v


def _rows(df):
    return [tuple(_norm(v) for v in r) for r in df.astype(object).itertuples(index=False)]


def test_layout(exported):
    _, out = exported
    for name in TABLE_NAMES:
        assert (out / f"{name}.csv").exists()
        assert (out / "parquet" / f"{name}.parquet").exists() or (out / "parquet" / name).is_dir()
    assert sorted(p.name for p in (out / "parquet" / "cells").iterdir()) == ["2020.parquet", "2022.parquet"]
    assert (out / "parquet" / "codebook.parquet").exists()
    for f in ("xxgk.db", "codebook.csv", "datapackage.json", "datasette.json", "SHA256SUMS"):
        assert (out / f).exists(), f
    assert not list(out.parent.glob(".*staging*"))


def test_csv_has_bom_reads_as_utf8_and_equals_the_tables(exported):
    frames, out = exported
    for name, df in frames.items():
        raw = (out / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        raw.decode("utf-8")
        back = pd.read_csv(out / f"{name}.csv", encoding="utf-8-sig", keep_default_na=False, na_values=[""],
                           dtype=str)
        assert list(back.columns) == list(df.columns)
        assert len(back) == len(df)
        for col in tables()[name].columns:
            for got, want in zip(back[col.name].tolist(), df[col.name].tolist(), strict=True):
                want = _norm(want)
                if want is None or want == "":  # CSV has one empty field for both
                    assert got is None or got != got, (name, col.name, got)
                elif col.type in ("integer", "number"):
                    assert float(got) == want, (name, col.name)
                elif col.type == "boolean":
                    assert got == ("true" if want else "false")
                elif col.type == "datetime":
                    assert pd.Timestamp(got) == pd.Timestamp(want)
                elif col.type == "date":
                    assert got == want
                else:
                    assert got == write.spreadsheet_safe(want), (name, col.name)


def test_csv_blank_zero_negative_and_formula_cells(exported):
    frames, out = exported
    text = (out / "cells.csv").read_text("utf-8-sig")
    by = {}
    for r in csv.DictReader(io.StringIO(text)):
        by.setdefault(r["code"], r)
    assert by["s3_result_disclosed__total"]["value"] == "" and by["s3_result_disclosed__total"]["kind"] == "blank"
    assert by["s4_review__other"]["value"] == "0"
    assert by["s2_licensing_items_change"]["value"] == "-129"  # a number: left alone
    assert by["s2_licensing_items_change"]["raw"] == "'-129"  # text starting with '-': made safe
    assert by["s4_litigation_direct__other"]["raw"] == "'=SUM(A1)"
    amount = by["s2_central_procurement_amount"]["value"]
    cells = frames["cells"]
    assert "e" not in amount and float(amount) == cells.loc[cells["code"] == "s2_central_procurement_amount",
                                                            "value"].item()
    wide = list(csv.DictReader(io.StringIO((out / "proactive_disclosure.csv").read_text("utf-8-sig"))))
    assert "-129" in {r["licensing_items_change"] for r in wide}


def test_parquet_reads_back_typed_with_pandas_and_pyarrow(exported):
    frames, out = exported
    for name, df in frames.items():
        path = out / "parquet" / (name if tables()[name].partition_by else f"{name}.parquet")
        back = pd.read_parquet(path)
        if tables()[name].partition_by:
            back = back.sort_values(["report_year"], kind="stable").reset_index(drop=True)
            df = df.sort_values(["report_year"], kind="stable").reset_index(drop=True)
        assert list(back.columns) == list(df.columns)
        for col in tables()[name].columns:
            if col.type == "integer":
                assert str(back[col.name].dtype) == "Int64", (name, col.name)
            if col.type == "number":
                assert str(back[col.name].dtype) == "Float64", (name, col.name)
        assert _rows(back) == _rows(df), name
        table = pq.read_table(path)
        assert table.num_rows == len(df)
        for col in tables()[name].columns:
            assert str(table.schema.field(col.name).type) == str(write.ARROW_TYPES[col.type]), (name, col.name)
    cells = pq.read_table(out / "parquet" / "cells").to_pandas()
    blank = cells[cells["code"] == "s3_result_disclosed__total"]["value"]
    assert blank.isna().all()
    zero = cells[cells["code"] == "s4_review__other"]["value"]
    assert (zero == 0).all() and zero.notna().all()


def test_sqlite_holds_every_table_typed(exported):
    frames, out = exported
    con = sqlite3.connect(out / "xxgk.db")
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert names == {*TABLE_NAMES, "codebook"}
    # datasette shows a cell's code with its Chinese label: cells.code references codebook.code
    fks = con.execute("PRAGMA foreign_key_list(cells)").fetchall()
    assert {(f[2], f[3], f[4]) for f in fks} == {("reports", "report_id", "report_id"), ("codebook", "code", "code")}
    assert con.execute("SELECT c.label_zh FROM cells JOIN codebook c USING (code) WHERE cells.code = "
                       "'s4_review__total' LIMIT 1").fetchone()[0] == "行政复议/总计"
    for name, df in frames.items():
        back = pd.read_sql_query(f'SELECT * FROM "{name}"', con)
        assert len(back) == len(df) and list(back.columns) == list(df.columns)
        for col in tables()[name].columns:
            for got, want in zip(back[col.name].tolist(), df[col.name].tolist(), strict=True):
                want = _norm(want)
                got = None if got is None or (isinstance(got, float) and got != got) else got
                if col.type == "boolean" and want is not None:
                    assert got == int(want)
                elif col.type == "datetime" and want is not None:
                    assert pd.Timestamp(got) == pd.Timestamp(want)
                elif col.type in ("integer", "number") and want is not None:
                    assert float(got) == want
                else:
                    assert got == want, (name, col.name)
    # blank is NULL, zero is 0, -129 an integer
    q = "SELECT value, typeof(value) FROM cells WHERE code = ?"
    assert con.execute(q, ("s3_result_disclosed__total",)).fetchall()[0] == (None, "null")
    assert con.execute(q, ("s4_review__other",)).fetchall()[0] == (0.0, "real")
    assert con.execute("SELECT licensing_items_change, typeof(licensing_items_change) FROM proactive_disclosure "
                       "WHERE licensing_items_change < 0").fetchall()[0] == (-129, "integer")
    assert con.execute("SELECT typeof(new_received) FROM reports WHERE status = 'error'").fetchone()[0] == "null"
    con.close()


def test_second_export_is_byte_identical(tmp_path):
    a, b = tmp_path / "1" / "datasets", tmp_path / "2" / "datasets"
    publish(_docs(), a)
    publish(list(reversed(_docs())), b)
    publish(_docs(), b)  # again into an existing dataset
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    assert files_a == files_b
    for rel in files_a:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def _snapshot(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_crash_while_writing_leaves_the_previous_dataset_intact(tmp_path, monkeypatch):
    out = tmp_path / "datasets"
    publish(_docs()[:1], out)
    before = _snapshot(out)

    def boom(*a, **k):
        raise RuntimeError("disk full")

    monkeypatch.setattr(write, "write_sqlite", boom)  # after the CSVs and Parquet files are written
    with pytest.raises(RuntimeError):
        publish(_docs(), out)
    assert _snapshot(out) == before
    monkeypatch.undo()
    publish(_docs(), out)  # the next export cleans up and succeeds
    assert len(pd.read_csv(out / "reports.csv", encoding="utf-8-sig")) == 4
    assert not list(tmp_path.glob(".*staging*"))


def test_crash_during_commit_is_rolled_forward(tmp_path, monkeypatch):
    out = tmp_path / "datasets"
    publish(_docs()[:1], out)
    real_replace = write.os.replace
    calls = {"n": 0}

    def flaky(src, dst):
        calls["n"] += 1
        if calls["n"] == 6:  # the marker rename, then a few files, then the crash
            raise KeyboardInterrupt("killed")
        return real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", flaky)
    with pytest.raises(KeyboardInterrupt):
        publish(_docs(), out)
    monkeypatch.undo()
    write.recover(out)  # what the next export does first
    assert len(pd.read_csv(out / "reports.csv", encoding="utf-8-sig")) == 4
    assert len(pd.read_parquet(out / "parquet" / "reports.parquet")) == 4
    expected = tmp_path / "fresh"
    publish(_docs(), expected)
    assert _snapshot(out) == _snapshot(expected)


def test_stale_partitions_and_tables_are_removed(tmp_path):
    out = tmp_path / "datasets"
    publish(_docs(), out)
    assert (out / "parquet" / "cells" / "2020.parquet").exists()
    publish(_docs()[1:], out)  # the 2020 report is gone
    assert not (out / "parquet" / "cells" / "2020.parquet").exists()


def test_number_formatting():
    assert write.format_number(5.0) == "5" and write.format_number(-129) == "-129"
    assert write.format_number(2792220.8) == "2792220.8" and write.format_number(1e16) == "10000000000000000"
    assert write.format_number(0.0001) == "0.0001"
    assert write.spreadsheet_safe("@x") == "'@x" and write.spreadsheet_safe("法库") == "法库"


def test_an_empty_archive_gives_empty_typed_tables(tmp_path):
    from frictionless import Package

    publish([], tmp_path / "datasets")
    cells = pd.read_parquet(tmp_path / "datasets" / "parquet" / "cells")
    assert len(cells) == 0 and str(cells["value"].dtype) == "Float64"
    assert pd.read_csv(tmp_path / "datasets" / "reports.csv", encoding="utf-8-sig").columns.tolist() == \
        tables()["reports"].names
    assert Package(str(tmp_path / "datasets" / "datapackage.json")).validate().valid
