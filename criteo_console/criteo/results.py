"""Typed outcomes of the client's operations: what happened, in plain words, with evidence."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from criteo_console.criteo.envelope import ApiProblem
from criteo_console.criteo.trace import Exchange


class Kind(StrEnum):
    ACCEPTED = "accepted"  # the conversion was taken
    TOKEN_OK = "token-ok"  # a token was obtained
    IN_SCOPE = "in-scope"  # the advertiser is among those the credentials reach
    REJECTED = "rejected"  # Criteo refused the content (400, or errors inside a 200)
    SCOPE = "scope"  # the token works but the advertiser is not covered by the consent
    AUTH = "auth"  # credentials or token refused
    RATE_LIMITED = "rate-limited"
    SERVER = "server"  # 5xx after retries
    NETWORK = "network"  # could not connect / connection dropped, after retries
    TIMEOUT = "timeout"
    RETIRED = "retired"  # 410: the API version is no longer served
    TLS = "tls"  # certificate rejected
    BAD_RESPONSE = "bad-response"  # an answer we cannot read
    REFUSED_URL = "refused-url"  # non-HTTPS base URL to a non-loopback host


@dataclass(frozen=True, slots=True, kw_only=True)
class Result:
    ok: bool
    kind: Kind
    explanation: str
    status: int | None = None
    trace_id: str | None = None
    errors: tuple[ApiProblem, ...] = ()
    warnings: tuple[ApiProblem, ...] = ()
    deprecation: str | None = None
    exchanges: tuple[Exchange, ...] = ()

    @property
    def attempts(self) -> int:
        """HTTP requests made for this operation, token requests included."""
        return len(self.exchanges)


@dataclass(frozen=True, slots=True)
class TokenState:
    """What the UI shows for check 1. Times are Unix seconds; never holds the token itself."""

    has_token: bool
    acquired_at: float | None
    expires_at: float | None
    refresh_at: float | None
    last_error: str | None
    requests_made: int


@dataclass(frozen=True, slots=True, kw_only=True)
class TokenResult(Result):
    state: TokenState | None = None


@dataclass(frozen=True, slots=True)
class Advertiser:
    id: str
    name: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ScopeResult(Result):
    advertiser_id: str = ""
    in_scope: bool = False
    advertisers: tuple[Advertiser, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SendResult(Result):
    data: tuple[Any, ...] = field(default=())
