"""An advertiser profile and its field-by-field validation (no I/O)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, cast
from urllib.parse import urlsplit

from criteo_console.core.base_url import UnsafeBaseURL, check_base_url
from criteo_console.core.destination_settings import DEFAULT_DESTINATION, DestinationSettings
from criteo_console.core.hosts import is_loopback_host

if TYPE_CHECKING:
    from criteo_console.core.order import ProfileContext

Environment = Literal["sandbox", "criteo"]
ENVIRONMENTS: tuple[Environment, ...] = ("sandbox", "criteo")

CRITEO_BASE_URL = "https://api.criteo.com"
# The embedded sandbox listens on a free loopback port chosen at start-up; the app swaps
# this placeholder for the real ``http://127.0.0.1:<port>`` when it resolves the profile.
SANDBOX_BASE_URL = "sandbox://embedded"
SANDBOX_CLIENT_ID = "sandbox-client"
SANDBOX_ADVERTISER_ID = 1234567
SANDBOX_PROFILE_NAME = "Sandbox"
DEFAULT_API_VERSION = "2023-07"
DEFAULT_EVENT_NAMES: Mapping[str, str] = {"purchase": "purchase"}

_VERSION_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return self.message


class ProfileInvalid(ValueError):
    """One or more fields are wrong; ``errors`` names each field with a plain message."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class Profile:
    name: str
    advertiser_id: int
    client_id: str
    environment: Environment = "criteo"
    base_url: str = CRITEO_BASE_URL
    api_version: str = DEFAULT_API_VERSION
    event_names: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_EVENT_NAMES))
    # Stable key for the secret store, so a rename never has to move the secret.
    id: str = field(default_factory=lambda: _new_id())
    # Where sends go (core.destinations); profiles saved before there was a choice are
    # "conversions". ``events`` holds the Events API's account, caller id and site type.
    destination: str = DEFAULT_DESTINATION
    events: DestinationSettings = field(default_factory=DestinationSettings)

    @property
    def uses_embedded_sandbox(self) -> bool:
        return self.base_url == SANDBOX_BASE_URL

    def context(self) -> ProfileContext:
        """What this profile adds to an order: its advertiser, event names, destination and
        that destination's settings (the order rules load here, not with the profile)."""
        from criteo_console.core.order import ProfileContext

        return ProfileContext(
            advertiser_id=self.advertiser_id,
            event_names=dict(self.event_names),
            destination=self.destination,
            settings=self.events,
        )

    def with_changes(self, **changes: Any) -> Profile:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "environment": self.environment,
            "base_url": self.base_url,
            "api_version": self.api_version,
            "advertiser_id": self.advertiser_id,
            "client_id": self.client_id,
            "event_names": dict(self.event_names),
            "destination": self.destination,
            "events": {
                "account": self.events.account,
                "mapping_key": self.events.mapping_key,
                "site_type": self.events.site_type,
            },
        }

    @classmethod
    def from_json(cls, data: object) -> Profile:
        """A profile read from the settings file or an export; raises :class:`ProfileInvalid`
        naming each field that has the wrong type (never a silent conversion: a hand-edited
        ``1234567.9`` is refused, not truncated)."""
        if not isinstance(data, Mapping):
            raise ProfileInvalid([FieldError("profile", f"it is {json_kind(data)}, not an object")])
        errors: list[FieldError] = []

        def text(name: str, default: str | None = None) -> str:
            value = data.get(name, default)
            if isinstance(value, str):
                return value
            problem = "is missing" if value is None else f"must be text, not {json_kind(value)}"
            errors.append(FieldError(name, f"{name} {problem}"))
            return ""

        name = text("name")
        env = text("environment", "criteo")
        if env and env not in ENVIRONMENTS:
            errors.append(FieldError("environment", "environment must be 'sandbox' or 'criteo'"))
        advertiser_id = _whole_number(data.get("advertiser_id"), errors)
        event_names = data.get("event_names") or dict(DEFAULT_EVENT_NAMES)
        if not isinstance(event_names, Mapping) or not all(
            isinstance(v, str) for v in event_names.values()
        ):
            errors.append(
                FieldError("event_names", "event_names must map event names to text names")
            )
            event_names = {}
        destination = data.get("destination") or DEFAULT_DESTINATION
        if not isinstance(destination, str):
            errors.append(
                FieldError("destination", f"destination must be text, not {json_kind(destination)}")
            )
            destination = DEFAULT_DESTINATION
        profile_id = data.get("id") or _new_id()
        if not isinstance(profile_id, str):
            errors.append(FieldError("id", f"id must be text, not {json_kind(profile_id)}"))
        profile = cls(
            id=str(profile_id),
            name=name,
            environment=cast(Environment, env),
            base_url=text("base_url", CRITEO_BASE_URL),
            api_version=text("api_version", DEFAULT_API_VERSION),
            advertiser_id=advertiser_id,
            client_id=text("client_id", ""),
            event_names={str(k): v for k, v in event_names.items()},
            destination=destination,
            events=_events_settings(data.get("events"), errors),
        )
        if errors:
            raise ProfileInvalid(errors)
        return profile


def json_kind(value: object) -> str:
    """What a JSON value is, in words ("null", "a string", "1234567.9")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    return "an object" if isinstance(value, Mapping) else type(value).__name__


def _whole_number(value: object, errors: list[FieldError]) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 10**18:
        return value
    if isinstance(value, str):
        number, _problem = parse_advertiser_id(value)
        if number is not None:
            return number
    if value is None:
        errors.append(FieldError("advertiser_id", "advertiser_id is missing"))
    else:
        errors.append(
            FieldError(
                "advertiser_id",
                "advertiser_id must be a positive whole number like 1234567, "
                f"not {json_kind(value)}",
            )
        )
    return 0


def _events_settings(raw: object, errors: list[FieldError]) -> DestinationSettings:
    """The Events API settings: absent is the defaults; each value present must be text
    (never a silent conversion, as for every other field)."""
    if raw is None:
        return DestinationSettings()
    if not isinstance(raw, Mapping):
        errors.append(FieldError("events", f"events must be an object, not {json_kind(raw)}"))
        return DestinationSettings()
    defaults = DestinationSettings()
    values: dict[str, str] = {}
    for name in ("account", "mapping_key", "site_type"):
        value = raw.get(name)
        if value is None or value == "":
            values[name] = str(getattr(defaults, name))
        elif isinstance(value, str):
            values[name] = value
        else:
            errors.append(
                FieldError(f"events.{name}", f"events.{name} must be text, not {json_kind(value)}")
            )
            values[name] = str(getattr(defaults, name))
    return DestinationSettings(**values)


def sandbox_profile() -> Profile:
    return Profile(
        name=SANDBOX_PROFILE_NAME,
        environment="sandbox",
        base_url=SANDBOX_BASE_URL,
        advertiser_id=SANDBOX_ADVERTISER_ID,
        client_id=SANDBOX_CLIENT_ID,
    )


def validate_base_url(url: str, environment: str) -> str | None:
    """The client's own rule (:func:`check_base_url`), plus: a sandbox profile stays on this
    computer."""
    if environment == "sandbox" and url == SANDBOX_BASE_URL:
        return None
    if environment == "sandbox":
        try:
            host = urlsplit(url.strip()).hostname
        except ValueError:
            host = None
        if host and not is_loopback_host(host):
            # A "sandbox" profile must never reach a real server: the console skips the
            # real-conversion confirmation for sandbox profiles.
            return (
                "A sandbox profile only talks to a sandbox on this computer (127.0.0.1 or "
                "localhost). For Criteo, set the environment to Criteo."
            )
    try:
        check_base_url(url)
    except UnsafeBaseURL as exc:
        return str(exc)
    return None


def parse_advertiser_id(raw: object) -> tuple[int | None, str | None]:
    text = str(raw).strip()
    # isdigit() accepts "²" and other digits int() cannot read: ASCII digits only.
    if not (text.isascii() and text.isdecimal()) or len(text) > 18 or int(text) <= 0:
        return None, f"Advertiser ID must be a whole number like 1234567; got {text!r}."
    return int(text), None


def validate_profile(profile: Profile, other_names: Iterable[str] = ()) -> list[FieldError]:
    """Every problem with the profile, each naming its field; empty when it is fine."""
    errors: list[FieldError] = []
    name = profile.name.strip()
    if not name:
        errors.append(FieldError("name", "Profile name is empty."))
    elif name.casefold() in {n.strip().casefold() for n in other_names}:
        errors.append(FieldError("name", f"A profile named {name!r} already exists."))
    if profile.environment not in ENVIRONMENTS:
        errors.append(FieldError("environment", "Environment must be 'sandbox' or 'criteo'."))
    url_problem = validate_base_url(profile.base_url, profile.environment)
    if url_problem:
        errors.append(FieldError("base_url", url_problem))
    if not _VERSION_RE.match(profile.api_version):
        errors.append(FieldError("api_version", "API version must look like 2023-07 (year-month)."))
    if isinstance(profile.advertiser_id, bool) or not isinstance(profile.advertiser_id, int):
        errors.append(FieldError("advertiser_id", "Advertiser ID must be a whole number."))
    elif profile.advertiser_id <= 0:
        errors.append(FieldError("advertiser_id", "Advertiser ID must be a positive whole number."))
    errors.extend(_destination_errors(profile))
    for canonical, criteo_name in profile.event_names.items():
        if not criteo_name.strip():
            errors.append(
                FieldError("event_names", f"The Criteo event name for {canonical!r} is empty.")
            )
    return errors


def _destination_errors(profile: Profile) -> list[FieldError]:
    """What the profile's destination needs: the OAuth client id, or (Events API) the
    account, caller id and site type, read by the same rules as an order's."""
    # The rules load on the first validation, not to read the settings file (start-up time).
    from criteo_console.core.destinations import UnknownDestination, get_destination
    from criteo_console.core.order import ProfileContext

    try:
        destination = get_destination(profile.destination)
    except UnknownDestination as exc:
        return [FieldError("destination", exc.message)]
    errors: list[FieldError] = []
    if destination.uses_oauth:
        if not profile.client_id.strip():
            errors.append(FieldError("client_id", "Client ID is empty."))
        return errors
    context = ProfileContext(
        advertiser_id=profile.advertiser_id,
        destination=destination.name,
        settings=profile.events,
    )
    errors.extend(FieldError(i.field, i.message) for i in destination.read_account(context)[1])
    if profile.environment == "criteo":
        problem = destination.base_url_problem(profile.base_url)
        if problem:
            errors.append(FieldError("base_url", problem))
    return errors


def _new_id() -> str:
    """A profile's stable key in the OS secret store."""
    import uuid  # not at start-up: it imports ``platform`` (~3 ms)

    return uuid.uuid4().hex
