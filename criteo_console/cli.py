"""Entry point: the console window by default, subcommands for headless use.

Each subcommand lives in its own module under ``criteo_console.commands`` and exposes
``register(subparsers)``; the module is imported only when its command runs, so
``criteo-console validate`` never pays for Qt or httpx.
"""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from criteo_console.commands._usage import UsageError

if TYPE_CHECKING:
    import argparse

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
    "report": (
        "report",
        "write the signed sign-off report (PDF, HTML, JSON) for a profile's test orders, "
        "or verify one",
    ),
}

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 141


def build_parser() -> argparse.ArgumentParser:
    from criteo_console.commands._parser import build_parser as build

    return build(COMMANDS)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list:  # the window: no parser (building it imports every command, ~50 ms)
        return _run_gui(args_list)
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.command is None:
        return _run_gui(args_list)
    module = importlib.import_module(f"criteo_console.commands.{args._module}")
    if args.command == "report":
        args.render_pdf = _pdf_renderer()
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


def _pdf_renderer() -> Callable[[Mapping[str, Any], bytes], bytes] | None:
    """The sign-off PDF is drawn with Qt. Commands never import Qt (pyproject.toml's import
    contracts), so the entry point, which may, lends `criteo-console report` the renderer."""
    try:
        from criteo_console.ui.report_pdf import render_pdf_headless
    except ImportError:  # PySide6 not installed: the command says so
        return None
    return render_pdf_headless


def _run_gui(argv: list[str]) -> int:
    import faulthandler

    from criteo_console import startup_gc

    startup_gc.pause()  # until the window is usable (start-up time; see startup_gc)
    # A native crash (Qt, a driver) prints the Python stack instead of vanishing; the app
    # moves this to crash.log in its data folder as soon as it knows where that is.
    if sys.stderr is not None and not faulthandler.is_enabled():
        faulthandler.enable(all_threads=True)
    try:
        from criteo_console.ui.app import run_app  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:
        print(gui_unavailable(exc), file=sys.stderr)
        return EXIT_FAILED
    return int(run_app(argv))


def gui_unavailable(exc: ImportError) -> str:
    """One line: why the window cannot open, and that the commands still work."""
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return (
        f"criteo-console: the console window cannot start: Qt could not be loaded ({reason}). "
        "Install the missing system library (on Debian/Ubuntu e.g. apt-get install libegl1 "
        "libgl1), or use the commands without a window: criteo-console --help."
    )
