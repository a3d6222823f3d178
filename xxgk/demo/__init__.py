"""`xxgk demo`: serve the bundled demo portals on 127.0.0.1, crawl them, export the datasets, and
show what was found. Works offline: the portals (site.py) are generated on the spot.
"""

from __future__ import annotations

import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_DATA_DIR = "xxgk-demo-data"
MARKER = ".xxgk-demo"
MIN_DELAY = 0.02  # seconds between requests to one host: it is our own server


class DemoError(RuntimeError):
    """The demo cannot run (e.g. the data dir holds something that is not a demo)."""


@dataclass
class DemoResult:
    exit_code: int
    data_dir: Path
    datasets: Path
    crawl: Any
    export: Any
    reports: Any  # the reports DataFrame


def prepare(data_dir: Path) -> None:
    """Start from scratch in a demo folder; refuse to touch a folder the demo did not create."""
    if data_dir.exists() and any(data_dir.iterdir()):
        if not (data_dir / MARKER).exists():
            raise DemoError(f"{data_dir} exists and is not a demo folder; choose another --data-dir")
        shutil.rmtree(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / MARKER).write_text("created by `xxgk demo`; safe to delete\n", "utf-8")


def sources_csv(portals: list, url: Callable[[str, str], str]) -> str:
    lines = ["id,name,url,region_code,level,min_delay,cms,notes"]
    for p in portals:
        sid = p.host.split(".")[1]
        lines.append(f"{sid},{p.name} 政府信息公开年报,{url(p.host, p.column)},{p.region_code},{p.level},"
                     f"{MIN_DELAY},trs,demo portal (synthetic)")
    return "\n".join(lines) + "\n"


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _pad(s: str, w: int) -> str:
    return s + " " * max(0, w - _width(s))


def table_text(reports) -> str:
    """A short fixed-width table of the reports found (CJK-aware alignment)."""
    import pandas as pd

    head = ["year", "agency", "format", "status", "new apps", "checks failed", "URLs"]
    rows = []
    df = reports.sort_values(["report_year", "agency"], ascending=[False, True], na_position="last")
    for _, r in df.iterrows():
        def s(v: object) -> str:
            return "-" if v is None or pd.isna(v) else str(v)
        rows.append([s(r["report_year"]), s(r["agency"]), s(r["template"]), s(r["status"]), s(r["new_received"]),
                     s(r["checks_failed"]), s(r["url_count"])])
    widths = [max(_width(x) for x in col) for col in zip(head, *rows, strict=True)]
    out = ["  ".join(_pad(h, w) for h, w in zip(head, widths, strict=True)).rstrip()]
    for row in rows:
        out.append("  ".join(_pad(x, w) for x, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(out)


def run_demo(data_dir: str | Path = DEFAULT_DATA_DIR, *, echo: Callable[[str], None] = print,
             progress: bool = False) -> DemoResult:
    """Serve the demo portals, crawl them into `data_dir`, export, and report (see module doc)."""
    import pandas as pd

    from scraper.crawl import crawl
    from scraper.registry import parse_sources
    from scraper.testing import PortalServer
    from xxgk.pipeline import DATASETS, export

    from .site import build

    data_dir = Path(data_dir)
    prepare(data_dir)
    portals = build()
    with PortalServer() as srv:
        for p in portals:
            srv.add_site(p.host, files={path: page.body for path, page in p.files.items()})
            for path, page in p.files.items():
                if page.content_type:
                    from scraper.testing import Reply

                    srv.route(p.host, path, Reply(200, page.body, {"Content-Type": page.content_type}))
        csv_text = sources_csv(portals, srv.url)
        (data_dir / "demo-sources.csv").write_text(csv_text, "utf-8")
        sources = parse_sources(csv_text, name="demo-sources.csv")
        echo(f"demo portals on 127.0.0.1:{srv.port}: " + ", ".join(f"{p.name} ({p.host})" for p in portals))
        crawl_summary = crawl(sources, data_dir, min_delay=MIN_DELAY, jitter=0.0, resolve=srv.resolve,
                              progress=progress, fsync=False)
    echo(str(crawl_summary).rstrip())
    summary = export(data_dir)
    reports = pd.read_parquet(data_dir / DATASETS / "parquet" / "reports.parquet")
    datasets = data_dir / DATASETS
    echo("")
    echo(table_text(reports))
    echo("")
    echo(summary.text())
    echo(f"""
Open the data:
  Excel/WPS:  {datasets / 'reports.csv'}  (and cells.csv, applications.csv, ...)
  pandas:     pd.read_parquet("{datasets / 'parquet' / 'cells'}")
  SQLite:     {datasets / 'xxgk.db'}   (datasette {datasets / 'xxgk.db'} -m {datasets / 'datasette.json'})
  codebook:   {datasets / 'codebook.csv'}, {datasets / 'datapackage.json'}""")
    code = crawl_summary.exit_code or summary.exit_code
    return DemoResult(code, data_dir, datasets, crawl_summary, summary, reports)
