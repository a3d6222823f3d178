"""Parsed documents -> the complete published dataset folder (tables, codebook, datapackage)."""

from __future__ import annotations

from pathlib import Path

from .codebook import CODEBOOK, DATAPACKAGE, DATASETTE, write_codebook, write_datapackage, write_datasette
from .schema import TABLE_NAMES
from .tables import Docs, build_tables
from .write import write_dataset


def publish(docs: Docs, out_dir: str | Path) -> dict:
    """Build every table from `docs` and write the dataset folder atomically; returns the frames."""
    frames = build_tables(docs)
    frames = {n: frames[n] for n in TABLE_NAMES}
    names = list(frames)
    write_dataset(frames, out_dir, {
        CODEBOOK: write_codebook,
        DATAPACKAGE: lambda p: write_datapackage(p, names),
        DATASETTE: lambda p: write_datasette(p, names),
    })
    return frames
