"""Region code (GB/T 2260, 6 digits) and level from an agency name or title (NOTES.md §3.3–3.4).

A longest-name, parent-constrained lookup over the vendored `division_codes.csv`: every division
name found in the text is a candidate; the most specific one whose parents agree with the other
names found wins. An ambiguous bare name (two 鼓楼区 and no city named) gives no code: better
no code than a wrong one.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

_FILE = Path(__file__).with_name("division_codes.csv")
_DEPARTMENT = re.compile(r"(局|委员会|委|厅|办公室|办公厅|中心|部|署|院|所|站|队|处|管委会|管理委员会|街道办事处|街道|镇|乡)$")
_GOVERNMENT = re.compile(r"(人民政府|政府)$")


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # province | city | county
    parent: str


@cache
def divisions() -> tuple[Division, ...]:
    with _FILE.open(encoding="utf-8") as f:
        rows = [line for line in f if not line.startswith("#")]
    reader = csv.reader(rows)
    col = {name: i for i, name in enumerate(next(reader))}
    c, n, lv, p = col["code"], col["name"], col["level"], col["parent"]
    return tuple(Division(r[c], r[n], r[lv], r[p]) for r in reader if r)


@cache
def _by_name() -> dict[str, list[Division]]:
    idx: dict[str, list[Division]] = {}
    for d in divisions():
        idx.setdefault(d.name, []).append(d)
    return idx


@cache
def _name_lengths() -> tuple[int, ...]:
    return tuple(sorted({len(name) for name in _by_name()}, reverse=True))


def names_in(text: str) -> list[str]:
    """Division names in `text`, left to right, the longest at each position, not overlapping (what a
    regex alternation of all names, longest first, finds; a dict scan of the short agency and title
    strings is cheaper than compiling that 3,000-branch regex, which cost 0.3 s of every first parse)."""
    by_name, lengths = _by_name(), _name_lengths()
    found: list[str] = []
    i, n = 0, len(text)
    while i < n:
        for size in lengths:
            if i + size <= n and text[i:i + size] in by_name:
                found.append(text[i:i + size])
                i += size
                break
        else:
            i += 1
    return found


@cache
def _by_code() -> dict[str, Division]:
    return {x.code: x for x in divisions()}


def _ancestors(d: Division) -> set[str]:
    codes = {d.code}
    by_code = _by_code()
    while d.parent and d.parent in by_code:
        d = by_code[d.parent]
        codes.add(d.code)
    return codes


@lru_cache(maxsize=4096)
def find_region(text: str | None) -> Division | None:
    """The most specific division named in `text` that the other names found agree with (memoised:
    a batch meets the same agency names again and again, and the name scan is the costly part)."""
    if not text:
        return None
    found = names_in(text)
    if not found:
        return None
    candidates = [d for name in found for d in _by_name()[name]]
    best: Division | None = None
    best_key = (-1, -1)
    ambiguous = False
    rank = {"province": 0, "city": 1, "county": 2}
    for d in candidates:
        anc = _ancestors(d)
        support = sum(1 for name in set(found) if any(x.code in anc for x in _by_name()[name]))
        key = (support, rank[d.level])
        if key > best_key:
            best, best_key, ambiguous = d, key, False
        elif key == best_key and best is not None and d.code != best.code:
            ambiguous = True
    return None if ambiguous else best


def agency_level(agency: str | None, division: Division | None) -> str | None:
    """`department` for a bureau/commission, else the division's level (province/city/county)."""
    if not agency:
        return None
    if _DEPARTMENT.search(agency) and not _GOVERNMENT.search(agency):
        return "department"
    return division.level if division else None
