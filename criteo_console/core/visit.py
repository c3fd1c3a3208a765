"""The shopper's visit, for the Events API: GUM id, IP address, user agent, page address.

All four are optional in the canonical order. Each is read into a plain value or reported as
an Issue on its own field; none of them may carry an email address.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from criteo_console.core.identifiers import contains_email
from criteo_console.core.issues import Issue, error, warning

VISIT_FIELDS = ("gum_id", "ip", "user_agent", "page_url")
MAX_GUM_ID = 128
MAX_USER_AGENT = 1024
MAX_PAGE_URL = 2048
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Addresses a shopper's request never comes from: the shop's own network, carrier NAT.
_NOT_A_SHOPPER = tuple(
    ipaddress.ip_network(net)
    for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "fc00::/7")
)


@dataclass(frozen=True, slots=True)
class Visit:
    gum_id: str | None = None
    ip: str | None = None
    user_agent: str | None = None
    page_url: str | None = None


def read_visit(raw: Mapping[Any, Any]) -> tuple[Visit, list[Issue]]:
    issues: list[Issue] = []
    gum_id = _gum_id(raw.get("gum_id"), issues)
    ip = _ip(raw.get("ip"), issues)
    user_agent = _user_agent(raw.get("user_agent"), issues)
    page_url = _page_url(raw.get("page_url"), issues)
    return Visit(gum_id, ip, user_agent, page_url), issues


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _gum_id(value: object, issues: list[Issue]) -> str | None:
    if _blank(value):
        return None
    if not isinstance(value, str):
        issues.append(error("gum_id", "gum-id-invalid", "The GUM id must be text."))
        return None
    text = value.strip()
    if contains_email(text):
        issues.append(
            error(
                "gum_id",
                "gum-id-contains-email",
                "The GUM id field holds an email address. Put the email in the Email field "
                "(it is hashed); the GUM id is the value of the crto_mapped_user_id cookie.",
            )
        )
        return None
    if len(text) > MAX_GUM_ID or any(ch.isspace() for ch in text) or _CONTROL.search(text):
        issues.append(
            error(
                "gum_id",
                "gum-id-invalid",
                "The GUM id is not a cookie value: it must be one word of at most "
                f"{MAX_GUM_ID} characters, copied from the crto_mapped_user_id cookie.",
            )
        )
        return None
    return text


def _ip(value: object, issues: list[Issue]) -> str | None:
    if _blank(value):
        return None
    try:
        address = ipaddress.ip_address(value.strip() if isinstance(value, str) else "")
    except ValueError:
        issues.append(
            error(
                "ip",
                "ip-invalid",
                "The IP address is not an IPv4 or IPv6 address (such as 203.0.113.7). Use the "
                "shopper's address as the shop received it.",
            )
        )
        return None
    local = address.is_loopback or address.is_link_local or address.is_unspecified
    if local or any(address in net for net in _NOT_A_SHOPPER if net.version == address.version):
        issues.append(
            warning(
                "ip",
                "ip-not-public",
                f"The IP address {address} is a private or local address, not the shopper's "
                "public one. Servers behind a proxy often log their own: read X-Forwarded-For.",
            )
        )
    return str(address)


def _user_agent(value: object, issues: list[Issue]) -> str | None:
    if _blank(value):
        return None
    if not isinstance(value, str) or len(value) > MAX_USER_AGENT or _CONTROL.search(value):
        issues.append(
            error(
                "user_agent",
                "user-agent-invalid",
                "The user agent must be the browser's User-Agent header: one line of text, at "
                f"most {MAX_USER_AGENT} characters.",
            )
        )
        return None
    if contains_email(value):
        issues.append(
            error(
                "user_agent",
                "user-agent-contains-email",
                "The user agent contains an email address; send the browser's User-Agent "
                "header only.",
            )
        )
        return None
    return value.strip()


def _page_url(value: object, issues: list[Issue]) -> str | None:
    if _blank(value):
        return None
    text = value.strip() if isinstance(value, str) else ""
    try:
        parts = urlsplit(text)
        host = parts.hostname
    except ValueError:
        parts, host = urlsplit(""), None
    if (
        parts.scheme not in ("http", "https")
        or not host
        or len(text) > MAX_PAGE_URL
        or _CONTROL.search(text)
        or " " in text
    ):
        issues.append(
            error(
                "page_url",
                "page-url-invalid",
                "The page address must be a full web address such as "
                "https://shop.example/checkout/thank-you.",
            )
        )
        return None
    if contains_email(unquote(text)):
        issues.append(
            error(
                "page_url",
                "page-url-contains-email",
                "The page address contains an email address (often in its ?query part), which "
                "would send personal data to Criteo unhashed. Remove it from the address.",
            )
        )
        return None
    return text
