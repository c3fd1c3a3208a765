"""Why a file the console keeps cannot be used right now, said in one plain line.

Locked, disk full, read-only and corrupt are different situations with different remedies;
only a corrupt file may be moved aside, so the classification errs towards "not corrupt":
an error it does not recognise is an input/output problem, never corruption.
"""

from __future__ import annotations

import enum
import errno
import shutil
import sqlite3
from pathlib import Path


class Fault(enum.Enum):
    BUSY = "busy"
    DISK_FULL = "disk full"
    READ_ONLY = "read-only"
    CORRUPT = "corrupt"
    IO_ERROR = "input/output error"


_WHY_NOT = {
    Fault.DISK_FULL: "the disk is full",
    Fault.READ_ONLY: "its folder is read-only, or this user may not write there",
    Fault.IO_ERROR: "the disk reported an error",
}
BUSY_PROBLEM = (
    "is busy (another program has it open: another console window, or a backup or sync tool)"
)
# The one wording of a locked event log (the send path adds what it means for the send).
EVENT_LOG_BUSY = f"The event log {BUSY_PROBLEM}"

_REMEDY = {
    Fault.BUSY: "Close the other program, then try again.",
    Fault.DISK_FULL: "Free some space on the disk, then try again.",
    Fault.READ_ONLY: "Make the folder writable for this user, then try again.",
    Fault.IO_ERROR: "Check the disk, then try again.",
}

_ERRNO_FAULTS = {
    code: fault
    for name, fault in (
        ("ENOSPC", Fault.DISK_FULL),
        ("EDQUOT", Fault.DISK_FULL),
        ("EROFS", Fault.READ_ONLY),
        ("EACCES", Fault.READ_ONLY),
        ("EPERM", Fault.READ_ONLY),
        ("EBUSY", Fault.BUSY),
        ("ETXTBSY", Fault.BUSY),
    )
    if (code := getattr(errno, name, None)) is not None  # not every platform has each
}
_WINDOWS_SHARING_VIOLATIONS = frozenset({32, 33})  # another process has the file open/locked

# SQLite's primary result codes (the low byte of an extended code).
_SQLITE_FAULTS = {
    sqlite3.SQLITE_BUSY: Fault.BUSY,
    sqlite3.SQLITE_LOCKED: Fault.BUSY,
    sqlite3.SQLITE_FULL: Fault.DISK_FULL,
    sqlite3.SQLITE_READONLY: Fault.READ_ONLY,
    sqlite3.SQLITE_PERM: Fault.READ_ONLY,
    sqlite3.SQLITE_CANTOPEN: Fault.READ_ONLY,
    sqlite3.SQLITE_CORRUPT: Fault.CORRUPT,
    sqlite3.SQLITE_NOTADB: Fault.CORRUPT,
}
_NEARLY_FULL_BYTES = 1 << 20


def fault_of_os_error(exc: OSError) -> Fault:
    if getattr(exc, "winerror", None) in _WINDOWS_SHARING_VIOLATIONS:
        return Fault.BUSY
    return _ERRNO_FAULTS.get(exc.errno or 0, Fault.IO_ERROR)


def fault_of_sqlite_error(exc: sqlite3.Error, path: Path | None = None) -> Fault:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        fault = _SQLITE_FAULTS.get(code & 0xFF, Fault.IO_ERROR)
    else:  # raised by Python's own checks, without a code: read the wording
        text = str(exc).lower()
        if "locked" in text or "busy" in text:
            fault = Fault.BUSY
        elif "full" in text:
            fault = Fault.DISK_FULL
        elif "readonly" in text or "read-only" in text:
            fault = Fault.READ_ONLY
        else:
            fault = Fault.IO_ERROR
    # SQLite reports some writes that ran out of space as a plain I/O error.
    if fault is Fault.IO_ERROR and path is not None and _nearly_full(path.parent):
        return Fault.DISK_FULL
    return fault


def _nearly_full(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < _NEARLY_FULL_BYTES
    except OSError:
        return False


def describe(
    fault: Fault, what: str, action: str = "written", detail: str = "", unchanged: bool = True
) -> str:
    """``what`` (e.g. "The event log at /x") and why it cannot be ``action`` (written, moved
    aside…), with the remedy, in one line. ``detail`` adds the system's words.

    Not for :attr:`Fault.CORRUPT`: each kind of file says itself what to do with a damaged
    copy."""
    nothing = " Nothing was changed." if unchanged else ""
    return f"{problem(fault, what, action, detail)}.{nothing} {_REMEDY[fault]}"


def problem(fault: Fault, what: str, action: str = "written", detail: str = "") -> str:
    """``what`` and why it cannot be ``action``, without a remedy or a full stop."""
    extra = f" ({detail})" if detail else ""
    if fault is Fault.BUSY:
        return f"{what} {BUSY_PROBLEM}{extra}"
    return f"{what} cannot be {action}: {_WHY_NOT.get(fault, _WHY_NOT[Fault.IO_ERROR])}{extra}"


def describe_sqlite_error(exc: sqlite3.Error, what: str, path: Path | None = None) -> str:
    """An SQLite error met while using a file that opened fine, in one line. Damage found
    this late is reported as an input/output error: only the open check offers a move."""
    fault = fault_of_sqlite_error(exc, path)
    if fault in (Fault.IO_ERROR, Fault.CORRUPT):
        return describe(Fault.IO_ERROR, what, detail=str(exc))
    return describe(fault, what)


class StorageFault(OSError):
    """A file the console keeps could not be written (or read); ``str()`` is one plain line
    for the user, and nothing was changed. An ``OSError`` so that callers that already handle
    file errors keep doing so."""

    def __init__(self, message: str, fault: Fault, path: Path) -> None:
        super().__init__(message)
        self.fault = fault
        self.path = path

    def __str__(self) -> str:
        return str(self.args[0])

    @classmethod
    def from_os_error(
        cls, exc: OSError, what: str, path: Path, action: str = "written", unchanged: bool = True
    ) -> StorageFault:
        """``exc`` said plainly: "``what`` cannot be ``action``: the disk is full…"."""
        if isinstance(exc, StorageFault):
            return exc
        fault = fault_of_os_error(exc)
        detail = (exc.strerror or type(exc).__name__).lower() if fault is Fault.IO_ERROR else ""
        return cls(describe(fault, what, action, detail, unchanged), fault, path)
