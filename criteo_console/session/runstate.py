"""The run state: the six checks of the live session, decided in one Qt-free place.

Built step by step — the composed order's validation (checks 3–5), a connection test
(checks 1–2), a send (check 6, read back from its logged attempt by ``core.verdict``) — or
rebuilt from a logged attempt alone (``RunState.from_attempt``). The sidebar, the Send,
Connect and Compare pages and ``criteo-console send`` read it; none of them decides a state
or a verdict of its own. One instance belongs to one profile's credentials and target: a
new profile starts a new run state, so nothing proved for one is shown for another.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from criteo_console.core.checklist import (
    Check,
    CheckState,
    CheckStatus,
    StepOutcome,
    evaluate_checks,
)
from criteo_console.core.targets import (
    Destination,
    DestinationWording,
    classify_target,
    wording_for,
)

if TYPE_CHECKING:
    # The attempt evaluation (and the destination rules behind it) loads with the first
    # send's result, not to show a profile (start-up time).
    from criteo_console.core import OrderCheck
    from criteo_console.core.verdict import AttemptEvaluation, Verdict
    from criteo_console.session.reports import ConnectionReport, SendReport, SendStatus

CHECK_TITLES = {Check.TOKEN: "Token", Check.ADVERTISER_SCOPE: "Advertiser scope"}
SCOPE_NEEDS_TOKEN = "Not checked: it needs a token first."
CANCELLED = "The send was cancelled."


@dataclass(frozen=True, slots=True)
class ResultView:
    """A send's outcome as every view words it: a mark, a headline and what it means."""

    mark: str  # "ok", "warning" or "failed"
    headline: str
    explanation: str


class RunState:
    """Checks 1–6 for one profile's credentials against one target address."""

    def __init__(
        self,
        target_url: str | None = None,
        *,
        profile_name: str = "",
        advertiser_id: int | str | None = None,
    ) -> None:
        self.target_url = target_url
        self.profile_name = profile_name
        self.advertiser_id = advertiser_id
        self.token: StepOutcome | None = None
        self.scope: StepOutcome | None = None
        # (acquired_at, expires_at), Unix seconds, of the last token obtained in this run.
        self.token_lifetime: tuple[float, float] | None = None
        # The check (1 or 2) the last connection test failed: sending stays shut until a new
        # test passes or the profile changes.
        self.blocked: Check | None = None
        self.order: OrderCheck | None = None
        self.send: StepOutcome | None = None  # check 6 when no logged attempt decides it
        self.evaluation: AttemptEvaluation | None = None  # the last logged send, evaluated
        self.last_report: SendReport | None = None

    # -- where sends go ----------------------------------------------------------------------

    @property
    def destination(self) -> Destination:
        return classify_target(self.target_url or "")

    @property
    def wording(self) -> DestinationWording:
        return wording_for(self.target_url or "")

    def target_sentence(self, *, embedded: bool = False) -> str:
        """Where a send goes and what it creates, in one plain phrase ("sends go to …")."""
        url = self.target_url
        if url is None:
            return "an address not known yet (no send is possible until it is)"
        if not self.sends_real_conversions:
            if embedded:
                return "the built-in sandbox on this computer (no real conversion)"
            return f"a sandbox on this computer ({url}; no real conversion)"
        if self.destination is Destination.CRITEO:
            return f"Criteo ({url}) — a real conversion"
        return (
            f"{self.wording.name} ({url}), not Criteo's own address — it may forward a real "
            "conversion; a send there is a rehearsal, not a sign-off"
        )

    @property
    def sends_real_conversions(self) -> bool:
        """Whether a send now may create a real conversion (unknown target: assume so)."""
        return self.target_url is None or self.wording.real_conversions

    # -- building ----------------------------------------------------------------------------

    def record_order_check(self, check: OrderCheck | None) -> None:
        """The composed order's check; None while nothing has been entered."""
        self.order = check

    def record_connection(self, report: ConnectionReport) -> None:
        self._token_from(report.token)
        if report.scope is not None:
            self.scope = StepOutcome(
                report.scope.ok, report.scope.explanation, warning=bool(report.scope.deprecation)
            )
        self.blocked = _failed_check(report.token, report.scope)

    def record_no_session(self, reason: str) -> None:
        self.token = StepOutcome(False, reason)

    def record_send(self, report: SendReport, received: Sequence[Mapping[str, Any]] = ()) -> None:
        """A send's result; its logged attempt (if any) decides check 6 via ``core.verdict``."""
        if report.token is not None:
            self._token_from(report.token)
        if report.scope is not None:
            self.scope = StepOutcome(report.scope.ok, report.scope.explanation)
        blocked = _failed_check(report.token, report.scope)
        if report.attempt is None and blocked is None:
            return  # refused before anything was logged (invalid, duplicate, log busy)
        self.last_report = report
        self.evaluation = (
            None if report.attempt is None else _evaluate(report.attempt.to_dict(), received)
        )
        self.send = None if blocked is None else StepOutcome(False, _blocked_text(blocked))

    def record_cancelled(self) -> None:
        self.evaluation = None
        self.last_report = None
        self.send = StepOutcome(False, CANCELLED)

    @classmethod
    def from_attempt(
        cls, record: Mapping[str, Any], received: Sequence[Mapping[str, Any]] = ()
    ) -> RunState:
        """The run state a logged attempt proves (for the CLI, the report and the log)."""
        state = cls(
            str(record.get("request_url") or "") or None,
            profile_name=str(record.get("profile") or ""),
            advertiser_id=record.get("advertiser_id"),
        )
        state.evaluation = _evaluate(record, received)
        return state

    def _token_from(self, token: Any) -> None:
        self.token = StepOutcome(token.ok, token.explanation)
        lifetime = getattr(token, "state", None)
        if token.ok and lifetime is not None and lifetime.expires_at is not None:
            self.token_lifetime = (lifetime.acquired_at or 0.0, lifetime.expires_at)
        elif not token.ok:
            self.token_lifetime = None

    # -- reading -----------------------------------------------------------------------------

    def checks(self) -> list[CheckStatus]:
        """The six statuses, in order, with the reason each view shows."""
        order = self.order
        statuses = evaluate_checks(
            token=self.token,
            scope=self.scope,
            issues=None if order is None else order.issues,
            identifiers_summary="" if order is None else order.coverage.label,
            send=self.send,
        )
        scope = statuses[1]
        if scope.state is CheckState.NOT_STARTED and self.token is not None and not self.token.ok:
            statuses[1] = CheckStatus(scope.check, scope.state, SCOPE_NEEDS_TOKEN)
        evaluation = self.evaluation
        if evaluation is None:
            return statuses
        logged = {result.check: result for result in evaluation.checks}
        rebuilt = []
        for status in statuses:
            from_log = logged[status.check]
            if status.check is Check.SIGN_OFF:
                # What the attempt proved, unless it stopped at check 1 or 2 (said there).
                if self.send is None:
                    status = CheckStatus(status.check, from_log.state, from_log.detail)
            elif status.state is CheckState.NOT_STARTED:
                # Nothing live for this check: what the logged attempt tells.
                status = CheckStatus(status.check, from_log.state, from_log.detail)
            rebuilt.append(status)
        return rebuilt

    def status(self, check: Check) -> CheckStatus:
        return self.checks()[int(check) - 1]

    @property
    def verdict(self) -> Verdict | None:
        """The last logged send's verdict (a rehearsal whenever it did not go to Criteo)."""
        return None if self.evaluation is None else self.evaluation.verdict

    def connect_blocker(self) -> str | None:
        """Why sending is shut: the last connection test failed for these very credentials."""
        if self.blocked is None:
            return None
        if self.blocked is Check.TOKEN:
            what = f"{self.wording.name} gave no token for this client id and secret"
        else:
            what = f"advertiser {self.advertiser_id} isn't reachable"
        return f"Check {int(self.blocked)} failed on Connect — {what}. Fix it there first."

    def headline(self, status: SendStatus) -> str:
        from criteo_console.session.reports import SendStatus

        wording = self.wording
        return {
            SendStatus.ACCEPTED: f"{wording.accepted} the conversion",
            SendStatus.REJECTED: f"{wording.rejected} the conversion",
            SendStatus.FAILED: "The conversion was not delivered",
            SendStatus.INVALID: "The order is not valid yet",
            SendStatus.DUPLICATE: "This order was sent before",
            SendStatus.CANCELLED: "Cancelled",
        }[status]

    def result_view(self, report: SendReport) -> ResultView:
        """How a send's result reads, on the Send page and in ``criteo-console send``."""
        from criteo_console.session.reports import SendStatus

        headline = self.headline(report.status)
        if report.status is SendStatus.DUPLICATE:
            return ResultView("warning", headline, report.explanation)
        evaluation = self.evaluation if report is self.last_report else None
        if evaluation is None or not report.ok:
            return ResultView("ok" if report.ok else "failed", headline, report.explanation)
        sign_off = evaluation.check(Check.SIGN_OFF)
        mark = "ok" if sign_off.state is CheckState.OK else "warning"
        explanation = sign_off.detail
        from criteo_console.core.verdict import Verdict

        if evaluation.verdict is Verdict.REHEARSAL:
            explanation += " " + evaluation.sentence
        return ResultView(mark, headline, explanation)


def _evaluate(
    record: Mapping[str, Any], received: Sequence[Mapping[str, Any]]
) -> AttemptEvaluation:
    from criteo_console.core.verdict import evaluate_attempt

    return evaluate_attempt(record, received)


def _failed_check(token: Any, scope: Any) -> Check | None:
    """Check 1 when the token step failed, check 2 when the scope step did, else None."""
    if token is not None and not token.ok:
        return Check.TOKEN
    if scope is not None and not scope.ok:
        return Check.ADVERTISER_SCOPE
    return None


def _blocked_text(check: Check) -> str:
    """Check 6 when a send stopped at the token or scope: it points at that check (whose
    full reason is shown there), not the same text twice."""
    return f"Blocked by check {int(check)} ({CHECK_TITLES[check]})"
