"""The sources registry: one CSV row per 年报 list page (a "column"), read into `Source` records.

Columns `id,name,url` are required; `region_code` (6-digit 行政区划代码), `level`, `min_delay` (seconds
between two requests to the host), `cms`, `notes`, `allow_domains` (extra registrable domains the crawl
may follow, separated by spaces, `;` or `|`) and `evidence_url` are optional. Every row is validated and
all problems are reported at once with their line numbers, so a broken registry never half-loads.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

REQUIRED = ("id", "name", "url")
OPTIONAL = ("region_code", "level", "min_delay", "cms", "notes", "allow_domains", "evidence_url")
LEVELS = ("central", "province", "city", "district", "county", "township", "department")
CMS = ("trs", "hanweb", "gkmlpt", "other", "generic")
DEFAULT_MIN_DELAY = 1.0
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
_REGION = re.compile(r"\d{6}\Z")
_DOMAIN = re.compile(r"(?=.{1,253}\Z)([a-z0-9-]+\.)*[a-z0-9-]+\Z")
_SPLIT = re.compile(r"[\s;|,]+")


class RegistryError(ValueError):
    """The registry file is unusable; the message lists every bad row as `file:line: problem`."""


@dataclass(frozen=True)
class Source:
    """One 年报 column to crawl, as registered."""

    id: str
    name: str
    url: str
    region_code: str | None = None
    level: str | None = None
    min_delay: float = DEFAULT_MIN_DELAY
    cms: str | None = None
    notes: str = ""
    allow_domains: tuple[str, ...] = ()
    evidence_url: str = ""

    @property
    def confidence(self) -> str | None:
        """`high|medium|low` from a leading `conf=` in notes (how sure the registry author was)."""
        m = re.match(r"\s*conf=(\w+)", self.notes or "")
        return m.group(1) if m else None

    @property
    def host(self) -> str:
        return (urlsplit(self.url).hostname or "").lower()

    def to_dict(self) -> dict:
        d = asdict(self)
        d["allow_domains"] = list(self.allow_domains)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Source:
        known = {k: d[k] for k in cls.__dataclass_fields__ if k in d}
        known["allow_domains"] = tuple(known.get("allow_domains") or ())
        return cls(**known)


def default_registry_path() -> Path:
    """The project's own registry, shipped as package data."""
    return Path(str(resources.files("scraper").joinpath("sources.csv")))


def load_sources(path: str | Path | None = None) -> list[Source]:
    """Read and validate a registry CSV (None = the shipped one). Raises RegistryError listing all problems."""
    p = Path(path) if path is not None else default_registry_path()
    try:
        raw = p.read_bytes()
    except OSError as e:
        raise RegistryError(f"{p}: cannot read registry: {e.strerror or e}") from e
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise RegistryError(f"{p}: registry must be UTF-8 ({e.reason} at byte {e.start})") from e
    return parse_sources(text, name=str(p))


def parse_sources(text: str, name: str = "<registry>") -> list[Source]:
    """Validate registry CSV text into Sources; see the module docstring for the columns."""
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise RegistryError(f"{name}:1: missing required column(s): {', '.join(missing)} "
                            f"(header is: {','.join(header) or 'empty'})")
    reader.fieldnames = header
    errors: list[str] = []
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        row = {k: (v or "").strip() for k, v in row.items() if k is not None}
        if not any(row.values()):
            continue
        problems: list[str] = []
        sid, url = row.get("id", ""), row.get("url", "")
        if not sid:
            problems.append("empty id")
        elif not _ID.match(sid):
            problems.append(f"bad id {sid!r} (letters, digits, '.', '_', '-' only)")
        elif sid in seen:
            problems.append(f"duplicate id {sid!r} (first on line {seen[sid]})")
        if not row.get("name"):
            problems.append("empty name")
        if not url:
            problems.append("missing url")
        else:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                problems.append(f"bad url {url!r} (need http:// or https:// and a host)")
        region = row.get("region_code", "")
        if region and not _REGION.match(region):
            problems.append(f"bad region_code {region!r} (need a 6-digit 行政区划代码 or empty)")
        level = row.get("level", "").lower()
        if level and level not in LEVELS:
            problems.append(f"bad level {level!r} (one of {', '.join(LEVELS)})")
        cms = row.get("cms", "").lower()
        if cms and cms not in CMS:
            problems.append(f"bad cms {cms!r} (one of {', '.join(CMS)})")
        delay = DEFAULT_MIN_DELAY
        if row.get("min_delay"):
            try:
                delay = float(row["min_delay"])
                if not delay >= 0:
                    raise ValueError
            except ValueError:
                problems.append(f"bad min_delay {row['min_delay']!r} (seconds, a number >= 0)")
        allow = tuple(d.lower().lstrip(".") for d in _SPLIT.split(row.get("allow_domains", "")) if d)
        for d in allow:
            if not _DOMAIN.match(d):
                problems.append(f"bad allow_domains entry {d!r} (a host or domain name)")
        if problems:
            errors.extend(f"{name}:{line}: {p}" for p in problems)
            continue
        seen[sid] = line
        sources.append(Source(id=sid, name=row["name"], url=url, region_code=region or None,
                              level=level or None, min_delay=delay, cms=cms or None,
                              notes=row.get("notes", ""), allow_domains=allow,
                              evidence_url=row.get("evidence_url", "")))
    if errors:
        raise RegistryError(f"{len(errors)} problem(s) in the sources registry:\n" + "\n".join(errors))
    if not sources:
        raise RegistryError(f"{name}: no sources in registry")
    return sources


def select(sources: list[Source], ids: list[str] | tuple[str, ...]) -> list[Source]:
    """The sources with the given ids, in registry order; unknown ids raise RegistryError."""
    if not ids:
        return list(sources)
    known = {s.id for s in sources}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise RegistryError(f"unknown source id(s): {', '.join(unknown)}")
    wanted = set(ids)
    return [s for s in sources if s.id in wanted]


__all__ = ["Source", "RegistryError", "load_sources", "parse_sources", "select", "default_registry_path"]
