"""Send to Criteo's server-side Events API: ``POST {base}/m/event?version=s2s_v0``.

No OAuth: the account and caller id are in the body. The endpoint may answer 307 to a
regional host; the request is repeated there, same method and body, but only to a Criteo
host (``criteo.com`` / ``criteo.net`` and their subdomains, over https) or, when the base is
this computer (the sandbox), to the same loopback host. It answers 200 even when it refuses
the events, with ``errors`` in the body: a 200 with errors is not a success.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from criteo_console.core import dumps_json
from criteo_console.core.destinations.events import EVENTS, PATH, is_criteo_host
from criteo_console.core.hosts import is_loopback_host
from criteo_console.criteo import explain
from criteo_console.criteo.attempt import Attempt, perform
from criteo_console.criteo.client import header_trace_id, read_envelope
from criteo_console.criteo.envelope import ApiProblem
from criteo_console.criteo.policy import (
    Retry,
    RetryPolicy,
    answered_outcome,
    decide,
    rate_limit_wait,
)
from criteo_console.criteo.results import Kind, SendResult
from criteo_console.criteo.trace import Exchange
from criteo_console.criteo.urls import UnsafeBaseURL, check_base_url

log = logging.getLogger("criteo_console.criteo")

EVENTS_BASE_URL = EVENTS.default_base_url
STEP = "events"
MAX_REDIRECTS = 3
HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}


def redirect_allowed(base_url: str, target: str) -> bool:
    """May a 307 from an Events API call at ``base_url`` be followed to ``target``?"""
    try:
        parts = urlsplit(target)
        host = (parts.hostname or "").lower()
        base_host = (urlsplit(base_url).hostname or "").lower()
    except ValueError:
        return False
    if parts.username is not None or parts.password is not None:
        return False
    if is_loopback_host(base_host):
        return parts.scheme in ("http", "https") and host == base_host
    return parts.scheme == "https" and is_criteo_host(host)


class EventsSender:
    """One Events API destination. ``send`` never raises for a Criteo or network problem."""

    step = STEP

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str = EVENTS_BASE_URL,
        *,
        policy: RetryPolicy | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self._http = http
        self._policy = policy or RetryPolicy()
        self._clock = clock
        self._sleep = sleep
        self._rand = rand
        self._refusal: str | None = None
        try:
            self._base = check_base_url(base_url)
        except UnsafeBaseURL as exc:
            self._base = base_url
            self._refusal = str(exc)
        self._name = explain.destination_name(base_url)  # who answers, in the explanations

    def __repr__(self) -> str:
        return f"EventsSender(base_url={self._base!r})"

    @property
    def base_url(self) -> str:
        return self._base

    @property
    def url(self) -> str:
        return f"{self._base}/{PATH}"

    @property
    def request_headers(self) -> dict[str, str]:
        return dict(HEADERS)

    async def send(self, payload: Mapping[str, Any]) -> SendResult:
        if self._refusal is not None:
            return SendResult(ok=False, kind=Kind.REFUSED_URL, explanation=self._refusal)
        body = dumps_json(payload).encode("utf-8")
        exchanges: list[Exchange] = []
        url = self.url
        loop = asyncio.get_running_loop()
        # One hard deadline for all attempts and waits; each request has its own cap too.
        deadline = loop.time() + self._policy.max_total_seconds
        spent = 0.0
        number = 0
        hops = 0
        while True:
            number += 1
            attempt = await perform(
                self._http,
                step=STEP,
                method="POST",
                url=url,
                headers=self.request_headers,
                body=body,
                attempt=number,
                redact=_nothing_secret,
                deadline=min(loop.time() + self._policy.max_request_seconds, deadline),
                wall_clock=self._clock,
            )
            exchanges.append(attempt.exchange)
            spent += attempt.exchange.elapsed_ms / 1000.0
            response = attempt.response
            if response is not None and response.status_code in (307, 308):
                target = urljoin(url, response.headers.get("location", ""))
                if not redirect_allowed(self._base, target) or hops >= MAX_REDIRECTS:
                    return _refused_redirect(attempt, target, hops, exchanges, self._name)
                hops += 1
                log.info("events: following a %d to %s", response.status_code, target)
                url, number = target, 0
                continue
            if attempt.failure in ("tls", "no-https") or loop.time() >= deadline:
                return self._result(attempt, exchanges, number)
            outcome = answered_outcome(
                response.status_code if response is not None else None,
                attempt.failure,
                attempt.exchange.response_headers,
            )
            decision = decide(
                self._policy, number, outcome, elapsed=spent, now=self._clock(), rand=self._rand
            )
            if not isinstance(decision, Retry):
                return self._result(attempt, exchanges, number)
            log.info("events attempt %d failed; retrying in %.2f s", number, decision.delay)
            await self._sleep(decision.delay)
            spent += decision.delay

    def _result(self, last: Attempt, exchanges: list[Exchange], attempts: int) -> SendResult:
        response = last.response
        headers = last.exchange.response_headers
        trace_id = header_trace_id(headers)
        common: dict[str, Any] = {
            "status": response.status_code if response is not None else None,
            "trace_id": trace_id,
            "exchanges": tuple(exchanges),
        }
        if response is None or last.failure not in (None, "bad-response"):
            lost = last.failure or "network"
            kind = explain.TRANSPORT_KINDS.get(lost, Kind.NETWORK)
            text = explain.transport(
                lost, last.failure_message or "", last.exchange.url, attempts, self._name
            )
            if lost not in ("tls", "no-https"):
                text += f" The event may or may not have reached {self._name}."
            return SendResult(**common, ok=False, kind=kind, explanation=text)
        status = response.status_code
        if last.failure == "bad-response":
            text = explain.undecodable("event", status, last.failure_message or "", self._name)
            return SendResult(**common, ok=False, kind=Kind.BAD_RESPONSE, explanation=text)
        envelope, _ = read_envelope(last)
        problems = envelope.errors if envelope else ()
        notes = envelope.warnings if envelope else ()
        common.update(errors=problems, warnings=notes)
        if status == 429:
            wait = rate_limit_wait(headers, self._clock())
            text = explain.rate_limited(attempts, wait, self._name)
            return SendResult(**common, ok=False, kind=Kind.RATE_LIMITED, explanation=text)
        if status >= 500:
            text = explain.server_error(status, attempts, problems, self._name)
            text = explain.with_trace(text, trace_id)
            return SendResult(**common, ok=False, kind=Kind.SERVER, explanation=text)
        if status == 404:
            text = (
                f"There is no Events API at {last.exchange.url} (HTTP 404): check the profile's "
                f"base URL (Criteo's is {EVENTS_BASE_URL})."
            )
            return SendResult(**common, ok=False, kind=Kind.BAD_RESPONSE, explanation=text)
        if envelope is None:
            note = (
                " The event may have been recorded: check before sending it again."
                if status < 300
                else ""
            )
            text = explain.unreadable("event", status, last.shown, note, self._name)
            return SendResult(**common, ok=False, kind=Kind.BAD_RESPONSE, explanation=text)
        if problems or status >= 300:
            text = explain.with_trace(rejected(problems, status, self._name), trace_id)
            return SendResult(**common, ok=False, kind=Kind.REJECTED, explanation=text)
        took = f"{explain.title(self._name)}'s Events API took the event"
        text = explain.with_trace(took, trace_id) + "."
        text += explain.warnings(notes)
        return SendResult(**common, ok=True, kind=Kind.ACCEPTED, explanation=text, data=())


def rejected(problems: tuple[ApiProblem, ...], status: int, name: str = "Criteo") -> str:
    listed = explain.listed(problems)
    who = explain.title(name)
    if status < 300:
        head = f"{who} answered {status} but listed errors, so the event was not taken"
    else:
        head = f"{who} refused the event (HTTP {status})"
    return f"{head}: {listed}. Fix what is named and send again."


def _refused_redirect(
    attempt: Attempt, target: str, hops: int, exchanges: list[Exchange], name: str = "Criteo"
) -> SendResult:
    host = urlsplit(target).netloc or "an empty address"
    if hops >= MAX_REDIRECTS:
        text = (
            f"{explain.title(name)} redirected the event more than {MAX_REDIRECTS} times; it "
            "was not sent."
        )
    else:
        text = (
            f"The Events API redirected the event to {host}, which is not a Criteo address "
            "(nor this computer for the sandbox), so it was not followed and the event was "
            "not sent there. Check the profile's base URL and any proxy in between."
        )
    return SendResult(
        ok=False,
        kind=Kind.REFUSED_URL,
        explanation=text,
        status=attempt.exchange.status,
        exchanges=tuple(exchanges),
    )


def _nothing_secret(text: str) -> str:
    # The body holds no secret and only hashed emails; the session's log guard still checks
    # for raw emails before anything is stored.
    return text


__all__ = ["EVENTS_BASE_URL", "EventsSender", "redirect_allowed"]
