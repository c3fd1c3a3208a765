"""A profile's settings for destinations that name the sender in the body (the Events API).

Kept apart from ``core.destinations`` so the order model can hold them without importing
the destinations themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

SITE_TYPES = {"d": "desktop", "m": "mobile web", "aa": "Android app", "ai": "iOS app"}


@dataclass(frozen=True, slots=True)
class DestinationSettings:
    """``account`` is Criteo's partner id and ``mapping_key`` the caller id Criteo gives; both
    travel in the Events API body (they are not secrets). Unused by the Conversions API."""

    account: str = ""
    mapping_key: str = ""
    site_type: str = "d"
