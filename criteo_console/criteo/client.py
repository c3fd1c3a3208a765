"""The Criteo client: token check, advertiser scope check and conversion send, with retries.

Every operation returns a typed result (never raises for a Criteo or network problem) that
carries a plain-language explanation and the redacted trace of each HTTP exchange.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from criteo_console.core import dumps_json
from criteo_console.core.redaction import Secret
from criteo_console.criteo import explain
from criteo_console.criteo.attempt import Attempt, perform
from criteo_console.criteo.envelope import Envelope, NotAnEnvelope, parse_envelope
from criteo_console.criteo.policy import (
    Retry,
    RetryPolicy,
    answered_outcome,
    decide,
    rate_limit_wait,
)
from criteo_console.criteo.results import (
    Advertiser,
    Kind,
    Result,
    ScopeResult,
    SendResult,
    TokenResult,
    TokenState,
)
from criteo_console.criteo.token import TokenFailure, TokenProvider
from criteo_console.criteo.trace import Exchange
from criteo_console.criteo.urls import UnsafeBaseURL, check_base_url

log = logging.getLogger("criteo_console.criteo")

DEFAULT_BASE_URL = "https://api.criteo.com"
DEFAULT_VERSION = "2023-07"
SCOPE_DENIED = "insufficient-advertisers-permissions"
# Where a trace id may come when the body has none (a 200 with no errors carries none).
TRACE_HEADERS = ("x-criteo-trace-id", "x-trace-id", "traceid")


@dataclass(slots=True)
class _Call:
    """The last attempt of a request (or why no request could be made) and all exchanges."""

    exchanges: list[Exchange] = field(default_factory=list)
    last: Attempt | None = None
    envelope: Envelope | None = None
    unreadable: str | None = None  # why the body is not a Criteo envelope
    token_failure: TokenFailure | None = None
    evidence: dict[str, Any] | None = None  # computed once, by _evidence


class CriteoClient:
    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        version: str,
        client_id: str,
        client_secret: str | Secret,
        *,
        policy: RetryPolicy | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self._http = http
        self._version = version.strip().strip("/")
        self._policy = policy or RetryPolicy()
        self._clock = clock
        self._sleep = sleep
        self._rand = rand
        self._refusal: str | None = None
        self._tokens: TokenProvider | None = None
        self._deadline = math.inf  # event-loop time; see deadline_at
        self._name = explain.destination_name(base_url)  # who answers, in the explanations
        try:
            self._base = check_base_url(base_url)
        except UnsafeBaseURL as exc:
            self._base = base_url
            self._refusal = str(exc)
        else:
            self._tokens = TokenProvider(
                http,
                self._base,
                client_id,
                client_secret,
                policy=self._policy,
                clock=clock,
                sleep=sleep,
                rand=rand,
            )

    def __repr__(self) -> str:
        return f"CriteoClient(base_url={self._base!r}, version={self._version!r})"

    @property
    def base_url(self) -> str:
        return self._base

    @property
    def version(self) -> str:
        return self._version

    @property
    def token_state(self) -> TokenState:
        if self._tokens is None:
            return TokenState(False, None, None, None, self._refusal, 0)
        return self._tokens.state

    @contextlib.contextmanager
    def deadline_at(self, when: float) -> Iterator[None]:
        """Operations started inside end by ``when`` (event-loop time) whatever their own
        budgets: one send's token, scope check and POST share a single deadline."""
        previous = self._deadline
        self._deadline = min(previous, when)
        if self._tokens is not None:
            self._tokens.deadline = self._deadline
        try:
            yield
        finally:
            self._deadline = previous
            if self._tokens is not None:
                self._tokens.deadline = previous

    # -- operations -------------------------------------------------------------------

    async def check_token(self, *, force_refresh: bool = False) -> TokenResult:
        """Check 1: can these credentials get a token?"""
        if self._tokens is None:
            return TokenResult(ok=False, kind=Kind.REFUSED_URL, explanation=self._refused())
        try:
            grant = await self._tokens.get(force_refresh=force_refresh)
        except TokenFailure as failure:
            return TokenResult(
                ok=False,
                kind=failure.kind,
                explanation=failure.explanation,
                status=failure.status,
                exchanges=failure.exchanges,
                state=self._tokens.state,
            )
        state = self._tokens.state
        lifetime = (state.expires_at or 0) - (state.acquired_at or 0)
        return TokenResult(
            ok=True,
            kind=Kind.TOKEN_OK,
            explanation=explain.token_issued(_duration(lifetime), self._name),
            status=200 if grant.exchanges else None,
            exchanges=grant.exchanges,
            state=state,
        )

    async def check_scope(self, advertiser_id: int | str) -> ScopeResult:
        """Check 2: is ``advertiser_id`` among the advertisers these credentials reach?"""
        wanted = str(advertiser_id).strip()
        if self._tokens is None:
            return ScopeResult(
                ok=False, kind=Kind.REFUSED_URL, explanation=self._refused(), advertiser_id=wanted
            )
        call = await self._call("advertisers", "GET", "advertisers/me", b"")
        common = self._common(call, "advertiser list", wanted)
        if common is not None:
            return ScopeResult(**common, advertiser_id=wanted)
        envelope = call.envelope or Envelope()
        advertisers = tuple(_advertisers(envelope.data))
        in_scope = any(a.id == wanted for a in advertisers)
        reach = ", ".join(f"{a.id} ({a.name})" if a.name else a.id for a in advertisers)
        if in_scope:
            name = next(a.name for a in advertisers if a.id == wanted)
            text = f"Advertiser {wanted}{f' ({name})' if name else ''} is in this account's scope."
        else:
            text = explain.out_of_scope(wanted) + (
                f" These credentials reach: {reach}." if reach else " They reach no advertiser."
            )
        return ScopeResult(
            **self._evidence(call),
            ok=in_scope,
            kind=Kind.IN_SCOPE if in_scope else Kind.SCOPE,
            explanation=text,
            advertiser_id=wanted,
            in_scope=in_scope,
            advertisers=advertisers,
        )

    async def send_conversion(self, payload: Mapping[str, Any]) -> SendResult:
        """POST the payload (Decimal money written exactly) to ``{base}/{version}/conversions``."""
        if self._tokens is None:
            return SendResult(ok=False, kind=Kind.REFUSED_URL, explanation=self._refused())
        body = dumps_json(payload).encode("utf-8")
        call = await self._call("conversions", "POST", "conversions", body)
        common = self._common(call, "conversion", _advertiser_of(payload))
        if common is not None:
            return SendResult(**common)
        envelope = call.envelope or Envelope()
        evidence = self._evidence(call)
        if envelope.errors:
            text = explain.with_trace(
                explain.rejected(envelope.errors, evidence["status"] or 200, self._name),
                evidence["trace_id"],
            )
            result = SendResult(
                **evidence, ok=False, kind=Kind.REJECTED, explanation=text, data=envelope.data
            )
        else:
            notes = explain.warnings(envelope.warnings)
            result = SendResult(
                **evidence,
                ok=True,
                kind=Kind.ACCEPTED,
                explanation=explain.with_trace(
                    explain.accepted("conversion", self._name), evidence["trace_id"]
                )
                + "."
                + notes,
                data=envelope.data,
            )
        log.info("send_conversion: %s", result.kind)
        return result

    # -- plumbing ---------------------------------------------------------------------

    def _refused(self) -> str:
        return self._refusal or "The base URL was refused."

    async def _call(self, step: str, method: str, path: str, body: bytes) -> _Call:
        assert self._tokens is not None
        tokens = self._tokens
        url = f"{self._base}/{self._version}/{path}"
        call = _Call()
        loop = asyncio.get_running_loop()
        deadline = min(loop.time() + self._policy.max_total_seconds, self._deadline)
        spent = 0.0
        refreshed = False
        number = 0
        while True:
            number += 1
            try:
                grant = await tokens.get()
            except TokenFailure as failure:
                call.exchanges.extend(failure.exchanges)
                call.token_failure = failure
                return call
            call.exchanges.extend(grant.exchanges)
            headers = {
                "Authorization": f"Bearer {grant.token.reveal()}",
                "Accept": "application/json",
            }
            if body:
                headers["Content-Type"] = "application/json"
            attempt = await perform(
                self._http,
                step=step,
                method=method,
                url=url,
                headers=headers,
                body=body,
                attempt=number,
                redact=tokens.redact,
                deadline=min(loop.time() + self._policy.max_request_seconds, deadline),
                wall_clock=self._clock,
            )
            call.exchanges.append(attempt.exchange)
            call.last = attempt
            call.envelope, call.unreadable = read_envelope(attempt)
            spent += attempt.exchange.elapsed_ms / 1000.0
            if attempt.failure in ("tls", "no-https") or loop.time() >= deadline:
                return call
            response = attempt.response
            outcome = answered_outcome(
                response.status_code if response is not None else None,
                attempt.failure,
                attempt.exchange.response_headers,
                call.envelope.error_codes if call.envelope else frozenset(),
            )
            decision = decide(
                self._policy,
                number,
                outcome,
                elapsed=spent,
                token_refreshed=refreshed,
                now=self._clock(),
                rand=self._rand,
            )
            if not isinstance(decision, Retry):
                return call
            if decision.refresh_token:
                refreshed = True
                tokens.invalidate(grant.token)
            else:
                if loop.time() + decision.delay >= deadline:
                    return call  # the wait would end past the deadline
                log.info("%s attempt %d failed; retrying in %.2f s", step, number, decision.delay)
                await self._sleep(decision.delay)
                spent += decision.delay

    def _evidence(self, call: _Call) -> dict[str, Any]:
        if call.evidence is not None:
            return call.evidence
        last = call.last
        response = last.response if last is not None else None
        # The exchange's headers are a plain lower-cased dict: cheaper than httpx's lookups.
        headers = last.exchange.response_headers if last is not None else {}
        envelope = call.envelope
        deprecation = None
        if response is not None:
            deprecation = explain.deprecation(
                self._version, headers.get("deprecation"), headers.get("sunset")
            )
        call.evidence = {
            "status": response.status_code if response is not None else None,
            "trace_id": (envelope.trace_id if envelope else None) or header_trace_id(headers),
            "errors": envelope.errors if envelope else (),
            "warnings": envelope.warnings if envelope else (),
            "deprecation": deprecation,
            "exchanges": tuple(call.exchanges),
        }
        return call.evidence

    def _common(self, call: _Call, what: str, advertiser_id: str) -> dict[str, Any] | None:
        """Fields of a failed Result for everything but a readable 2xx; None for that case."""
        if call.token_failure is not None:
            failure = call.token_failure
            return {
                "ok": False,
                "kind": failure.kind,
                "explanation": failure.explanation,
                "status": failure.status,
                "exchanges": tuple(call.exchanges),
            }
        assert call.last is not None
        last = call.last
        evidence = self._evidence(call)
        attempts = sum(1 for e in call.exchanges if e.step != "token")
        trace_id = evidence["trace_id"]
        problems = evidence["errors"]
        response = last.response

        def fail(kind: Kind, text: str) -> dict[str, Any]:
            return {**evidence, "ok": False, "kind": kind, "explanation": text}

        if last.failure == "bad-response" and response is not None:
            status = response.status_code
            text = explain.undecodable(what, status, last.failure_message or "", self._name)
            if what == "conversion" and status < 300:
                text += " The conversion may have been recorded: check before sending it again."
            if status < 400:
                return fail(Kind.BAD_RESPONSE, explain.with_trace(text, trace_id))
        if last.failure not in (None, "bad-response") or response is None:
            lost = last.failure or "network"
            kind = explain.TRANSPORT_KINDS.get(lost, Kind.NETWORK)
            text = explain.transport(
                lost, last.failure_message or "", self._base, attempts, self._name
            )
            if what == "conversion" and lost not in ("tls", "no-https"):
                text += explain.sent_without_answer(attempts, self._name)
            return fail(kind, text)
        status = response.status_code
        if 300 <= status < 400:
            location = last.exchange.response_headers.get("location", "")
            return fail(Kind.BAD_RESPONSE, explain.redirected(what, location, self._name))
        if status == 410:
            text = explain.retired(self._version, self._name)
            return fail(Kind.RETIRED, explain.with_trace(text, trace_id))
        if status == 401:
            codes = ", ".join(sorted(call.envelope.error_codes)) if call.envelope else ""
            text = explain.token_not_accepted(codes, self._name)
            return fail(Kind.AUTH, explain.with_trace(text, trace_id))
        if status == 403:
            if call.envelope is not None and SCOPE_DENIED in call.envelope.error_codes:
                text = explain.out_of_scope(advertiser_id or "this advertiser")
                return fail(Kind.SCOPE, explain.with_trace(text, trace_id))
            text = explain.forbidden(problems, self._name)
            return fail(Kind.AUTH, explain.with_trace(text, trace_id))
        if status == 429:
            wait = rate_limit_wait(last.exchange.response_headers, self._clock())
            return fail(Kind.RATE_LIMITED, explain.rate_limited(attempts, wait, self._name))
        if status >= 500:
            return fail(
                Kind.SERVER,
                explain.with_trace(
                    explain.server_error(status, attempts, problems, self._name), trace_id
                ),
            )
        if status == 404:
            text = explain.no_such_address(last.exchange.url, self._version, self._name)
            return fail(Kind.BAD_RESPONSE, text)
        if call.unreadable is not None:
            note = (
                " The conversion may have been recorded: check before sending it again."
                if what == "conversion" and status < 300
                else ""
            )
            text = explain.unreadable(what, status, last.shown, note, self._name)
            return fail(Kind.BAD_RESPONSE, text)
        if what == "conversion" and status < 300 and not (call.envelope or Envelope()).recognised:
            missing = (
                "an empty body"
                if not last.shown.strip()
                else "JSON that holds none of data, errors or warnings"
            )
            return fail(Kind.BAD_RESPONSE, explain.no_confirmation(status, missing, self._name))
        if status >= 300 or (what != "conversion" and problems):
            if what == "conversion" and last.failure == "bad-response":
                reason = last.failure_message or ""
                return fail(Kind.REJECTED, explain.rejected_unread(status, reason, self._name))
            if what == "conversion":
                text = explain.rejected(problems, status, self._name)
                return fail(Kind.REJECTED, explain.with_trace(text, trace_id))
            detail = explain.listed(problems)
            text = explain.refused(what, status, detail, self._name)
            return fail(Kind.BAD_RESPONSE, explain.with_trace(text, trace_id))
        return None


def header_trace_id(headers: Mapping[str, str]) -> str | None:
    """The first trace id among ``TRACE_HEADERS`` in an answer's (lower-cased) headers."""
    for name in TRACE_HEADERS:
        value = headers.get(name)
        if value:
            return value
    return None


def read_envelope(attempt: Attempt) -> tuple[Envelope | None, str | None]:
    """The answer as a Criteo envelope, or why it is not one (both None: no answer)."""
    if attempt.response is None:
        return None, None
    try:
        # The redacted text: whatever the envelope holds (details, names) may be shown.
        return parse_envelope(attempt.shown), None
    except NotAnEnvelope as exc:
        return None, str(exc)


def _advertisers(data: tuple[Any, ...]) -> list[Advertiser]:
    out = []
    for item in data:
        if not isinstance(item, dict) or item.get("id") is None:
            continue
        attributes = item.get("attributes")
        name = attributes.get("advertiserName") if isinstance(attributes, dict) else None
        out.append(Advertiser(str(item["id"]), name if isinstance(name, str) else ""))
    return out


def _advertiser_of(payload: Mapping[str, Any]) -> str:
    try:
        return str(payload["data"][0]["attributes"]["advertiser_id"])
    except (KeyError, IndexError, TypeError):
        return ""


__all__ = ["DEFAULT_BASE_URL", "DEFAULT_VERSION", "CriteoClient", "Result"]


def _duration(seconds: float) -> str:
    """900 -> "15 minutes"; 90 -> "90 seconds" (how a marketer reads a token's lifetime)."""
    whole = round(seconds)
    if whole >= 120 and whole % 60 == 0:
        return f"{whole // 60} minutes"
    return f"{whole} seconds"
