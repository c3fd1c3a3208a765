"""OAuth2 client_credentials tokens: cached, refreshed before expiry, one refresh at a time."""

from __future__ import annotations

import asyncio
import json
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import httpx

from criteo_console.core.redaction import Redactor, Secret, token_field_values
from criteo_console.criteo import explain
from criteo_console.criteo.attempt import Attempt, perform
from criteo_console.criteo.bounded import clip
from criteo_console.criteo.policy import Outcome, Retry, RetryPolicy, decide
from criteo_console.criteo.results import Kind, TokenState
from criteo_console.criteo.trace import Exchange
from criteo_console.criteo.urls import check_base_url

DEFAULT_LIFETIME = 900.0  # Criteo's documented token lifetime, if an answer omits expires_in


class TokenFailure(Exception):
    """No token: ``kind`` and ``explanation`` say why. Never carries a secret."""

    def __init__(
        self,
        kind: Kind,
        explanation: str,
        *,
        status: int | None = None,
        exchanges: tuple[Exchange, ...] = (),
    ) -> None:
        super().__init__(explanation)
        self.kind = kind
        self.explanation = explanation
        self.status = status
        self.exchanges = exchanges


@dataclass(frozen=True, slots=True)
class _Token:
    value: Secret
    acquired_at: float
    expires_at: float
    refresh_at: float


@dataclass(frozen=True, slots=True)
class Grant:
    """A usable token. ``exchanges`` holds the token requests this caller made (often none)."""

    token: Secret
    exchanges: tuple[Exchange, ...]
    refreshed: bool


class TokenProvider:
    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        client_id: str,
        client_secret: str | Secret,
        *,
        policy: RetryPolicy | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        rand: Callable[[], float] = random.random,
        refresh_margin: float = 60.0,
    ) -> None:
        self._http = http
        self._url = check_base_url(base_url) + "/oauth2/token"
        self._client_id = client_id
        self._secret = client_secret if isinstance(client_secret, Secret) else Secret(client_secret)
        self._policy = policy or RetryPolicy()
        self._clock = clock
        self._sleep = sleep
        self._rand = rand
        self._margin = refresh_margin
        self._token: _Token | None = None
        self._flight: asyncio.Task[tuple[_Token, tuple[Exchange, ...]]] | None = None
        self._waiters = 0  # callers awaiting the current flight
        self._redactor = Redactor([self._secret.reveal()])
        self._last_error: str | None = None
        self._requests = 0
        # Event-loop time a fetch must end by (CriteoClient.deadline_at sets it for a send).
        self.deadline = math.inf

    def __repr__(self) -> str:
        return f"TokenProvider(url={self._url!r}, client_id={self._client_id!r}, secret=•••)"

    @property
    def state(self) -> TokenState:
        token = self._token
        return TokenState(
            has_token=token is not None,
            acquired_at=token.acquired_at if token else None,
            expires_at=token.expires_at if token else None,
            refresh_at=token.refresh_at if token else None,
            last_error=self._last_error,
            requests_made=self._requests,
        )

    @property
    def acquired_at(self) -> float | None:
        return self._token.acquired_at if self._token else None

    @property
    def expires_at(self) -> float | None:
        return self._token.expires_at if self._token else None

    @property
    def last_error(self) -> str | None:
        return self._last_error

    def redact(self, text: str) -> str:
        """Mask the client secret, every token this provider has seen, and anything shaped
        like a token or an email (see ``core.redaction``)."""
        return self._redactor(text)

    @property
    def redactor(self) -> Redactor:
        return self._redactor

    def invalidate(self, token: Secret) -> None:
        """Criteo refused ``token``: forget it, unless a newer one already replaced it."""
        if self._token is not None and self._token.value == token:
            self._token = None

    async def get(self, *, force_refresh: bool = False) -> Grant:
        """A valid token; fetches one (shared with concurrent callers) when needed."""
        token = self._token
        if token is not None and not force_refresh and self._clock() < token.refresh_at:
            return Grant(token.value, (), False)
        flight = self._flight
        if flight is not None and flight.done():
            flight = None  # finished, and its done-callback has not run yet
        leader = flight is None
        if flight is None:
            flight = asyncio.get_running_loop().create_task(self._fetch())
            flight.add_done_callback(self._landed)
            self._flight = flight
        self._waiters += 1
        try:
            fresh, exchanges = await asyncio.shield(flight)
        except asyncio.CancelledError:
            # The last caller gave up (a cancelled send, a closed window): nobody needs this
            # token any more, so the request must not outlive it.
            if self._waiters == 1 and not flight.done():
                flight.cancel()
                if self._flight is flight:
                    self._flight = None
            raise
        except TokenFailure as failure:
            # Every waiter needs the evidence of why it got no token.
            raise TokenFailure(
                failure.kind,
                failure.explanation,
                status=failure.status,
                exchanges=failure.exchanges,
            ) from None
        finally:
            self._waiters -= 1
        return Grant(fresh.value, exchanges if leader else (), True)

    def _landed(self, flight: asyncio.Task[tuple[_Token, tuple[Exchange, ...]]]) -> None:
        if self._flight is flight:
            self._flight = None
        if not flight.cancelled():
            flight.exception()  # retrieved here so an unawaited failure is not reported twice

    async def _fetch(self) -> tuple[_Token, tuple[Exchange, ...]]:
        body = urlencode(
            {
                "grant_type": "client_credentials",
                "client_id": self._client_id,
                "client_secret": self._secret.reveal(),
            }
        ).encode("ascii")
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        }
        attempts: list[Attempt] = []
        spent = 0.0
        loop = asyncio.get_running_loop()
        deadline = min(loop.time() + self._policy.max_total_seconds, self.deadline)
        while True:
            number = len(attempts) + 1
            self._requests += 1
            attempt = await perform(
                self._http,
                step="token",
                method="POST",
                url=self._url,
                headers=headers,
                body=body,
                attempt=number,
                redact=self.redact,
                deadline=min(loop.time() + self._policy.max_request_seconds, deadline),
                wall_clock=self._clock,
            )
            attempts.append(attempt)
            response = attempt.response
            if response is not None and response.status_code == 200:
                token = self._parse_token(attempt.text)
                if token is not None:
                    # The trace was redacted before this token was known: redo it.
                    exchanges = tuple(_reredact(a.exchange, self.redact) for a in attempts)
                    self._token = token
                    self._last_error = None
                    return token, exchanges
            if response is not None:
                # A token answer that cannot be used (cut off, malformed) may still carry one.
                self._redactor.add(*token_field_values(attempt.text))
            spent += attempt.exchange.elapsed_ms / 1000.0
            outcome = _outcome(attempt)
            decision = decide(
                self._policy, number, outcome, elapsed=spent, now=self._clock(), rand=self._rand
            )
            final = attempt.failure in ("tls", "no-https") or loop.time() >= deadline
            if isinstance(decision, Retry) and loop.time() + decision.delay >= deadline:
                final = True
            if isinstance(decision, Retry) and not final:
                await self._sleep(decision.delay)
                spent += decision.delay
                continue
            exchanges = tuple(_reredact(a.exchange, self.redact) for a in attempts)
            failure = self._failure(attempt, exchanges)
            self._last_error = failure.explanation
            raise failure

    def _parse_token(self, text: str) -> _Token | None:
        try:
            body = json.loads(text)
        except ValueError:
            return None
        if not isinstance(body, dict):
            return None
        value = body.get("access_token")
        if not isinstance(value, str) or not value:
            return None
        lifetime = body.get("expires_in", DEFAULT_LIFETIME)
        try:
            seconds = float(lifetime)
        except (TypeError, ValueError):
            return None
        self._redactor.add(value)
        now = self._clock()
        # A short lifetime (the sandbox's) would otherwise be "stale" from the start.
        refresh_after = max(seconds - self._margin, seconds / 2)
        return _Token(Secret(value), now, now + seconds, now + refresh_after)

    def _failure(self, attempt: Attempt, exchanges: tuple[Exchange, ...]) -> TokenFailure:
        tries = len(exchanges)
        if attempt.failure == "bad-response" and attempt.response is not None:
            status = attempt.response.status_code
            if status < 400:
                text = explain.undecodable("token request", status, attempt.failure_message or "")
                return TokenFailure(Kind.BAD_RESPONSE, text, status=status, exchanges=exchanges)
        if attempt.failure not in (None, "bad-response") or attempt.response is None:
            kind = explain.TRANSPORT_KINDS.get(attempt.failure or "", Kind.NETWORK)
            text = explain.transport(
                attempt.failure or "network", attempt.failure_message or "", self._url, tries
            )
            return TokenFailure(kind, text, exchanges=exchanges)
        status = attempt.response.status_code
        shown = self.redact(attempt.text)
        if 300 <= status < 400:
            location = self.redact(attempt.response.headers.get("location", ""))
            return TokenFailure(
                Kind.BAD_RESPONSE,
                explain.redirected("token request", location),
                status=status,
                exchanges=exchanges,
            )
        if status in (400, 401, 403):
            if _oauth_error(attempt.text) in ("invalid_client", "unauthorized_client"):
                return TokenFailure(
                    Kind.AUTH, explain.BAD_CLIENT, status=status, exchanges=exchanges
                )
            return TokenFailure(
                Kind.AUTH,
                f"Criteo refused the token request (HTTP {status}). Check the client id and "
                f"secret in the profile. Raw answer: {clip(shown.strip(), 500) or '(empty)'}",
                status=status,
                exchanges=exchanges,
            )
        if status == 429:
            return TokenFailure(
                Kind.RATE_LIMITED,
                explain.rate_limited(tries, None),
                status=status,
                exchanges=exchanges,
            )
        if status >= 500:
            return TokenFailure(
                Kind.SERVER,
                explain.server_error(status, tries, ()),
                status=status,
                exchanges=exchanges,
            )
        return TokenFailure(
            Kind.BAD_RESPONSE,
            explain.unreadable("token request", status, shown),
            status=status,
            exchanges=exchanges,
        )


def _oauth_error(text: str) -> str | None:
    try:
        body = json.loads(text)
    except ValueError:
        return None
    if isinstance(body, dict):
        error = body.get("error")
        if isinstance(error, str):
            return error
        errors = body.get("errors")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            code = errors[0].get("code")
            return code if isinstance(code, str) else None
    return None


def _outcome(attempt: Attempt) -> Outcome:
    response = attempt.response
    if response is None:
        return Outcome(transport=attempt.failure or "network")
    return Outcome(
        status=response.status_code,
        retry_after=response.headers.get("retry-after"),
        ratelimit_reset=response.headers.get("x-ratelimit-reset"),
    )


def _reredact(exchange: Exchange, redact: Callable[[str], str]) -> Exchange:
    return replace(
        exchange,
        response_body=redact(exchange.response_body),
        response_headers={k: redact(v) for k, v in exchange.response_headers.items()},
        error=redact(exchange.error) if exchange.error else exchange.error,
    )
