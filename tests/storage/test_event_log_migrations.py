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
        assert log.schema_version == LATEST_VERSION == 3
        assert log.count() == 2
        assert log.already_accepted(1234567, "PS-0") is not None
        (old_pending,) = log.unresolved_attempts()
        assert old_pending.order_id == "PS-1"
        assert old_pending.request_url is None  # the v2 column exists, empty for old rows
        assert old_pending.source == "console"  # v3: rows from before capture are the console's
        assert log.count(LogFilter(source="shop")) == 0
        assert log.count(LogFilter(source="console")) == 2
        assert [a.order_id for a in log.page(filters=LogFilter(order_id="PS-0"))] == ["PS-0"]
        names = {r[0] for r in log._conn.execute("SELECT name FROM sqlite_master")}
        assert {
            "attempts_order",
            "attempts_duplicate",
            "attempts_trace",
            "attempts_source",
        } <= names
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


def test_source_filters_captured_attempts_and_survives_export_import(tmp_path: Path) -> None:
    import io

    import pytest

    kept = {"profile": "p", "environment": "sandbox", "advertiser_id": 1, "event_name": "purchase",
            "value": "1", "currency": "EUR", "request_body": "{}"}  # fmt: skip
    with EventLog(tmp_path / "a.sqlite3") as log:
        log.begin_attempt(order_id="MINE", **kept)
        log.begin_attempt(order_id="SHOP", source="shop", **kept)
        with pytest.raises(ValueError, match="source"):
            log.begin_attempt(order_id="X", source="elsewhere", **kept)
        assert [a.order_id for a in log.page(filters=LogFilter(source="shop"))] == ["SHOP"]
        assert [a.order_id for a in log.page(filters=LogFilter(source="console"))] == ["MINE"]
        out = io.StringIO()
        log.export(out, "jsonl")
    with EventLog(tmp_path / "b.sqlite3") as other:
        assert other.import_jsonl(io.StringIO(out.getvalue())).added == 2
        assert [a.order_id for a in other.page(filters=LogFilter(source="shop"))] == ["SHOP"]
        # An export from before v3 has no source: its rows are the console's.
        old = (
            out.getvalue()
            .replace('"source": "shop"', '"source": null')
            .replace('"uuid": "', '"uuid": "x')
        )
        assert other.import_jsonl(io.StringIO(old)).added == 2
        assert other.count(LogFilter(source="console")) == 3


def test_an_attempt_with_a_known_outcome_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    import pytest

    from criteo_console.storage import LeakRefused

    kept = {"profile": "p", "environment": "sandbox", "advertiser_id": 1, "event_name": "purchase",
            "order_id": "SHOP-1", "value": "1", "currency": "EUR", "request_body": "{}",
            "source": "shop"}  # fmt: skip
    with EventLog(tmp_path / "log.sqlite3") as log:
        done = log.record_attempt(outcome={"state": "accepted", "http_status": 200}, **kept)
        assert (done.state, done.http_status, done.source) == ("accepted", 200, "shop")
        with pytest.raises(LeakRefused):
            log.record_attempt(
                outcome={"state": "rejected", "response_body": "tok-123"},
                forbidden=["tok-123"],
                **kept,
            )
        assert log.count() == 1  # the refused one left no pending row behind
