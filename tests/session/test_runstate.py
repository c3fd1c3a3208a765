"""The run state: the six checks of a live session, built step by step or from a logged attempt.

Over the real loopback sandbox and a real SQLite log, as the window and the CLI use them.
"""

from __future__ import annotations

from typing import Any

import httpx

from criteo_console.core.checklist import Check, CheckState
from criteo_console.core.examples import guide_example_order
from criteo_console.core.verdict import Destination, Verdict
from criteo_console.sandbox import SandboxServer
from criteo_console.session import SendStatus, ValidationSession
from criteo_console.session.runstate import SCOPE_NEEDS_TOKEN, RunState
from criteo_console.storage import EventLog, sandbox_profile
from tests.session.conftest import Sleeps

WEB_88213 = guide_example_order(
    order_id="WEB-88213",
    value="44.98",
    items=[{"id": "SKU-A", "price": "22.52", "quantity": 2}],  # 45.04
)


def states(state: RunState) -> dict[Check, CheckState]:
    return {status.check: status.state for status in state.checks()}


async def test_built_step_by_step_then_rebuilt_from_the_log(make_session: Any) -> None:
    session = make_session()
    state = RunState(session.base_url, profile_name="Sandbox", advertiser_id=1234567)
    assert set(states(state).values()) == {CheckState.NOT_STARTED}

    state.record_order_check(session.validate(guide_example_order()))
    state.record_connection(await session.test_connection())
    assert states(state)[Check.TOKEN] is CheckState.OK and state.token_lifetime is not None
    assert states(state)[Check.TRANSACTION_DATA] is CheckState.OK
    assert states(state)[Check.SIGN_OFF] is CheckState.NOT_STARTED

    report = await session.send(guide_example_order())
    state.record_send(report)
    sign_off = state.status(Check.SIGN_OFF)
    assert sign_off.state is CheckState.OK
    assert sign_off.reason.startswith("The sandbox accepted the conversion")
    assert state.verdict is Verdict.REHEARSAL  # loopback: never a sign-off
    view = state.result_view(report)
    assert view.headline == "The sandbox accepted the conversion"
    assert "A rehearsal, not a sign-off" in view.explanation

    assert report.attempt is not None
    rebuilt = RunState.from_attempt(report.attempt.to_dict())
    assert states(rebuilt) == states(state)  # one decision, live or read back
    assert rebuilt.status(Check.SIGN_OFF) == sign_off
    assert rebuilt.destination is Destination.LOCAL


async def test_a_failed_token_says_the_scope_was_not_checked(make_session: Any) -> None:
    session = make_session(secret="not-the-secret")
    state = RunState(session.base_url, advertiser_id=1234567)
    state.record_connection(await session.test_connection())
    assert state.status(Check.TOKEN).state is CheckState.FAILED
    scope = state.status(Check.ADVERTISER_SCOPE)
    assert (scope.state, scope.reason) == (CheckState.NOT_STARTED, SCOPE_NEEDS_TOKEN)
    assert state.connect_blocker() is not None and "the sandbox gave no token" in (
        state.connect_blocker() or ""
    )


async def test_value_mismatch_warns_on_check_five_live_and_logged(make_session: Any) -> None:
    # Reproduction 2: Compose warned about the value; the sign-off said check 5 passed.
    session = make_session()
    state = RunState(session.base_url, advertiser_id=1234567)
    state.record_order_check(session.validate(WEB_88213))
    assert state.status(Check.TRANSACTION_DATA).state is CheckState.WARNING
    report = await session.send(WEB_88213)
    state.record_send(report)
    assert report.attempt is not None
    logged = RunState.from_attempt(report.attempt.to_dict())
    assert logged.status(Check.TRANSACTION_DATA).state is CheckState.WARNING
    live_reason = state.status(Check.TRANSACTION_DATA).reason
    assert live_reason in logged.status(Check.TRANSACTION_DATA).reason  # the same words
    assert state.evaluation is not None
    assert "value-mismatch" in [w.code for w in state.evaluation.warnings]


async def test_an_order_sent_to_the_sandbox_is_no_duplicate_for_a_real_profile(
    make_session: Any, http: httpx.AsyncClient, event_log: EventLog, sandbox: SandboxServer
) -> None:
    # Reproduction 5: the sandbox's acceptance made the real profile warn "already accepted".
    assert (await make_session().send(WEB_88213)).ok
    real = ValidationSession(
        http=http,
        profile=sandbox_profile().with_changes(name="Live", environment="criteo"),
        secret="live-secret",
        event_log=event_log,
        # Not this computer, refused at once: nothing leaves the machine.
        base_url="https://0.0.0.0:9",
        sleep=Sleeps(),
    )
    assert real.earlier_send("WEB-88213") is None
    report = await real.send(WEB_88213)
    assert report.status is not SendStatus.DUPLICATE
    assert "already accepted" not in report.explanation

    # Another sandbox (the console restarted it on a new port) is the same destination.
    with SandboxServer() as restarted:
        again = ValidationSession(
            http=http,
            profile=sandbox_profile(),
            secret="sandbox-secret",
            event_log=event_log,
            base_url=restarted.base_url,
        )
        duplicate = await again.send(WEB_88213)
    assert duplicate.status is SendStatus.DUPLICATE
    assert "already accepted by the sandbox" in duplicate.explanation


async def test_a_confirmed_resend_is_a_warning_of_the_attempt(make_session: Any) -> None:
    session = make_session()
    assert (await session.send(guide_example_order())).ok
    state = RunState(session.base_url, advertiser_id=1234567)
    state.record_send(await session.send(guide_example_order(), allow_duplicate=True))
    assert state.evaluation is not None
    resend = [w for w in state.evaluation.warnings if w.code == "resend"]
    assert len(resend) == 1 and "may count the sale twice" in resend[0].message
    assert "the sandbox may count" in resend[0].message  # the destination's words


def test_the_target_is_worded_by_its_address() -> None:
    assert "no real conversion" in RunState("http://127.0.0.1:9").target_sentence()
    assert RunState("https://api.criteo.com").target_sentence().startswith("Criteo (")
    other = RunState("https://staging.shop.example").target_sentence()
    assert "not Criteo's own address" in other and "rehearsal" in other
