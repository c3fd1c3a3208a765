"""The six checks' statuses: what the sidebar and the sign-off report show."""

from __future__ import annotations

from datetime import UTC, datetime

from criteo_console.core import ProfileContext, check_order
from criteo_console.core.checklist import (
    Check,
    CheckState,
    StepOutcome,
    check_for_field,
    evaluate_checks,
)
from tests.core.orders import DROP, guide_order

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def _states(statuses: list) -> dict[Check, CheckState]:  # type: ignore[type-arg]
    return {status.check: status.state for status in statuses}


def test_first_run_nothing_started() -> None:
    statuses = evaluate_checks(token=None, scope=None, issues=None)

    assert [s.check for s in statuses] == list(Check)
    assert set(_states(statuses).values()) == {CheckState.NOT_STARTED}
    # Where to go, not which button: on Connect the button reads "Test connection" or, while
    # the form has unsaved changes, "Save and test" (Connect names it as it reads).
    assert "on Connect" in statuses[0].reason


def test_token_ok_but_scope_failed_is_explained() -> None:
    statuses = evaluate_checks(
        token=StepOutcome(True, "Token acquired."),
        scope=StepOutcome(False, "Advertiser 7654321 is not in this account's scope."),
        issues=[],
    )

    states = _states(statuses)
    assert states[Check.TOKEN] is CheckState.OK
    assert states[Check.ADVERTISER_SCOPE] is CheckState.FAILED
    assert "7654321" in statuses[1].reason


def test_order_issues_land_on_their_checks() -> None:
    order = guide_order(event="Purchase", customer_id="a@b.co", currency="XXQ")
    issues = check_order(order, ProfileContext(advertiser_id=1), now=NOW).issues

    states = _states(evaluate_checks(token=None, scope=None, issues=issues))

    assert states[Check.EVENT_NAMING] is CheckState.FAILED
    assert states[Check.IDENTIFIERS] is CheckState.FAILED
    assert states[Check.TRANSACTION_DATA] is CheckState.FAILED


def test_warnings_show_as_warning_not_failure() -> None:
    issues = check_order(
        guide_order(value="200.00"), ProfileContext(advertiser_id=1), now=NOW
    ).issues

    states = _states(evaluate_checks(token=None, scope=None, issues=issues))

    assert states[Check.TRANSACTION_DATA] is CheckState.WARNING
    assert states[Check.IDENTIFIERS] is CheckState.OK


def test_invalid_advertiser_fails_the_scope_check_before_any_request() -> None:
    issues = check_order(guide_order(), ProfileContext(advertiser_id="abc"), now=NOW).issues

    states = _states(evaluate_checks(token=None, scope=None, issues=issues))

    assert states[Check.ADVERTISER_SCOPE] is CheckState.FAILED


def test_field_routing() -> None:
    assert check_for_field("items[3].price") is Check.TRANSACTION_DATA
    assert check_for_field("event_names.purchase") is Check.EVENT_NAMING
    assert check_for_field("madid") is Check.IDENTIFIERS
    assert check_for_field("advertiser_id") is Check.ADVERTISER_SCOPE
    none = check_order(
        guide_order(email_sha256=DROP, customer_id=DROP), ProfileContext(advertiser_id=1), now=NOW
    )
    assert check_for_field(none.errors[0].field) is Check.IDENTIFIERS
