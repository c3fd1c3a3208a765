"""Small file helpers shared by the settings file and the event log."""

from __future__ import annotations

import contextlib
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` readable by this user only; an existing folder is left as it is
    (it may be one the user chose, shared on purpose)."""
    if not path.is_dir():
        path.mkdir(parents=True, mode=PRIVATE_DIR, exist_ok=True)


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


def atomic_write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so a crash leaves either the old or the new file."""
    ensure_private_dir(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, PRIVATE_FILE)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


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
