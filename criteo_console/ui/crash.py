"""The crash handler: log (redacted), tell the user plainly, and do not carry on in an unknown
state (qutebrowser's rule). Installed by the app only; tests use their own expectations."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QObject, Signal

log = logging.getLogger("criteo_console.crash")

CRASH_TEXT = (
    "Something went wrong inside the console and it has to close. Your event log and "
    "profiles are safe. The details (without secrets) were written to:\n{path}"
)


class CrashHandler(QObject):
    """Routes uncaught exceptions from any thread to one place on the UI thread."""

    crashed = Signal(str)  # the redacted report, delivered on the UI thread

    def __init__(
        self,
        redact: Callable[[str], str],
        show: Callable[[str], None],
        log_path: str = "(the console's log file)",
    ) -> None:
        super().__init__()
        self._redact = redact
        self._show = show
        self._log_path = log_path
        self._previous = (sys.excepthook, threading.excepthook)
        self.crashed.connect(self._on_crash)
        self.reports: list[str] = []

    def install(self) -> None:
        sys.excepthook = self._excepthook
        threading.excepthook = self._threadhook

    def uninstall(self) -> None:
        sys.excepthook, threading.excepthook = self._previous

    def _excepthook(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        self._report(kind, exc, tb)

    def _threadhook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        self._report(args.exc_type, args.exc_value, args.exc_traceback)

    def _report(
        self, kind: type[BaseException], exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        import asyncio

        if kind is KeyboardInterrupt or kind is asyncio.CancelledError:
            return  # a quit, not a crash (qasync reports cancelled slots on shutdown)
        text = self._redact("".join(traceback.format_exception(kind, exc, tb)))
        log.critical("uncaught exception:\n%s", text)
        self.reports.append(text)
        self.crashed.emit(text)  # queued to the UI thread when raised elsewhere

    def _on_crash(self, _text: str) -> None:
        self._show(CRASH_TEXT.format(path=self._log_path))
