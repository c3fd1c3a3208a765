"""Is an address this computer? One answer for the client's safety rule, profile validation
and the live-send confirmation (the sandbox keeps its own copy: it imports nothing of ours)."""

from __future__ import annotations

import ipaddress


def is_loopback_host(host: str) -> bool:
    """127.0.0.0/8, ::1, ``localhost`` and ``*.localhost`` (brackets allowed around IPv6)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
