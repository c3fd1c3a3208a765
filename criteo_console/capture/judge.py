"""Judge one captured request (a conversions body or an Events API body): raw emails, the
core's rules (the body read back into the canonical order), the checkout email."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from criteo_console.core.email_match import EmailMatch, EmailMatchCode, match_email
from criteo_console.core.identifiers import Coverage
from criteo_console.core.issues import Issue, Level, error
from criteo_console.core.jsonfmt import dumps_json, loads_json
from criteo_console.core.wire import CapturedCheck, check_captured, check_captured_events

# Loose on purpose: anything shaped like an address, wherever it sits (keys, values, text).
_EMAIL_IN_TEXT = re.compile(r"[^@\s\"'<>{}\[\],:]+@[^@\s\"'<>{}\[\],:]+\.[^@\s\"'<>{}\[\],:]+")
EMAIL_REMOVED = "[email removed]"


def redact_emails(text: str) -> str:
    """The text with every email-shaped run replaced; what a refused body is stored as."""
    return _EMAIL_IN_TEXT.sub(EMAIL_REMOVED, text)


def has_raw_email(text: str) -> bool:
    return bool(_EMAIL_IN_TEXT.search(text))


def _redacted(body: Any) -> Any:
    if isinstance(body, Mapping):
        return {redact_emails(str(k)): _redacted(v) for k, v in body.items()}
    if isinstance(body, list):
        return [_redacted(v) for v in body]
    return redact_emails(body) if isinstance(body, str) else body


def email_pointers(body: Any, at: str = "") -> list[str]:
    """JSON pointers (RFC 6901) of the keys and strings that hold an email address."""
    found: list[str] = []
    if isinstance(body, Mapping):
        for key, value in body.items():
            here = f"{at}/{str(key).replace('~', '~0').replace('/', '~1')}"
            if has_raw_email(str(key)):
                found.append(at or "/")
            found.extend(email_pointers(value, here))
    elif isinstance(body, list):
        for index, value in enumerate(body):
            found.extend(email_pointers(value, f"{at}/{index}"))
    elif isinstance(body, str) and has_raw_email(body):
        found.append(at or "/")
    return found


@dataclass
class Judgement:
    """Everything the capture knows about a conversions request before it is answered."""

    body: Any  # parsed JSON (Decimal numbers), or None when the body is not JSON
    stored_body: str  # what the event log may keep (emails removed)
    raw_email_at: list[str]
    issues: list[Issue]
    email_match: EmailMatch | None
    order_id: str | None = None
    advertiser_id: int | None = None
    event_name: str | None = None
    value: str | None = None
    currency: str | None = None
    coverage: Coverage = field(default_factory=lambda: Coverage(False, False, False))

    @property
    def verdict(self) -> str:
        if any(i.level is Level.ERROR for i in self.issues):
            return "error"
        return "warning" if self.issues else "ok"


Checker = Callable[[Any], tuple[list[Issue], list[CapturedCheck]]]


@dataclass(frozen=True)
class BodyKind:
    """What differs between the two bodies a shop may send: how the core reads it back, where
    the hashed email goes, and what a body looks like."""

    check: Checker
    email_field: str
    example: str
    event_name: Callable[[Any], object]
    account: Callable[[Any], object]


def judge_conversion(
    raw: bytes, event_names: Mapping[str, str], checkout_email: str | None
) -> Judgement:
    kind = BodyKind(
        check=lambda body: check_captured(body, event_names=event_names),
        email_field="identifiers.email_sha256",
        example='{"data": [{"type": "Conversion", ...}]}',
        event_name=lambda body: _attribute(body, "event_name"),
        account=lambda body: _attribute(body, "advertiser_id"),
    )
    return _judge_body(raw, kind, checkout_email)


EVENT_BODY = BodyKind(
    check=check_captured_events,
    email_field="id.email.sha256",
    example='{"account": ..., "id": {...}, "events": [...]}',
    event_name=lambda body: _first_event(body).get("event"),
    account=lambda body: body.get("account") if isinstance(body, Mapping) else None,
)


def judge_event(raw: bytes, checkout_email: str | None) -> Judgement:
    """An Events API body (``POST /m/event``), judged as an order for an Events API profile."""
    return _judge_body(raw, EVENT_BODY, checkout_email)


def _judge_body(raw: bytes, kind: BodyKind, checkout_email: str | None) -> Judgement:
    text = raw.decode("utf-8", "replace")
    try:
        body: Any = loads_json(text) if text.strip() else None
        raw_email_at = email_pointers(body) if body is not None else []
        return _judge(text, body, raw_email_at, kind, checkout_email)
    except RecursionError:  # nested deeper than any real body: judged as unreadable
        return _judge(text, None, [], kind, checkout_email)
    except ValueError:
        return _judge(text, None, [], kind, checkout_email)


def _judge(
    text: str,
    body: Any,
    raw_email_at: list[str],
    kind: BodyKind,
    checkout_email: str | None,
) -> Judgement:
    if not raw_email_at and has_raw_email(text):
        raw_email_at = ["/"]
    stored = text
    if raw_email_at:
        # From the parsed body when there is one: an address written with JSON escapes
        # ("jane\u0040example.com") is invisible in the text but not in the values.
        stored = dumps_json(_redacted(body)) if body is not None else redact_emails(text)

    issues: list[Issue] = []
    if raw_email_at:
        issues.append(
            error(
                raw_email_at[0],
                "raw-email-refused",
                "The request holds an email address in clear text, so the console refused it "
                "(answered 400) and did not send it on. Send only the SHA-256 of the address, "
                f"in {kind.email_field}.",
            )
        )
    if body is None:
        issues.append(
            error(
                "",
                "body-not-json",
                "The request body is not JSON. The shop must send Content-Type: "
                f"application/json and a body such as {kind.example}.",
            )
        )
        return Judgement(body, stored, raw_email_at, issues, _match(checkout_email, None, False))

    envelope, checks = kind.check(body)
    issues.extend(envelope)
    for captured in checks:
        issues.extend(captured.issues)
    judgement = Judgement(body, stored, raw_email_at, issues, None)
    if checks:
        first = checks[0]
        judgement.email_match = _match(checkout_email, first.email_sha256, True)
        judgement.order_id = _text(first.order.get("order_id"))
        judgement.coverage = first.check.coverage
        if first.check.order is not None:
            order = first.check.order
            judgement.advertiser_id = order.advertiser_id
            judgement.event_name = order.event_name
            judgement.value = None if order.value is None else str(order.value)
            judgement.currency = order.currency
        else:
            judgement.advertiser_id = _advertiser(kind.account(body))
            judgement.event_name = _text(kind.event_name(body))
            value = first.order.get("value")
            judgement.value = str(value) if isinstance(value, int | Decimal) else None
            judgement.currency = _text(first.order.get("currency"))
    else:
        judgement.email_match = _match(checkout_email, None, False)
    return judgement


def _match(checkout_email: str | None, captured: object, readable: bool) -> EmailMatch | None:
    if not checkout_email:
        return None
    if not readable:
        return None
    return match_email(checkout_email, captured)


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return value[:200] or None
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    return None


def _attribute(body: Any, name: str) -> Any:
    data = body.get("data") if isinstance(body, Mapping) else None
    if isinstance(data, Sequence) and data and isinstance(data[0], Mapping):
        attributes = data[0].get("attributes")
        if isinstance(attributes, Mapping):
            return attributes.get(name)
    return None


def _first_event(body: Any) -> Mapping[str, Any]:
    events = body.get("events") if isinstance(body, Mapping) else None
    if isinstance(events, Sequence) and events and isinstance(events[0], Mapping):
        return events[0]
    return {}


def _advertiser(value: object) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63:
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def email_match_note(result: EmailMatch | None) -> tuple[str, str] | None:
    """The (state, message) the event log keeps for the checkout-email check."""
    if result is None:
        return None
    if result.code is EmailMatchCode.MATCH:
        return "ok", result.message
    if result.code is EmailMatchCode.MISSING:
        return "warning", result.message
    return "failed", f"{result.code.value}: {result.message}"
