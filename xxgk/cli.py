"""The `xxgk` command: a thin click group; each subcommand lives in xxgk/commands/<name>.py.

A command module exposes `command` (a click.Command); it is found by name, so adding a command
means adding a module, and no stage imports the command line.
"""

from __future__ import annotations

import importlib
import pkgutil

import click

from xxgk import __version__, commands


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(m.name for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_"))

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        try:
            mod = importlib.import_module(f"xxgk.commands.{name}")
        except ModuleNotFoundError:
            return None
        return getattr(mod, "command", None)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="xxgk")
def main() -> None:
    """Find, fetch and read 政府信息公开工作年度报告 (government information disclosure annual reports)."""
