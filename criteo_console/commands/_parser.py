"""The command line's parser: built only when a subcommand (or ``--help``) is asked for.

The console window starts without it: building it imports ``argparse`` and every command's
module (~50 ms of start-up).
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Mapping
from typing import NoReturn

import criteo_console
from criteo_console import APP_NAME

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One line on stderr, no usage block: scripts and people both read it.
        self.exit(EXIT_USAGE, f"{self.prog}: {message}\n")


class _VersionAction(argparse.Action):
    """``--version``, reading the package metadata only when asked (it costs ~20 ms)."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        parser.exit(message=f"{parser.prog} {criteo_console.__version__}\n")


def build_parser(commands: Mapping[str, tuple[str, str]]) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="criteo-console",
        description=f"{APP_NAME}: prove that purchase conversions reach Criteo correctly. "
        "Without a command, opens the console window.",
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="open the console offscreen, send the guide's order to the embedded sandbox, "
        "report the secret store, and exit 0 only if all of that worked",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (module, help_text) in commands.items():
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        cmd.set_defaults(_module=module)
        importlib.import_module(f"criteo_console.commands.{module}").register(cmd)
    return parser
