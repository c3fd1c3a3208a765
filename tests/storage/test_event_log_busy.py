"""A pending row's write waits only as long as its caller allows for another program's lock."""

from __future__ import annotations

import sqlite3
import time

import pytest

from criteo_console.storage import EventLog
from criteo_console.storage.event_log import BUSY_TIMEOUT_MS


def begin(log: EventLog, **options: object) -> int:
    return log.begin_attempt(
        profile="ACME",
        environment="criteo",
        advertiser_id=1234567,
        event_name="purchase",
        order_id="PS-1",
        value="149.90",
        currency="EUR",
        request_body="{}",
        **options,  # type: ignore[arg-type]
    )


def test_a_short_busy_timeout_gives_up_quickly_and_the_default_comes_back(log: EventLog) -> None:
    other = sqlite3.connect(log.path, isolation_level=None, timeout=0)
    other.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            begin(log, busy_timeout_ms=50)
        assert time.monotonic() - started < BUSY_TIMEOUT_MS / 1000 / 2  # not the 5 s default
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert log._conn.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_MS
    assert log.get(begin(log, busy_timeout_ms=50)) is not None
