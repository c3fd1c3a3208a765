"""console.log: the window's diagnostic log, private to this user, and never a reason to stop.

The file is 0600 in the console's 0700 data folder (also when either existed before with wider
modes). When it cannot be written (a full disk, a read-only folder) the records go to stderr
instead, after one plain line saying so: the standard handler would print a
"--- Logging error ---" traceback for every record.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
from pathlib import Path
from typing import IO, Any

from criteo_console.storage.faults import StorageFault
from criteo_console.storage.files import ensure_private_dir, ensure_private_file, make_private

CONSOLE_LOG_NAME = "console.log"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _QuietStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """stderr, the last resort: if even that fails, the record is dropped without a word."""

    def handleError(self, record: logging.LogRecord) -> None:
        pass


class ConsoleLogHandler(logging.handlers.RotatingFileHandler):
    """A rotating console.log (1 MB × 3) that falls back to stderr when it cannot write."""

    def __init__(self, path: Path, stderr: IO[str] | None = None) -> None:
        super().__init__(path, maxBytes=1_000_000, backupCount=2, encoding="utf-8", delay=True)
        self.setFormatter(logging.Formatter(LOG_FORMAT))
        self._stderr = stderr
        self.fallback: logging.Handler | None = None

    def _open(self) -> Any:
        path = Path(self.baseFilename)
        ensure_private_file(path)  # created 0600, never with the umask's 0644
        make_private(path)  # a file from an earlier version
        return super()._open()

    def emit(self, record: logging.LogRecord) -> None:
        if self.fallback is not None:
            self.fallback.emit(record)
        else:
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        exc = sys.exc_info()[1]
        if not isinstance(exc, OSError):
            super().handleError(record)
            return
        self._fall_back(exc)
        assert self.fallback is not None
        self.fallback.emit(record)

    def _fall_back(self, exc: OSError) -> None:
        path = Path(self.baseFilename)
        fallback = _QuietStderr(self._stderr or sys.stderr)
        fallback.setFormatter(self.formatter)
        self.fallback = fallback
        try:
            if self.stream is not None:
                self.stream.close()
        except OSError:
            pass
        self.stream = None
        said = StorageFault.from_os_error(exc, f"The console's log {path}", path, unchanged=False)
        text = f"{said} Until then its messages go here."
        notice = logging.LogRecord("criteo_console", logging.WARNING, __file__, 0, text, None, None)
        fallback.emit(notice)


def open_console_log(data_dir: Path, stderr: IO[str] | None = None) -> logging.Handler:
    """The handler for console.log in ``data_dir`` (made private), or stderr when the folder
    cannot be made at all."""
    try:
        ensure_private_dir(data_dir)
    except OSError:
        handler: logging.Handler = _QuietStderr(stderr or sys.stderr)
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
        return handler
    return ConsoleLogHandler(data_dir / CONSOLE_LOG_NAME, stderr)
