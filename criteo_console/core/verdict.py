"""The one verdict: where a send goes, what an attempt proves, and how it is worded.

Every view (sidebar, Send, Compare, Event log), ``criteo-console send`` and the sign-off report
read these functions; none of them decides a verdict of its own. Pure: no Qt, no I/O.

- ``classify_target``: Criteo's own address, this computer, or another server — by address,
  never by a profile's label.
- ``evaluate_attempt``: one logged attempt (``Attempt.to_dict()``) → its six checks, what was
  posted and what was answered, the shop/sent/answered comparison, every warning with its
  code, and its verdict.
- ``overall_verdict``: a set of attempts → one verdict for a sign-off.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from typing import Any

from criteo_console.core.checklist import Check, CheckState
from criteo_console.core.destinations import read_any_sent, summarize_any_body
from criteo_console.core.reconcile import (
    ComparisonRow,
    OrderSummary,
    Reconciliation,
    conversion_attributes,
    reconcile,
    shop_order_step,
    shop_summary_from_steps,
    value_mismatch_text,
)

__all__ = [  # Reconciliation: views read the comparison's type from here, not core.reconcile
    "ANSWER_ECHO",
    "ANSWER_SANDBOX",
    "CRITEO_HOSTS",
    "KNOWN_VERSIONS",
    "PROVES",
    "ROW_STATUS_WORDS",
    "SANDBOX_COLUMN",
    "SENTENCES",
    "SUPPORTED_FROM",
    "SUPPORT_HINT",
    "AttemptEvaluation",
    "CheckResult",
    "Destination",
    "DestinationWording",
    "Evidence",
    "Reconciliation",
    "Verdict",
    "VersionSupport",
    "Warning",
    "answered_summary",
    "classify_target",
    "column_titles",
    "destination_key",
    "evaluate_attempt",
    "exchange_trace_id",
    "load_body",
    "logged_exchanges",
    "no_answer_text",
    "overall_verdict",
    "row_status",
    "sends_real_conversions",
    "sent_attributes",
    "sent_summary",
    "shop_order_step",
    "shop_summary",
    "version_note",
    "version_of",
    "version_support",
    "was_posted",
    "wording_for",
]

from criteo_console.core.targets import (
    CRITEO_HOSTS,
    KNOWN_VERSIONS,
    SUPPORT_HINT,
    SUPPORTED_FROM,
    Destination,
    DestinationWording,
    VersionSupport,
    classify_target,
    destination_key,
    sends_real_conversions,
    version_note,
    version_of,
    version_support,
    wording_for,
)

# -- what was posted, what was answered -----------------------------------------------------

ANSWER_ECHO = "the answer's echo"
ANSWER_SANDBOX = "what the sandbox received"


def was_posted(record: Mapping[str, Any]) -> bool:
    """Whether the conversion left this computer (an HTTP status, or a POST step begun)."""
    if record.get("http_status") is not None:
        return True
    return any(
        isinstance(e, Mapping) and e.get("step") == "post" and "state" in e
        for e in record.get("steps") or []
    )


def sent_summary(record: Mapping[str, Any]) -> OrderSummary:
    """What was posted (or prepared, when it never left): the logged request body, whichever
    destination's shape it has."""
    return summarize_any_body(load_body(record.get("request_body")))


def shop_summary(record: Mapping[str, Any]) -> tuple[OrderSummary, bool]:
    """The shop's order stored with the attempt, and whether it was (else: its log columns)."""
    found = shop_summary_from_steps(record.get("steps"))
    if found is not None:
        return found, True
    value = record.get("value")
    try:
        amount = None if value in (None, "") else Decimal(str(value))
    except ArithmeticError:
        amount = None
    order_id = record.get("order_id")
    currency = record.get("currency")
    return (
        OrderSummary(
            order_id=str(order_id) if order_id is not None else None,
            value=amount,
            currency=currency if isinstance(currency, str) else None,
            line_count=None,
            items_total=None,
        ),
        False,
    )


def answered_summary(
    record: Mapping[str, Any], received: Sequence[Mapping[str, Any]] = ()
) -> tuple[OrderSummary | None, str]:
    """What the destination answered for this attempt, and where that came from.

    The answer's echo comes first. Without one, a record the embedded sandbox kept counts only
    if it carries this attempt's trace id and the attempt went to this computer: another
    attempt's record, or the body sent, must never stand in for this attempt's answer.
    """
    echoed = summarize_any_body(load_body(record.get("response_body")))
    if echoed.order_id is not None:
        return echoed, ANSWER_ECHO
    trace_id = record.get("trace_id")
    url = str(record.get("request_url") or "")
    if trace_id and url and classify_target(url) is Destination.LOCAL:
        for entry in received:
            if entry.get("trace_id") == trace_id:
                kept = summarize_any_body(entry.get("body"))
                if kept.order_id is not None:
                    return kept, ANSWER_SANDBOX
    return None, ""


def no_answer_text(wording: DestinationWording) -> str:
    """One sentence for an accepted attempt whose answer echoes nothing, on every view."""
    return (
        f"Accepted, but there is no answer to compare: {wording.name} echoed nothing back for "
        f"this attempt. Check the conversion in {wording.name}'s own reports before signing off."
    )


# -- one attempt ----------------------------------------------------------------------------


class Verdict(StrEnum):
    SIGNED_OFF = "signed-off"
    SIGNED_OFF_WITH_WARNINGS = "signed-off-with-warnings"
    NOT_SIGNED_OFF = "not-signed-off"
    REHEARSAL = "rehearsal"


@dataclass(frozen=True, slots=True)
class Warning:
    code: str  # stable, e.g. "value-mismatch", "resend", "api-version-out-of-support"
    message: str
    level: str = "warning"  # "warning" (read before launch) or "info"


PROVES = {
    Check.TOKEN: "The client id and secret obtain an access token.",
    Check.ADVERTISER_SCOPE: "These credentials may send conversions for this advertiser.",
    Check.EVENT_NAMING: "The purchase is sent under the event name and time Criteo expects.",
    Check.IDENTIFIERS: "The shopper can be matched, and no raw email left this computer.",
    Check.TRANSACTION_DATA: "Order id, value, currency and item lines are complete and add up.",
    Check.SIGN_OFF: "The conversion was accepted, and what came back matches what was sent.",
}


# The log keeps each HTTP exchange in the attempt's steps, under the endpoint it called.
_EXCHANGE_FOR_CHECK = {
    Check.TOKEN: "token",
    Check.ADVERTISER_SCOPE: "advertisers",
    Check.SIGN_OFF: "conversions",
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """One thing a check rests on, as the sign-off report prints it: "Trace id: abc…"."""

    label: str
    value: str

    def to_dict(self) -> dict[str, str]:
        return {"label": self.label, "value": self.value}


@dataclass(frozen=True, slots=True)
class CheckResult:
    check: Check
    state: CheckState
    detail: str
    proves: str = ""  # one plain line on what passing this check shows
    evidence: tuple[Evidence, ...] = ()  # trace ids, hash coverage…: what it rests on


@dataclass(frozen=True, slots=True)
class AttemptEvaluation:
    record: Mapping[str, Any]
    destination: Destination
    checks: tuple[CheckResult, ...]
    reconciliation: Reconciliation
    warnings: tuple[Warning, ...]
    verdict: Verdict
    sentence: str
    wording: DestinationWording | None = None
    posted: bool = False  # the request left this computer
    answered_source: str = ""  # ANSWER_ECHO, ANSWER_SANDBOX, or "" (no answer)
    shop_complete: bool = True  # the shop's item lines were recorded with the attempt

    def check(self, which: Check) -> CheckResult:
        return next(result for result in self.checks if result.check is which)

    @property
    def comparison(self) -> tuple[bool, str]:
        """The comparison in one sentence, and whether it is clean (Compare, the report)."""
        return _comparison(self)


def evaluate_attempt(
    record: Mapping[str, Any], received: Sequence[Mapping[str, Any]] = ()
) -> AttemptEvaluation:
    """The six checks, comparison, warnings and verdict of one logged attempt.

    ``received``: what the embedded sandbox kept for this order (it stands in for an answer
    only for this attempt's own trace id, see ``answered_summary``).
    """
    url = str(record.get("request_url") or "")
    destination = classify_target(url)
    wording = wording_for(url)
    shop, shop_complete = shop_summary(record)
    sent = sent_summary(record)
    answered, source = answered_summary(record, received)
    reconciliation = reconcile(shop, sent, answered)
    checks = tuple(_checks(record, sent, reconciliation, wording))
    warnings = tuple(_warnings(record, sent, reconciliation, wording))
    verdict = _verdict(destination, checks, warnings)
    return AttemptEvaluation(
        record=record,
        destination=destination,
        checks=checks,
        reconciliation=reconciliation,
        warnings=warnings,
        verdict=verdict,
        sentence=SENTENCES[verdict],
        wording=wording,
        posted=was_posted(record),
        answered_source=source,
        shop_complete=shop_complete,
    )


SENTENCES = {
    Verdict.SIGNED_OFF: "All six checks pass: conversions reach Criteo correctly for this "
    "advertiser.",
    Verdict.SIGNED_OFF_WITH_WARNINGS: "Conversions reach Criteo for this advertiser, with "
    "warnings to read before launch.",
    Verdict.NOT_SIGNED_OFF: "Not signed off: at least one check failed.",
    Verdict.REHEARSAL: "A rehearsal, not a sign-off: these sends did not go to Criteo's own "
    "address, so no real conversion was proven.",
}


def _verdict(
    destination: Destination, checks: Sequence[CheckResult], warnings: Sequence[Warning]
) -> Verdict:
    if destination is not Destination.CRITEO:
        return Verdict.REHEARSAL
    if any(c.state in (CheckState.FAILED, CheckState.NOT_STARTED) for c in checks):
        return Verdict.NOT_SIGNED_OFF
    if any(w.level == "warning" for w in warnings) or any(
        c.state is CheckState.WARNING for c in checks
    ):
        return Verdict.SIGNED_OFF_WITH_WARNINGS
    return Verdict.SIGNED_OFF


# -- the six checks of a logged attempt -----------------------------------------------------


def _checks(
    record: Mapping[str, Any],
    sent: OrderSummary,
    reconciliation: Reconciliation,
    wording: DestinationWording,
) -> Iterator[CheckResult]:
    body = load_body(record.get("request_body"))
    attributes = sent_attributes(body)
    for result in _judged_checks(record, body, sent, reconciliation, wording):
        yield replace(result, evidence=_evidence(result.check, record, attributes))


def _judged_checks(
    record: Mapping[str, Any],
    body: Any,
    sent: OrderSummary,
    reconciliation: Reconciliation,
    wording: DestinationWording,
) -> Iterator[CheckResult]:
    steps = _steps(record)
    facts = read_any_sent(body)  # whichever destination's body
    yield _from_step(Check.TOKEN, steps.get("token"), "No token was requested in this attempt.")
    yield _from_step(
        Check.ADVERTISER_SCOPE, steps.get("scope"), "The advertiser scope was not checked."
    )

    event_name, event_time = facts.event_name, facts.event_time
    if event_name and event_time:
        yield _result(Check.EVENT_NAMING, CheckState.OK, f"“{event_name}” at {event_time}.")
    else:
        yield _result(
            Check.EVENT_NAMING, CheckState.FAILED, "The request has no event name or event time."
        )

    present = facts.identifiers
    if facts.raw_email:
        yield _result(Check.IDENTIFIERS, CheckState.FAILED, "An identifier holds an email.")
    elif present:
        yield _result(
            Check.IDENTIFIERS,
            CheckState.OK,
            f"{len(present)} of {facts.identifier_kinds} identifiers "
            f"({', '.join(present)}); {facts.email_note}.",
        )
    else:
        yield _result(Check.IDENTIFIERS, CheckState.FAILED, "No identifier was sent.")

    yield _transaction(sent)
    yield _sign_off(record, reconciliation, wording)


def _transaction(sent: OrderSummary) -> CheckResult:
    if not (sent.order_id and sent.currency and sent.value is not None and sent.line_count):
        return _result(
            Check.TRANSACTION_DATA,
            CheckState.FAILED,
            "The request carries no complete transaction (order id, currency, value, item lines).",
        )
    detail = f"Order {sent.order_id}: {sent.value} {sent.currency}, {sent.line_count} item line(s)."
    mismatch = _value_mismatch(sent)
    if mismatch is not None:
        return _result(Check.TRANSACTION_DATA, CheckState.WARNING, f"{detail} {mismatch}")
    return _result(Check.TRANSACTION_DATA, CheckState.OK, detail)


def _sign_off(
    record: Mapping[str, Any], reconciliation: Reconciliation, wording: DestinationWording
) -> CheckResult:
    trace_id = record.get("trace_id")
    state = record.get("state")
    if state != "accepted":
        explanation = str(record.get("error_explanation") or record.get("reason") or "")
        return _result(
            Check.SIGN_OFF,
            CheckState.FAILED,
            explanation or f"The attempt ended as “{state}”.",
        )
    if not reconciliation.answered_known:
        return _result(Check.SIGN_OFF, CheckState.WARNING, no_answer_text(wording))
    if not reconciliation.all_match:
        return _result(
            Check.SIGN_OFF,
            CheckState.WARNING,
            f"Accepted, but {_differ(reconciliation)}: open Compare.",
        )
    trace = f" (trace id {trace_id})" if trace_id else ""
    return _result(
        Check.SIGN_OFF,
        CheckState.OK,
        f"{wording.accepted} the conversion{trace}; shop, sent and answered agree.",
    )


def _result(check: Check, state: CheckState, detail: str) -> CheckResult:
    return CheckResult(check, state, detail, PROVES[check])


def _from_step(check: Check, step: Mapping[str, Any] | None, missing: str) -> CheckResult:
    if step is None:
        return _result(check, CheckState.NOT_STARTED, missing)
    # "skipped": the destination needs no such step (the Events API has no token or scope).
    state = {"ok": CheckState.OK, "warning": CheckState.WARNING, "skipped": CheckState.OK}.get(
        str(step.get("state")), CheckState.FAILED
    )
    return _result(check, state, str(step.get("message") or ""))


def _steps(record: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Progress steps by name (the log also keeps HTTP exchanges there, without a state)."""
    found: dict[str, Mapping[str, Any]] = {}
    for entry in record.get("steps") or []:
        if isinstance(entry, Mapping) and "state" in entry and isinstance(entry.get("step"), str):
            found[entry["step"]] = entry
    return found


def logged_exchanges(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The attempt's HTTP exchanges among its steps. The console logs each under the endpoint
    it called ("token", "advertisers", "conversions", with its method); Watch my shop under
    "exchange"."""
    steps = record.get("steps")
    return [
        entry
        for entry in (steps if isinstance(steps, list) else [])
        if isinstance(entry, Mapping) and ("method" in entry or entry.get("step") == "exchange")
    ]


def exchange_trace_id(exchange: Mapping[str, Any]) -> str:
    """The ``x-criteo-trace-id`` a logged exchange's answer carried; "" when none."""
    headers = exchange.get("response_headers")
    if isinstance(headers, Mapping):
        for name, value in headers.items():
            if str(name).lower() == "x-criteo-trace-id":
                return str(value)
    return ""


def sent_attributes(body: Any) -> Mapping[str, Any]:
    """The first data entry's attributes of a conversions body; {} for any other shape."""
    return conversion_attributes(body) or {}


def _evidence(
    check: Check, record: Mapping[str, Any], attributes: Mapping[str, Any]
) -> tuple[Evidence, ...]:
    """What ``check`` rests on in the log: trace ids per exchange, hash coverage, the sent
    event and transaction (``attributes``: the sent body's first data entry)."""
    found: list[Evidence] = []
    endpoint = _EXCHANGE_FOR_CHECK.get(check)
    if endpoint is not None:
        for exchange in logged_exchanges(record):
            if exchange.get("step") == endpoint:
                trace = exchange_trace_id(exchange)
                status = exchange.get("status")
                shown = f"HTTP {status}" if status is not None else "no answer"
                found.append(
                    Evidence(f"Trace id ({shown})", trace) if trace else Evidence("Answer", shown)
                )
        if check is Check.SIGN_OFF and not found and record.get("http_status"):
            found.append(Evidence("Trace id", str(record.get("trace_id") or "—")))
    if check is Check.IDENTIFIERS:
        coverage = record.get("identifier_coverage")
        if coverage:
            found.append(Evidence("Hash coverage", str(coverage)))
        identifiers = attributes.get("identifiers")
        if isinstance(identifiers, Mapping) and identifiers.get("email_sha256"):
            digest = str(identifiers["email_sha256"])
            found.append(Evidence("Email (SHA-256)", f"{digest[:12]}…"))
    if check is Check.EVENT_NAMING:
        for key, label in (("event_name", "Event name"), ("event_time", "Event time")):
            if attributes.get(key):
                found.append(Evidence(label, str(attributes[key])))
    if check is Check.TRANSACTION_DATA:
        transaction = attributes.get("transaction_data")
        if isinstance(transaction, Mapping):
            found.append(
                Evidence(
                    "Sent",
                    f"{transaction.get('id')} · {transaction.get('value')} "
                    f"{transaction.get('currency')}",
                )
            )
    return tuple(found)


def _value_mismatch(sent: OrderSummary) -> str | None:
    if sent.value is None or sent.items_total is None:
        return None
    return value_mismatch_text(sent.value, sent.items_total)


# -- warnings -------------------------------------------------------------------------------


def _warnings(
    record: Mapping[str, Any],
    sent: OrderSummary,
    reconciliation: Reconciliation,
    wording: DestinationWording,
) -> Iterator[Warning]:
    mismatch = _value_mismatch(sent)
    if mismatch is not None:
        yield Warning("value-mismatch", mismatch)
    resend = _steps(record).get("duplicate")
    answer = load_body(record.get("response_body"))
    answer_warnings = [
        w
        for w in (answer.get("warnings") if isinstance(answer, Mapping) else None) or []
        if isinstance(w, Mapping)
    ]
    if (resend is not None and resend.get("state") == "warning") or any(
        w.get("code") == "duplicate-transaction" for w in answer_warnings
    ):
        yield Warning(
            "resend",
            f"This order was sent again after an earlier send: {wording.name} may count the "
            "sale twice unless it deduplicates it.",
        )
    url = str(record.get("request_url") or "")
    status, sentence = version_support(version_of(url), url)
    if status is VersionSupport.OUT_OF_SUPPORT:
        yield Warning("api-version-out-of-support", sentence)
    deprecated = _deprecation(record)
    if deprecated:
        yield Warning("api-version-deprecated", deprecated)
    http_status = record.get("http_status")
    if (
        isinstance(http_status, int)
        and 200 <= http_status < 300
        and isinstance(answer, Mapping)
        and answer.get("errors")
    ):
        yield Warning(
            "errors-in-200",
            f"{wording.title} answered {http_status} but its answer lists errors.",
        )
    for entry in answer_warnings:
        if entry.get("code") == "duplicate-transaction":
            continue
        detail = entry.get("detail") or entry.get("title") or entry.get("code") or ""
        yield Warning("answer-warning", f"{wording.title} warned: {detail}")
    if record.get("state") == "accepted":
        if not reconciliation.answered_known:
            yield Warning("answer-not-echoed", no_answer_text(wording))
        elif not reconciliation.all_match:
            yield Warning("answer-differs", f"Accepted, but {_differ(reconciliation)}.")


def _differ(reconciliation: Reconciliation) -> str:
    names = ", ".join(row.label for row in reconciliation.mismatches)
    return f"the shop's order, what was sent and what was answered differ on: {names}"


def _deprecation(record: Mapping[str, Any]) -> str:
    """Deprecation/Sunset headers in the attempt's logged answers, as one sentence."""
    for exchange in reversed(logged_exchanges(record)):
        headers = exchange.get("response_headers")
        if not isinstance(headers, Mapping):
            continue
        lower = {str(k).lower(): str(v) for k, v in headers.items()}
        deprecation, sunset = lower.get("deprecation"), lower.get("sunset")
        if deprecation or sunset:
            version = version_of(str(exchange.get("url") or "")) or "of this attempt"
            when = f" (sunset: {sunset})" if sunset else ""
            return (
                f"The answer marks API version {version} as deprecated{when}: switch the "
                "profile to a newer version before it is retired."
            )
    return ""


# -- comparison -----------------------------------------------------------------------------


def _comparison(evaluation: AttemptEvaluation) -> tuple[bool, str]:
    record, result = evaluation.record, evaluation.reconciliation
    wording = evaluation.wording or wording_for(str(record.get("request_url") or ""))
    if not result.answered_known:
        state = record.get("state")
        if not evaluation.posted and state != "pending":
            explanation = record.get("error_explanation")
            why = f" {explanation}" if explanation else ""
            return False, (
                "Nothing to compare: this attempt stopped before the order was sent, so "
                f"{wording.name} never answered it.{why} Fix the problem and send again."
            )
        if state == "accepted":
            return False, no_answer_text(wording)
        return False, (
            f"No answer from {wording.name} to compare with. Check the response on the Summary "
            f"tab, and look the order up in {wording.name} before re-sending."
        )
    mismatches = [row for row in result.mismatches if evaluation.shop_complete or row.shop != "—"]
    notes = sorted({row.note for row in result.rows if row.note})
    extra = f" Note: {'; '.join(notes)}." if notes else ""
    if not mismatches:
        partial = "" if evaluation.shop_complete else " (the shop's item lines were not recorded)"
        return (
            not notes,
            f"Everything matches: shop, sent and answered agree{partial}.{extra}",
        )
    names = ", ".join(row.label for row in mismatches)
    return False, f"{len(mismatches)} difference(s) to check: {names}.{extra}"


ROW_STATUS_WORDS = {
    "matches": "matches",
    "no-answer": "no answer to compare",
    "not-recorded": "not recorded",
    "differs": "differs",
}


def row_status(row: ComparisonRow, evaluation: AttemptEvaluation) -> str:
    """One comparison row's status code (``ROW_STATUS_WORDS``), for Compare and the report.

    Without an answer a row still compares the shop with what was sent, so a difference
    between those two is "differs", never hidden behind "no answer"."""
    if row.match:
        return "matches" if evaluation.reconciliation.answered_known else "no-answer"
    if not evaluation.shop_complete and row.shop == "—":
        return "not-recorded"
    return "differs"


SANDBOX_COLUMN = "What the sandbox received"


def column_titles(evaluation: AttemptEvaluation) -> tuple[str, str]:
    """The "sent" and "answered" column titles, in the destination's words."""
    sent = "What was sent" if evaluation.posted else "Prepared (never sent)"
    if evaluation.answered_source == ANSWER_SANDBOX:
        return sent, SANDBOX_COLUMN
    name = evaluation.wording.name if evaluation.wording else "the server"
    return sent, f"What {name} answered"


# -- a set of attempts ----------------------------------------------------------------------


def overall_verdict(evaluations: Iterable[AttemptEvaluation]) -> tuple[Verdict, str]:
    """One verdict for a set of attempts: a rehearsal if any went elsewhere than Criteo."""
    verdicts = [e.verdict for e in evaluations]
    if not verdicts:
        return Verdict.NOT_SIGNED_OFF, "Nothing was sent: there is nothing to sign off."
    for verdict in (
        Verdict.REHEARSAL,
        Verdict.NOT_SIGNED_OFF,
        Verdict.SIGNED_OFF_WITH_WARNINGS,
    ):
        if verdict in verdicts:
            return verdict, SENTENCES[verdict]
    return Verdict.SIGNED_OFF, SENTENCES[Verdict.SIGNED_OFF]


def load_body(text: object) -> Any:
    """A logged body (JSON text) as data; None when it is empty or not JSON."""
    from criteo_console.core.jsonfmt import loads_json

    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return loads_json(text)
    except ValueError:
        return None
