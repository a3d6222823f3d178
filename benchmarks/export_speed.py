"""How long does writing the datasets take? Prints seconds per stage for N synthetic reports.

    python benchmarks/export_speed.py [N]      (default 1000)

Reports come from xxgk.synth (values only, no parsing), so this measures output/ alone:
grouping, building the tables, CSV, Parquet, SQLite and the codebook.
"""

from __future__ import annotations

import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from output import tables as T
from output import write as W
from output.publish import publish
from output.schema import tables as specs
from parsers.checks import run_checks
from parsers.report import PARSER_VERSION, CellRecord, Report
from xxgk import synth


def synthetic(n: int) -> list[Report]:
    out = []
    for i in range(n):
        s = synth.random_report(i, version="gk2021" if i % 2 else "gk2019", blank_rate=0.3)
        cells = [CellRecord(code, float(v) if isinstance(v, Decimal) else v, s.cell_text(code),
                            "blank" if v is None else "number") for code, v in s.expected().items()]
        rep = Report(document=f"http://bench.gov.cn/{i}.html", sha256=f"{i:064x}", title=s.title, agency=s.agency,
                     report_year=s.report_year, published=s.published, template=s.version,
                     tables={"s2": s.s2_version, "s3": s.s3_version, "s4": s.version}, cells=cells,
                     checks=run_checks(cells, s.s3_version),
                     sections={k: s.section_text(k) for k in s.sections if k != "preamble"})
        rep.extra["parser_version"] = PARSER_VERSION
        out.append(rep)
    return out


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    docs = synthetic(n)
    tmp = Path(tempfile.mkdtemp())
    t = time.perf_counter()
    entries = T.group(docs)
    print(f"group          {time.perf_counter() - t:7.2f} s  ({len(entries)} reports)")
    t = time.perf_counter()
    frames = T.build_tables(docs)
    print(f"build tables   {time.perf_counter() - t:7.2f} s  ({len(frames['cells'])} cells)")
    for label, fn in (("csv", lambda n_, df: W.write_csv(df, specs()[n_], tmp / f"{n_}.csv")),
                      ("parquet", lambda n_, df: W.write_parquet(df, specs()[n_], tmp))):
        t = time.perf_counter()
        for name, df in frames.items():
            fn(name, df)
        print(f"{label:<14} {time.perf_counter() - t:7.2f} s")
    t = time.perf_counter()
    W.write_sqlite(frames, tmp / "x.db")
    print(f"sqlite         {time.perf_counter() - t:7.2f} s")
    t = time.perf_counter()
    publish(docs, tmp / "datasets")
    print(f"publish (all)  {time.perf_counter() - t:7.2f} s  -> {n / (time.perf_counter() - t):.0f} reports/s")


if __name__ == "__main__":
    main()
