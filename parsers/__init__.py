"""parsers: raw document bytes -> one typed Report (record.md). No network, no output writing."""

from .api import parse_bytes, parse_path, parse_paths  # noqa: F401
from .report import CellRecord, CheckResult, Report  # noqa: F401
