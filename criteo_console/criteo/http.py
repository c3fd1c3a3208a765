"""The shared httpx client: system proxies, the OS trust store, sensible timeouts."""

from __future__ import annotations

import ssl
from collections.abc import Mapping

import httpx
import truststore

import criteo_console
from criteo_console.criteo.bounded import ACCEPT_ENCODING
from criteo_console.criteo.proxies import ProxyRouter, system_proxies

DEFAULT_TIMEOUT = httpx.Timeout(20.0, connect=10.0)

NOT_HTTPS = "this address does not speak HTTPS (it answered in plain HTTP)"
# OpenSSL's reasons when the other side answers a TLS hello in plain text.
_PLAIN_HTTP_REASONS = (
    "WRONG_VERSION_NUMBER",
    "HTTP_REQUEST",
    "RECORD_LAYER_FAILURE",
    "PACKET_LENGTH_TOO_LONG",
    "UNKNOWN_PROTOCOL",
)
TLS_REJECTED = (
    "The connection's certificate was rejected — if your company inspects traffic, ask IT to "
    "install its certificate in the system store."
)


def make_http_client(
    *,
    timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
    max_connections: int = 20,
    transport: httpx.AsyncBaseTransport | None = None,
    proxies: Mapping[str, str] | None = None,
) -> httpx.AsyncClient:
    """One client for the whole app: close it on exit (``await client.aclose()``).

    Requests honour HTTPS_PROXY/HTTP_PROXY/ALL_PROXY/NO_PROXY (``proxies`` overrides what the
    system says), except to this computer (the sandbox), which is always reached directly.
    Certificates are checked against the operating system's store, so a TLS-inspecting
    firewall whose CA IT has installed works. A given ``transport`` is used as is (tests).
    """
    context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=20)

    def make(proxy: httpx.Proxy | None) -> httpx.AsyncBaseTransport:
        return httpx.AsyncHTTPTransport(verify=context, limits=limits, proxy=proxy)

    if transport is None:
        transport = ProxyRouter(make, system_proxies() if proxies is None else proxies)
    return httpx.AsyncClient(
        # The router applies the environment's proxies; trust_env would also read ~/.netrc.
        trust_env=False,
        timeout=timeout,
        follow_redirects=False,
        headers={
            # the package metadata is read here, not at import (start-up time)
            "User-Agent": f"TrackLayer-Criteo-Console/{criteo_console.__version__}",
            "Accept-Encoding": ACCEPT_ENCODING,
        },
        transport=transport,
    )


def classify_transport_error(exc: BaseException) -> tuple[str, str]:
    """Map an httpx error to (kind, plain message): "tls", "no-https", "timeout" or
    "network"."""
    if _is_certificate_error(exc):
        return "tls", TLS_REJECTED
    if _is_plain_http(exc):
        return "no-https", NOT_HTTPS
    if isinstance(exc, httpx.TimeoutException):
        phase = {
            httpx.ConnectTimeout: "connecting",
            httpx.ReadTimeout: "waiting for the answer",
            httpx.WriteTimeout: "sending the request",
            httpx.PoolTimeout: "waiting for a free connection",
        }.get(type(exc), "waiting")
        return "timeout", f"timed out while {phase}"
    if isinstance(exc, httpx.ConnectError):
        return "network", "could not connect"
    if isinstance(exc, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return "network", "the connection was dropped before an answer arrived"
    return "network", f"the connection failed ({type(exc).__name__})"


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not s for s in seen):
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _is_plain_http(exc: BaseException) -> bool:
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLError):
            text = f"{cause.reason or ''} {cause}".upper()
            return any(reason in text for reason in _PLAIN_HTTP_REASONS)
    return False


def _is_certificate_error(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return True
        if isinstance(current, ssl.SSLError) and "CERTIFICATE_VERIFY_FAILED" in str(current):
            return True
        current = current.__cause__ or current.__context__
    return "CERTIFICATE_VERIFY_FAILED" in str(exc)
