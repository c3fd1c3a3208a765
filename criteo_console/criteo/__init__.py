"""Async Criteo client (httpx, no Qt): token, advertiser scope check, conversion send."""

from criteo_console.core.hosts import is_loopback_host
from criteo_console.core.redaction import Secret
from criteo_console.criteo.client import DEFAULT_BASE_URL, DEFAULT_VERSION, CriteoClient
from criteo_console.criteo.envelope import ApiProblem, Envelope, parse_envelope
from criteo_console.criteo.http import make_http_client
from criteo_console.criteo.policy import Outcome, Retry, RetryPolicy, Stop, decide
from criteo_console.criteo.results import (
    Advertiser,
    Kind,
    Result,
    ScopeResult,
    SendResult,
    TokenResult,
    TokenState,
)
from criteo_console.criteo.token import Grant, TokenFailure, TokenProvider
from criteo_console.criteo.trace import Exchange
from criteo_console.criteo.urls import UnsafeBaseURL, check_base_url

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_VERSION",
    "Advertiser",
    "ApiProblem",
    "CriteoClient",
    "Envelope",
    "Exchange",
    "Grant",
    "Kind",
    "Outcome",
    "Result",
    "Retry",
    "RetryPolicy",
    "ScopeResult",
    "Secret",
    "SendResult",
    "Stop",
    "TokenFailure",
    "TokenProvider",
    "TokenResult",
    "TokenState",
    "UnsafeBaseURL",
    "check_base_url",
    "decide",
    "is_loopback_host",
    "make_http_client",
    "parse_envelope",
]
