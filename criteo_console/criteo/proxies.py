"""Route each request direct or through the system proxy; this computer is always direct.

httpx's own ``trust_env`` sends loopback through HTTP(S)_PROXY/ALL_PROXY too, unless NO_PROXY
lists it: behind a corporate proxy the sandbox at 127.0.0.1 was unreachable, and the token form
(with the client secret) went to the proxy. httpx's mount patterns cannot express 127.0.0.0/8,
so one transport decides per request instead, with the same rules httpx applies otherwise
(scheme proxy, then ALL_PROXY; NO_PROXY, including CIDR ranges, bypasses).
"""

from __future__ import annotations

import ipaddress
import logging
import urllib.request
from collections.abc import Callable, Mapping
from typing import TypeVar

import httpx

from criteo_console.core.hosts import is_loopback_host

log = logging.getLogger("criteo_console.criteo")
T = TypeVar("T")

MakeTransport = Callable[[httpx.Proxy | None], httpx.AsyncBaseTransport]
MakeSyncTransport = Callable[[httpx.Proxy | None], httpx.BaseTransport]


def system_proxies() -> dict[str, str]:
    """Scheme -> proxy URL from the environment (and, on macOS/Windows, the system settings)."""
    return dict(urllib.request.getproxies())


def bypassed(host: str, no_proxy: str) -> bool:
    """Does NO_PROXY ("*", names with their subdomains, IPs, CIDR ranges) cover ``host``?"""
    host = host.strip("[]").lower()
    try:
        address: ipaddress.IPv4Address | ipaddress.IPv6Address | None = ipaddress.ip_address(host)
    except ValueError:
        address = None
    for entry in no_proxy.split(","):
        entry = entry.strip().lower().split("://", 1)[-1].strip("[]").lstrip(".")
        if entry == "*":
            return True
        if not entry:
            continue
        if address is not None:
            try:
                if address in ipaddress.ip_network(entry, strict=False):
                    return True
            except ValueError:
                pass
        if host == entry or host.endswith("." + entry):
            return True
    return False


class _Routes:
    """Which proxy, if any, a request goes through: the one decision both routers apply."""

    def __init__(self, proxies: Mapping[str, str]) -> None:
        self.proxies = dict(proxies)

    def proxy_urls(self) -> dict[str, httpx.Proxy]:
        """Scheme ("http", "https", "all") -> its proxy; unusable settings are left out."""
        via: dict[str, httpx.Proxy] = {}
        for scheme in ("http", "https", "all"):
            url = self.proxies.get(scheme, "").strip()
            if not url:
                continue
            if "://" not in url:
                url = f"http://{url}"
            try:
                via[scheme] = httpx.Proxy(url)
            except ValueError:
                # Not worth a crash at start: requests go direct and a failure says "check the
                # proxy settings". The URL itself may hold credentials: never log it.
                log.warning("ignoring the %s proxy setting: httpx cannot use it", scheme)
        return via

    def transports(self, make: Callable[[httpx.Proxy], T]) -> dict[str, T]:
        """Scheme -> a transport through its proxy. A proxy httpx cannot use here (socks5://
        needs an extra package) is left out with a warning: requests go direct and a failure
        says "check the proxy settings", rather than the console failing to start."""
        via: dict[str, T] = {}
        for scheme, proxy in self.proxy_urls().items():
            try:
                via[scheme] = make(proxy)
            except ImportError:
                log.warning(
                    "ignoring the %s proxy setting: this kind of proxy is not supported", scheme
                )
        return via

    def route(self, url: httpx.URL, via: Mapping[str, object]) -> str | None:
        """The key in ``via`` to use for ``url``, or None for a direct connection."""
        host = url.host
        if is_loopback_host(host) or bypassed(host, self.proxies.get("no", "")):
            return None
        for key in (url.scheme, "all"):
            if key in via:
                return key
        return None


class ProxyRouter(httpx.AsyncBaseTransport):
    def __init__(self, make: MakeTransport, proxies: Mapping[str, str]) -> None:
        self._routes = _Routes(proxies)
        self._direct = make(None)
        self._via = self._routes.transports(make)

    def transport_for(self, url: httpx.URL) -> httpx.AsyncBaseTransport:
        key = self._routes.route(url, self._via)
        return self._direct if key is None else self._via[key]

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.transport_for(request.url).handle_async_request(request)

    async def aclose(self) -> None:
        await self._direct.aclose()
        for transport in self._via.values():
            await transport.aclose()


class SyncProxyRouter(httpx.BaseTransport):
    """The same routes for a blocking client (capture's forward mode)."""

    def __init__(self, make: MakeSyncTransport, proxies: Mapping[str, str]) -> None:
        self._routes = _Routes(proxies)
        self._direct = make(None)
        self._via = self._routes.transports(make)

    def transport_for(self, url: httpx.URL) -> httpx.BaseTransport:
        key = self._routes.route(url, self._via)
        return self._direct if key is None else self._via[key]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.transport_for(request.url).handle_request(request)

    def close(self) -> None:
        self._direct.close()
        for transport in self._via.values():
            transport.close()
