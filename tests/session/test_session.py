"""ValidationSession over the real sandbox socket and a real SQLite log: what a user would see."""

from __future__ import annotations

import asyncio
import copy
import time
from typing import Any

import pytest

from criteo_console.core.examples import guide_example_order
from criteo_console.sandbox import SandboxServer
from criteo_console.session import (
    CANCELLED_BEFORE_SEND,
    CANCELLED_IN_FLIGHT,
    Progress,
    SendStatus,
    Step,
    StepState,
    shop_summary_of,
)
from criteo_console.storage import EventLog

GUIDE_ORDER: dict[str, Any] = guide_example_order(
    email="  John.Doe@Example.COM ", email_sha256=None
)


def order(**changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(GUIDE_ORDER)
    out.update(changes)
    return out


async def wait_for(condition: Any, within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def test_connection_reports_token_then_scope(make_session: Any) -> None:
    seen: list[Progress] = []
    report = await make_session().test_connection(seen.append)
    assert report.ok
    assert report.token.state is not None and report.token.state.has_token
    assert "1234567" in report.scope.explanation  # type: ignore[union-attr]
    assert [(p.step, p.state) for p in seen] == [
        (Step.TOKEN, StepState.RUNNING),
        (Step.TOKEN, StepState.OK),
        (Step.SCOPE, StepState.RUNNING),
        (Step.SCOPE, StepState.OK),
    ]


async def test_wrong_secret_is_explained_and_scope_not_tried(
    make_session: Any, sandbox: SandboxServer
) -> None:
    report = await make_session(secret="not-the-secret").test_connection()
    assert not report.ok and report.scope is None
    assert "client id or secret" in report.explanation
    assert sandbox.request_count("advertisers") == 0


async def test_out_of_scope_advertiser_names_the_reachable_ones(make_session: Any) -> None:
    report = await make_session(advertiser_id=7654321).test_connection()
    assert report.token.ok and not report.ok
    assert "7654321 is not in this account's scope" in report.explanation
    assert "1234567" in report.explanation


async def test_send_logs_the_attempt_before_and_after(
    make_session: Any, sandbox: SandboxServer, event_log: EventLog
) -> None:
    seen: list[Progress] = []
    session = make_session()
    report = await session.send(order(), progress=seen.append)
    assert report.status is SendStatus.ACCEPTED, report.explanation
    row = report.attempt
    assert row is not None and row.state == "accepted"
    assert row.http_status == 200 and row.trace_id and row.latency_ms is not None
    assert row.order_id == "PS-10428" and row.value == "149.90" and row.currency == "EUR"
    assert row.request_headers["Authorization"] == "Bearer [redacted]"
    assert row.request_url == f"{sandbox.base_url}/2023-07/conversions"
    summary = shop_summary_of(row)
    assert summary is not None and str(summary.value) == "149.90" and summary.line_count == 2
    assert len(sandbox.find_received("PS-10428")) == 1
    steps = [p.step for p in seen if p.state is StepState.RUNNING]
    assert steps == [Step.TOKEN, Step.SCOPE, Step.POST]
    assert event_log.get(row.id) == row


async def test_raw_email_and_secret_never_reach_the_log_file(
    make_session: Any, event_log: EventLog
) -> None:
    report = await make_session().send(order())
    assert report.ok
    event_log.close()
    data = b"".join(p.read_bytes() for p in event_log.path.parent.glob("log.sqlite3*"))
    assert b"John.Doe@Example.COM" not in data and b"john.doe@example.com" not in data
    assert b"sandbox-secret" not in data


async def test_invalid_order_is_not_sent_nor_logged(
    make_session: Any, sandbox: SandboxServer, event_log: EventLog
) -> None:
    report = await make_session().send(order(currency="EURO"))
    assert report.status is SendStatus.INVALID
    assert "1 problem" in report.explanation
    assert event_log.count() == 0 and sandbox.request_count("token") == 0


async def test_duplicate_order_is_held_back_until_confirmed(
    make_session: Any, sandbox: SandboxServer
) -> None:
    session = make_session()
    assert (await session.send(order())).ok
    again = await session.send(order())
    assert again.status is SendStatus.DUPLICATE
    assert "already accepted" in again.explanation and again.duplicate_of is not None
    assert len(sandbox.find_received("PS-10428")) == 1
    confirmed = await session.send(order(), allow_duplicate=True)
    assert confirmed.status is not SendStatus.DUPLICATE
    assert len(sandbox.find_received("PS-10428")) == 2


async def test_out_of_scope_send_is_logged_as_failed_without_posting(
    make_session: Any, sandbox: SandboxServer
) -> None:
    report = await make_session(advertiser_id=7654321).send(order())
    assert report.status is SendStatus.FAILED
    assert report.attempt is not None and report.attempt.state == "failed"
    assert report.attempt.reason == "scope"
    assert "redo the consent" in (report.attempt.error_explanation or "")
    assert sandbox.request_count("conversions") == 0


async def test_rate_limited_then_accepted(make_session: Any, sandbox: SandboxServer) -> None:
    sandbox.queue_fault("rate-limit", times=1, endpoint="conversions")
    report = await make_session().send(order())
    assert report.ok, report.explanation
    assert report.attempt is not None and report.attempt.attempt_count == 2


async def test_sandbox_stopped_is_a_plain_failure(
    make_session: Any, sandbox: SandboxServer
) -> None:
    session = make_session()
    sandbox.stop()
    report = await session.send(order())
    assert report.status is SendStatus.FAILED
    assert "Could not reach the sandbox" in report.explanation
    assert report.attempt is not None and report.attempt.state == "failed"


async def test_retired_version_is_explained(make_session: Any, sandbox: SandboxServer) -> None:
    sandbox.queue_fault("retired", times=3)
    report = await make_session().send(order())
    assert report.status is SendStatus.FAILED
    assert "retired" in report.explanation


async def test_cancel_during_post_marks_row_possibly_sent(
    make_session: Any, sandbox: SandboxServer, event_log: EventLog
) -> None:
    session = make_session()
    sandbox.queue_fault("slow", times=1, endpoint="conversions")
    task = asyncio.create_task(session.send(order()))
    await wait_for(lambda: sandbox.request_count("conversions") == 1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    (row,) = event_log.page()
    assert row.state == "failed" and row.reason == "cancelled-in-flight"
    assert row.error_explanation == CANCELLED_IN_FLIGHT
    # …and it counts as an earlier send: the next one asks first.
    again = await session.send(order())
    assert again.status is SendStatus.DUPLICATE and "outcome is unknown" in again.explanation


async def test_cancel_before_post_says_nothing_was_sent(
    make_session: Any, sandbox: SandboxServer, event_log: EventLog
) -> None:
    session = make_session()
    sandbox.queue_fault("slow", times=1, endpoint="token")
    task = asyncio.create_task(session.send(order()))
    await wait_for(lambda: sandbox.request_count("token") == 1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    (row,) = event_log.page()
    assert row.reason == "cancelled" and row.error_explanation == CANCELLED_BEFORE_SEND
    assert sandbox.request_count("conversions") == 0


async def test_a_log_held_by_another_program_fails_plainly_without_sending(
    make_session: Any, event_log: EventLog, sandbox: SandboxServer, sleeps: Any
) -> None:
    import sqlite3

    from criteo_console.session.session import LOG_BUSY, RECORD_PAUSE_S, RECORD_TRIES

    other = sqlite3.connect(event_log.path, isolation_level=None, timeout=0)
    other.execute("BEGIN EXCLUSIVE")  # e.g. a second console or a backup tool writing
    try:
        seen: list[Progress] = []
        report = await make_session().send(order(), progress=seen.append)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert report.status is SendStatus.FAILED and report.explanation == LOG_BUSY
    assert (
        "is busy (another program has it open" in LOG_BUSY and "Close the other program" in LOG_BUSY
    )
    assert (Step.RECORD, StepState.FAILED) in [(p.step, p.state) for p in seen]
    assert sleeps.waits == [RECORD_PAUSE_S] * (RECORD_TRIES - 1)  # waited without blocking
    assert sandbox.request_count("token") == 0 and sandbox.request_count("conversions") == 0
    assert event_log.page() == []
    # Once the other program lets go, the same session records and sends.
    assert (await make_session().send(order())).ok
