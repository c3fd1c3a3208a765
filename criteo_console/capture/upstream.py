"""Pass a shop's request to the upstream (a real Criteo, or the embedded sandbox) and bring
back its exact answer. Credentials go to the configured host only: a redirect elsewhere is
refused, never followed."""

from __future__ import annotations

import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx
import truststore

from criteo_console import __version__
from criteo_console.criteo.proxies import SyncProxyRouter, system_proxies

# Request headers the upstream needs; everything else the shop sent stays here.
FORWARDED_REQUEST_HEADERS = ("authorization", "content-type", "accept", "x-sandbox-fault")
# Answer headers a Criteo client may act on; hop-by-hop and encoding headers are not copied
# (the body is returned decoded, with its own length).
ANSWER_HEADERS = (
    "content-type",
    "www-authenticate",
    "retry-after",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
    "x-ratelimit-reset",
    "deprecation",
    "sunset",
    "link",
    "location",
    "allow",
    "x-criteo-trace-id",
)


@dataclass(frozen=True)
class UpstreamAnswer:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    # Why there is no real answer (network error, refused redirect); the body then explains.
    problem: str | None = None


def same_origin(a: str, b: str) -> bool:
    one, two = urlsplit(a), urlsplit(b)
    return (one.scheme, one.hostname, one.port) == (two.scheme, two.hostname, two.port)


class Upstream:
    """One keep-alive client for the run; thread-safe (httpx.Client is)."""

    def __init__(
        self, base_url: str, timeout: float = 30.0, *, proxies: Mapping[str, str] | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        limits = httpx.Limits(max_connections=50, max_keepalive_connections=20)

        def make(proxy: httpx.Proxy | None) -> httpx.BaseTransport:
            return httpx.HTTPTransport(verify=context, limits=limits, proxy=proxy)

        self._client = httpx.Client(
            # The system proxy, as the console's own client uses it (loopback always direct);
            # trust_env stays off: ~/.netrc must never add credentials.
            transport=SyncProxyRouter(make, system_proxies() if proxies is None else proxies),
            trust_env=False,
            timeout=httpx.Timeout(timeout, connect=10.0),
            follow_redirects=False,
            headers={"User-Agent": f"TrackLayer-Criteo-Console-capture/{__version__}"},
        )

    def url_for(self, path_and_query: str) -> str:
        return self.base_url + path_and_query

    def send(
        self,
        method: str,
        path_and_query: str,
        headers: dict[str, str],
        body: bytes,
        *,
        passed_back: Callable[[str], bool] | None = None,
    ) -> UpstreamAnswer:
        """``passed_back``: which redirects to another origin may still be handed back to the
        shop (never followed here); by default none (the shop's credentials stay home)."""
        url = self.url_for(path_and_query)
        wanted = {k: v for k, v in headers.items() if k.lower() in FORWARDED_REQUEST_HEADERS}
        try:
            response = self._client.request(method, url, headers=wanted, content=body or None)
        except httpx.HTTPError as exc:
            return UpstreamAnswer(502, problem=f"could not reach {self.base_url} ({_why(exc)})")
        location = response.headers.get("location")
        target = urljoin(url, location) if location else ""
        elsewhere = bool(target) and not same_origin(target, url)
        if response.is_redirect and elsewhere and not (passed_back and passed_back(target)):
            return UpstreamAnswer(
                502,
                problem=f"{self.base_url} redirected to another host; the console does not send "
                "the shop's credentials there",
            )
        kept = [(k, v) for k, v in response.headers.items() if k.lower() in ANSWER_HEADERS]
        if response.is_redirect and target.startswith(self.base_url + "/"):
            # Back to the same upstream: the shop's retry comes through the console again.
            kept = [(k, v) for k, v in kept if k.lower() != "location"]
            kept.append(("Location", target[len(self.base_url) :]))
        return UpstreamAnswer(response.status_code, kept, response.content)

    def close(self) -> None:
        self._client.close()


def _why(exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return "timed out"
    if isinstance(exc, httpx.ConnectError):
        return "could not connect"
    return type(exc).__name__
