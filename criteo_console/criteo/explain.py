"""Plain-language explanations: what happened, then what to do."""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from criteo_console.criteo.bounded import DEFAULT_LIMITS, clip
from criteo_console.criteo.envelope import ApiProblem
from criteo_console.criteo.http import NOT_HTTPS, TLS_REJECTED
from criteo_console.criteo.results import Kind

# Said to whoever received the credentials (usually a .env file), not to the app's developer.
BAD_CLIENT = (
    "Criteo rejected the client id or secret: check both values in the profile. If they came "
    "in a file someone sent you, ask that person for a fresh one: if the secret was "
    "regenerated, only the new one works."
)
SUPPORT = "if it keeps happening, give Criteo support the trace id"
# The result kind of an exchange that got no usable answer, by its transport failure.
TRANSPORT_KINDS = {"tls": Kind.TLS, "timeout": Kind.TIMEOUT}
CHECK_BEFORE_RESENDING = "check before sending it again"


def with_trace(text: str, trace_id: str | None) -> str:
    return f"{text} (trace id {trace_id})" if trace_id else text


def out_of_scope(advertiser_id: str) -> str:
    return (
        f"The token works, but advertiser {advertiser_id} is not in this account's scope, so "
        "these credentials cannot send its conversions. Check the advertiser id; if it is "
        "right, ask the advertiser to give your app access to it in Criteo (redo the "
        "consent), then test again."
    )


def listed(problems: tuple[ApiProblem, ...]) -> str:
    """Criteo's problems, one after the other, clipped: a huge answer is not printed whole."""
    text = "; ".join(p.describe() for p in problems) or "no detail given"
    return clip(text, 2 * DEFAULT_LIMITS.shown_chars)


def forbidden(problems: tuple[ApiProblem, ...]) -> str:
    detail = listed(problems)
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
    what = listed(problems)
    if status < 300:
        head = f"Criteo answered {status} but reported errors, so the conversion was not taken"
    else:
        head = f"Criteo refused the conversion (HTTP {status})"
    return f"{head}: {what}. Fix the fields named and send again."


def rejected_unread(status: int, reason: str) -> str:
    return (
        f"Criteo refused the conversion (HTTP {status}), but its answer could not be read: "
        f"{reason}. Check the order against the integration guide, then send again."
    )


def transport(kind: str, message: str, url: str, attempts: int) -> str:
    host = urlsplit(url).netloc
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    if kind == "tls":
        return TLS_REJECTED
    if kind == "no-https":
        return (
            f"{NOT_HTTPS[0].upper()}{NOT_HTTPS[1:]} ({host}): check the base URL — if it is "
            "a local server such as the sandbox, write http:// instead of https://."
        )
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
    detail = f": {listed(problems)}" if problems else ""
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


def unreadable(what: str, status: int, body: str, note: str = "") -> str:
    # The raw answer comes last, so nothing of ours runs on from its final characters.
    shown = clip(body.strip(), DEFAULT_LIMITS.shown_chars) or "(empty)"
    return (
        f"Criteo's answer to the {what} could not be understood (HTTP {status}).{note} "
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


def redirected(what: str, location: str) -> str:
    where = f" to {location}" if location else " elsewhere (no address given)"
    follow = "conversions" if what == "conversion" else f"the {what}"
    return (
        f"Criteo redirected the request{where}; the console does not follow redirects for "
        f"{follow} (check the base URL)."
    )


def no_confirmation(status: int, missing: str) -> str:
    return (
        f"Criteo answered HTTP {status} with {missing}, so there is no confirmation that the "
        f"conversion was taken. It may have been recorded: {CHECK_BEFORE_RESENDING}."
    )


def sent_without_answer(posts: int) -> str:
    times = "once" if posts == 1 else f"{posts} times (retried as the retry policy allows)"
    return (
        f" The conversion was sent {times} without a clear answer: it may or may not have "
        f"reached Criteo; {CHECK_BEFORE_RESENDING}."
    )


def warnings(problems: tuple[ApiProblem, ...]) -> str:
    notes = "".join(f" Warning: {w.describe()}." for w in problems)
    return clip(notes, 2 * DEFAULT_LIMITS.shown_chars) if notes else ""
