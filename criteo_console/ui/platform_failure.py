"""When Qt cannot open a window at all, one plain line instead of Qt's abort.

Without a display, without a system library its X11 plugin needs (``libxcb-cursor0`` on a
fresh Ubuntu), or with an unknown ``QT_QPA_PLATFORM``, Qt prints several lines about platform
plugins and aborts the process; with faulthandler on, Python adds "Fatal Python error:
Aborted" and a stack. A marketer cannot act on any of that. While the ``QApplication`` is made,
Qt's messages are held; if Qt gives up, the console says in one line why and what to do, keeps
Qt's own lines in ``crash.log`` for whoever supports the user, and exits 1. If Qt starts, the
held messages are printed as Qt would have printed them.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

EXIT_NO_WINDOW = 1


def explain(messages: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """Why Qt could not open a window, and what to do, from what Qt said (one line)."""
    env = os.environ if environ is None else environ
    said = "\n".join(messages)
    unknown = re.search(r'Could not find the Qt platform plugin "([^"]*)"', said)
    if unknown:
        available = re.search(r"Available platform plugins are: ([^.\n]+)", said)
        choices = f", or set it to one of: {available[1].strip()}" if available else ""
        return (
            f'Qt has no platform plugin named "{unknown[1]}" (set in QT_QPA_PLATFORM). Unset '
            f"QT_QPA_PLATFORM{choices}."
        )
    if "could not connect to display" in said or "Failed to create wl_display" in said:
        display = env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")
        where = f"the display {display} did not answer" if display else "no display is set"
        return (
            f"there is no screen to show the window on ({where}). Start the console from your "
            "desktop session, or use the commands without a window: criteo-console --help."
        )
    missing = re.search(r"(?:xcb-cursor0 or )?(lib[\w.+-]+) is needed", said)
    if missing:
        return (
            f"a system library Qt needs to open windows is missing ({missing[1]}). Install it "
            f"(on Debian/Ubuntu: sudo apt install {missing[1]}), then start the console again."
        )
    last = next((m for m in reversed(messages) if m.strip()), "no reason given")
    first_sentence = last.strip().splitlines()[0].split(". ")[0].rstrip(".")
    return (
        f"Qt could not open a window ({first_sentence}). The commands without a window still "
        "work: criteo-console --help."
    )


def _keep_for_support(messages: Sequence[str]) -> Path | None:
    """Qt's own lines in crash.log beside console.log (code and library names only)."""
    try:
        from criteo_console.storage.files import ensure_private_dir
        from criteo_console.storage.paths import StoragePaths

        data_dir = StoragePaths.resolve().data_dir
        ensure_private_dir(data_dir)
        path = data_dir / "crash.log"
        with open(path, "a", encoding="utf-8") as file:
            file.write("Qt could not open a window:\n")
            file.writelines(f"  {line}\n" for line in messages)
        return path
    except Exception:  # a full disk must not turn one line into a traceback
        return None


@contextmanager
def one_line_if_qt_cannot_start(
    exit_now: Callable[[int], object] = os._exit,
) -> Iterator[None]:
    """Around making the ``QApplication``: see the module's docstring. ``exit_now`` is
    ``os._exit`` (Qt aborts right after its fatal message; no cleanup can run after it)."""
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

    held: list[tuple[str, str]] = []  # (category, message), printed as Qt prints them

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if kind != QtMsgType.QtFatalMsg:
            held.append((str(getattr(context, "category", "") or ""), message))
            return
        said = [*(text for _category, text in held), message]
        kept = _keep_for_support(said)
        detail = f" Qt's own messages are in {kept}." if kept is not None else ""
        print(
            f"criteo-console: the console window cannot start: {explain(said)}{detail}",
            file=sys.stderr,
            flush=True,
        )
        exit_now(EXIT_NO_WINDOW)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)
        for category, message in held:  # Qt started: what it said, as Qt would have said it
            prefix = f"{category}: " if category and category != "default" else ""
            print(f"{prefix}{message}", file=sys.stderr)
