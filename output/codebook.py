"""codebook.csv, datapackage.json (Frictionless) and datasette metadata, generated from the same
template data the parser uses (parsers.templates) and the table specs (schema.py), so the
documentation cannot drift from the code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd

from parsers.report import PARSER_VERSION
from parsers.templates import VERSIONS, all_codes, field_index, versions_of

from .schema import Column, TableSpec, labels_zh, tables, wide_name
from .write import DB_NAME

CODEBOOK = "codebook.csv"
DATAPACKAGE = "datapackage.json"
DATASETTE = "datasette.json"

_WIDE_TABLE = {"s2": "proactive_disclosure", "s3": "applications", "s4": "review_litigation"}
_FIELD_TYPE = {"int": "integer", "signed_int": "integer", "decimal": "number"}

CODEBOOK_SPEC = TableSpec("codebook", "Every field code of every official format version.", (
    Column("code", "string", "Field code (templates.md), the `code` column of `cells`."),
    Column("table", "string", "s2 (二 主动公开), s3 (三 申请), s4 (四 复议诉讼)."),
    Column("versions", "string", "Format versions the code exists in, space-separated (gk2019 gk2021)."),
    Column("block", "string", "Section 二 block caption (第二十条第（x）项)."),
    Column("row_code", "string", "Row code."),
    Column("row_label_zh", "string", "Official row label."),
    Column("column_code", "string", "Column code."),
    Column("column_label_zh", "string", "Official column label."),
    Column("label_zh", "string", "Chinese label path as printed (block/row/column); versions that word it "
           "differently are separated by ' | '."),
    Column("label_en", "string", "English description."),
    Column("kind", "string", "int, signed_int (only *_change fields may be negative) or decimal."),
    Column("type", "string", "Column type in the datasets: integer or number."),
    Column("unit", "string", "Unit of `cells.value` (money converted to it: 元 or 万元)."),
    Column("wide_table", "string", "Wide table holding the field."),
    Column("wide_column", "string", "Its column there (applications: the column code, in the row `row_code`)."),
), primary_key=("code",))


def codebook_frame() -> pd.DataFrame:
    from .tables import frame

    rows = []
    for code in all_codes():
        f = field_index()[code]
        rows.append({
            "code": code, "table": f.table, "versions": " ".join(versions_of(code)), "block": f.block,
            "row_code": f.row_code, "row_label_zh": f.row_label, "column_code": f.column_code,
            "column_label_zh": f.column_label, "label_zh": " | ".join(labels_zh(code)), "label_en": f.label_en,
            "kind": f.kind, "type": _FIELD_TYPE[f.kind], "unit": f.unit, "wide_table": _WIDE_TABLE[f.table],
            "wide_column": f.column_code if f.table == "s3" else wide_name(code),
        })
    return frame(CODEBOOK_SPEC, rows)


def _field(c: Column) -> dict[str, Any]:
    d: dict[str, Any] = {"name": c.name, "type": c.type, "description": c.description}
    if c.type == "boolean":
        d["trueValues"], d["falseValues"] = ["true"], ["false"]
    if c.enum:
        d["constraints"] = {"enum": list(c.enum)}
    if c.code:
        d["xxgk:code"] = c.code
    return d


def table_schema(spec: TableSpec) -> dict[str, Any]:
    schema: dict[str, Any] = {"fields": [_field(c) for c in spec.columns], "missingValues": [""]}
    if spec.primary_key:
        schema["primaryKey"] = list(spec.primary_key)
    if spec.foreign_keys:
        schema["foreignKeys"] = [{"fields": list(f), "reference": {"resource": ref, "fields": list(rf)}}
                                 for f, ref, rf in spec.foreign_keys]
    return schema


def _resource(spec: TableSpec, path: str) -> dict[str, Any]:
    return {"name": spec.name, "path": path, "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8-sig", "description": spec.description,
            "schema": table_schema(spec)}


def datapackage(names: list[str] | None = None) -> dict[str, Any]:
    """The Frictionless Data Package describing the CSV tables and the codebook."""
    specs = tables()
    names = names or list(specs)
    resources = [_resource(specs[n], f"{n}.csv") for n in names]
    resources.append(_resource(CODEBOOK_SPEC, CODEBOOK))
    return {
        "profile": "tabular-data-package",
        "name": "xxgk-annual-reports",
        "title": "政府信息公开工作年度报告 — Chinese government information disclosure annual reports",
        "description": (
            "Every number of the statistical tables of 政府信息公开工作年度报告 exactly as the report printed it, "
            "under the official field code (codebook.csv), with its source URL and the arithmetic checks (勾稽关系). "
            "Blank cells are null, never 0; `cells.kind` says whether a null was blank, n/a or text. "
            "Text cells starting with = + - @ carry a leading apostrophe in the CSV files only (spreadsheet "
            "safety); Parquet and SQLite hold the exact text. Format versions: "
            + "; ".join(f"{v}: {m.NAME}" for v, m in VERSIONS.items()) + "."),
        "version": PARSER_VERSION,
        "keywords": ["政府信息公开", "annual reports", "government transparency", "China"],
        "resources": resources,
    }


def write_datapackage(path: Path, names: list[str] | None = None) -> None:
    path.write_text(json.dumps(datapackage(names), ensure_ascii=False, indent=2) + "\n", "utf-8")


def datasette_metadata(names: list[str] | None = None) -> dict[str, Any]:
    """`datasette xxgk.db -m datasette.json` shows every table and column described."""
    specs = tables()
    names = names or list(specs)
    db = DB_NAME.rsplit(".", 1)[0]
    return {
        "title": "xxgk: 政府信息公开工作年度报告",
        "description": "Statistical tables of Chinese government information disclosure annual reports. "
                       "Field codes: see the codebook (codebook.csv).",
        "databases": {db: {"tables": {
            **{n: {"description": specs[n].description,
                   "columns": {c.name: c.description for c in specs[n].columns}} for n in names},
            "codebook": {"description": CODEBOOK_SPEC.description, "label_column": "label_zh",
                         "columns": {c.name: c.description for c in CODEBOOK_SPEC.columns}}}}},
    }


def write_datasette(path: Path, names: list[str] | None = None) -> None:
    path.write_text(json.dumps(datasette_metadata(names), ensure_ascii=False, indent=2) + "\n", "utf-8")
