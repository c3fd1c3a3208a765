"""The pre-launch sign-off: the six checks read back from one logged attempt.

Everything is read from the event-log record (``Attempt.to_dict()``), which never holds a
secret, a token or a raw email. The printable report is ``core/report`` (docs/report.md).
Pure: no I/O, no Qt.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from criteo_console.core.checklist import Check, CheckState
from criteo_console.core.identifiers import IDENTIFIER_KINDS
from criteo_console.core.reconcile import (
    OrderSummary,
    Reconciliation,
    reconcile,
    shop_summary_from_steps,
    summarize_conversion,
)

_KIND_NAMES = {"email_sha256": "hashed email", "customer_id": "customer id", "madid": "MADID"}


@dataclass(frozen=True, slots=True)
class SignOffLine:
    check: Check
    state: CheckState
    detail: str


@dataclass(frozen=True, slots=True)
class SignOff:
    record: Mapping[str, Any]
    lines: tuple[SignOffLine, ...]
    reconciliation: Reconciliation

    @property
    def passed(self) -> bool:
        return all(line.state is CheckState.OK for line in self.lines)

    @property
    def posted(self) -> bool:
        """Whether the conversion request went out (an HTTP answer, or a POST step run)."""
        if self.record.get("http_status"):
            return True
        return any(
            isinstance(e, Mapping) and e.get("step") == "post"
            for e in self.record.get("steps") or []
        )

    @property
    def on_sandbox(self) -> bool:
        return self.record.get("environment") == "sandbox"

    @property
    def verdict(self) -> str:
        if not self.passed:
            failed = [line.check.title for line in self.lines if line.state is not CheckState.OK]
            return "Not ready: fix " + ", ".join(failed) + " and send again."
        if self.on_sandbox:
            return (
                "All six checks pass on the sandbox. This is a rehearsal: repeat it with the "
                "advertiser's Criteo profile to sign off."
            )
        return "All six checks pass: conversions reach Criteo correctly for this advertiser."


def _loads(text: object) -> Any:
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return json.loads(text, parse_float=Decimal)
    except ValueError:
        return None


def _attributes(body: Any) -> Mapping[str, Any]:
    if isinstance(body, Mapping):
        data = body.get("data")
        if isinstance(data, list) and data and isinstance(data[0], Mapping):
            attributes = data[0].get("attributes")
            if isinstance(attributes, Mapping):
                return attributes
    return {}


def _steps(record: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Progress steps by name (the log also keeps HTTP exchanges there, without a state)."""
    found: dict[str, Mapping[str, Any]] = {}
    for entry in record.get("steps") or []:
        if isinstance(entry, Mapping) and "state" in entry and isinstance(entry.get("step"), str):
            found[entry["step"]] = entry
    return found


def _shop(record: Mapping[str, Any]) -> OrderSummary:
    found = shop_summary_from_steps(record.get("steps"))
    if found is not None:
        return found
    value = record.get("value")
    return OrderSummary(
        order_id=record.get("order_id"),
        value=None if value is None else Decimal(str(value)),
        currency=record.get("currency"),
        line_count=None,
        items_total=None,
    )


def _from_step(check: Check, step: Mapping[str, Any] | None, missing: str) -> SignOffLine:
    if step is None:
        return SignOffLine(check, CheckState.NOT_STARTED, missing)
    state = {"ok": CheckState.OK, "warning": CheckState.WARNING}.get(
        str(step.get("state")), CheckState.FAILED
    )
    return SignOffLine(check, state, str(step.get("message") or ""))


def evaluate_signoff(record: Mapping[str, Any]) -> SignOff:
    steps = _steps(record)
    sent_body = _loads(record.get("request_body"))
    answer_body = _loads(record.get("response_body"))
    attributes = _attributes(sent_body)
    lines = [
        _from_step(Check.TOKEN, steps.get("token"), "No token was requested in this attempt."),
        _from_step(
            Check.ADVERTISER_SCOPE, steps.get("scope"), "The advertiser scope was not checked."
        ),
    ]

    event_name, event_time = attributes.get("event_name"), attributes.get("event_time")
    if isinstance(event_name, str) and event_name and isinstance(event_time, str):
        lines.append(
            SignOffLine(Check.EVENT_NAMING, CheckState.OK, f"“{event_name}” at {event_time}.")
        )
    else:
        lines.append(
            SignOffLine(
                Check.EVENT_NAMING,
                CheckState.FAILED,
                "The request has no event name or event time.",
            )
        )

    identifiers = attributes.get("identifiers")
    present = [
        k for k in IDENTIFIER_KINDS if isinstance(identifiers, Mapping) and identifiers.get(k)
    ]
    raw_email = isinstance(identifiers, Mapping) and any(
        "@" in str(value) for value in identifiers.values()
    )
    if raw_email:
        lines.append(
            SignOffLine(Check.IDENTIFIERS, CheckState.FAILED, "An identifier holds an email.")
        )
    elif present:
        names = ", ".join(_KIND_NAMES[k] for k in present)
        lines.append(
            SignOffLine(
                Check.IDENTIFIERS,
                CheckState.OK,
                f"{len(present)} of {len(IDENTIFIER_KINDS)} identifiers ({names}); "
                "the email left this computer only as its SHA-256.",
            )
        )
    else:
        lines.append(SignOffLine(Check.IDENTIFIERS, CheckState.FAILED, "No identifier was sent."))

    sent = summarize_conversion(sent_body)
    if sent.order_id and sent.currency and sent.value is not None and sent.line_count:
        lines.append(
            SignOffLine(
                Check.TRANSACTION_DATA,
                CheckState.OK,
                f"Order {sent.order_id}: {sent.value} {sent.currency}, "
                f"{sent.line_count} item line(s).",
            )
        )
    else:
        lines.append(
            SignOffLine(
                Check.TRANSACTION_DATA,
                CheckState.FAILED,
                "The request carries no complete transaction_data.",
            )
        )

    answered = summarize_conversion(answer_body)
    reconciliation = reconcile(_shop(record), sent, answered if answered.order_id else None)
    explanation = str(record.get("error_explanation") or record.get("reason") or "")
    if record.get("state") != "accepted":
        lines.append(
            SignOffLine(
                Check.SIGN_OFF,
                CheckState.FAILED,
                explanation or f"The attempt ended as “{record.get('state')}”.",
            )
        )
    elif not reconciliation.all_match:
        mismatched = ", ".join(row.label for row in reconciliation.mismatches) or "the answer"
        lines.append(
            SignOffLine(
                Check.SIGN_OFF,
                CheckState.WARNING,
                f"Accepted, but {mismatched} differ between shop, sent and answer.",
            )
        )
    else:
        lines.append(SignOffLine(Check.SIGN_OFF, CheckState.OK, explanation or "Accepted."))
    return SignOff(record, tuple(lines), reconciliation)
