"""Tables -> files: CSV (Excel/WPS-ready), Parquet (typed), one SQLite database (datasette-ready).

Every file is first written into a staging folder next to the dataset; only when all of them are
complete does a commit step move them into place (renames only), so a crash while writing leaves
the previous dataset untouched. A crash during the commit itself (a handful of renames) is rolled
forward by the next export. Output is a pure function of the tables: rows in table order, no
timestamps, fixed Parquet options, so unchanged input gives byte-identical files.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import json
import os
import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .schema import TableSpec, tables

DB_NAME = "xxgk.db"
MANIFEST = ".manifest"
_COMPLETE = ".complete"
# Spreadsheet formula triggers (OWASP CSV injection): a text cell starting with one of these gets a
# leading apostrophe in the CSV. Numeric columns are never touched: -129 stays the number -129.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

ARROW_TYPES: dict[str, pa.DataType] = {
    "string": pa.string(), "integer": pa.int64(), "number": pa.float64(), "boolean": pa.bool_(),
    "date": pa.date32(), "datetime": pa.timestamp("us", tz="UTC"),
}
SQLITE_TYPES = {"string": "TEXT", "integer": "INTEGER", "number": "REAL", "boolean": "INTEGER", "date": "TEXT",
                "datetime": "TEXT"}


def format_number(v: float | int) -> str:
    """Plain decimal notation, integers without a trailing .0 (2792220.8, 5, -129)."""
    if isinstance(v, int):
        return str(v)
    if float(v).is_integer() and abs(v) < 1e15:
        return str(int(v))
    return format(Decimal(repr(float(v))), "f")


def format_datetime(v: datetime) -> str:
    v = v.astimezone(UTC) if v.tzinfo else v.replace(tzinfo=UTC)
    s = v.strftime("%Y-%m-%dT%H:%M:%S")
    if v.microsecond:
        s += f".{v.microsecond:06d}"
    return s + "Z"


def spreadsheet_safe(s: str) -> str:
    """The CSV form of a text cell (the rule `_csv_column` applies to whole columns)."""
    return "'" + s if s.startswith(FORMULA_PREFIXES) else s


def _objects(s: pd.Series) -> list[Any]:
    """A column as Python objects, None for missing (what sqlite3 and csv accept)."""
    return s.to_numpy(dtype=object, na_value=None).tolist()


def _number_texts(s: pd.Series) -> list[str]:
    """format_number over a column: integral values through numpy, the rest one by one."""
    arr = s.to_numpy(dtype="float64", na_value=np.nan)
    out = np.full(arr.shape, "", dtype=object)
    finite = np.isfinite(arr)
    integral = finite & (np.abs(arr) < 1e15) & (arr == np.round(arr))
    out[integral] = arr[integral].astype(np.int64).astype(str)
    for i in np.flatnonzero(finite & ~integral):
        out[i] = format_number(float(arr[i]))
    return out.tolist()


def _csv_column(s: pd.Series, type_: str) -> list[str]:
    """One column formatted for CSV, vectorised where the volume is (integers, text)."""
    if type_ == "integer":
        return s.astype("string").fillna("").tolist()
    if type_ == "number":
        return _number_texts(s)
    if type_ == "boolean":
        return ["" if v is None else ("true" if v else "false") for v in _objects(s)]
    if type_ == "date":
        return ["" if v is None else (v.isoformat() if isinstance(v, date) else str(v)) for v in _objects(s)]
    if type_ == "datetime":
        return ["" if v is None else format_datetime(pd.Timestamp(v).to_pydatetime()) for v in _objects(s)]
    text = s.astype("string").fillna("")
    risky = text.str.startswith(FORMULA_PREFIXES)
    if risky.any():
        text = text.where(~risky, "'" + text)
    return text.tolist()


def _sql_column(s: pd.Series, type_: str) -> list[Any]:
    values = _objects(s)
    if type_ == "boolean":
        return [None if v is None else int(v) for v in values]
    if type_ == "date":
        return [None if v is None else (v.isoformat() if isinstance(v, date) else str(v)) for v in values]
    if type_ == "datetime":
        return [None if v is None else format_datetime(pd.Timestamp(v).to_pydatetime()) for v in values]
    return values


def write_csv(df: pd.DataFrame, spec: TableSpec, path: Path) -> None:
    """UTF-8 with BOM (Excel/WPS detect Chinese), RFC 4180 (CRLF, minimal quoting), blank = empty field."""
    columns = [_csv_column(df[c.name], c.type) for c in spec.columns]
    rows = zip(*columns, strict=True)
    with open(path, "wb") as fh:
        fh.write(codecs.BOM_UTF8)
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(spec.names)
        while True:
            chunk = list(itertools.islice(rows, 20000))
            w.writerows(chunk)
            fh.write(buf.getvalue().encode("utf-8"))
            buf.seek(0)
            buf.truncate()
            if not chunk:
                break


def arrow_schema(spec: TableSpec) -> pa.Schema:
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.type]) for c in spec.columns])


def arrow_table(df: pd.DataFrame, spec: TableSpec) -> pa.Table:
    return pa.Table.from_pandas(df[spec.names], schema=arrow_schema(spec), preserve_index=False)


def _write_parquet_file(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression="zstd", write_statistics=True, use_dictionary=True)


def write_parquet(df: pd.DataFrame, spec: TableSpec, folder: Path) -> None:
    """`<name>.parquet`, or for a partitioned table a folder `<name>/` with one file per report_year
    (`2020.parquet` … `unknown_year.parquet`), each with every column, so pandas, DuckDB and arrow
    read the folder as one table with the same types."""
    if not spec.partition_by:
        _write_parquet_file(arrow_table(df, spec), folder / f"{spec.name}.parquet")
        return
    sub = folder / spec.name
    sub.mkdir(parents=True, exist_ok=True)
    key = spec.partition_by
    years = df[key]
    values = sorted({int(v) for v in years.dropna().tolist()})
    parts = [(str(v), df[years == v]) for v in values]
    if years.isna().any():
        parts.append((f"unknown_{key.split('_')[-1]}", df[years.isna()]))
    if not parts:  # keep an empty, typed file so the folder always reads as the table
        parts.append(("empty", df))
    for name, part in parts:
        _write_parquet_file(arrow_table(part.reset_index(drop=True), spec), sub / f"{name}.parquet")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def write_sqlite(frames: dict[str, pd.DataFrame], path: Path, specs: dict[str, TableSpec] | None = None) -> None:
    """One database with every table, primary and foreign keys declared (datasette links rows)."""
    specs = specs or tables()
    if path.exists():
        path.unlink()
    con = sqlite3.connect(path)
    try:
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        for name, df in frames.items():
            spec = specs[name]
            cols = [f"{_ident(c.name)} {SQLITE_TYPES[c.type]}" for c in spec.columns]
            if spec.primary_key:
                cols.append(f"PRIMARY KEY ({', '.join(map(_ident, spec.primary_key))})")
            for fields_, ref, ref_fields in spec.foreign_keys:
                cols.append(f"FOREIGN KEY ({', '.join(map(_ident, fields_))}) REFERENCES {_ident(ref)} "
                            f"({', '.join(map(_ident, ref_fields))})")
            con.execute(f"CREATE TABLE {_ident(name)} (\n  " + ",\n  ".join(cols) + "\n)")
            data = [_sql_column(df[c.name], c.type) for c in spec.columns]
            marks = ", ".join("?" * len(data))
            con.executemany(f"INSERT INTO {_ident(name)} VALUES ({marks})", zip(*data, strict=True))
            if "report_id" in spec.names and spec.primary_key[:1] != ("report_id",):
                con.execute(f"CREATE INDEX {_ident(f'idx_{name}_report_id')} ON {_ident(name)} (report_id)")
        con.commit()
        con.execute("VACUUM")
    finally:
        con.close()


# ---------------------------------------------------------------- staging and commit

def _fsync_tree(root: Path) -> None:
    for p in sorted(root.rglob("*")):
        if p.is_file():
            with open(p, "rb") as fh:
                os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def staging_dir(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.staging"


def recover(out_dir: Path) -> None:
    """Finish a commit a crash interrupted, or drop a half-written staging folder."""
    staging = staging_dir(out_dir)
    if (staging / _COMPLETE).exists():
        _commit(staging, out_dir)
    elif staging.exists():
        shutil.rmtree(staging)
    if out_dir.exists():
        for old in out_dir.glob(".*.old"):
            shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)


def _commit(staging: Path, out_dir: Path) -> None:
    entries: list[str] = json.loads((staging / _COMPLETE).read_text("utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in entries:
        src, dst = staging / name, out_dir / name
        if not src.exists() and not src.is_symlink():
            continue  # moved before the interruption
        if src.is_dir():
            old = out_dir / f".{name}.old"
            if dst.exists():
                if old.exists():
                    shutil.rmtree(old)
                os.replace(dst, old)
            os.replace(src, dst)
        else:
            os.replace(src, dst)
    prev_manifest = out_dir / MANIFEST
    previous = json.loads(prev_manifest.read_text("utf-8")) if prev_manifest.exists() else []
    for name in sorted(set(previous) - set(entries)):  # tables this export no longer writes
        stale = out_dir / name
        if stale.is_dir():
            shutil.rmtree(stale)
        elif stale.exists():
            stale.unlink()
    tmp = out_dir / (MANIFEST + ".tmp")
    tmp.write_text(json.dumps(entries, indent=1) + "\n", "utf-8")
    os.replace(tmp, prev_manifest)
    _fsync_dir(out_dir)
    for old in out_dir.glob(".*.old"):
        shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink(missing_ok=True)
    shutil.rmtree(staging, ignore_errors=True)


def _sha256sums(root: Path) -> str:
    lines = []
    for p in sorted(root.rglob("*"), key=lambda p: p.relative_to(root).as_posix()):
        if p.is_file() and not p.name.startswith("."):
            h = hashlib.sha256(p.read_bytes()).hexdigest()
            lines.append(f"{h}  {p.relative_to(root).as_posix()}")
    return "\n".join(lines) + "\n"


Writer = Callable[[Path], None]


def write_dataset(frames: dict[str, pd.DataFrame], out_dir: str | Path,
                  extra_files: dict[str, bytes | Writer] | None = None,
                  specs: dict[str, TableSpec] | None = None) -> Path:
    """Write every table (specs: schema.tables() unless given) as CSV, Parquet and into one SQLite
    database, plus `extra_files` (name -> bytes, or a function writing that file), then swap them
    into `out_dir` atomically.

    Layout: `<table>.csv`, `parquet/<table>.parquet` (`parquet/cells/<year>.parquet`), `xxgk.db`,
    the extra files, and `SHA256SUMS` (checksums of everything, to cite a dataset version)."""
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    recover(out_dir)
    staging = staging_dir(out_dir)
    staging.mkdir()
    specs = specs or tables()
    entries: list[str] = []
    for name, df in frames.items():
        write_csv(df, specs[name], staging / f"{name}.csv")
        entries.append(f"{name}.csv")
    pdir = staging / "parquet"
    pdir.mkdir()
    for name, df in frames.items():
        write_parquet(df, specs[name], pdir)
    entries.append("parquet")
    write_sqlite(frames, staging / DB_NAME, specs)
    entries.append(DB_NAME)
    for name, content in (extra_files or {}).items():
        if callable(content):
            content(staging / name)
        else:
            (staging / name).write_bytes(content)
        entries.append(name)
    (staging / "SHA256SUMS").write_text(_sha256sums(staging), "utf-8")
    entries.append("SHA256SUMS")
    _fsync_tree(staging)
    marker = staging / (_COMPLETE + ".tmp")
    marker.write_text(json.dumps(entries), "utf-8")
    os.replace(marker, staging / _COMPLETE)  # from here on the new dataset wins, even after a crash
    _fsync_dir(staging)
    _commit(staging, out_dir)
    return out_dir
