"""A base URL the console may send credentials to: HTTPS only, except to this computer (the
sandbox); no user name, password, query or fragment. One rule for the client (every
request), `send --base-url` and profile validation (`profile add`, the profile editor)."""

from __future__ import annotations

from urllib.parse import urlsplit

from criteo_console.core.hosts import is_loopback_host


class UnsafeBaseURL(ValueError):
    """The base URL would send credentials in clear text, or is not a usable URL."""


def check_base_url(base_url: str) -> str:
    """Return the base URL without a trailing slash, or raise UnsafeBaseURL."""
    try:
        parts = urlsplit(base_url.strip())
        host = parts.hostname or ""
    except ValueError:  # e.g. "http://[::1" (an unclosed IPv6 bracket)
        parts, host = urlsplit(""), ""
    if parts.username is not None or parts.password is not None:
        # Credentials in a URL end up in logs, traces and screenshots.
        raise UnsafeBaseURL(
            "The base URL contains a user name or password (the part before "
            "@): remove it — the client id and secret belong in the profile's own fields."
        )
    if parts.scheme not in ("https", "http") or not host:
        raise UnsafeBaseURL(
            f"The base URL {base_url!r} is not a web address: use https://api.criteo.com "
            "(or the sandbox's http://127.0.0.1:PORT)."
        )
    if parts.query or parts.fragment or "?" in base_url or "#" in base_url:
        raise UnsafeBaseURL(
            f"The base URL for {host} must not contain '?' or '#' parts: use just the address, "
            "e.g. https://api.criteo.com."
        )
    if parts.scheme == "http" and not is_loopback_host(host):
        raise UnsafeBaseURL(
            f"Refusing to send credentials over plain http to {host}: the base URL must start "
            "with https:// (plain http is only allowed to this computer, e.g. the sandbox)."
        )
    return base_url.strip().rstrip("/")
