"""A send for an Events API profile, through the same session as the guide's contract: no
token, the s2s body posted to /m/event, the attempt logged before and after."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from criteo_console.core.destinations import DestinationSettings
from criteo_console.core.examples import guide_example_order
from criteo_console.sandbox import Fault, SandboxServer
from criteo_console.session import Progress, SendStatus, Step, StepState
from criteo_console.storage import EventLog

RAW_EMAIL = "  John.Doe@Example.COM "
SANDBOX_EVENTS = DestinationSettings(account="12345", mapping_key="sandbox-caller")


def fresh_order(order_id: str = "PS-EV-1", **changes: Any) -> dict[str, Any]:
    return guide_example_order(
        order_id=order_id,
        event_time=datetime.now(UTC).isoformat(),
        email=RAW_EMAIL,
        email_sha256=None,
        gum_id="d0f3a1c2e4b5",
        **changes,
    )


def events_session(make_session: Any, **settings: str) -> Any:
    chosen = dataclasses.replace(SANDBOX_EVENTS, **settings)
    return make_session(secret="", destination="events", events=chosen)


async def test_an_events_profile_posts_the_s2s_body_without_a_token(
    make_session: Any, sandbox: SandboxServer, event_log: EventLog, tmp_path: Path
) -> None:
    seen: list[Progress] = []
    session = events_session(make_session)
    report = await session.send(fresh_order(), progress=seen.append)

    assert report.status is SendStatus.ACCEPTED, report.explanation
    assert sandbox.request_count("token") == sandbox.request_count("advertisers") == 0
    assert [(p.step, p.state) for p in report.progress if p.step in (Step.TOKEN, Step.SCOPE)] == [
        (Step.TOKEN, StepState.SKIPPED),
        (Step.SCOPE, StepState.SKIPPED),
    ]
    posting = next(p for p in seen if p.step is Step.POST and p.state is StepState.RUNNING)
    assert "Events API (s2s)" in posting.message and "/m/event?version=s2s_v0" in posting.message

    row = report.attempt
    assert row is not None and row.state == "accepted"
    assert row.request_url == f"{sandbox.base_url}/m/event?version=s2s_v0"
    assert "authorization" not in {k.lower() for k in row.request_headers}
    assert row.advertiser_id == 12345 and row.order_id == "PS-EV-1"
    assert row.http_status == 200
    assert '"mapping_key": "sandbox-caller"' in (row.request_body or "")
    received = sandbox.find_received("PS-EV-1")
    assert len(received) == 1 and received[0].endpoint == "events"
    # The raw address went nowhere: not in the log file, not in what the sandbox received.
    log_bytes = _all_bytes(tmp_path)
    assert b"john.doe" not in log_bytes.lower()
    assert "john.doe" not in repr(received[0].body).lower()


async def test_a_307_is_followed_and_logged(make_session: Any, sandbox: SandboxServer) -> None:
    sandbox.queue_fault(Fault.REDIRECT, endpoint="events")
    report = await events_session(make_session).send(fresh_order("PS-EV-307"))

    assert report.status is SendStatus.ACCEPTED, report.explanation
    row = report.attempt
    assert row is not None and row.attempt_count == 2 and row.http_status == 200
    urls = [s["url"] for s in row.steps if "url" in s]
    assert urls[-1].endswith("/eu/m/event?version=s2s_v0")


async def test_errors_inside_a_200_are_logged_as_rejected(
    make_session: Any, sandbox: SandboxServer
) -> None:
    sandbox.queue_fault(Fault.ERRORS_IN_200, endpoint="events")
    report = await events_session(make_session).send(fresh_order("PS-EV-200"))

    assert report.status is SendStatus.REJECTED
    assert report.attempt is not None and report.attempt.state == "rejected"
    assert "answered 200 but listed errors" in report.explanation


async def test_a_missing_caller_id_stops_before_anything_is_logged_or_sent(
    make_session: Any, sandbox: SandboxServer, event_log: EventLog
) -> None:
    report = await events_session(make_session, mapping_key="").send(fresh_order())

    assert report.status is SendStatus.INVALID
    assert [i.field for i in report.check.errors] == ["mapping_key"]
    assert sandbox.request_count("events") == 0
    assert event_log.page(limit=5) == []


async def test_an_accepted_event_counts_as_an_earlier_send_for_that_account(
    make_session: Any, sandbox: SandboxServer
) -> None:
    session = events_session(make_session)
    assert (await session.send(fresh_order("PS-EV-DUP"))).status is SendStatus.ACCEPTED
    again = await session.send(fresh_order("PS-EV-DUP"))
    assert again.status is SendStatus.DUPLICATE
    assert "advertiser 12345" in again.explanation


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.iterdir() if p.is_file())


async def test_testing_the_connection_asks_nothing_and_says_why(
    make_session: Any, sandbox: SandboxServer
) -> None:
    report = await events_session(make_session).test_connection()

    assert report.ok
    assert "Not needed" in report.token.explanation
    assert "partner account 12345" in report.explanation
    assert sandbox.request_count("token") == sandbox.request_count("advertisers") == 0


async def test_the_sign_off_reads_an_events_attempt(
    make_session: Any, sandbox: SandboxServer
) -> None:
    from criteo_console.core.checklist import Check, CheckState
    from criteo_console.core.signoff import evaluate_signoff
    from criteo_console.core.verdict import ANSWER_SANDBOX, answered_summary

    report = await events_session(make_session).send(fresh_order("PS-EV-SIGN"))
    assert report.attempt is not None
    record = report.attempt.to_dict()

    lines = {line.check: line for line in evaluate_signoff(record).lines}
    assert all(lines[c].state is CheckState.OK for c in list(Check)[:5]), lines
    assert "needs no token" in lines[Check.TOKEN].detail
    assert "trackTransaction" in lines[Check.EVENT_NAMING].detail
    identifiers = lines[Check.IDENTIFIERS].detail
    assert "2 of 2 identifiers (GUM id, hashed email)" in identifiers
    assert "SHA-256 and MD5 and SHA-256(MD5)" in identifiers
    assert "149.90 EUR, 2 item line(s)" in lines[Check.TRANSACTION_DATA].detail

    # The Events API echoes nothing: the sandbox's copy with this trace id is the answer.
    kept = [r.to_json() for r in sandbox.find_received("PS-EV-SIGN")]
    answered, source = answered_summary(record, kept)
    assert source == ANSWER_SANDBOX and answered is not None
    assert (answered.order_id, str(answered.value)) == ("PS-EV-SIGN", "149.90")
