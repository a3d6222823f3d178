"""Parsed documents -> the complete published dataset folder (tables, codebook, datapackage)."""

from __future__ import annotations

from pathlib import Path

from .codebook import (
    CODEBOOK_SPEC,
    DATAPACKAGE,
    DATASETTE,
    codebook_frame,
    write_datapackage,
    write_datasette,
)
from .schema import TABLE_NAMES, tables
from .tables import Docs, build_tables
from .write import write_dataset


def publish(docs: Docs, out_dir: str | Path) -> dict:
    """Build every table from `docs` and write the dataset folder atomically; returns the frames
    (the codebook is written like a table: codebook.csv, parquet/codebook.parquet, in xxgk.db)."""
    frames = build_tables(docs)
    frames = {n: frames[n] for n in TABLE_NAMES}
    names = list(frames)
    write_dataset({**frames, "codebook": codebook_frame()}, out_dir, {
        DATAPACKAGE: lambda p: write_datapackage(p, names),
        DATASETTE: lambda p: write_datasette(p, names),
    }, specs={**tables(), "codebook": CODEBOOK_SPEC})
    return frames
