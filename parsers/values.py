"""Cell text -> (value, kind, unit), per templates.md §7.2 and record.md.

Kinds: number, blank (value None), na (`/`, `-`, `—`, `无`, 不适用: value None), text (prose where a
number belongs: value None). A blank is never a 0; a sign is kept only where the field allows it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

NA_TOKENS = {"/", "-", "--", "—", "——", "－", "―", "–", "无", "不适用", "N/A", "NA", "n/a", "\\", "／"}
_BLANK = re.compile(r"^[\s\u00a0\u3000\u200b\ufeff]*$")
_NUM = re.compile(r"^(?P<sign>[+\-增减])?(?P<num>\d+(?:,\d{3})*(?:\.\d+)?|\d*\.\d+)(?P<unit>万元|亿元|元|件|项|个|条|次|批次)?$")
# money units -> factor to 元
_MONEY = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}


@dataclass
class Value:
    value: int | float | None
    kind: str  # number | blank | na | text
    raw: str
    unit: str | None = None  # the unit the cell wrote, when it wrote one
    note: str | None = None


def _clean(raw: str) -> str:
    t = unicodedata.normalize("NFKC", raw)
    t = re.sub(r"[\s\u00a0\u3000\u200b\ufeff]+", "", t)
    return t.replace("，", ",").replace("－", "-").replace("−", "-")


def _as_number(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def parse_value(raw: str | None, kind: str = "int", unit: str | None = None) -> Value:
    """Read one cell for a field of `kind` (int | signed_int | decimal) whose code is in `unit`."""
    raw = "" if raw is None else str(raw)
    if _BLANK.match(raw):
        return Value(None, "blank", raw)
    t = _clean(raw)
    if t in NA_TOKENS or t.upper() in NA_TOKENS:
        return Value(None, "na", raw)
    m = _NUM.match(t)
    if not m:
        return Value(None, "text", raw)
    try:
        d = Decimal(m["num"].replace(",", ""))
    except InvalidOperation:
        return Value(None, "text", raw)
    sign = m["sign"]
    cell_unit = m["unit"]
    if sign in ("-", "减"):
        if kind != "signed_int":
            return Value(None, "text", raw, note="negative value in a field that cannot be negative")
        d = -d
    elif sign == "增" and kind != "signed_int":
        return Value(None, "text", raw)
    if cell_unit in _MONEY and unit in _MONEY:
        d = d * _MONEY[cell_unit] / _MONEY[unit]
    elif cell_unit in _MONEY and unit not in _MONEY:
        return Value(None, "text", raw, note=f"money unit {cell_unit} in a count field")
    if kind in ("int", "signed_int") and d != d.to_integral_value():
        return Value(None, "text", raw, note="fraction in a count field")
    return Value(_as_number(d), "number", raw, cell_unit)
