"""Plain-language explanations: what happened, then what to do."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from criteo_console.criteo.envelope import ApiProblem
from criteo_console.criteo.http import TLS_REJECTED

# Said to whoever received the credentials (usually a .env file), not to the app's developer.
BAD_CLIENT = (
    "Criteo rejected the client id or secret: check both values in the profile. If they came "
    "in a file someone sent you, ask that person for a fresh one: if the secret was "
    "regenerated, only the new one works."
)
SUPPORT = "if it keeps happening, give Criteo support the trace id"


def with_trace(text: str, trace_id: str | None) -> str:
    return f"{text} (trace id {trace_id})" if trace_id else text


def out_of_scope(advertiser_id: str) -> str:
    return (
        f"The token works, but advertiser {advertiser_id} is not in this account's scope, so "
        "these credentials cannot send its conversions. Check the advertiser id; if it is "
        "right, ask the advertiser to give your app access to it in Criteo (redo the "
        "consent), then test again."
    )


def forbidden(problems: tuple[ApiProblem, ...]) -> str:
    detail = "; ".join(p.describe() for p in problems) or "no detail given"
    return (
        f"Criteo refused access ({detail}). Check the app's permissions in the Criteo "
        "developer portal."
    )


def retired(version: str) -> str:
    return (
        f"API version {version} is retired: Criteo no longer answers it. Pick a supported "
        "version in the profile."
    )


def rejected(problems: tuple[ApiProblem, ...], status: int) -> str:
    listed = "; ".join(p.describe() for p in problems) or "no detail given"
    if status < 300:
        head = f"Criteo answered {status} but reported errors, so the conversion was not taken"
    else:
        head = f"Criteo refused the conversion (HTTP {status})"
    return f"{head}: {listed}. Fix the fields named and send again."


def transport(kind: str, message: str, url: str, attempts: int) -> str:
    host = urlsplit(url).netloc
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    if kind == "tls":
        return TLS_REJECTED
    if kind == "timeout":
        return (
            f"Criteo ({host}) did not answer in time{tries} ({message}). Check the network and "
            "try again later."
        )
    return (
        f"Could not reach Criteo at {host}{tries}: {message}. Check the internet connection "
        "and the proxy settings, then try again."
    )


def server_error(status: int, attempts: int, problems: tuple[ApiProblem, ...]) -> str:
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    detail = f": {'; '.join(p.describe() for p in problems)}" if problems else ""
    return (
        f"Criteo's server had a problem (HTTP {status}) and still failed{tries}{detail}. "
        f"Try again in a few minutes; {SUPPORT}."
    )


def rate_limited(attempts: int, wait: float | None) -> str:
    when = f" Criteo asks to wait about {wait:.0f} s." if wait else ""
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    return (
        f"Criteo is limiting how often this app may call (HTTP 429){tries}.{when} "
        "Wait a minute and try again; other tools using the same app share the limit."
    )


def unreadable(what: str, status: int, body: str) -> str:
    shown = body.strip()[:500] or "(empty)"
    return (
        f"Criteo's answer to the {what} could not be understood (HTTP {status}). "
        f"Raw answer: {shown}"
    )


def undecodable(what: str, status: int, reason: str) -> str:
    return (
        f"Criteo's answer to the {what} arrived (HTTP {status}) but could not be read: {reason}. "
        "A proxy or firewall may have altered it; try again, and if it keeps happening ask IT "
        "to check the proxy."
    )


def deprecation(version: str, deprecation_header: str | None, sunset: str | None) -> str | None:
    if not deprecation_header and not sunset:
        return None
    when = ""
    if sunset:
        try:
            when = f" on {parsedate_to_datetime(sunset).date().isoformat()}"
        except (TypeError, ValueError):
            when = f" ({sunset})"
    return (
        f"API version {version} is being retired{when}: switch the profile to a newer "
        "version before then."
    )
