"""The one verdict: where a send goes, what an attempt proves, and how it is worded.

Every view (sidebar, Send, Compare, Event log), ``criteo-console send`` and the sign-off report
read these functions; none of them decides a verdict of its own. Pure: no Qt, no I/O.

- ``classify_target``: Criteo's own address, this computer, or another server — by address,
  never by a profile's label.
- ``evaluate_attempt``: one logged attempt (``Attempt.to_dict()``) → its six checks, the
  shop/sent/answered comparison, every warning with its code, and its verdict.
- ``overall_verdict``: a set of attempts → one verdict for a sign-off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from criteo_console.core.checklist import Check, CheckState
from criteo_console.core.hosts import is_loopback_host
from criteo_console.core.reconcile import Reconciliation, summarize_conversion
from criteo_console.core.signoff import evaluate_signoff

# Criteo's own addresses: the guide's API host and the public Events API host.
CRITEO_HOSTS = frozenset({"api.criteo.com", "widget.criteo.com"})


class Destination(StrEnum):
    CRITEO = "criteo"
    LOCAL = "local"
    OTHER = "other"


def classify_target(url: str) -> Destination:
    """Criteo (https on Criteo's own host), local (this computer), or another server."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return Destination.OTHER
    if is_loopback_host(host):
        return Destination.LOCAL
    if parts.scheme == "https" and host in CRITEO_HOSTS:
        return Destination.CRITEO
    return Destination.OTHER


@dataclass(frozen=True, slots=True)
class DestinationWording:
    """The words every page uses for where a send goes."""

    name: str  # "Criteo", "the sandbox", "the server at example.test"
    send_button: str  # "Send to Criteo"
    accepted: str  # "Criteo accepted"
    rejected: str  # "Criteo refused"
    real_conversions: bool  # whether a send creates a real conversion


def wording_for(url: str) -> DestinationWording:
    destination = classify_target(url)
    if destination is Destination.CRITEO:
        return DestinationWording(
            "Criteo", "Send to Criteo", "Criteo accepted", "Criteo refused", True
        )
    if destination is Destination.LOCAL:
        return DestinationWording(
            "the sandbox",
            "Send to the sandbox",
            "The sandbox accepted",
            "The sandbox refused",
            False,
        )
    host = _host(url) or "another server"
    return DestinationWording(
        f"the server at {host}",
        f"Send to {host}",
        f"The server at {host} accepted",
        f"The server at {host} refused",
        # Not Criteo's address: it may still forward to Criteo, so treat it as real.
        True,
    )


# -- API versions ---------------------------------------------------------------------------

KNOWN_VERSIONS = ("2026-01", "2025-10", "2025-07", "2023-07")
SUPPORTED_FROM = "2025-07"  # Criteo supports each version for about 12 months


class VersionSupport(StrEnum):
    SUPPORTED = "supported"
    OUT_OF_SUPPORT = "out-of-support"
    NOT_APPLICABLE = "not-applicable"  # not Criteo's address: Criteo's policy does not apply
    UNKNOWN = "unknown"


def version_support(version: str, url: str) -> tuple[VersionSupport, str]:
    """Whether Criteo still supports ``version``, in a plain sentence (Criteo targets only)."""
    version = version.strip()
    if classify_target(url) is not Destination.CRITEO:
        return VersionSupport.NOT_APPLICABLE, ""
    if not re.fullmatch(r"\d{4}-\d{2}", version):
        return VersionSupport.UNKNOWN, f"API version “{version}” is not of the form YYYY-MM."
    if version < SUPPORTED_FROM:
        return (
            VersionSupport.OUT_OF_SUPPORT,
            f"API {version} is out of support: Criteo may answer it with Deprecation/Sunset "
            "warnings or refuse it (410 Gone).",
        )
    return VersionSupport.SUPPORTED, "Criteo supports each API version for about 12 months."


def version_of(url: str) -> str:
    """The ``YYYY-MM`` segment of a request URL, or ""."""
    match = re.search(r"/(\d{4}-\d{2})(?:/|$)", urlsplit(url).path if url else "")
    return match.group(1) if match else ""


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


@dataclass(frozen=True, slots=True)
class CheckResult:
    check: Check
    state: CheckState
    detail: str


@dataclass(frozen=True, slots=True)
class AttemptEvaluation:
    record: Mapping[str, Any]
    destination: Destination
    checks: tuple[CheckResult, ...]
    reconciliation: Reconciliation
    warnings: tuple[Warning, ...]
    verdict: Verdict
    sentence: str


def evaluate_attempt(record: Mapping[str, Any]) -> AttemptEvaluation:
    signoff = evaluate_signoff(record)
    destination = classify_target(str(record.get("request_url") or ""))
    checks = tuple(CheckResult(line.check, line.state, line.detail) for line in signoff.lines)
    warnings = tuple(_warnings(record, signoff.reconciliation, destination))
    verdict = _verdict(destination, checks, warnings)
    return AttemptEvaluation(
        record=record,
        destination=destination,
        checks=checks,
        reconciliation=signoff.reconciliation,
        warnings=warnings,
        verdict=verdict,
        sentence=SENTENCES[verdict],
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
    if warnings or any(c.state is CheckState.WARNING for c in checks):
        return Verdict.SIGNED_OFF_WITH_WARNINGS
    return Verdict.SIGNED_OFF


def _warnings(
    record: Mapping[str, Any], reconciliation: Reconciliation, destination: Destination
) -> Iterable[Warning]:
    sent = summarize_conversion(_loads(record.get("request_body")))
    if sent.value is not None and sent.items_total is not None and sent.value != sent.items_total:
        yield Warning(
            "value-mismatch",
            f"The order value {sent.value} differs from the items total {sent.items_total}.",
        )
    url = str(record.get("request_url") or "")
    status, sentence = version_support(version_of(url), url)
    if status is VersionSupport.OUT_OF_SUPPORT:
        yield Warning("api-version-out-of-support", sentence)
    answer = _loads(record.get("response_body"))
    http_status = record.get("http_status")
    if (
        isinstance(http_status, int)
        and 200 <= http_status < 300
        and isinstance(answer, Mapping)
        and answer.get("errors")
    ):
        yield Warning("errors-in-200", "Criteo answered 200 but its answer lists errors.")
    if record.get("state") == "accepted" and not reconciliation.answered_known:
        yield Warning(
            "answer-not-echoed",
            "The answer does not echo the order: compare it in Criteo's own reports.",
        )


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


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _loads(text: object) -> Any:
    from criteo_console.core.jsonfmt import loads_json

    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return loads_json(text)
    except ValueError:
        return None
