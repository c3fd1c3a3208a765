"""Small file helpers shared by the settings file, the event log, console.log and exports."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, cast

from criteo_console.storage.paths import StoragePaths

PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` readable by this user only.

    An existing folder is tightened to 0700 only when it is one of the console's own folders
    (the platform's, or ``CRITEO_CONSOLE_HOME``): any other folder, such as the one holding
    a log named by ``CRITEO_CONSOLE_LOG``, may be shared on purpose and is left as it is.
    """
    if not path.is_dir():
        path.mkdir(parents=True, mode=PRIVATE_DIR, exist_ok=True)
        return
    if path in StoragePaths.resolve().console_dirs:
        tighten_dir(path)


def tighten_dir(path: Path) -> None:
    """Remove group/other access from a folder this user owns. A sticky folder (``/tmp``)
    is shared by design and never touched; a folder we may not change is left as it is."""
    with contextlib.suppress(OSError):
        info = path.stat()
        mine = not hasattr(os, "geteuid") or info.st_uid == os.geteuid()
        if mine and not info.st_mode & stat.S_ISVTX and info.st_mode & 0o077:
            os.chmod(path, stat.S_IMODE(info.st_mode) & ~0o077)


def ensure_private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 unless it exists.

    The mode is passed to open() rather than set with umask: umask is process-wide, and
    another thread creating a file meanwhile would get it too. umask can only remove bits.
    """
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE))


def make_private(*paths: Path) -> None:
    """Remove group/other access from those of ``paths`` that exist (files made before)."""
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            if path.stat().st_mode & 0o077:
                os.chmod(path, PRIVATE_FILE)


@contextlib.contextmanager
def atomic_writer(path: Path, *, newline: str = "\n") -> Iterator[IO[str]]:
    """A text file that replaces ``path`` (mode 0600) only when the block ends normally.

    The text goes to a temporary file in the same folder, is fsynced and renamed over
    ``path``: a crash, a kill or an exception leaves the previous file (or none), never a
    partial one. A symlink keeps pointing where it did (its target is replaced). A target
    that is not a regular file (``/dev/stdout``, a pipe) is written to directly: there is no
    file to replace.
    """
    with _replacing(path, "w", newline) as handle:
        yield cast(IO[str], handle)


def write_atomically(path: Path, data: bytes) -> None:
    """``data`` replaces ``path`` (mode 0600) whole or not at all, as ``atomic_writer`` does."""
    with _replacing(path, "wb", None) as handle:
        handle.write(data)


@contextlib.contextmanager
def _replacing(path: Path, mode: str, newline: str | None) -> Iterator[IO[Any]]:
    encoding = None if "b" in mode else "utf-8"
    target = Path(os.path.realpath(path))
    if _is_special(target):
        with open(target, mode, encoding=encoding, newline=newline) as direct:
            yield direct
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, PRIVATE_FILE)  # mkstemp makes 0600 already; this states the promise
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_folder(target.parent)


def _is_special(path: Path) -> bool:
    try:
        return not stat.S_ISREG(path.stat().st_mode)
    except OSError:  # absent (the usual case) or unreadable: the rename path reports it
        return False


def _sync_folder(folder: Path) -> None:
    # The rename is durable only once the folder itself is on disk (POSIX; not on Windows).
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so a crash leaves either the old or the new file."""
    ensure_private_dir(path.parent)
    with atomic_writer(path) as handle:
        handle.write(text)


def move_aside(path: Path) -> Path:
    """Rename an unreadable file to ``<name>.corrupt-<UTC timestamp>`` and return the new path.

    Never overwrites: if the name is taken a counter is appended. SQLite's ``-wal``/``-shm``
    side files travel with the database so they are not replayed into a fresh one.
    """
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        counter += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
    os.rename(path, target)
    for suffix in ("-wal", "-shm", "-journal"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.rename(side, target.with_name(target.name + suffix))
    return target
