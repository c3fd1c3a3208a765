from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from criteo_console.storage import EventLog, LogUnreadable


@pytest.mark.parametrize(
    "content",
    [
        b"this is a text file someone saved here\n" * 20,
        b"SQLite format 3\x00" + b"\xff" * 4000,  # right header, garbage pages
    ],
    ids=["not-sqlite", "damaged-sqlite"],
)
def test_corrupt_log_is_reported_and_can_be_moved_aside(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "event-log.sqlite3"
    path.write_bytes(content)
    with pytest.raises(LogUnreadable) as caught:
        EventLog(path)
    message = str(caught.value)
    assert str(path) in message
    assert "cannot be read" in message
    assert "Move it aside" in message
    assert path.read_bytes() == content  # never silently overwritten

    kept = caught.value.move_aside()
    assert kept.name.startswith("event-log.sqlite3.corrupt-")
    assert kept.read_bytes() == content
    assert not path.exists()
    with EventLog(path) as fresh:
        assert fresh.count() == 0
    assert kept.read_bytes() == content


def test_someone_elses_sqlite_database_is_not_adopted(tmp_path: Path) -> None:
    path = tmp_path / "event-log.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(LogUnreadable, match="not a console event log"):
        EventLog(path)
    conn = sqlite3.connect(path)
    try:
        assert [r[0] for r in conn.execute("SELECT name FROM sqlite_master")] == ["recipes"]
    finally:
        conn.close()


def test_move_aside_never_overwrites_an_earlier_copy(tmp_path: Path) -> None:
    from criteo_console.storage import move_aside

    path = tmp_path / "event-log.sqlite3"
    path.write_bytes(b"one")
    first = move_aside(path)
    path.write_bytes(b"two")
    second = move_aside(path)
    assert first != second
    assert (first.read_bytes(), second.read_bytes()) == (b"one", b"two")
