"""Build ``signoff.json``: a set of logged attempts → the sign-off document.

The verdicts, check states, destination and warnings come from ``core.verdict`` only; this
module arranges them (and the evidence the log holds) into one document, in a fixed key
order, with text values only (money as strings), so it can be signed byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from criteo_console.core.checklist import Check, CheckState
from criteo_console.core.jsonfmt import dumps_json
from criteo_console.core.verdict import (
    PROVES,
    AttemptEvaluation,
    Destination,
    Verdict,
    VersionSupport,
    classify_target,
    evaluate_attempt,
    exchange_trace_id,
    load_body,
    logged_exchanges,
    overall_verdict,
    row_status,
    sent_attributes,
    version_of,
    version_support,
)

FORMAT = "tracklayer-criteo-signoff"
FORMAT_VERSION = 1

TITLES = {
    Verdict.REHEARSAL: "Rehearsal — not a sign-off",
    Verdict.SIGNED_OFF: "Criteo conversion sign-off",
    Verdict.SIGNED_OFF_WITH_WARNINGS: "Criteo conversion sign-off",
    Verdict.NOT_SIGNED_OFF: "Criteo conversion check — not signed off",
}
DESTINATION_WORDS = {
    Destination.CRITEO: "Criteo's own API: each accepted order is a real conversion",
    Destination.LOCAL: "a sandbox on this computer: no real conversion was created",
    Destination.OTHER: "another server, not Criteo's own address",
}
STATE_WORDS = {
    CheckState.OK: "pass",
    CheckState.WARNING: "warning",
    CheckState.FAILED: "fail",
    CheckState.NOT_STARTED: "not run",
}
_COUNT_ORDER = (CheckState.OK, CheckState.WARNING, CheckState.FAILED, CheckState.NOT_STARTED)


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """Who signs what: the people and context printed on the cover."""

    reviewer: str
    client: str = ""
    agency: str = ""
    profile: str = ""  # empty: the profiles named in the attempts
    console_version: str = ""
    created_at: datetime | None = None


def build_document(
    records: Iterable[Mapping[str, Any]],
    request: ReportRequest,
    redact: Callable[[str], str] = lambda text: text,
) -> dict[str, Any]:
    """The sign-off document for ``records`` (``Attempt.to_dict()``), oldest first.

    ``redact`` masks secrets and emails in every free text taken from the log (the log is
    redacted already; this is the second lock on the door).
    """
    ordered = sorted(records, key=lambda r: (str(r.get("created_at") or ""), r.get("id") or 0))
    evaluations = [evaluate_attempt(record) for record in ordered]
    verdict, sentence = overall_verdict(evaluations)
    created = (request.created_at or datetime.now(UTC)).astimezone(UTC)
    urls = [str(e.record.get("request_url") or "") for e in evaluations]
    destination = _destination(urls)
    orders = [_order(e, redact) for e in evaluations]
    document: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "title": TITLES[verdict],
        "verdict": verdict.value,
        "verdict_sentence": sentence,
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "console_version": request.console_version
        or _first(str(r.get("app_version") or "") for r in ordered),
        "reviewer": request.reviewer.strip(),
        "client": request.client.strip(),
        "agency": request.agency.strip(),
        "profile": request.profile.strip()
        or ", ".join(dict.fromkeys(str(r.get("profile") or "") for r in ordered)),
        "advertiser": _advertiser(ordered),
        "destination": {
            "kind": destination.value,
            "address": ", ".join(dict.fromkeys(_origin(url) for url in urls if url)) or "",
            "meaning": DESTINATION_WORDS[destination],
        },
        "api": _api(urls),
        "checks": [_check_summary(check, evaluations) for check in Check],
        "orders": orders,
        "warnings": [
            {"order_id": order["order_id"], "attempt": order["attempt"], **warning}
            for order in orders
            for warning in order["warnings"]
        ],
    }
    redacted: dict[str, Any] = _redacted(document, redact)
    return redacted


# -- cover facts ------------------------------------------------------------------------------


def _destination(urls: Sequence[str]) -> Destination:
    """Criteo only when every send went to Criteo; otherwise the first other place."""
    kinds = [classify_target(url) for url in urls]
    return next((k for k in kinds if k is not Destination.CRITEO), Destination.CRITEO)


def _origin(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else url


def _api(urls: Sequence[str]) -> dict[str, str]:
    pairs = {(version_of(url), url) for url in urls if version_of(url)}
    versions = sorted({version for version, _url in pairs})
    if not versions:
        return {"version": "", "support": "unknown", "note": "No request reached an API version."}
    statuses = [version_support(version, url) for version, url in sorted(pairs)]
    worst = next((s for s in statuses if s[0] is VersionSupport.OUT_OF_SUPPORT), statuses[0])
    note = worst[1] or "Criteo's support policy applies only to Criteo's own address."
    return {"version": ", ".join(versions), "support": worst[0].value, "note": note}


def _advertiser(records: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    ids = list(dict.fromkeys(str(r["advertiser_id"]) for r in records if r.get("advertiser_id")))
    names = [n for n in (_advertiser_name(r) for r in records) if n]
    return {"id": ", ".join(ids), "name": names[0] if names else ""}


def _advertiser_name(record: Mapping[str, Any]) -> str:
    """The advertiser's name as Criteo's ``advertisers/me`` answer gave it, if it was logged."""
    wanted = str(record.get("advertiser_id") or "")
    for exchange in logged_exchanges(record):
        if exchange.get("step") != "advertisers":
            continue
        answer = load_body(exchange.get("response_body"))
        data = answer.get("data") if isinstance(answer, Mapping) else None
        for entry in data if isinstance(data, list) else []:
            if isinstance(entry, Mapping) and str(entry.get("id")) == wanted:
                attributes = entry.get("attributes")
                if isinstance(attributes, Mapping):
                    name = attributes.get("advertiserName") or attributes.get("name")
                    if isinstance(name, str):
                        return name
    return ""


def _check_summary(check: Check, evaluations: Sequence[AttemptEvaluation]) -> dict[str, Any]:
    counts = {state: 0 for state in CheckState}
    for evaluation in evaluations:
        for result in evaluation.checks:
            if result.check is check:
                counts[result.state] += 1
    return {
        "number": int(check),
        "title": check.title,
        "proves": PROVES[check],
        "orders": {state.value: counts[state] for state in _COUNT_ORDER},
    }


# -- one order --------------------------------------------------------------------------------


def _order(evaluation: AttemptEvaluation, redact: Callable[[str], str]) -> dict[str, Any]:
    record = evaluation.record
    sent = load_body(record.get("request_body"))
    attributes = sent_attributes(sent)
    reconciliation = evaluation.reconciliation
    return {
        "attempt": record.get("id"),
        "attempt_uuid": str(record.get("uuid") or ""),
        "order_id": str(record.get("order_id") or ""),
        "sent_at": str(record.get("created_at") or ""),
        "profile": str(record.get("profile") or ""),
        "advertiser_id": str(record.get("advertiser_id") or ""),
        "address": str(record.get("request_url") or ""),
        "destination": evaluation.destination.value,
        "result": str(record.get("state") or ""),
        "posted": evaluation.posted,
        "http_status": record.get("http_status"),
        "trace_id": str(record.get("trace_id") or "") if record.get("http_status") else "",
        "verdict": evaluation.verdict.value,
        "verdict_sentence": evaluation.sentence,
        "explanation": str(record.get("error_explanation") or ""),
        "checks": [
            {
                "number": int(result.check),
                "title": result.check.title,
                "state": result.state.value,
                "result": STATE_WORDS[result.state],
                "detail": result.detail,
                "proves": result.proves,
                "evidence": [item.to_dict() for item in result.evidence],
            }
            for result in evaluation.checks
        ],
        "items": _items(attributes),
        "comparison": {
            "answered": reconciliation.answered_known,
            "rows": [
                {
                    "field": row.label,
                    "shop": row.shop,
                    "sent": row.sent,
                    "answered": row.answered,
                    "match": row.match,
                    "status": row_status(row, evaluation),
                }
                for row in reconciliation.rows
            ],
        },
        "mismatches": [row.label for row in reconciliation.mismatches],
        "warnings": [{"code": w.code, "message": w.message} for w in evaluation.warnings],
        "exchanges": _appendix(record),
    }


def _items(attributes: Mapping[str, Any]) -> dict[str, Any]:
    transaction = attributes.get("transaction_data")
    raw = transaction.get("item") if isinstance(transaction, Mapping) else None
    rows: list[dict[str, str]] = []
    total: Decimal | None = Decimal(0)
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, Mapping):
            continue
        price, quantity = _decimal(item.get("price")), _decimal(item.get("quantity"))
        line = price * quantity if price is not None and quantity is not None else None
        total = total + line if total is not None and line is not None else None
        rows.append(
            {
                "id": str(item.get("id") or ""),
                "price": _text(item.get("price")),
                "quantity": _text(item.get("quantity")),
                "line_total": "" if line is None else str(line),
            }
        )
    currency = transaction.get("currency") if isinstance(transaction, Mapping) else None
    return {
        "currency": str(currency or ""),
        "rows": rows,
        "total": "" if total is None or not rows else str(total),
        "order_value": _text(transaction.get("value")) if isinstance(transaction, Mapping) else "",
    }


def _appendix(record: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every HTTP exchange of the attempt, its bodies exactly as logged (already redacted)."""
    exchanges = [
        {
            "step": str(exchange.get("step") or ""),
            "method": str(exchange.get("method") or ""),
            "url": str(exchange.get("url") or ""),
            "status": exchange.get("status") if isinstance(exchange.get("status"), int) else None,
            "trace_id": exchange_trace_id(exchange),
            "request_body": _text(exchange.get("request_body")),
            "response_body": _text(exchange.get("response_body")),
            "error": _text(exchange.get("error")),
        }
        for exchange in logged_exchanges(record)
    ]
    posted = any(e["step"] == "conversions" for e in exchanges)
    if not posted and (record.get("request_body") or record.get("response_body")):
        exchanges.append(
            {
                "step": "conversions",
                "method": "POST",
                "url": str(record.get("request_url") or ""),
                "status": record.get("http_status"),
                "trace_id": str(record.get("trace_id") or "") if record.get("http_status") else "",
                "request_body": _text(record.get("request_body")),
                "response_body": _text(record.get("response_body")),
                "error": "",
            }
        )
    return exchanges


# -- small readers ----------------------------------------------------------------------------


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return dumps_json(value)


def _first(values: Iterable[str]) -> str:
    return next((v for v in values if v), "")


def _redacted(value: Any, redact: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {key: _redacted(item, redact) for key, item in value.items()}
    if isinstance(value, list):
        return [_redacted(item, redact) for item in value]
    return value


def has_orders(document: Mapping[str, Any]) -> bool:
    return bool(document.get("orders"))
