"""One request from the shop: checked, answered, judged, recorded, reported."""

from __future__ import annotations

import functools
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from criteo_console.capture.judge import (
    Judgement,
    email_match_note,
    judge_conversion,
    judge_event,
)
from criteo_console.capture.record import CapturedRequest
from criteo_console.capture.tokens import FAILED, OK, WARNING, TokenNote
from criteo_console.capture.upstream import UpstreamAnswer
from criteo_console.core.destinations.events import EVENTS
from criteo_console.core.email_match import EmailMatchCode
from criteo_console.core.hosts import is_loopback_host
from criteo_console.core.issues import Issue
from criteo_console.core.reconcile import shop_order_step
from criteo_console.sandbox.envelope import error as criteo_error
from criteo_console.sandbox.envelope import errors_only, new_trace_id

if TYPE_CHECKING:
    from criteo_console.capture.server import CaptureServer

Answer = tuple[int, list[tuple[str, str]], bytes, CapturedRequest | None]
BodyReader = Callable[[int], tuple[bytes | None, str | None]]
ROUTES = (
    "POST /oauth2/token, GET /{version}/advertisers/me, POST /{version}/conversions and "
    "POST /m/event?version=s2s_v0"
)
EVENTS_PATH = "/m/event"
# A regional path the upstream may redirect to on its own origin (the sandbox's /eu/m/event).
_REGIONAL_EVENTS = re.compile(r"/[a-z]{2,8}/m/event")
_BODY_PROBLEMS = {
    "too-large": (413, "payload-too-large", "Request too large", "The request body is larger "
                  "than the console accepts ({limit} bytes). Send one order per request."),
    "length": (400, "invalid-content-length", "Unreadable Content-Length",
               "The Content-Length header is not a number of bytes."),
    "chunked": (411, "length-required", "Length required", "Send the body with a "
                "Content-Length header (chunked uploads are not accepted)."),
}  # fmt: skip


@dataclass(frozen=True)
class Request:
    method: str
    path: str  # without the access key and the query
    target: str  # path and query as the upstream gets them
    headers: dict[str, str]
    kind: str

    @property
    def bearer(self) -> str | None:
        value = next((v for k, v in self.headers.items() if k.lower() == "authorization"), "")
        scheme, _, token = value.strip().partition(" ")
        return token.strip() or None if scheme.lower() == "bearer" else None


def route(path: str) -> str:
    if path == "/oauth2/token":
        return "token"
    parts = path.strip("/").split("/")
    if len(parts) == 3 and parts[1:] == ["advertisers", "me"]:
        return "scope"
    if len(parts) == 2 and parts[1] == "conversions":
        return "conversion"
    if path == EVENTS_PATH or _REGIONAL_EVENTS.fullmatch(path):
        return "event"
    return "other"


def _json(body: bytes) -> Any:
    try:
        return json.loads(body) if body else None
    except (ValueError, RecursionError):
        return None


def _first_error(answer: Any) -> dict[str, Any]:
    errors = answer.get("errors") if isinstance(answer, dict) else None
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        return errors[0]
    return {}


class Exchange:
    def __init__(self, capture: CaptureServer, arrived: float) -> None:
        self.capture = capture
        self.arrived = arrived
        self.close_connection = False
        self.trace_id = new_trace_id()
        # Set for a conversion: writes its attempt to the event log, returns the id.
        self.record: Callable[[], int | None] | None = None

    # -- entry ------------------------------------------------------------------------------

    def run(self, method: str, raw_path: str, headers: dict[str, str], read: BodyReader) -> Answer:
        path, _, query = raw_path.partition("?")
        key = self.capture.key
        if key is not None:
            if path != f"/{key}" and not path.startswith(f"/{key}/"):
                self.close_connection = True
                return self._local(404, "route-not-found", "Not found", "Not found.", path="/")
            path = path[len(key) + 1 :]
        path = "/" + path.lstrip("/")
        request = Request(method, path, path + (f"?{query}" if query else ""), headers, route(path))
        try:
            return self._serve(request, read)
        except Exception as exc:  # never a crash: the shop gets a 500, the run goes on
            return self._problem(
                request, 500, "capture-internal-error", "Internal error",
                f"The console could not handle this request ({type(exc).__name__}).",
            )  # fmt: skip

    def _serve(self, request: Request, read: BodyReader) -> Answer:
        capture = self.capture
        if not capture.allow(time.monotonic()):
            self.close_connection = True  # the body is left unread
            return self._problem(
                request, 429, "too-many-requests", "Too many requests",
                f"More than {capture.config.rate_limit} requests in one second; slow down.",
                headers=[("Retry-After", "1")],
            )  # fmt: skip
        limit = capture.config.max_body_bytes
        body, why = read(limit)
        if body is None:
            status, code, title, detail = _BODY_PROBLEMS[why or "length"]
            self.close_connection = True
            return self._problem(request, status, code, title, detail.format(limit=limit))
        if request.kind == "other":
            return self._problem(
                request, 404, "route-not-found", "Not found",
                f"The console's capture endpoint serves {ROUTES}.",
            )  # fmt: skip
        if request.kind in ("conversion", "event"):
            return self._conversion(request, body)
        if request.kind == "scope":
            note = capture.tokens.used(request.bearer, conversion=False)
            answer = capture.forward(request, body)
            return self._scope(request, answer, note)
        return self._token(request, capture.forward(request, body))

    # -- answers ----------------------------------------------------------------------------

    def _local(
        self, status: int, code: str, title: str, detail: str, *, path: str,
        pointer: str | None = None, headers: list[tuple[str, str]] | None = None,
    ) -> Answer:  # fmt: skip
        payload = errors_only(
            criteo_error(
                self.trace_id, type_="validation", code=code, instance=path, title=title,
                detail=detail, pointer=pointer,
            )
        )  # fmt: skip
        return (
            status,
            [*(headers or []), ("x-criteo-trace-id", self.trace_id)],
            _dumps(payload),
            None,
        )

    def _problem(
        self, request: Request, status: int, code: str, title: str, detail: str,
        headers: list[tuple[str, str]] | None = None,
    ) -> Answer:  # fmt: skip
        answer = self._local(status, code, title, detail, path=request.path, headers=headers)
        captured = self._captured(request, status, "error", f"{title}: {detail}")
        return (*answer[:3], captured)

    def _relay(
        self, answer: UpstreamAnswer, request: Request
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        if answer.problem is not None:
            status, headers, body, _ = self._local(
                answer.status, "upstream-unreachable", "Upstream not reached",
                f"The console {answer.problem}.", path=request.path,
            )  # fmt: skip
            return status, headers, body
        return answer.status, answer.headers, answer.body

    def _captured(
        self, request: Request, status: int, verdict: str, summary: str, **fields: Any
    ) -> CapturedRequest:
        return CapturedRequest(
            number=self.capture.next_number(),
            kind=request.kind,
            method=request.method,
            path=request.path,
            status=status,
            verdict=verdict,
            summary=summary,
            latency_ms=round((time.perf_counter() - self.arrived) * 1000),
            received_at=self.arrived,
            **fields,
        )

    # -- token and scope --------------------------------------------------------------------

    def _token(self, request: Request, answer: UpstreamAnswer) -> Answer:
        status, headers, body = self._relay(answer, request)
        payload = _json(body) if answer.problem is None else None
        note: TokenNote | None = None
        if (
            status == 200
            and isinstance(payload, dict)
            and isinstance(payload.get("access_token"), str)
        ):
            note = self.capture.tokens.issued(payload["access_token"], payload.get("expires_in"))
            verdict, summary = ("ok" if note.state == OK else "warning"), note.message
        else:
            reason = payload.get("error_description") if isinstance(payload, dict) else None
            verdict = "error"
            summary = f"No token (answered {status})" + (
                f": {reason}" if isinstance(reason, str) else "."
            )
        captured = self._captured(
            request, status, verdict, summary, token_note=note.message if note else None,
            forwarded=answer.problem is None,
        )  # fmt: skip
        return status, headers, body, captured

    def _scope(self, request: Request, answer: UpstreamAnswer, note: TokenNote) -> Answer:
        status, headers, body = self._relay(answer, request)
        payload = _json(body) if answer.problem is None else None
        if status == 401:
            note = self._refused_token(request, payload, note)
        ids: list[int] = []
        data = payload.get("data") if isinstance(payload, dict) else None
        for entry in data if isinstance(data, list) else []:
            if isinstance(entry, dict) and str(entry.get("id", "")).isdigit():
                ids.append(int(str(entry["id"])))
        self.capture.scope_seen.update(ids)
        wanted = [a for a in self.capture.config.advertiser_ids if a in ids]
        if status == 200 and ids:
            shown = ", ".join(str(a) for a in ids)
            verdict = "ok" if note.state == OK else "warning"
            summary = f"Advertiser scope checked: in scope {shown}."
            if not wanted and self.capture.config.mode.value == "inspect":
                verdict, summary = "warning", summary + " None of them is the advertiser watched."
        else:
            verdict, summary = "error", f"Scope check answered {status}: " + _error_text(payload)
        captured = self._captured(
            request, status, verdict if note.state != FAILED else "error", summary,
            token_note=note.message, forwarded=answer.problem is None,
        )  # fmt: skip
        return status, headers, body, captured

    def _refused_token(self, request: Request, payload: Any, note: TokenNote) -> TokenNote:
        code = _first_error(payload).get("code")
        if code == "authorization-token-expired":
            told = self.capture.tokens.answered_expired(request.bearer)
            return note if note.state == FAILED else told
        if note.state == FAILED:
            return note
        return TokenNote(FAILED, "Criteo refused the token (" + _error_text(payload) + ").")

    # -- conversions ------------------------------------------------------------------------

    def _conversion(self, request: Request, body: bytes) -> Answer:
        """A conversions body, or an Events API body (``kind == "event"``): judged by the
        core's rules, answered (or refused here), recorded as a ``shop`` attempt."""
        capture = self.capture
        event = request.kind == "event"
        if event:
            judgement = judge_event(body, capture.checkout_email)
            # The Events API has no token and no scope call: the account is in the body.
            note = TokenNote(OK, _NO_TOKEN)
        else:
            judgement = judge_conversion(body, capture.config.event_names, capture.checkout_email)
            note = capture.tokens.used(request.bearer)
        started = time.perf_counter()
        if judgement.raw_email_at:
            field = "id.email.sha256" if event else "identifiers.email_sha256"
            answer = UpstreamAnswer(
                400, body=self._local(
                    400, "personal-data-in-clear", "Email address in clear text",
                    "The request holds an email address in clear text (not shown). It was not "
                    f"sent on. Send only {field}, the SHA-256 of the address.",
                    path=request.path, pointer=judgement.raw_email_at[0],
                )[2],
            )  # fmt: skip
            forwarded = False
        else:
            answer = capture.forward(request, body)
            forwarded = answer.problem is None
        status, headers, answer_body = self._relay(answer, request)
        if not any(name.lower() == "x-criteo-trace-id" for name, _ in headers) and not forwarded:
            headers = [*headers, ("x-criteo-trace-id", self.trace_id)]
        payload = _json(answer_body)
        if status == 401 and not event:
            note = self._refused_token(request, payload, note)
        scope = None if event else self._scope_note(judgement.advertiser_id, status, payload)
        latency = round((time.perf_counter() - started) * 1000)
        state, reason = _outcome(
            status, payload, answer.problem, bool(judgement.raw_email_at), echoes=not event
        )
        summary = _summary(state, status, payload, judgement, forwarded, capture.config.mode.value)
        if event and 300 <= status < 400 and answer.problem is None:
            summary = _redirect_summary(status, headers, capture.config.mode.value)
        verdict = _verdict(judgement, status, note, scope)
        if state == "rejected" or (300 <= status < 400 and verdict == "ok"):
            # Errors inside a 200 (the Events API's way), or a redirect still to follow.
            verdict = "error" if state == "rejected" else "warning"
        warned = _answer_warnings(payload)
        if warned and state == "accepted":
            summary += f" Warned: {warned}."
            verdict = "warning" if verdict == "ok" else verdict
        summary += _also(judgement, note, scope)
        if capture.event_log is not None:
            if event:
                note = TokenNote("skipped", _NO_TOKEN)
            # Recorded once the shop has its answer (a disk sync is not its wait): the shop
            # is the sender here, so there is no send of ours to protect with a pending row.
            self.record = functools.partial(
                self._record, request, judgement, state, reason, status, answer_body, headers,
                latency, note, scope, summary,
            )  # fmt: skip
        captured = self._captured(
            request, status, verdict, summary, issues=tuple(judgement.issues),
            email_match=judgement.email_match, order_id=judgement.order_id,
            token_note=note.message, forwarded=forwarded,
            extra={"scope": None if scope is None else scope.message},
        )  # fmt: skip
        return status, headers, answer_body, captured

    def _scope_note(self, advertiser: int | None, status: int, payload: Any) -> TokenNote | None:
        if advertiser is None:
            return None
        if status == 403:
            return TokenNote(
                FAILED,
                f"Advertiser {advertiser} is not in this app's scope: Criteo refused it. Ask the "
                "advertiser to grant the app access (consent), or fix the advertiser id.",
            )
        if advertiser in self.capture.scope_seen:
            return TokenNote(OK, f"The shop checked advertisers/me: {advertiser} is in scope.")
        if 200 <= status < 300 and not _first_error(payload):
            return TokenNote(
                OK,
                f"Criteo accepted the conversion for advertiser {advertiser}, so it is in scope "
                "(the shop did not call advertisers/me, which is fine).",
            )
        return None

    # -- event log --------------------------------------------------------------------------

    def _record(
        self, request: Request, judgement: Judgement, state: str, reason: str | None,
        status: int, answer_body: bytes, headers: list[tuple[str, str]], latency: int,
        note: TokenNote, scope: TokenNote | None, summary: str,
    ) -> int | None:  # fmt: skip
        """Write the attempt (one transaction); its id, or None if the log refused it."""
        log = self.capture.event_log
        assert log is not None
        # An Events API address keeps its query: ``…/m/event?version=s2s_v0`` tells the
        # destinations apart in the log.
        target = request.target if request.kind == "event" else request.target.partition("?")[0]
        url = self.capture.upstream_url(target)
        steps = [*self._order_step(), _step("validate", *_validate_note(judgement.issues))]
        steps.append(_step("token", note.state, note.message))
        if scope is not None:
            steps.append(_step("scope", scope.state, scope.message))
        elif request.kind == "event":
            steps.append(_step("scope", "skipped", _NO_TOKEN))
        email = email_match_note(judgement.email_match)
        if email is not None:
            steps.append(_step("checkout email", *email))
        steps.append({"step": "exchange", "method": request.method, "url": url,
                      "status": status, "elapsed_ms": latency})  # fmt: skip
        trace = _first_error(_json(answer_body)).get("traceId") or next(
            (v for k, v in headers if k.lower() == "x-criteo-trace-id"), None
        )
        attempt: dict[str, Any] = {
            "profile": self.capture.config.profile, "environment": self._environment(),
            "advertiser_id": judgement.advertiser_id, "event_name": judgement.event_name,
            "order_id": judgement.order_id, "value": judgement.value,
            "currency": judgement.currency, "request_body": judgement.stored_body,
            "request_headers": {
                k: v for k, v in request.headers.items() if k.lower() in _LOGGED_HEADERS
            },
            "request_url": url, "identifier_coverage": judgement.coverage.label,
            "coverage_score": judgement.coverage.score, "steps": self._order_step(),
            "forbidden": self._forbidden(), "source": "shop",
        }  # fmt: skip
        outcome: dict[str, Any] = {
            "state": state, "reason": reason, "http_status": status,
            "response_body": answer_body.decode("utf-8", "replace") or None,
            "trace_id": trace, "latency_ms": latency, "error_explanation": summary,
            "token_step": note.message, "scope_check": None if scope is None else scope.message,
            "steps": steps,
        }  # fmt: skip
        try:
            return log.record_attempt(outcome=outcome, **attempt).id
        except Exception:
            pass
        try:  # keep the outcome without the parts that may carry a forbidden value
            outcome.update(response_body=None, steps=self._order_step())
            return log.record_attempt(outcome=outcome, **attempt).id
        except Exception:  # a locked or refused log must not break the shop's checkout
            return None

    def _order_step(self) -> list[dict[str, Any]]:
        order = self.capture.checkout_order
        if not order:
            return []
        return [shop_order_step(order)]

    def _forbidden(self) -> list[str]:
        email = self.capture.checkout_email
        return [email] if email else []

    def _environment(self) -> str:
        if self.capture.config.mode.value == "inspect":
            return "sandbox"
        host = urlsplit(self.capture.config.forward_url or "").hostname or ""
        return "sandbox" if is_loopback_host(host) else "criteo"


_LOGGED_HEADERS = frozenset({"authorization", "content-type", "accept", "user-agent"})
_NO_TOKEN = (
    f"The {EVENTS.label} needs no token or scope call: the account and caller id travel in "
    "the body."
)


def _step(name: str, state: str, message: str) -> dict[str, str]:
    return {"step": name, "state": state, "message": message}


def _validate_note(issues: list[Issue]) -> tuple[str, str]:
    errors = sum(1 for i in issues if i.level.value == "error")
    warnings = len(issues) - errors
    if errors:
        return FAILED, f"{errors} problem(s) by the console's rules: " + "; ".join(
            f"{i.field or 'request'}: {i.code}" for i in issues if i.level.value == "error"
        )
    if warnings:
        return WARNING, f"{warnings} warning(s): " + "; ".join(i.code for i in issues)
    return OK, "The shop's conversion meets every rule the console checks."


def _error_text(payload: Any) -> str:
    first = _first_error(payload)
    text = first.get("detail") or first.get("title") or first.get("code")
    if isinstance(text, str) and text:
        return text
    if isinstance(payload, dict) and isinstance(payload.get("error_description"), str):
        return str(payload["error_description"])
    return "no explanation in the answer"


def _outcome(
    status: int, payload: Any, problem: str | None, refused: bool, *, echoes: bool = True
) -> tuple[str, str | None]:
    """The event log's state and reason. ``echoes``: an accepted answer carries ``data`` (the
    Conversions API); the Events API answers ``{"errors": [], "warnings": []}``."""
    if refused:
        return "rejected", "rejected"
    if problem is not None:
        return "failed", "network"
    if 200 <= status < 300:
        if not echoes and isinstance(payload, dict) and not payload.get("errors"):
            return "accepted", None
        if isinstance(payload, dict) and payload.get("data") and not _first_error(payload):
            return "accepted", None
        return ("rejected", "rejected") if _first_error(payload) else ("failed", "bad-response")
    if 300 <= status < 400:
        return "failed", "redirected"  # passed back to the shop, not followed here
    if status in (401, 403):
        return "rejected", "auth" if status == 401 else "scope"
    if status == 429:
        return "failed", "rate-limited"
    if status == 410:
        return "rejected", "retired"
    if 400 <= status < 500:
        return "rejected", "rejected"
    return "failed", "server"


def _summary(
    state: str, status: int, payload: Any, judgement: Judgement, forwarded: bool, mode: str
) -> str:
    if judgement.raw_email_at:
        text = "Refused here: the conversion holds an email address in clear text; not sent on."
    elif state == "accepted":
        text = (
            "Accepted (answered here as Criteo would)."
            if mode == "inspect"
            else f"Accepted by Criteo ({status})."
        )
    else:
        if mode == "forward":
            who = f"Criteo answered {status}" if forwarded else f"The console answered {status}"
        else:
            who = f"Answered {status} here, as Criteo would"
        text = f"{who}: {_error_text(payload)}"
    errors = sum(1 for i in judgement.issues if i.level.value == "error")
    if errors and not judgement.raw_email_at:
        text += f" The console's rules find {errors} problem(s)."
    return text


def _answer_warnings(payload: Any) -> str:
    """The warnings an accepted answer lists (the Events API's ``warnings``), in a few words."""
    found = payload.get("warnings") if isinstance(payload, dict) else None
    texts = []
    for entry in found if isinstance(found, list) else []:
        text = entry.get("detail") or entry.get("code") if isinstance(entry, dict) else entry
        if isinstance(text, str) and text:
            texts.append(text)
    return "; ".join(texts[:3])


def _redirect_summary(status: int, headers: list[tuple[str, str]], mode: str) -> str:
    location = next((v for k, v in headers if k.lower() == "location"), "")
    who = "Answered here, as Criteo would" if mode == "inspect" else "Criteo answered"
    return (
        f"{who}: {status}, go to {location or 'another address'}. Passed back to the shop, "
        "not followed by the console: the shop must repeat the same POST there."
    )


def _also(judgement: Judgement, note: TokenNote, scope: TokenNote | None) -> str:
    """What else went wrong, in a few words, so the one-line summary never reads "Accepted"
    alone on a request the console flags."""
    said: list[str] = []
    match = judgement.email_match
    if match is not None and match.code is not EmailMatchCode.MATCH:
        said.append(f"Hashed email: {match.code.value}.")
    if note.short:
        said.append(f"Token: {note.short}.")
    if scope is not None and scope.state == FAILED:
        said.append("Advertiser not in scope.")
    return "".join(f" {text}" for text in said)


def _verdict(judgement: Judgement, status: int, note: TokenNote, scope: TokenNote | None) -> str:
    match = judgement.email_match
    bad_email = match is not None and match.code not in (
        EmailMatchCode.MATCH,
        EmailMatchCode.MISSING,
    )
    states = {note.state, scope.state if scope else OK}
    if judgement.verdict == "error" or status >= 400 or FAILED in states or bad_email:
        return "error"
    missing = match is not None and match.code is EmailMatchCode.MISSING
    if judgement.verdict == "warning" or WARNING in states or missing:
        return "warning"
    return "ok"


def _dumps(payload: Any) -> bytes:
    return json.dumps(payload).encode()
