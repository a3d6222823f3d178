"""The official table formats as data, one module per version.

`VERSIONS` maps a version code to its module; `fields(version)` expands a module into `Field`
records with the public field codes of templates.md. Adding a format version = adding a module
here with the same names (VERSION, NAME, S2_BLOCKS, S3_ROWS, SIGNALS).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from types import ModuleType

from . import common, gk2019, gk2021

VERSIONS: dict[str, ModuleType] = {m.VERSION: m for m in (gk2019, gk2021)}
TABLES = ("s2", "s3", "s4")


@dataclass(frozen=True)
class Field:
    """One cell of an official table: the public code and everything the codebook says about it."""

    code: str
    table: str  # s2 | s3 | s4
    row_code: str
    column_code: str
    label_zh: str  # label path as printed, e.g. "第二十条第（一）项/规章/本年新制作数量"
    label_en: str
    kind: str = "int"  # int | signed_int | decimal
    unit: str = "件"
    block: str | None = None  # section 二 block caption
    row_label: str = ""
    column_label: str = ""
    row_variants: tuple[str, ...] = field(default_factory=tuple)
    column_variants: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class S3Row:
    """A row of section 三: a data row (code set) or a group label (code None)."""

    code: str | None
    label: str
    level: int
    label_en: str
    variants: tuple[str, ...]


def _s2_fields(mod: ModuleType) -> list[Field]:
    out = []
    for caption, rows, cols in mod.S2_BLOCKS:
        for rcode, rlabel, ren, rvar in rows:
            for ccode, clabel, cen, kind, unit, cvar in cols:
                out.append(Field(
                    code=f"s2_{rcode}_{ccode}", table="s2", row_code=rcode, column_code=ccode,
                    label_zh=f"{caption}/{rlabel}/{clabel}", label_en=f"{ren}: {cen}", kind=kind,
                    unit=unit, block=caption, row_label=rlabel, column_label=clabel,
                    row_variants=tuple(rvar), column_variants=tuple(cvar)))
    return out


def s3_rows(version: str) -> list[S3Row]:
    """Section 三 rows of a version in printed order, group labels included."""
    return [S3Row(c, lab, lvl, en, tuple(var)) for c, lab, lvl, en, var in VERSIONS[version].S3_ROWS]


def _s3_fields(version: str) -> list[Field]:
    out = []
    for row in s3_rows(version):
        if row.code is None:
            continue
        for ccode, clabel, cen in common.S3_COLUMNS:
            out.append(Field(
                code=f"s3_{row.code}__{ccode}", table="s3", row_code=row.code, column_code=ccode,
                label_zh=f"{row.label}/{clabel}", label_en=f"{row.label_en}; {cen}", row_label=row.label,
                column_label=clabel, row_variants=row.variants))
    return out


def _s4_fields() -> list[Field]:
    out = []
    for gcode, glabel, gen in common.S4_GROUPS:
        for rcode, rlabel, ren in common.S4_RESULTS:
            out.append(Field(
                code=f"s4_{gcode}__{rcode}", table="s4", row_code=gcode, column_code=rcode,
                label_zh=f"{glabel}/{rlabel}", label_en=f"{gen}: {ren}", row_label=glabel, column_label=rlabel))
    return out


@cache
def fields(version: str) -> tuple[Field, ...]:
    """All fields of a version in template order (s2, s3, s4)."""
    mod = VERSIONS[version]
    return tuple(_s2_fields(mod) + _s3_fields(version) + _s4_fields())


@cache
def field_index() -> dict[str, Field]:
    """code -> Field across all versions (shared codes have identical meaning)."""
    idx: dict[str, Field] = {}
    for v in VERSIONS:
        for f in fields(v):
            idx.setdefault(f.code, f)
    return idx


@cache
def versions_of(code: str) -> tuple[str, ...]:
    """The format versions a field code exists in."""
    return tuple(v for v in VERSIONS if any(f.code == code for f in fields(v)))


def table_fields(version: str, table: str) -> list[Field]:
    return [f for f in fields(version) if f.table == table]


def all_codes() -> list[str]:
    """Every field code of every version, in a stable order (gk2019 first, then codes new in gk2021)."""
    return list(field_index())
