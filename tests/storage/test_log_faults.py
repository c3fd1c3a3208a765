"""Locked, disk full, read-only and corrupt are four situations: each is said plainly, and only
a corrupt file is ever moved aside (a healthy log keeps its history and duplicate check)."""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from criteo_console.cli import main
from criteo_console.storage import EventLog, Fault, LogUnavailable, StoragePaths
from criteo_console.storage import event_log as event_log_module
from criteo_console.storage import files as files_module
from criteo_console.storage.log_schema import V1

from .log_helpers import record

Connect = Callable[..., sqlite3.Connection]
_REAL_CONNECT: Connect = sqlite3.connect


def _healthy_log(path: Path, rows: int = 2) -> None:
    with EventLog(path) as log:
        for number in range(rows):
            record(log, f"PS-{number}")


def _v1_log(path: Path) -> None:
    """A log from the first release: opening it means writing (the v2 migration)."""
    conn = _REAL_CONNECT(path)
    for statement in V1:
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute(
        "INSERT INTO attempts (uuid, session_id, created_at, state, profile, environment, "
        "advertiser_id, order_id, request_body) VALUES ('u-1', 'old', "
        "'2025-01-01T00:00:00.000000Z', 'accepted', 'ACME', 'criteo', 1234567, 'PS-0', '{}')"
    )
    conn.commit()
    conn.close()


def _rows(path: Path) -> int:
    conn = _REAL_CONNECT(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM attempts").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def log_path(home: Path) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    return StoragePaths.resolve().log_file


@pytest.fixture
def short_busy_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    """Open gives up on another program's lock after 50 ms instead of 5 s."""
    monkeypatch.setattr(event_log_module, "BUSY_TIMEOUT_MS", 50)


@pytest.fixture
def reads_blocked(log_path: Path, short_busy_wait: None) -> Iterator[sqlite3.Connection]:
    """Another program holds the log exclusively (its own locking mode): nobody may read."""
    _healthy_log(log_path)
    other = sqlite3.connect(log_path, isolation_level=None, timeout=0)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    other.execute("UPDATE attempts SET profile = profile")
    yield other
    other.close()  # ends the transaction and the exclusive lock


def _patch_connect(monkeypatch: pytest.MonkeyPatch, opener: Callable[[Path], Any]) -> None:
    real = _REAL_CONNECT

    def connect(path: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = opener(Path(path))
        return conn if conn is not None else real(path, *args, **kwargs)

    monkeypatch.setattr(event_log_module.sqlite3, "connect", connect)


@pytest.fixture
def disk_full(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's own "database or disk is full": the file may not grow by a single page."""
    real = _REAL_CONNECT

    def full(path: Path) -> sqlite3.Connection:
        conn = real(path, isolation_level=None, check_same_thread=False)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {max(pages, 1)}")
        return conn

    _patch_connect(monkeypatch, full)


def open_read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's own "attempt to write a readonly database" (root ignores chmod)."""

    def ro(path: Path) -> sqlite3.Connection:
        return _REAL_CONNECT(
            f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False
        )

    _patch_connect(monkeypatch, ro)


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    open_read_only(monkeypatch)


# -- the open path says which --------------------------------------------------------------


def test_a_log_another_program_holds_is_busy_not_unreadable(
    log_path: Path, reads_blocked: sqlite3.Connection
) -> None:
    with pytest.raises(LogUnavailable) as caught:
        EventLog(log_path)
    assert caught.value.fault is Fault.BUSY
    assert "is busy (another program has it open" in str(caught.value)
    assert "Move it aside" not in str(caught.value)
    with pytest.raises(LogUnavailable):
        caught.value.move_aside()
    assert log_path.exists()


def test_a_full_disk_during_an_upgrade_is_said_and_the_rows_stay(
    log_path: Path, disk_full: None
) -> None:
    _v1_log(log_path)
    with pytest.raises(LogUnavailable) as caught:
        EventLog(log_path)
    assert caught.value.fault is Fault.DISK_FULL
    assert "the disk is full" in str(caught.value)
    assert _rows(log_path) == 1


def test_a_read_only_log_is_said_and_left_alone(log_path: Path, read_only: None) -> None:
    _v1_log(log_path)
    with pytest.raises(LogUnavailable) as caught:
        EventLog(log_path)
    assert caught.value.fault is Fault.READ_ONLY
    assert "read-only" in str(caught.value)
    assert _rows(log_path) == 1


@pytest.mark.parametrize(
    ("code", "fault", "words"),
    [
        (errno.ENOSPC, Fault.DISK_FULL, "the disk is full"),
        (errno.EROFS, Fault.READ_ONLY, "its folder is read-only"),
        (errno.EACCES, Fault.READ_ONLY, "this user may not write there"),
    ],
)
def test_a_new_log_that_cannot_be_created_says_why(
    log_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, fault: Fault, words: str
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> int:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(files_module.os, "open", refuse)
    with pytest.raises(LogUnavailable) as caught:
        EventLog(log_path)
    assert caught.value.fault is fault
    assert words in str(caught.value)


# -- through the command line: one plain line, and move-aside keeps a readable log ---------


def _one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_log_commands_on_a_busy_log_say_busy_and_move_aside_keeps_it(
    log_path: Path, reads_blocked: sqlite3.Connection, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["log", "list"]) == 1
    assert "is busy (another program has it open" in _one_line(capsys.readouterr().err)
    assert main(["log", "move-aside"]) == 1
    line = _one_line(capsys.readouterr().err)
    assert "is busy" in line
    assert "not moved aside" in line
    assert list(log_path.parent.glob("*.corrupt-*")) == []
    reads_blocked.close()
    assert _rows(log_path) == 2


def test_move_aside_keeps_a_log_locked_by_a_writer(
    log_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _healthy_log(log_path)
    other = sqlite3.connect(log_path, isolation_level=None, timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    try:
        assert main(["log", "move-aside"]) == 1
        assert "is readable; it was left as it is" in capsys.readouterr().out
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert list(log_path.parent.glob("*.corrupt-*")) == []
    assert main(["log", "list"]) == 0
    assert "2 of 2 attempts shown." in capsys.readouterr().out


@pytest.mark.parametrize("fault", ["disk_full", "read_only"])
def test_move_aside_never_moves_a_log_it_cannot_write(
    log_path: Path, fault: str, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    _v1_log(log_path)
    request.getfixturevalue(fault)
    assert main(["log", "move-aside"]) == 1
    line = _one_line(capsys.readouterr().err)
    assert ("the disk is full" if fault == "disk_full" else "read-only") in line
    assert "not moved aside" in line
    assert list(log_path.parent.glob("*.corrupt-*")) == []
    assert _rows(log_path) == 1


def test_move_aside_moves_a_corrupt_log(log_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    log_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    assert main(["log", "move-aside"]) == 0
    assert "kept as" in capsys.readouterr().out
    assert len(list(log_path.parent.glob("*.corrupt-*"))) == 1


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.EROFS, "read-only"), (errno.EACCES, "may not write"), (errno.ENOSPC, "disk is full")],
)
def test_a_corrupt_log_that_cannot_be_renamed_is_one_plain_line(
    log_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: int,
    words: str,
) -> None:
    log_path.write_bytes(b"garbage" * 100)

    def refuse(*args: Any) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(files_module.os, "rename", refuse)
    assert main(["log", "move-aside"]) == 1
    line = _one_line(capsys.readouterr().err)
    assert line.startswith(f"The unreadable log at {log_path} cannot be moved aside: ")
    assert words in line
    assert log_path.read_bytes() == b"garbage" * 100


# -- send on a log another program is writing: the plain explanation, as it happens ---------


def test_send_on_a_busy_log_says_so_plainly_and_sends_nothing(
    log_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from criteo_console.core import dumps_json
    from criteo_console.core.examples import guide_example_order
    from criteo_console.session import session as session_module

    monkeypatch.setattr(session_module, "RECORD_TRIES", 3)
    monkeypatch.setattr(session_module, "RECORD_PAUSE_S", 0.01)
    order = tmp_path / "order.json"
    order.write_text(dumps_json(guide_example_order()), encoding="utf-8")
    _healthy_log(log_path, rows=0)
    other = sqlite3.connect(log_path, isolation_level=None, timeout=0)
    other.execute("BEGIN EXCLUSIVE")  # a second console or a backup tool writing
    try:
        assert main(["send", str(order), "--sandbox"]) == 1
    finally:
        other.execute("ROLLBACK")
        other.close()
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("✓ order check")
    assert lines[1].startswith("… The event log is busy (another program has it open")
    assert lines[2].startswith("✗ event log: The event log is busy (another program has it open")
    assert "nothing was sent" in lines[2]
    assert "(try" not in err
    assert "Traceback" not in err
    assert _rows(log_path) == 0


def test_send_on_a_log_nobody_may_read_is_a_failed_step_not_a_usage_error(
    log_path: Path,
    tmp_path: Path,
    reads_blocked: sqlite3.Connection,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from criteo_console.core import dumps_json
    from criteo_console.core.examples import guide_example_order

    order = tmp_path / "order.json"
    order.write_text(dumps_json(guide_example_order()), encoding="utf-8")
    assert main(["send", str(order), "--sandbox"]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("✓ order check")
    assert lines[1].startswith(f"✗ event log: The event log at {log_path} is busy")
    assert lines[1].endswith("Nothing was sent: every attempt is recorded before it goes out.")
    assert err == "Stopped at: event log.\n"


def test_log_import_while_another_program_writes_is_one_plain_line(
    log_path: Path, tmp_path: Path, short_busy_wait: None, capsys: pytest.CaptureFixture[str]
) -> None:
    _healthy_log(log_path, rows=1)
    export = tmp_path / "export.jsonl"
    assert main(["log", "export", "--output", str(export)]) == 0
    capsys.readouterr()
    other = sqlite3.connect(log_path, isolation_level=None, timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    try:
        assert main(["log", "import", str(export)]) == 1
    finally:
        other.execute("ROLLBACK")
        other.close()
    line = _one_line(capsys.readouterr().err)
    assert line.startswith(f"The event log at {log_path} is busy (another program has it open")


def test_send_on_a_log_it_cannot_write_says_why_and_sends_nothing(
    log_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from criteo_console.core import dumps_json
    from criteo_console.core.examples import guide_example_order

    order = tmp_path / "order.json"
    order.write_text(dumps_json(guide_example_order()), encoding="utf-8")
    _healthy_log(log_path, rows=0)
    open_read_only(monkeypatch)
    assert main(["send", str(order), "--sandbox"]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("✓ order check")
    assert lines[1].startswith(f"✗ event log: The event log at {log_path} cannot be written: ")
    assert "read-only" in lines[1]
    assert "Nothing was sent" in lines[1]
    assert "Traceback" not in err
    assert _rows(log_path) == 0
