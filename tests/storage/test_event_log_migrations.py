from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from criteo_console.storage import EventLog, LogFilter, LogFromNewerVersion
from criteo_console.storage.log_schema import LATEST_VERSION, V1


def _v1_database(path: Path) -> None:
    """A log as the first release wrote it: the v1 DDL, user_version 1, two rows."""
    conn = sqlite3.connect(path)
    try:
        for statement in V1:
            conn.execute(statement)
        conn.execute("PRAGMA user_version = 1")
        for i, state in enumerate(("accepted", "pending")):
            conn.execute(
                "INSERT INTO attempts (uuid, session_id, created_at, state, profile, "
                "environment, advertiser_id, order_id, value, currency, request_body) "
                "VALUES (?, 'old-run', ?, ?, 'ACME', 'criteo', 1234567, ?, '149.90', 'EUR', "
                "'{}')",
                (f"uuid-{i}", f"2025-01-0{i + 1}T00:00:00.000000Z", state, f"PS-{i}"),
            )
        conn.commit()
    finally:
        conn.close()


def test_v1_log_upgrades_without_losing_rows(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    _v1_database(path)
    with EventLog(path) as log:
        assert log.schema_version == LATEST_VERSION == 2
        assert log.count() == 2
        assert log.already_accepted(1234567, "PS-0") is not None
        (old_pending,) = log.unresolved_attempts()
        assert old_pending.order_id == "PS-1"
        assert old_pending.request_url is None  # the v2 column exists, empty for old rows
        assert [a.order_id for a in log.page(filters=LogFilter(order_id="PS-0"))] == ["PS-0"]
        names = {r[0] for r in log._conn.execute("SELECT name FROM sqlite_master")}
        assert {"attempts_order", "attempts_duplicate", "attempts_trace"} <= names
    with EventLog(path) as again:  # opening an up-to-date log changes nothing
        assert again.count() == 2


def test_log_from_a_newer_console_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    _v1_database(path)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(LogFromNewerVersion, match="newer version"):
        EventLog(path)
    assert path.read_bytes() == before
