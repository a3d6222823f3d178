"""The published tables as data: every column with its type and description.

One definition drives everything downstream: the DataFrame dtypes (tables.py), the Parquet and
SQLite types and the CSV formatting (write.py), and the Frictionless Table Schemas and datasette
metadata (codebook.py). The wide tables' columns are generated from the same template data the
parser uses (parsers.templates), so a format version added there appears here without edits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from parsers.templates import VERSIONS, all_codes, common, field_index, fields, s3_rows, versions_of

# Column types, Frictionless names. integer/number columns are nullable: blank is null, never 0.
TYPES = ("string", "integer", "number", "boolean", "date", "datetime")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    enum: tuple[str, ...] | None = None
    code: str | None = None  # field code behind a wide-table column


@dataclass(frozen=True)
class TableSpec:
    name: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    partition_by: str | None = None  # Parquet hive partition column ("where it helps": the big table)
    indexes: tuple[tuple[str, ...], ...] = field(default=())

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


STATUS = ("ok", "partial", "not_a_report", "error")
TEMPLATE = ("gk2019", "gk2021", "pre2019", "unknown")
KIND = ("number", "blank", "na", "text")
CHECK_STATUS = ("pass", "fail", "uncertain")
TABLE_CODES = ("s2", "s3", "s4")
SECTION_CODES = tuple(code for code, _, _ in common.SECTIONS)

_RID = Column("report_id", "string",
              "Stable identifier of the report: the same report found at several URLs (reposts) is one id; "
              "derived from the agency and year in the report's title, else from its content, else its bytes.")
_YEAR = Column("report_year", "integer", "Year the report covers (a report published in 2021 on 2020 says 2020).")

# Headline figures in `reports`: (column, field code).
HEADLINES: tuple[tuple[str, str], ...] = (
    ("new_received", "s3_new_received__total"),
    ("carried_over", "s3_carried_over__total"),
    ("result_total", "s3_result_total__total"),
    ("carried_forward", "s3_carried_forward__total"),
    ("review_total", "s4_review__total"),
    ("litigation_direct_total", "s4_litigation_direct__total"),
    ("litigation_after_review_total", "s4_litigation_after_review__total"),
)


def labels_zh(code: str) -> list[str]:
    """Chinese label paths of a code in every version it exists in (shared codes may be worded differently)."""
    out: list[str] = []
    for v in VERSIONS:
        for g in fields(v):
            if g.code == code and g.label_zh not in out:
                out.append(g.label_zh)
    return out


def _code_description(code: str) -> str:
    f = field_index()[code]
    labels = labels_zh(code)
    zh = " | ".join(labels)
    unit = f"; unit {f.unit}" if f.unit else ""
    return (f"{zh} — {f.label_en}{unit}; formats {', '.join(versions_of(code))}; field code {code}. "
            "Null when the cell was blank, n/a or text (see `cells.kind`), never 0.")


def _kind_type(code: str) -> str:
    return "number" if field_index()[code].kind == "decimal" else "integer"


def s2_codes() -> list[str]:
    return [c for c in all_codes() if c.startswith("s2_")]


def s4_codes() -> list[str]:
    return [c for c in all_codes() if c.startswith("s4_")]


def s3_row_codes() -> list[str]:
    """Data-row codes of section 三 across versions, gk2019 order with gk2021's rows where they print."""
    out: list[str] = []
    for v in VERSIONS:
        for r in s3_rows(v):
            if r.code and r.code not in out:
                out.append(r.code)
    # keep （七）总计 and 四、结转 last whatever version added rows before them
    tail = [c for c in ("result_total", "carried_forward") if c in out]
    return [c for c in out if c not in tail] + tail


def wide_name(code: str) -> str:
    """Wide-table column of a field code: the code without its table prefix (`s2_`, `s4_`)."""
    return code[3:]


@cache
def tables() -> dict[str, TableSpec]:
    specs = [
        TableSpec("reports", "One row per report. A report reposted on several portals is one row (all URLs in "
                  "`source_urls` and table `report_urls`); a report revised at the same URL is its latest version.",
                  (
                      _RID,
                      Column("source_url", "string", "URL (or file path) of the copy the row's values were read from."),
                      Column("source_urls", "string", "Every URL/path the report was found at, space-separated, sorted."),
                      Column("url_count", "integer", "Number of URLs/paths the report was found at."),
                      Column("source_id", "string", "Registry id of the portal the primary copy was crawled from."),
                      Column("fetched_at", "datetime", "When the primary copy was fetched (UTC)."),
                      Column("sha256", "string", "SHA-256 of the primary copy's raw bytes (as archived)."),
                      Column("title", "string", "Report title."),
                      Column("agency", "string", "Publishing agency (发布机关)."),
                      Column("region_code", "string", "Administrative division code (GB/T 2260): the division "
                             "the agency's name places it in when that lies within the portal's registered "
                             "division, else the portal's (registry)."),
                      Column("region_name", "string", "Name of the division found in the agency's name."),
                      Column("level", "string", "Administrative level: of the agency (department, county, "
                             "city…) when its division was found, else of the portal (registry)."),
                      _YEAR,
                      Column("published", "date", "Publication date."),
                      Column("template", "string", "Format of the report: gk2019, gk2021, pre2019 or unknown.",
                             TEMPLATE),
                      Column("s2_template", "string", "Format version of table 二 as read.", TEMPLATE),
                      Column("s3_template", "string", "Format version of table 三 as read.", TEMPLATE),
                      Column("s4_template", "string", "Format version of table 四 as read.", TEMPLATE),
                      Column("status", "string", "ok: tables read; partial: something could not be read (see "
                             "error); not_a_report; error: unreadable input.", STATUS),
                      Column("error", "string", "One-line reason when status is not ok."),
                      Column("checks_failed", "integer", "Number of consistency checks (R1–R5) that fail."),
                      Column("checks_uncertain", "integer", "Number of checks that could not be decided."),
                      Column("cells_uncertain", "integer", "Number of cells placed without certainty."),
                      Column("content_variants", "integer", "Number of distinct parsed contents among the copies "
                             "(1 = all copies agree; >1 = copies differ, the best-read one is shown)."),
                      Column("media_type", "string", "Media type of the primary copy."),
                      Column("parser_version", "string", "Version of the xxgk parser that read it."),
                      *(Column(name, "integer", "Headline figure: " + _code_description(code), code=code)
                        for name, code in HEADLINES),
                  ), primary_key=("report_id",)),
        TableSpec("report_urls", "Every URL or file a report was found at (reposts, attachments).", (
            _RID,
            Column("url", "string", "URL or file path of this copy."),
            Column("is_primary", "boolean", "True for the copy the report's values were read from."),
            Column("kind", "string", "report (a page), attachment (a linked file) or file (--input).",
                   ("report", "attachment", "file")),
            Column("source_id", "string", "Registry id of the portal it was crawled from."),
            Column("fetched_at", "datetime", "When it was fetched (UTC)."),
            Column("sha256", "string", "SHA-256 of its raw bytes."),
            Column("link_title", "string", "Link text on the list page that led to it."),
            Column("list_date", "date", "Date shown next to the link on the list page."),
            Column("referrer", "string", "URL of the page that linked to it."),
            Column("status", "string", "Parse status of this copy.", STATUS),
        ), primary_key=("report_id", "url"), foreign_keys=((("report_id",), "reports", ("report_id",)),)),
        TableSpec("cells", "Long/tidy: one row per template cell present in a report, as printed.", (
            _RID, _YEAR,
            Column("code", "string", "Field code (see codebook.csv)."),
            Column("table", "string", "s2 (二 主动公开), s3 (三 申请), s4 (四 复议诉讼).", TABLE_CODES),
            Column("version", "string", "Format version of the table the cell was read from.", TEMPLATE),
            Column("row_code", "string", "Row code of the field."),
            Column("column_code", "string", "Column code of the field."),
            Column("value", "number", "Numeric value in the field's unit (元 / 万元 converted); null for blank, "
                   "n/a or text — never 0."),
            Column("raw", "string", "Cell text exactly as printed."),
            Column("kind", "string", "number, blank (empty cell), na (/, -, 无, 不适用), text (prose).", KIND),
            Column("unit", "string", "Unit written inside the cell, when it wrote one."),
            Column("uncertain", "boolean", "True when the value could not be placed with certainty."),
            Column("note", "string", "Why a cell is uncertain or text."),
            Column("source", "string", "Where in the document it was read (table/row/column or line)."),
        ), primary_key=("report_id", "code"), foreign_keys=((("report_id",), "reports", ("report_id",)),
                                                            (("code",), "codebook", ("code",))),
            partition_by="report_year"),
        TableSpec("applications", "Section 三 wide: one row per report and data row, the seven applicant columns.", (
            _RID, _YEAR,
            Column("s3_template", "string", "Format version of table 三.", TEMPLATE),
            Column("row_order", "integer", "Position of the row in the format version's table."),
            Column("row_code", "string", "Row code (field code = s3_<row_code>__<column>)."),
            Column("row_label", "string", "Official row label."),
            *(Column(cc, "integer", f"Applicants: {label} ({en}); field code s3_<row_code>__{cc}. Null when blank "
                     "or n/a, never 0.")
              for cc, label, en in common.S3_COLUMNS),
        ), primary_key=("report_id", "row_code"), foreign_keys=((("report_id",), "reports", ("report_id",)),)),
        TableSpec("review_litigation", "Section 四 wide: one row per report, the 15 columns.", (
            _RID, _YEAR,
            *(Column(wide_name(c), "integer", _code_description(c), code=c) for c in s4_codes()),
        ), primary_key=("report_id",), foreign_keys=((("report_id",), "reports", ("report_id",)),)),
        TableSpec("proactive_disclosure", "Section 二 wide: one row per report; columns of both format versions "
                  "(a gk2019 report leaves the gk2021 columns null and vice versa).", (
                      _RID, _YEAR,
                      Column("s2_template", "string", "Format version of table 二.", TEMPLATE),
                      *(Column(wide_name(c), _kind_type(c), _code_description(c), code=c) for c in s2_codes()),
                  ), primary_key=("report_id",), foreign_keys=((("report_id",), "reports", ("report_id",)),)),
        TableSpec("checks", "Consistency checks R1, R2, R3, R5 (templates.md §6) with both sides; source values are "
                  "never corrected.", (
                      _RID,
                      Column("rule", "string", "R1 (一+二 = 三总计+四), R2 (row total = Σ applicants), R3 (results "
                             "total = Σ result rows), R5 (table 四 total = Σ results)."),
                      Column("scope", "string", "Column code (R1/R3), row code (R2) or group (R5)."),
                      Column("status", "string", "pass, fail, or uncertain (operand missing or n/a).", CHECK_STATUS),
                      Column("left", "integer", "Left-hand side."),
                      Column("right", "integer", "Right-hand side."),
                      Column("blank_as_zero", "boolean", "True when blank operands were counted as 0."),
                      Column("note", "string", "Why a check is uncertain."),
                  ), primary_key=("report_id", "rule", "scope"),
            foreign_keys=((("report_id",), "reports", ("report_id",)),)),
        TableSpec("sections", "Narrative sections 一–六 as text.", (
            _RID,
            Column("section", "string", "Section code: " + ", ".join(
                f"{c} ({h})" for c, h, _ in common.SECTIONS) + "."),
            Column("text", "string", "Section text."),
        ), primary_key=("report_id", "section"), foreign_keys=((("report_id",), "reports", ("report_id",)),)),
    ]
    return {s.name: s for s in specs}


TABLE_NAMES: tuple[str, ...] = ("reports", "report_urls", "cells", "applications", "review_litigation",
                                "proactive_disclosure", "checks", "sections")
