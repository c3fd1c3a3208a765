"""When to try again, as one pure function: ``decide(policy, attempt, outcome, ...)``.

Written by hand rather than with tenacity/stamina: the waits come from the answer itself
(``Retry-After``, ``x-ratelimit-reset``), the 401 case needs a token refresh rather than a
wait, and a 403 must never be retried. Expressed as a pure function of (attempt, outcome), the
whole policy is one screen and is tested without a network or a clock.
"""

from __future__ import annotations

import email.utils
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

TOKEN_REJECTED_CODES = frozenset({"authorization-token-expired", "authorization-token-invalid"})
# x-ratelimit-reset is documented as Unix time; smaller numbers can only be "seconds from now".
_EPOCH_THRESHOLD = 1_000_000_000


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Bounds for retrying 429, 5xx, timeouts and dropped connections."""

    max_attempts: int = 4
    # A hard deadline for all attempts and waits of one operation (token, scope check, send).
    max_total_seconds: float = 30.0
    # A hard deadline for one request, from connecting to the last byte of the answer.
    max_request_seconds: float = 20.0
    # A hard deadline for one whole send: its token, scope check and POST together.
    max_send_seconds: float = 30.0
    base_delay: float = 0.5
    max_delay: float = 8.0
    # A rate-limit wait longer than this is reported to the user instead of waited out.
    max_rate_limit_wait: float = 60.0


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt produced. ``transport`` is "timeout" or "network" when nothing came back."""

    status: int | None = None
    transport: str | None = None
    error_codes: frozenset[str] = field(default_factory=frozenset)
    retry_after: str | None = None
    ratelimit_reset: str | None = None


@dataclass(frozen=True, slots=True)
class Retry:
    delay: float
    refresh_token: bool = False


@dataclass(frozen=True, slots=True)
class Stop:
    pass


def decide(
    policy: RetryPolicy,
    attempt: int,
    outcome: Outcome,
    *,
    elapsed: float = 0.0,
    token_refreshed: bool = False,
    now: float = 0.0,
    rand: Callable[[], float] = random.random,
) -> Retry | Stop:
    """Retry (after ``delay`` seconds) or stop, after attempt number ``attempt`` (1-based)."""
    if outcome.status == 401 and outcome.error_codes & TOKEN_REJECTED_CODES:
        return Stop() if token_refreshed else Retry(0.0, refresh_token=True)
    transient = outcome.transport in ("timeout", "network") or (
        outcome.status is not None and outcome.status >= 500
    )
    if outcome.status != 429 and not transient:
        return Stop()
    if attempt >= policy.max_attempts:
        return Stop()
    backoff = rand() * min(policy.max_delay, policy.base_delay * 2 ** (attempt - 1))
    delay = backoff
    if outcome.status == 429:
        asked = server_wait(outcome, now)
        if asked is not None:
            if asked > policy.max_rate_limit_wait:
                return Stop()
            delay = asked
    if elapsed + delay > policy.max_total_seconds:
        return Stop()
    return Retry(delay)


def answered_outcome(
    status: int | None,
    transport: str | None,
    headers: Mapping[str, str],
    error_codes: frozenset[str] = frozenset(),
) -> Outcome:
    """One request's outcome as the senders read it: the status, what failed on the way, and
    the server's own wait (``headers``: the exchange's lower-cased response headers)."""
    return Outcome(
        status=status,
        transport=transport,
        error_codes=error_codes,
        retry_after=headers.get("retry-after"),
        ratelimit_reset=headers.get("x-ratelimit-reset"),
    )


def rate_limit_wait(headers: Mapping[str, str], now: float) -> float | None:
    """Seconds a 429's headers (lower-cased) ask for; what a rate-limited result tells."""
    return server_wait(answered_outcome(429, None, headers), now)


def server_wait(outcome: Outcome, now: float) -> float | None:
    """Seconds the server asked us to wait, from Retry-After or x-ratelimit-reset."""
    if outcome.retry_after:
        value = outcome.retry_after.strip()
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                when = email.utils.parsedate_to_datetime(value).timestamp()
            except (TypeError, ValueError):
                when = None
            if when is not None:
                return max(0.0, when - now)
    if outcome.ratelimit_reset:
        try:
            reset = float(outcome.ratelimit_reset.strip())
        except ValueError:
            return None
        return max(0.0, reset - now if reset >= _EPOCH_THRESHOLD else reset)
    return None
