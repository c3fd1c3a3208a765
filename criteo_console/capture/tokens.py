"""How the shop handles its access tokens, said in plain words.

Only a digest of each token is kept, in memory, for the run: enough to recognise it when a
conversion carries it, never enough to use it.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

OK, WARNING, FAILED = "ok", "warning", "failed"
_KEEP = 1000  # tokens remembered; a longer run forgets the oldest


@dataclass
class _Token:
    number: int
    issued_at: float
    lifetime: float | None
    uses: int = 0
    conversions: int = 0
    refused_as_expired: bool = False
    after_expiry: bool = False  # obtained once the previous token had expired: a refresh

    def expired(self, now: float) -> bool:
        return self.refused_as_expired or (
            self.lifetime is not None and now >= self.issued_at + self.lifetime
        )


@dataclass(frozen=True)
class TokenNote:
    state: str  # ok, warning or failed (the event log's step states)
    message: str
    short: str = ""  # a few words for a one-line summary, when it is worth saying


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 120:
        return f"{seconds} s"
    return f"{round(seconds / 60)} min"


class TokenWatch:
    """Thread-safe: the capture server's request threads report to one watch."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._tokens: OrderedDict[str, _Token] = OrderedDict()
        self._issued = 0
        self._new_token_streak = 0  # conversions in a row that each used a brand-new token

    def issued(self, access_token: str, expires_in: object) -> TokenNote:
        """The token endpoint handed the shop a token."""
        now = self._clock()
        lifetime = (
            float(expires_in)
            if isinstance(expires_in, int | float) and not isinstance(expires_in, bool)
            else None
        )
        with self._lock:
            self._issued += 1
            previous = next(reversed(self._tokens.values()), None)
            token = _Token(self._issued, now, lifetime)
            token.after_expiry = previous is not None and previous.expired(now)
            self._tokens[_digest(access_token)] = token
            while len(self._tokens) > _KEEP:
                self._tokens.popitem(last=False)
        valid = f", valid for {_duration(lifetime)}" if lifetime is not None else ""
        if token.after_expiry:
            return TokenNote(
                OK,
                f"Token {token.number}{valid}: the shop refreshed it after the previous "
                "one expired — refresh seen.",
            )
        if previous is not None and previous.uses and not previous.expired(now):
            left = (
                ""
                if previous.lifetime is None
                else f" ({_duration(previous.issued_at + previous.lifetime - now)} left)"
            )
            return TokenNote(
                WARNING,
                f"Token {token.number}{valid}: requested while the previous one was still "
                f"valid{left}. Keep a token until it expires.",
                "a new token while the last one was still valid",
            )
        return TokenNote(OK, f"Token {token.number} obtained{valid}.")

    def expire_all(self) -> None:
        """Treat every token seen so far as expired (tests, and the sandbox's expire_tokens)."""
        with self._lock:
            for token in self._tokens.values():
                token.refused_as_expired = True

    def refused(self, bearer: str | None, code: str | None) -> None:
        """Criteo answered 401 for this bearer; remember when it said the token expired."""
        if bearer and code == "authorization-token-expired":
            with self._lock:
                token = self._tokens.get(_digest(bearer))
                if token is not None:
                    token.refused_as_expired = True

    def used(self, bearer: str | None, *, conversion: bool = True) -> TokenNote:
        """A conversion (or scope check) arrived carrying ``bearer``: judge the token use."""
        if not bearer:
            return TokenNote(
                FAILED,
                "The request carried no access token. Send “Authorization: Bearer "
                "<token>” from /oauth2/token with every request.",
                "no access token",
            )
        now = self._clock()
        with self._lock:
            token = self._tokens.get(_digest(bearer))
            if token is None:
                self._new_token_streak = 0
                return TokenNote(
                    WARNING,
                    "This token was not obtained through the console, so its age "
                    "cannot be checked. Point the shop's token address at the console too.",
                    "token not obtained through the console",
                )
            if token.expired(now):
                self._new_token_streak = 0
                age = _duration(now - token.issued_at)
                life = "" if token.lifetime is None else f", valid for {_duration(token.lifetime)}"
                return TokenNote(
                    FAILED,
                    f"The shop sent this with an expired token (token {token.number}, "
                    f"obtained {age} ago{life}). It must get a new token when the old one "
                    "expires, or when Criteo answers 401.",
                    "sent with an expired token",
                )
            token.uses += 1
            streak = 0
            if conversion:
                token.conversions += 1
                newest = next(reversed(self._tokens.values())) is token
                fresh = token.conversions == 1 and newest
                self._new_token_streak = self._new_token_streak + 1 if fresh else 0
                streak = self._new_token_streak
            left = (
                ""
                if token.lifetime is None
                else f", valid for {_duration(token.issued_at + token.lifetime - now)} more"
            )
        if streak >= 2:
            return TokenNote(
                WARNING,
                f"A new token for every conversion ({streak} conversions in a row each came "
                f"with a brand-new token): the shop does not keep its token. Reuse "
                "each token until it expires; every extra token request counts against the "
                "app's rate limit.",
                "a new token for every conversion",
            )
        if token.after_expiry and token.conversions <= 1:
            return TokenNote(
                OK, f"Token {token.number}, obtained after the previous one expired: refresh works."
            )
        return TokenNote(OK, f"Token {token.number} (use {token.uses}{left}).")

    def answered_expired(self, bearer: str | None) -> TokenNote:
        """Criteo refused the request because the token expired."""
        self.refused(bearer, "authorization-token-expired")
        return TokenNote(
            FAILED,
            "The shop sent this with an expired token: Criteo refused it (401). The shop "
            "must get a new token when the old one expires or Criteo answers 401, then send "
            "again.",
            "sent with an expired token",
        )
