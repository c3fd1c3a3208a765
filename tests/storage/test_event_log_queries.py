from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from criteo_console.storage import EventLog, LogFilter

from .log_helpers import record


@pytest.fixture
def filled(log: EventLog) -> EventLog:
    """30 attempts over two profiles and advertisers, with each final state."""
    for i in range(30):
        attempt = record(
            log,
            f"PS-{i:04d}",
            profile="ACME" if i % 2 else "Globex",
            advertiser_id=1234567 if i % 3 else 7654321,
        )
        outcome = ("accepted", "rejected", "failed")[i % 3]
        log.complete_attempt(
            attempt,
            state=outcome,  # type: ignore[arg-type]
            http_status={"accepted": 200, "rejected": 403, "failed": None}[outcome],
            trace_id=f"trace-{i:04d}-abc",
            latency_ms=120,
            reason=None if outcome == "accepted" else "insufficient-advertisers-permissions",
        )
    return log


def test_a_pending_row_is_committed_before_the_request(log: EventLog, tmp_path: Path) -> None:
    attempt = record(log, "PS-1")
    with EventLog(log.path) as other:  # another connection sees it: it is on disk
        row = other.get(attempt)
    assert row is not None
    assert row.state == "pending"
    assert not row.outcome_unknown  # this run may still complete it
    assert row.request_headers["Authorization"] == "Bearer [redacted]"
    assert row.value == "149.90"
    assert row.value_decimal == Decimal("149.90")


def test_complete_records_outcome(log: EventLog) -> None:
    attempt = record(log, "PS-1")
    done = log.complete_attempt(
        attempt, state="rejected", http_status=400, trace_id="t-1", reason="bad currency"
    )
    assert (done.state, done.http_status, done.trace_id, done.reason) == (
        "rejected",
        400,
        "t-1",
        "bad currency",
    )
    assert done.completed_at is not None
    with pytest.raises(ValueError, match="accepted, rejected or failed"):
        log.complete_attempt(attempt, state="pending")  # type: ignore[arg-type]


def test_pages_are_newest_first_and_cover_every_row_once(filled: EventLog) -> None:
    seen: list[int] = []
    before = None
    while page := filled.page(limit=7, before_id=before):
        seen += [a.id for a in page]
        before = page[-1].id
    assert seen == sorted(seen, reverse=True)
    assert len(seen) == len(set(seen)) == 30
    assert filled.page(limit=1)[0].order_id == "PS-0029"


def test_filters_combine(filled: EventLog) -> None:
    acme_accepted = LogFilter(profile="ACME", state="accepted")
    rows = filled.page(limit=100, filters=acme_accepted)
    assert rows
    assert all(r.profile == "ACME" and r.state == "accepted" for r in rows)
    assert filled.count(acme_accepted) == len(rows)
    assert [r.order_id for r in filled.page(filters=LogFilter(order_id="PS-0007"))] == ["PS-0007"]
    assert filled.count(LogFilter(advertiser_id=7654321)) == 10


def test_date_range(filled: EventLog) -> None:
    now = datetime.now(UTC)
    assert filled.count(LogFilter(since=now - timedelta(minutes=5))) == 30
    assert filled.count(LogFilter(until=now - timedelta(minutes=5))) == 0
    assert filled.count(LogFilter(since=now + timedelta(minutes=5))) == 0


def test_free_text_search_on_order_id_and_trace_id(filled: EventLog) -> None:
    assert {a.order_id for a in filled.page(filters=LogFilter(text="0012"))} == {"PS-0012"}
    assert filled.count(LogFilter(text="TRACE-0013")) == 1  # case-insensitive
    assert filled.count(LogFilter(text="%")) == 0  # wildcards are literal
    assert filled.count(LogFilter(text="PS-00")) == 30


def test_already_accepted_is_per_advertiser_and_ignores_rejections(filled: EventLog) -> None:
    accepted = filled.already_accepted(1234567, "PS-0004")  # i=4: accepted? 4 % 3 == 1
    assert accepted is None  # rejected, so no duplicate warning
    hit = filled.already_accepted(7654321, "PS-0003")  # i=3: accepted at advertiser 7654321
    assert hit is not None
    assert hit.state == "accepted"
    assert filled.already_accepted(1234567, "PS-0003") is None


def test_export_and_import_round_trip_without_duplicates(filled: EventLog, tmp_path: Path) -> None:
    buffer = io.StringIO()
    assert filled.export(buffer, "jsonl") == 30
    lines = buffer.getvalue().splitlines()
    first = json.loads(lines[0])
    assert first["order_id"] == "PS-0000"
    assert first["request_headers"]["Authorization"] == "Bearer [redacted]"
    assert "id" not in first
    assert "session_id" not in first

    with EventLog(tmp_path / "other-machine.sqlite3") as other:
        result = other.import_jsonl(io.StringIO(buffer.getvalue()))
        assert (result.added, result.duplicates, result.problems) == (30, 0, [])
        again = other.import_jsonl(io.StringIO(buffer.getvalue()))
        assert (again.added, again.duplicates) == (0, 30)
        assert other.count() == 30
        imported = other.page(limit=1, filters=LogFilter(order_id="PS-0029"))[0]
        original = filled.page(limit=1, filters=LogFilter(order_id="PS-0029"))[0]
        assert imported.to_dict() | {"id": 0, "session_id": ""} == original.to_dict() | {
            "id": 0,
            "session_id": "",
        }
    back = filled.import_jsonl(io.StringIO(buffer.getvalue()))
    assert (back.added, back.duplicates) == (0, 30)


def test_import_reports_bad_lines_and_keeps_good_ones(log: EventLog) -> None:
    good = {
        "uuid": "u-1",
        "created_at": "2026-01-01T00:00:00.000000Z",
        "state": "accepted",
        "profile": "P",
        "environment": "criteo",
        "value": "10.00",
    }
    text = "\n".join(
        [json.dumps(good), "{broken", json.dumps({**good, "uuid": "u-2", "state": "lost"})]
    )
    result = log.import_jsonl(io.StringIO(text))
    assert result.added == 1
    assert any("Line 2 is not JSON" in p for p in result.problems)
    assert any("Line 3" in p and "unknown state" in p for p in result.problems)


def test_csv_export_has_a_header_and_exact_values(filled: EventLog) -> None:
    buffer = io.StringIO()
    assert filled.export(buffer, "csv", LogFilter(profile="ACME")) == 15
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert len(rows) == 15
    assert rows[0]["value"] == "149.90"
    assert rows[0]["currency"] == "EUR"
    assert {r["profile"] for r in rows} == {"ACME"}


def test_v2_indexes_serve_the_order_id_and_duplicate_queries(log: EventLog) -> None:
    conn = log._conn
    plan = " ".join(
        str(r[-1])
        for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM attempts WHERE order_id = ? ORDER BY id DESC",
            ("x",),
        )
    )
    assert "attempts_order" in plan
    plan = " ".join(
        str(r[-1])
        for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM attempts WHERE advertiser_id = ? "
            "AND order_id = ? AND state = 'accepted'",
            (1, "x"),
        )
    )
    assert "attempts_duplicate" in plan
