"""Entry point: the console window by default, subcommands for headless use.

Each subcommand lives in its own module under ``criteo_console.commands`` and exposes
``register(subparsers)``; the module is imported only when its command runs, so
``criteo-console validate`` never pays for Qt or httpx.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

import criteo_console
from criteo_console import APP_NAME
from criteo_console.commands._usage import UsageError

__all__ = ["UsageError", "build_parser", "main"]

# name -> (module under criteo_console.commands, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("validate", "check an order file and list what is wrong, in plain words"),
    "payload": ("payload", "print exactly the body that would be sent to Criteo"),
    "sandbox": (
        "sandbox",
        "serve a local stand-in for Criteo (credentials sandbox-client/-secret)",
    ),
    "profile": ("profile", "list, add, import (.env), remove or export advertiser profiles"),
    "log": ("log", "list, show, export or import the history of send attempts"),
    "send": ("send", "check an order, then token, advertiser scope and send, step by step"),
    "capture": (
        "capture",
        "watch my shop: a local Criteo address for the shop's staging integration; every "
        "request judged",
    ),
}

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 141


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


def build_parser() -> argparse.ArgumentParser:
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
    for name, (module, help_text) in COMMANDS.items():
        cmd = sub.add_parser(name, help=help_text, description=help_text)
        cmd.set_defaults(_module=module)
        importlib.import_module(f"criteo_console.commands.{module}").register(cmd)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.command is None:
        return _run_gui(args_list)
    module = importlib.import_module(f"criteo_console.commands.{args._module}")
    try:
        code = int(module.run(args))
        sys.stdout.flush()  # here, not at exit, so a closed pipe is caught below
        return code
    except UsageError as exc:
        print(f"criteo-console {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`... | head -1`): stop quietly. 141 = 128 + SIGPIPE is what
        # the shell reports for a C tool killed by SIGPIPE, so `set -o pipefail` scripts see
        # the same as with cat or grep. stdout now points at devnull so that the flush at
        # interpreter exit does not fail a second time with "Exception ignored".
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return EXIT_BROKEN_PIPE


def _run_gui(argv: list[str]) -> int:
    try:
        from criteo_console.ui.app import run_app  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        build_parser().print_help()
        return EXIT_OK
    return int(run_app(argv))
