"""A profile's settings for destinations that name the sender in the body (the Events API),
and what a profile needs of the destinations without their rules: their names, the default,
and where a send is POSTed.

Kept apart from ``core.destinations`` (which re-exports these names) so the order model and
the profile model can hold them, and the console can show a profile's send address, without
importing the destinations themselves (start-up time).
"""

from __future__ import annotations

from dataclasses import dataclass

EVENTS_PATH = "m/event?version=s2s_v0"  # the Events API's endpoint, whatever the version
SITE_TYPES = {"d": "desktop", "m": "mobile web", "aa": "Android app", "ai": "iOS app"}


@dataclass(frozen=True, slots=True)
class DestinationSettings:
    """``account`` is Criteo's partner id and ``mapping_key`` the caller id Criteo gives; both
    travel in the Events API body (they are not secrets). Unused by the Conversions API."""

    account: str = ""
    mapping_key: str = ""
    site_type: str = "d"


@dataclass(frozen=True, slots=True)
class DestinationFacts:
    """What a destination is called and where it sends, without its rules: each destination
    in ``core.destinations`` takes its ``label``, ``default_base_url`` and ``uses_oauth``
    from here."""

    label: str
    default_base_url: str
    uses_oauth: bool  # an OAuth token first (client id and secret), else the body names the sender


# ``core.destinations.DESTINATIONS``, in its order (a test keeps them in step).
DESTINATION_FACTS = {
    "conversions": DestinationFacts(
        "Conversions API (integration guide)", "https://api.criteo.com", uses_oauth=True
    ),
    "events": DestinationFacts("Events API (s2s)", "https://widget.criteo.com", uses_oauth=False),
}
DESTINATION_NAMES = tuple(DESTINATION_FACTS)
DEFAULT_DESTINATION = "conversions"  # CONVERSIONS.name


class UnknownDestination(KeyError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.message = (
            f"{name!r} is not a destination; choose one of: {', '.join(DESTINATION_NAMES)}."
        )

    def __str__(self) -> str:
        return self.message


def endpoint_path(destination: str, version: str) -> str:
    """The path (and query) after the base URL that a send to ``destination`` is POSTed to;
    each destination's ``endpoint_path`` is this."""
    if destination == DEFAULT_DESTINATION:
        return f"{version}/conversions"
    if destination == "events":
        return EVENTS_PATH
    raise UnknownDestination(destination)


def request_url(destination: str, base_url: str, version: str) -> str:
    """Where a send to ``destination`` is POSTed: the base URL as the client keeps it (without
    a trailing slash; an unsafe one as given, the client refuses it) and the destination's
    endpoint path. The same address as the senders' ``url``, without making a client (a test
    keeps them in step); UnknownDestination for a destination not in the table."""
    from criteo_console.core.base_url import UnsafeBaseURL, check_base_url

    path = endpoint_path(destination, version.strip().strip("/"))
    try:
        base = check_base_url(base_url)
    except UnsafeBaseURL:
        base = base_url
    return f"{base}/{path}"
