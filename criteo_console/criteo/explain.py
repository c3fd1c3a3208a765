"""Plain-language explanations: what happened, then what to do.

Who answered is named by the destination (``core.verdict.wording_for``: "Criteo", "the
sandbox", "the server at example.test"), never assumed: every function that names the other
side takes ``name`` (Criteo by default), and a client passes ``destination_name(base_url)``.
"""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from criteo_console.core.verdict import wording_for
from criteo_console.criteo.bounded import DEFAULT_LIMITS, clip
from criteo_console.criteo.envelope import ApiProblem
from criteo_console.criteo.http import NOT_HTTPS, TLS_REJECTED
from criteo_console.criteo.results import Kind

CRITEO = "Criteo"


def destination_name(base_url: str) -> str:
    """What the explanations call whoever answers at ``base_url`` ("Criteo", "the sandbox")."""
    return wording_for(base_url).name


def title(name: str) -> str:
    """The name at the start of a sentence ("The sandbox")."""
    return name[:1].upper() + name[1:]


def bad_client(name: str = CRITEO) -> str:
    # Said to whoever received the credentials (usually a .env file), not to the app's developer.
    return (
        f"{title(name)} rejected the client id or secret: check both values in the profile. "
        "If they came in a file someone sent you, ask that person for a fresh one: if the "
        "secret was regenerated, only the new one works."
    )


BAD_CLIENT = bad_client()
SUPPORT = "if it keeps happening, give Criteo support the trace id"


def support(name: str = CRITEO) -> str:
    if name == CRITEO:
        return SUPPORT
    return f"if it keeps happening, note the trace id: it identifies this request on {name}"


# The result kind of an exchange that got no usable answer, by its transport failure.
TRANSPORT_KINDS = {"tls": Kind.TLS, "timeout": Kind.TIMEOUT}
CHECK_BEFORE_RESENDING = "check before sending it again"


def with_trace(text: str, trace_id: str | None) -> str:
    return f"{text} (trace id {trace_id})" if trace_id else text


def token_issued(lifetime: str, name: str = CRITEO) -> str:
    return f"{title(name)} issued an access token, valid for {lifetime}."


def token_refused(status: int, shown: str, name: str = CRITEO) -> str:
    return (
        f"{title(name)} refused the token request (HTTP {status}). Check the client id and "
        f"secret in the profile. Raw answer: {shown or '(empty)'}"
    )


def token_not_accepted(codes: str, name: str = CRITEO) -> str:
    return (
        f"{title(name)} did not accept the access token, even a fresh one"
        + (f" ({codes})" if codes else "")
        + f". Check the app's credentials; {support(name)}."
    )


def refused(what: str, status: int, detail: str, name: str = CRITEO) -> str:
    return f"{title(name)} refused the {what} (HTTP {status}): {detail}."


def no_such_address(url: str, version: str, name: str = CRITEO) -> str:
    return (
        f"{title(name)} has no such address ({url}, HTTP 404): check the base URL "
        f"and the API version ({version}) in the profile."
    )


def accepted(what: str, name: str = CRITEO) -> str:
    return f"{title(name)} accepted the {what}"


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


def forbidden(problems: tuple[ApiProblem, ...], name: str = CRITEO) -> str:
    detail = listed(problems)
    return (
        f"{title(name)} refused access ({detail}). Check the app's permissions in the Criteo "
        "developer portal."
    )


def retired(version: str, name: str = CRITEO) -> str:
    return (
        f"API version {version} is retired: {name} no longer answers it. Pick a supported "
        "version in the profile."
    )


def rejected(problems: tuple[ApiProblem, ...], status: int, name: str = CRITEO) -> str:
    what = listed(problems)
    who = title(name)
    if status < 300:
        head = f"{who} answered {status} but reported errors, so the conversion was not taken"
    else:
        head = f"{who} refused the conversion (HTTP {status})"
    return f"{head}: {what}. Fix the fields named and send again."


def rejected_unread(status: int, reason: str, name: str = CRITEO) -> str:
    return (
        f"{title(name)} refused the conversion (HTTP {status}), but its answer "
        f"could not be read: {reason}. Check the order against the integration guide, then "
        "send again."
    )


def transport(kind: str, message: str, url: str, attempts: int, name: str = CRITEO) -> str:
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
            f"{title(name)} ({host}) did not answer in time{tries} ({message}). Check the "
            "network and try again later."
        )
    return (
        f"Could not reach {name} at {host}{tries}: {message}. Check the internet connection "
        "and the proxy settings, then try again."
    )


def server_error(
    status: int, attempts: int, problems: tuple[ApiProblem, ...], name: str = CRITEO
) -> str:
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    detail = f": {listed(problems)}" if problems else ""
    return (
        f"{title(name)}'s server had a problem (HTTP {status}) and still failed{tries}{detail}. "
        f"Try again in a few minutes; {support(name)}."
    )


def rate_limited(attempts: int, wait: float | None, name: str = CRITEO) -> str:
    when = f" {title(name)} asks to wait about {wait:.0f} s." if wait else ""
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    return (
        f"{title(name)} is limiting how often this app may call (HTTP 429){tries}.{when} "
        "Wait a minute and try again; other tools using the same app share the limit."
    )


def unreadable(what: str, status: int, body: str, note: str = "", name: str = CRITEO) -> str:
    # The raw answer comes last, so nothing of ours runs on from its final characters.
    shown = clip(body.strip(), DEFAULT_LIMITS.shown_chars) or "(empty)"
    return (
        f"{title(name)}'s answer to the {what} could not be understood (HTTP {status}).{note} "
        f"Raw answer: {shown}"
    )


def undecodable(what: str, status: int, reason: str, name: str = CRITEO) -> str:
    return (
        f"{title(name)}'s answer to the {what} arrived (HTTP {status}) but could not be read: "
        f"{reason}. A proxy or firewall may have altered it; try again, and if it keeps "
        "happening ask IT to check the proxy."
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


def redirected(what: str, location: str, name: str = CRITEO) -> str:
    where = f" to {location}" if location else " elsewhere (no address given)"
    follow = "conversions" if what == "conversion" else f"the {what}"
    return (
        f"{title(name)} redirected the request{where}; the console does not follow redirects for "
        f"{follow} (check the base URL)."
    )


def no_confirmation(status: int, missing: str, name: str = CRITEO) -> str:
    return (
        f"{title(name)} answered HTTP {status} with {missing}, so there is no confirmation "
        f"that the conversion was taken. It may have been recorded: {CHECK_BEFORE_RESENDING}."
    )


def sent_without_answer(posts: int, name: str = CRITEO) -> str:
    times = "once" if posts == 1 else f"{posts} times (retried as the retry policy allows)"
    return (
        f" The conversion was sent {times} without a clear answer: it may or may not have "
        f"reached {name}; {CHECK_BEFORE_RESENDING}."
    )


def warnings(problems: tuple[ApiProblem, ...]) -> str:
    notes = "".join(f" Warning: {w.describe()}." for w in problems)
    return clip(notes, 2 * DEFAULT_LIMITS.shown_chars) if notes else ""
