"""Where a send goes and how it is worded, and Criteo's API-version support: by address,
never by a profile's label. Kept apart from ``core.verdict`` (which re-exports every name) so
that showing a profile does not import the attempt evaluation and the destination rules
behind it (start-up time). Pure: no Qt, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import urlsplit

from criteo_console.core.hosts import is_loopback_host

# Criteo's own addresses: the guide's API host and the public Events API host.
CRITEO_HOSTS = frozenset({"api.criteo.com", "widget.criteo.com"})


class Destination(StrEnum):
    CRITEO = "criteo"
    LOCAL = "local"
    OTHER = "other"


def classify_target(url: str) -> Destination:
    """Criteo (https on Criteo's own host), local (this computer), or another server."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return Destination.OTHER
    if is_loopback_host(host):
        return Destination.LOCAL
    if parts.scheme == "https" and host in CRITEO_HOSTS:
        return Destination.CRITEO
    return Destination.OTHER


def sends_real_conversions(url: str) -> bool:
    """Whether a send to ``url`` may create a real conversion (anything not on this computer:
    another server may forward to Criteo). The live-send confirmation follows this."""
    return classify_target(url) is not Destination.LOCAL


def destination_key(url: str) -> str:
    """Which earlier sends count as "the same place" for the duplicate warning.

    Criteo is one place whatever the API version; this computer is one place (the sandbox
    starts on a new port each run); another server is its scheme, host and port.
    """
    destination = classify_target(url)
    if destination is not Destination.OTHER:
        return destination.value
    try:
        parts = urlsplit(url.strip())
        return f"{parts.scheme}://{(parts.hostname or '').lower()}:{parts.port or ''}"
    except ValueError:
        return url


@dataclass(frozen=True, slots=True)
class DestinationWording:
    """The words every page uses for where a send goes."""

    name: str  # "Criteo", "the sandbox", "the server at example.test"
    send_button: str  # "Send to Criteo"
    accepted: str  # "Criteo accepted"
    rejected: str  # "Criteo refused"
    real_conversions: bool  # whether a send creates a real conversion

    @property
    def title(self) -> str:
        """The name at the start of a sentence ("The sandbox")."""
        return self.name[:1].upper() + self.name[1:]


def wording_for(url: str) -> DestinationWording:
    destination = classify_target(url)
    if destination is Destination.CRITEO:
        return DestinationWording(
            "Criteo", "Send to Criteo", "Criteo accepted", "Criteo refused", True
        )
    if destination is Destination.LOCAL:
        return DestinationWording(
            "the sandbox",
            "Send to the sandbox",
            "The sandbox accepted",
            "The sandbox refused",
            False,
        )
    host = _host(url)
    if not host:  # no address yet (no profile shown): no host to name
        return DestinationWording(
            "the server", "Send", "The server accepted", "The server refused", True
        )
    return DestinationWording(
        f"the server at {host}",
        f"Send to {host}",
        f"The server at {host} accepted",
        f"The server at {host} refused",
        # Not Criteo's address: it may still forward to Criteo, so treat it as real.
        True,
    )


# -- API versions ---------------------------------------------------------------------------

KNOWN_VERSIONS = ("2026-01", "2025-10", "2025-07", "2023-07")
SUPPORTED_FROM = "2025-07"  # Criteo supports each version for about 12 months
SUPPORT_HINT = "Criteo supports each API version for about 12 months."


class VersionSupport(StrEnum):
    SUPPORTED = "supported"
    OUT_OF_SUPPORT = "out-of-support"
    NOT_APPLICABLE = "not-applicable"  # not Criteo's address: Criteo's policy does not apply
    UNKNOWN = "unknown"


def version_support(version: str, url: str) -> tuple[VersionSupport, str]:
    """Whether Criteo still supports ``version``, in a plain sentence (Criteo targets only)."""
    version = version.strip()
    if classify_target(url) is not Destination.CRITEO:
        return VersionSupport.NOT_APPLICABLE, ""
    if not re.fullmatch(r"\d{4}-\d{2}", version):
        return VersionSupport.UNKNOWN, f"API version “{version}” is not of the form YYYY-MM."
    if version < SUPPORTED_FROM:
        return (
            VersionSupport.OUT_OF_SUPPORT,
            f"API {version} is out of support: Criteo may answer it with Deprecation/Sunset "
            "warnings or refuse it (410 Gone).",
        )
    return VersionSupport.SUPPORTED, SUPPORT_HINT


def version_note(version: str, url: str) -> tuple[str, bool]:
    """The note beside an API-version picker for a target, and whether it is a warning.

    Nothing on a target that is not Criteo: Criteo's support policy says nothing about it.
    """
    status, sentence = version_support(version, url)
    if status is VersionSupport.OUT_OF_SUPPORT:
        return (
            f"⚠ {sentence} It is the integration guide's contract; if Criteo refuses it, pick "
            "a newer version your account supports.",
            True,
        )
    if status is VersionSupport.SUPPORTED:
        return sentence, False
    return "", False


def version_of(url: str) -> str:
    """The ``YYYY-MM`` segment of a request URL, or ""."""
    match = re.search(r"/(\d{4}-\d{2})(?:/|$)", urlsplit(url).path if url else "")
    return match.group(1) if match else ""


def _host(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
