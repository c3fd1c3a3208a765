"""ValidationSession: test a connection, and send one order with its event-log row.

The order of a send is fixed so that the log never misses an attempt: validate → look for an
earlier send of the same order → write a ``pending`` row → token → scope → POST → complete
the row. Event-log writes are made synchronously on purpose: each is one indexed SQLite
statement (milliseconds), and doing it in a worker thread would open a window where a
cancelled task loses the id of a row it has already inserted.

Cancellation: the row is completed as ``failed``, never left ``pending`` (a pending row of the
running session would read "pending" for the rest of it). Its reason says whether the POST had
started: ``cancelled`` (nothing reached Criteo) or ``cancelled-in-flight`` (it may have), and
the latter counts as an earlier send for the duplicate warning.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import sqlite3
import time
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from criteo_console.core import OrderCheck, ProfileContext, check_order, dumps_json
from criteo_console.core.destinations import get_destination
from criteo_console.core.reconcile import (
    OrderSummary,
    shop_order_step,
    shop_summary_from_steps,
)
from criteo_console.core.verdict import destination_key, wording_for
from criteo_console.criteo import (
    CriteoClient,
    Kind,
    RetryPolicy,
    ScopeResult,
    SendResult,
    TokenResult,
)
from criteo_console.criteo.senders import make_sender
from criteo_console.session.progress import Progress, ProgressCallback, Step, StepState
from criteo_console.session.reports import ConnectionReport, SendReport, SendStatus
from criteo_console.storage import Attempt, EventLog, LeakRefused, LogFilter, Profile
from criteo_console.storage.faults import (
    EVENT_LOG_BUSY,
    describe_sqlite_error,
    fault_of_sqlite_error,
    problem,
)

log = logging.getLogger("criteo_console.session")

CANCELLED_BEFORE_SEND = "Cancelled by you before the conversion was sent: nothing reached Criteo."
CHECK_CRITEO = "Check Criteo before re-sending."
CANCELLED_IN_FLIGHT = (
    f"Cancelled by you while the conversion was on its way: it may have reached Criteo. "
    f"{CHECK_CRITEO}"
)
# The duplicate check reads an order's attempts (all destinations) in pages of this size.
EARLIER_SENDS_READ = 50
# The step that marks a row whose evidence the log's guard refused (and whether it was POSTed).
WITHHELD_STEP = "evidence-withheld"
# Failures after which the conversion may or may not have been recorded by Criteo.
UNCERTAIN_REASONS = frozenset({"cancelled-in-flight", "network", "timeout", "bad-response"})
LOG_BUSY = (
    f"{EVENT_LOG_BUSY}, so nothing was sent: every attempt is recorded before it goes out. "
    "Close the other program, then send again."
)
NOT_SENT = "Nothing was sent: every attempt is recorded before it goes out."
# The pending row is written on the caller's thread (the UI thread in the console), before
# anything is sent. Each try waits at most RECORD_WAIT_MS for another program's lock, so the
# window never freezes for long; between tries the event loop runs. About 3 s in all, then
# a plain failure.
RECORD_TRIES = 10
RECORD_WAIT_MS = 100
RECORD_PAUSE_S = 0.2
# How long past the send's deadline a step may take to stop on its own and say why.
DEADLINE_GRACE_S = 1.0


def shop_summary_of(attempt: Attempt) -> OrderSummary | None:
    """The shop's order as it was when this attempt was made (stored in its ``steps``)."""
    return shop_summary_from_steps(attempt.steps)


class ValidationSession:
    """One profile's credentials against one Criteo (or the sandbox) and one event log."""

    def __init__(
        self,
        *,
        http: httpx.AsyncClient,
        profile: Profile,
        secret: str,
        event_log: EventLog,
        base_url: str | None = None,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], Any] = asyncio.sleep,
    ) -> None:
        self.profile = profile
        self.base_url = base_url or profile.base_url
        self.event_log = event_log
        event_log.forbid(secret)
        self._secret = secret
        self._sleep = sleep
        self.policy = policy or RetryPolicy()
        self.client = CriteoClient(
            http,
            self.base_url,
            profile.api_version,
            profile.client_id,
            secret,
            policy=self.policy,
            sleep=sleep,
        )
        # Where a send goes: the profile's destination picks its rules and its sender.
        self.destination = get_destination(profile.destination)
        self.sender = make_sender(
            self.destination.name,
            http=http,
            client=self.client,
            base_url=self.base_url,
            policy=self.policy,
            sleep=sleep,
        )

    def __repr__(self) -> str:
        return f"ValidationSession(profile={self.profile.name!r}, base_url={self.base_url!r})"

    @property
    def context(self) -> ProfileContext:
        return self.profile.context()

    @property
    def conversions_url(self) -> str:
        return f"{self.client.base_url}/{self.client.version}/conversions"

    @property
    def request_url(self) -> str:
        """Where a send of this profile is POSTed (its destination's address)."""
        return self.sender.url

    def validate(self, order: object) -> OrderCheck:
        return check_order(order, self.context)

    # -- checks 1 and 2 ------------------------------------------------------------------

    async def test_connection(self, progress: ProgressCallback | None = None) -> ConnectionReport:
        report = _Reporter(progress)
        if not self.destination.uses_oauth:
            return self._nothing_to_test(report)
        report(Step.TOKEN, StepState.RUNNING, "Asking for an access token…")
        token = await self.client.check_token(force_refresh=True)
        report.result(Step.TOKEN, token.ok, token.explanation)
        if not token.ok:
            report(Step.SCOPE, StepState.SKIPPED, "Needs a token first.")
            return ConnectionReport(token, None)
        await self._forbid_token()
        report(Step.SCOPE, StepState.RUNNING, "Listing the advertisers these credentials reach…")
        scope = await self.client.check_scope(self.profile.advertiser_id)
        report.result(Step.SCOPE, scope.ok, scope.explanation, warning=bool(scope.deprecation))
        return ConnectionReport(token, scope)

    def _nothing_to_test(self, report: _Reporter) -> ConnectionReport:
        """A destination without OAuth has no token or scope to prove before a send: both
        checks pass, saying why, and nothing is requested."""
        label = self.destination.label
        token = TokenResult(
            ok=True,
            kind=Kind.TOKEN_OK,
            explanation=f"Not needed: the {label} takes no access token; the partner account "
            "and caller id travel in each event.",
        )
        account = self.profile.events.account or "(none set)"
        scope = ScopeResult(
            ok=True,
            kind=Kind.IN_SCOPE,
            explanation=f"Not checked: the {label} has no advertiser list. Events go to partner "
            f"account {account}; only a send shows whether Criteo takes them.",
            advertiser_id=account,
            in_scope=True,
        )
        report(Step.TOKEN, StepState.OK, token.explanation)
        report(Step.SCOPE, StepState.OK, scope.explanation)
        return ConnectionReport(token, scope)

    # -- the send ------------------------------------------------------------------------

    def earlier_send(self, order_id: str, advertiser_id: int | None = None) -> Attempt | None:
        """An accepted attempt for this order and advertiser (for the Events API: partner
        account) at this destination, or one whose outcome is unsure. A send to the sandbox
        never counts for Criteo, nor the reverse."""
        adv = self.profile.advertiser_id if advertiser_id is None else advertiser_id
        here = destination_key(self.request_url)
        filters = LogFilter(order_id=order_id, advertiser_id=adv)
        rows: list[Attempt] = []
        batch = self.event_log.page(limit=EARLIER_SENDS_READ, filters=filters)
        while batch:
            rows += [row for row in batch if destination_key(row.request_url or "") == here]
            if len(batch) < EARLIER_SENDS_READ:
                break
            batch = self.event_log.page(
                limit=EARLIER_SENDS_READ, before_id=batch[-1].id, filters=filters
            )
        for row in rows:
            if row.state == "accepted":
                return row
        for row in rows:
            # Pending: from an earlier run, or one whose outcome could not be recorded.
            if row.state == "pending" or (
                row.state == "failed"
                and row.reason in UNCERTAIN_REASONS
                and _may_have_been_posted(row)
            ):
                return row
        return None

    async def send(
        self,
        order: object,
        *,
        progress: ProgressCallback | None = None,
        allow_duplicate: bool = False,
    ) -> SendReport:
        report = _Reporter(progress)
        check = self.validate(order)
        if not check.ok or check.payload is None or check.order is None:
            count = len(check.errors)
            text = f"The order has {count} problem{'s' if count != 1 else ''}: fix {_them(count)}."
            report(Step.VALIDATE, StepState.FAILED, text)
            return SendReport(SendStatus.INVALID, text, check, progress=report.done)
        report(Step.VALIDATE, StepState.OK, "The order is valid.")

        order_id = check.order.order_id
        if order_id is not None:
            earlier = await asyncio.to_thread(
                self.earlier_send, order_id, check.order.advertiser_id
            )
            if earlier is not None and not allow_duplicate:
                text = _duplicate_text(earlier)
                report(Step.DUPLICATE, StepState.WARNING, text)
                return SendReport(
                    SendStatus.DUPLICATE, text, check, duplicate_of=earlier, progress=report.done
                )
            if earlier is not None:
                report(Step.DUPLICATE, StepState.WARNING, "Sending again, as you confirmed.")
            else:
                report(Step.DUPLICATE, StepState.OK, "No earlier send of this order.")

        forbidden = _raw_emails(order)
        body = dumps_json(check.payload)
        shop = shop_order_step(order)
        begin = functools.partial(
            self.event_log.begin_attempt,
            profile=self.profile.name,
            environment=self.profile.environment,
            advertiser_id=check.order.advertiser_id,
            event_name=check.order.event_name,
            order_id=order_id,
            value=check.order.value,
            currency=check.order.currency,
            request_body=body,
            request_headers=self.sender.request_headers,
            request_url=self.request_url,
            identifier_coverage=check.coverage.label,
            coverage_score=check.coverage.score,
            steps=[shop],
            forbidden=forbidden,
        )
        try:
            attempt_id = await self._record(begin, report)
        except sqlite3.OperationalError as exc:  # a full disk, a read-only log: not sent
            path = self.event_log.path
            text = f"{describe_sqlite_error(exc, f'The event log at {path}', path)} {NOT_SENT}"
            report(Step.RECORD, StepState.FAILED, text)
            return SendReport(SendStatus.FAILED, text, check, progress=report.done)
        except LeakRefused as refused:
            text = refused_before_sending(refused)
            report(Step.RECORD, StepState.FAILED, text)
            return SendReport(SendStatus.FAILED, text, check, progress=report.done)
        if attempt_id is None:
            report(Step.RECORD, StepState.FAILED, LOG_BUSY)
            return SendReport(SendStatus.FAILED, LOG_BUSY, check, progress=report.done)
        report(Step.RECORD, StepState.OK, f"Recorded as attempt #{attempt_id} (pending).")
        flow = _SendFlow(self, attempt_id, shop, report, forbidden)
        # One deadline for the whole send: the client ends each step by it (a drip cannot
        # extend it), and a step that overruns anyway is stopped a moment later.
        flow.deadline = asyncio.get_running_loop().time() + self.policy.max_send_seconds
        try:
            with self.client.deadline_at(flow.deadline):
                async with asyncio.timeout_at(flow.deadline + DEADLINE_GRACE_S):
                    return await flow.run(check)
        except TimeoutError:
            return flow.timed_out(check)
        except asyncio.CancelledError:
            flow.cancelled()
            raise

    async def _record(self, begin: Callable[..., int], report: _Reporter) -> int | None:
        """The pending row's id, or None when another program keeps the log locked."""
        for number in range(1, RECORD_TRIES + 1):
            try:
                return begin(busy_timeout_ms=RECORD_WAIT_MS)
            except sqlite3.OperationalError as exc:
                if not _is_locked(exc):
                    raise
                # Said once, as it happens; the tries themselves are a detail for console.log.
                if number == 1:
                    report(Step.RECORD, StepState.RUNNING, f"{EVENT_LOG_BUSY}: waiting for it…")
                log.info("event log locked by another program (try %d)", number)
            if number < RECORD_TRIES:
                await self._sleep(RECORD_PAUSE_S)
        return None

    async def _forbid_token(self) -> None:
        # The client hands out only redacted traces; the token itself is forbidden in the log
        # as a second line of defence. CriteoClient keeps its provider private, so read it
        # through the attribute (the cached token comes back without a request).
        tokens = getattr(self.client, "_tokens", None)
        if tokens is None or not tokens.state.has_token:
            return
        grant = await tokens.get()
        self.event_log.forbid(grant.token.reveal())


class _SendFlow:
    """Token → scope → POST for one logged attempt, and how to complete its row."""

    def __init__(
        self,
        session: ValidationSession,
        attempt_id: int,
        shop: dict[str, Any],
        report: _Reporter,
        forbidden: list[str],
    ) -> None:
        self.s = session
        self.attempt_id = attempt_id
        self.shop = shop
        self.report = report
        self.forbidden = forbidden
        self.posted = False
        self.deadline = math.inf  # event-loop time by which the whole send ends
        self.unrecorded: str | None = None  # why the row could not be completed
        self.token: TokenResult | None = None
        self.scope: ScopeResult | None = None

    async def run(self, check: OrderCheck) -> SendReport:
        if self.s.destination.uses_oauth:
            refused = await self.authorise(check)
            if refused is not None:
                return refused
        else:
            skipped = f"The {self.s.destination.label} needs no token: the account and caller id "
            self.report(Step.TOKEN, StepState.SKIPPED, skipped + "travel in the body.")
            self.report(Step.SCOPE, StepState.SKIPPED, skipped + "travel in the body.")
        return await self.post(check)

    async def authorise(self, check: OrderCheck) -> SendReport | None:
        """Token, then advertiser scope; the finished report when either fails."""
        client, report = self.s.client, self.report
        report(Step.TOKEN, StepState.RUNNING, "Asking for an access token…")
        self.token = token = await client.check_token()
        report.result(Step.TOKEN, token.ok, token.explanation)
        if not token.ok:
            return self.finish(check, SendStatus.FAILED, token.kind, token.explanation, token)
        await self.s._forbid_token()

        report(Step.SCOPE, StepState.RUNNING, "Checking the advertiser is in scope…")
        self.scope = scope = await client.check_scope(self.s.profile.advertiser_id)
        report.result(Step.SCOPE, scope.ok, scope.explanation)
        if not scope.ok:
            return self.finish(check, SendStatus.FAILED, scope.kind, scope.explanation, scope)
        return None

    async def post(self, check: OrderCheck) -> SendReport:
        sender, report = self.s.sender, self.report
        if self._past_deadline():  # nothing left to POST with: do not start it
            return self.timed_out(check)
        report(
            Step.POST,
            StepState.RUNNING,
            f"Sending to the {self.s.destination.label} at {sender.url}…",
        )
        self.posted = True
        started = time.perf_counter()
        assert check.payload is not None
        result = await sender.send(check.payload)
        latency = int((time.perf_counter() - started) * 1000)
        report.result(Step.POST, result.ok, result.explanation, warning=bool(result.warnings))
        if result.ok:
            status = SendStatus.ACCEPTED
        elif result.kind is Kind.REJECTED:
            status = SendStatus.REJECTED
        else:
            status = SendStatus.FAILED
        return self.finish(check, status, result.kind, result.explanation, result, latency)

    def finish(
        self,
        check: OrderCheck,
        status: SendStatus,
        kind: Kind,
        explanation: str,
        outcome: TokenResult | ScopeResult | SendResult,
        latency_ms: int | None = None,
    ) -> SendReport:
        send = outcome if isinstance(outcome, SendResult) else None
        posts = [e for e in outcome.exchanges if e.step == self.s.sender.step]
        state = {"accepted": "accepted", "rejected": "rejected"}.get(status.value, "failed")
        if kind is Kind.TIMEOUT and self._past_deadline():
            explanation += f" {self._deadline_note()}"
        notes = [explanation]
        if outcome.deprecation:
            notes.append(outcome.deprecation)
        attempt = self._complete(
            state=state,
            reason=None if state == "accepted" else kind.value,
            http_status=posts[-1].status if posts else None,
            response_body=posts[-1].response_body if posts else None,
            trace_id=outcome.trace_id,
            latency_ms=latency_ms,
            attempt_count=max(len(posts), 1),
            error_explanation=" ".join(notes),
            token_step=self.token.explanation if self.token else None,
            scope_check=self.scope.explanation if self.scope else None,
            steps=self._steps(outcome),
        )
        if attempt is None and self.unrecorded is not None:
            status, explanation = SendStatus.FAILED, f"{explanation} {self.unrecorded}"
        return SendReport(
            status,
            explanation,
            check,
            attempt=attempt,
            token=self.token,
            scope=self.scope,
            result=send,
            progress=self.report.done,
        )

    def timed_out(self, check: OrderCheck) -> SendReport:
        """The deadline passed with a step still running (or before the POST could start)."""
        if self.posted:
            text = (
                f"{self._deadline_note()} The conversion was sent and no answer came in time: "
                f"it may have reached Criteo. {CHECK_CRITEO}"
            )
        else:
            text = (
                f"{self._deadline_note()} The conversion was not sent: nothing reached Criteo. "
                "Try again later."
            )
        running = Step.TOKEN if self.token is None else Step.SCOPE
        self.report(Step.POST if self.posted else running, StepState.FAILED, text)
        attempt = self._complete(
            state="failed",
            reason=Kind.TIMEOUT.value,
            error_explanation=text,
            token_step=self.token.explanation if self.token else None,
            scope_check=self.scope.explanation if self.scope else None,
            steps=self._steps(None),
        )
        if attempt is None and self.unrecorded is not None:
            text = f"{text} {self.unrecorded}"
        return SendReport(
            SendStatus.FAILED,
            text,
            check,
            attempt=attempt,
            token=self.token,
            scope=self.scope,
            progress=self.report.done,
        )

    def _past_deadline(self) -> bool:
        # A timer may fire a hair before its time.
        return asyncio.get_running_loop().time() >= self.deadline - 0.01

    def _deadline_note(self) -> str:
        return (
            f"The send stopped at its {self.s.policy.max_send_seconds:g}-second deadline "
            "(the token, the advertiser check and the conversion share it)."
        )

    def cancelled(self) -> None:
        reason, text = (
            ("cancelled-in-flight", CANCELLED_IN_FLIGHT)
            if self.posted
            else ("cancelled", CANCELLED_BEFORE_SEND)
        )
        step = Step.POST if self.posted else Step.TOKEN
        self.report(step, StepState.FAILED, text)
        self._complete(
            state="failed",
            reason=reason,
            error_explanation=text,
            steps=self._steps(None),
        )

    def _steps(self, outcome: TokenResult | ScopeResult | SendResult | None) -> list[Any]:
        exchanges: list[Any] = []
        for result in (self.token, self.scope, outcome):
            if result is None:
                continue
            for exchange in result.exchanges:
                entry = {"step": "exchange", **exchange.to_dict()}
                if entry not in exchanges:
                    exchanges.append(entry)
        return [self.shop, *self.report.done_dicts(), *exchanges]

    def _complete(self, **fields: Any) -> Attempt | None:
        """The completed row, or None when the log cannot be written now (a full disk, a
        read-only or locked file): the row then stays pending, and says so next time."""
        try:
            return self._complete_guarded(**fields)
        except sqlite3.Error as exc:
            # INFO: the user is told below; a warning would reach the CLI's stderr raw.
            log.info("attempt %d could not be completed in the log: %s", self.attempt_id, exc)
            path = self.s.event_log.path
            fault = fault_of_sqlite_error(exc, path)
            why = problem(fault, f"the event log at {path}")
            sent = (
                "The conversion was sent and may have reached Criteo"
                if self.posted
                else "Nothing reached Criteo"
            )
            self.unrecorded = (
                f"This outcome could not be recorded: {why}. {sent}; the attempt stays "
                'pending in the log and reads "outcome unknown" from the next start. '
                f"{CHECK_CRITEO}"
            )
            self.report(Step.RECORD, StepState.FAILED, self.unrecorded)
            return None

    def _complete_guarded(self, **fields: Any) -> Attempt | None:
        """Complete the row; when the guard refuses its evidence, complete it anyway with
        less (never leave it pending: that would read "outcome unknown" and block the order
        id in the duplicate check)."""
        log_ = self.s.event_log
        try:
            return log_.complete_attempt(self.attempt_id, forbidden=self.forbidden, **fields)
        except LeakRefused as refused:
            log.warning("attempt %d: evidence withheld from the log (%s)", self.attempt_id, refused)
            what = f"{_EVIDENCE_WORDS.get(refused.field, refused.field)} contained {refused.what}"
        marker = {"step": WITHHELD_STEP, "posted": self.posted}
        kept: dict[str, Any] = {
            k: fields[k] for k in ("state", "reason", "http_status", "latency_ms") if k in fields
        }
        kept["attempt_count"] = fields.get("attempt_count")
        kept["error_explanation"] = evidence_withheld(what, fields["state"], fields.get("reason"))
        bare = {"state": fields["state"], "reason": fields.get("reason")}
        for less in ({**kept, "steps": [self.shop, marker]}, {**kept, "steps": [marker]}, bare):
            try:
                return log_.complete_attempt(self.attempt_id, forbidden=self.forbidden, **less)
            except LeakRefused:
                continue
        # Only a secret spelled like the state itself gets here; the row stays pending.
        log.error("attempt %d could not be completed in the log", self.attempt_id)
        return None


class _Reporter:
    """Calls the progress callback (never letting it break a send) and keeps the history."""

    def __init__(self, callback: ProgressCallback | None) -> None:
        self._callback = callback
        self._done: list[Progress] = []

    def __call__(self, step: Step, state: StepState, message: str) -> None:
        item = Progress(step, state, message)
        if state is not StepState.RUNNING:
            self._done.append(item)
        if self._callback is not None:
            try:
                self._callback(item)
            except Exception:
                log.exception("progress callback failed for %s", step)

    def result(self, step: Step, ok: bool, message: str, *, warning: bool = False) -> None:
        state = StepState.FAILED if not ok else StepState.WARNING if warning else StepState.OK
        self(step, state, message)

    @property
    def done(self) -> tuple[Progress, ...]:
        return tuple(self._done)

    def done_dicts(self) -> list[dict[str, str]]:
        return [p.as_dict() for p in self._done]


_EVIDENCE_WORDS = {
    "steps": "the exchanges",
    "response_body": "Criteo's answer",
    "error_explanation": "the explanation",
    "token_step": "the token step",
    "scope_check": "the scope check",
    "trace_id": "the trace id",
}


def refused_before_sending(refused: LeakRefused) -> str:
    return (
        f"Nothing was sent: the order's {refused.field} contains {refused.what}, which the "
        "event log never stores (and every send is recorded first). Remove it from the order."
    )


def evidence_withheld(what: str, state: str, reason: str | None) -> str:
    outcome = state if not reason else f"{state} ({reason})"
    return (
        f"The attempt ended {outcome}, but its evidence (Criteo's answer, the explanation, "
        f"the exchanges) was withheld from the log because {what}, which the log never "
        "stores."
    )


def _may_have_been_posted(row: Attempt) -> bool:
    """False only when the row's steps show the send stopped before the POST."""
    steps = [s for s in row.steps if isinstance(s, Mapping)]
    names = {s.get("step") for s in steps}
    if WITHHELD_STEP in names:
        return any(s.get("posted") for s in steps if s.get("step") == WITHHELD_STEP)
    if names & {Step.POST.value, "conversions"}:
        return True
    return not names & {Step.TOKEN.value, Step.SCOPE.value, "advertisers"}


def _raw_emails(order: object) -> list[str]:
    if not isinstance(order, Mapping):
        return []
    email = order.get("email")
    if not isinstance(email, str) or not email.strip():
        return []
    return [email, email.strip(), email.strip().lower()]


def _is_locked(exc: sqlite3.OperationalError) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _them(count: int) -> str:
    return "it" if count == 1 else "them"


def _duplicate_text(earlier: Attempt) -> str:
    when = earlier.created_at[:16].replace("T", " ")
    where = wording_for(earlier.request_url or "").name
    if earlier.state == "accepted":
        return (
            f"Order {earlier.order_id} was already accepted by {where} for advertiser "
            f"{earlier.advertiser_id} (attempt #{earlier.id}, {when} UTC). Sending it again "
            "would count the sale twice; use a new order id, or confirm to send anyway."
        )
    return (
        f"An earlier send of order {earlier.order_id} (attempt #{earlier.id}, {when} UTC) may "
        f"have reached {where}: its outcome is unknown. Check {where} before re-sending, or "
        "confirm to send anyway."
    )
