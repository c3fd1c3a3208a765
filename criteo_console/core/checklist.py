"""The six checks of a pre-launch validation and how each one stands (DESIGN §2).

Pure rules for the live checks (a connection test, the composed order); a logged attempt is
judged by ``core.verdict``, and ``session.runstate`` combines both for every view.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum

from criteo_console.core.checklist_words import NOT_STARTED
from criteo_console.core.issues import Issue, Level


class Check(IntEnum):
    TOKEN = 1
    ADVERTISER_SCOPE = 2
    EVENT_NAMING = 3
    IDENTIFIERS = 4
    TRANSACTION_DATA = 5
    SIGN_OFF = 6

    @property
    def title(self) -> str:
        return _TITLES[self]


_TITLES = {
    Check.TOKEN: "Token",
    Check.ADVERTISER_SCOPE: "Advertiser scope",
    Check.EVENT_NAMING: "Event naming",
    Check.IDENTIFIERS: "Identifiers",
    Check.TRANSACTION_DATA: "Transaction data",
    Check.SIGN_OFF: "Send & sign-off",
}


class CheckState(StrEnum):
    NOT_STARTED = "not-started"
    OK = "ok"
    WARNING = "warning"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class CheckStatus:
    check: Check
    state: CheckState
    reason: str


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """How a network step (token, scope, send) went, already in plain words."""

    ok: bool
    summary: str
    warning: bool = False


def check_for_field(field: str) -> Check:
    """Which check an issue belongs to, from the input field it names."""
    root = field.split(".")[0].split("[")[0]
    if root in ("event", "event_time", "event_names"):
        return Check.EVENT_NAMING
    if root in ("email", "email_sha256", "customer_id", "madid"):
        return Check.IDENTIFIERS
    if root == "advertiser_id":
        return Check.ADVERTISER_SCOPE
    return Check.TRANSACTION_DATA


def _from_issues(check: Check, issues: Iterable[Issue], ok_reason: str) -> CheckStatus:
    mine = [issue for issue in issues if check_for_field(issue.field) is check]
    errors = [issue for issue in mine if issue.level is Level.ERROR]
    if errors:
        more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
        return CheckStatus(check, CheckState.FAILED, errors[0].message + more)
    if mine:
        return CheckStatus(check, CheckState.WARNING, mine[0].message)
    return CheckStatus(check, CheckState.OK, ok_reason)


def _from_step(check: Check, step: StepOutcome | None, waiting: str) -> CheckStatus:
    if step is None:
        return CheckStatus(check, CheckState.NOT_STARTED, waiting)
    if not step.ok:
        return CheckStatus(check, CheckState.FAILED, step.summary)
    state = CheckState.WARNING if step.warning else CheckState.OK
    return CheckStatus(check, state, step.summary)


def evaluate_checks(
    *,
    token: StepOutcome | None,
    scope: StepOutcome | None,
    issues: Iterable[Issue] | None,
    identifiers_summary: str = "",
    send: StepOutcome | None = None,
) -> list[CheckStatus]:
    """All six statuses. ``issues`` is None until an order has been composed.

    Check 6 here is only "not sent yet" or a send that stopped early; a logged send is
    judged by ``core.verdict.evaluate_attempt`` (the run state combines the two).
    """
    statuses = [
        _from_step(Check.TOKEN, token, NOT_STARTED[Check.TOKEN]),
        _from_step(Check.ADVERTISER_SCOPE, scope, NOT_STARTED[Check.ADVERTISER_SCOPE]),
    ]
    if issues is None:
        for check in (Check.EVENT_NAMING, Check.IDENTIFIERS, Check.TRANSACTION_DATA):
            statuses.append(CheckStatus(check, CheckState.NOT_STARTED, NOT_STARTED[check]))
    else:
        issue_list = list(issues)
        scope_issue = _from_issues(Check.ADVERTISER_SCOPE, issue_list, "")
        if scope_issue.state is CheckState.FAILED:
            statuses[1] = scope_issue
        statuses.append(_from_issues(Check.EVENT_NAMING, issue_list, "Event name and time ok."))
        statuses.append(
            _from_issues(Check.IDENTIFIERS, issue_list, identifiers_summary or "Identifiers ok.")
        )
        statuses.append(
            _from_issues(Check.TRANSACTION_DATA, issue_list, "Order, currency and items ok.")
        )
    statuses.append(_from_step(Check.SIGN_OFF, send, NOT_STARTED[Check.SIGN_OFF]))
    return statuses
