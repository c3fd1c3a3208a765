"""Read Criteo credentials from a ``.env`` file or from the process environment.

Error messages name the line and the variable but never echo a value: the file holds the
client secret in plain text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from criteo_console.core.destination_settings import DEFAULT_DESTINATION, DestinationSettings
from criteo_console.storage.profile_model import (
    CRITEO_BASE_URL,
    DEFAULT_API_VERSION,
    FieldError,
    Profile,
    ProfileInvalid,
    parse_advertiser_id,
    validate_profile,
)

CLIENT_ID = "CRITEO_CLIENT_ID"
CLIENT_SECRET = "CRITEO_CLIENT_SECRET"
ADVERTISER_ID = "CRITEO_ADVERTISER_ID"
BASE_URL = "CRITEO_BASE_URL"  # optional
API_VERSION = "CRITEO_API_VERSION"  # optional
# The Events API (optional; read when present): partner account, caller id, site type, and
# which destination the profile sends to (default: events when there is no client id/secret).
ACCOUNT_ID = "CRITEO_ACCOUNT_ID"
CALLER_ID = "CRITEO_CALLER_ID"
SITE_TYPE = "CRITEO_SITE_TYPE"
DESTINATION = "CRITEO_DESTINATION"
REQUIRED = (CLIENT_ID, CLIENT_SECRET, ADVERTISER_ID)
EVENTS_REQUIRED = (ACCOUNT_ID, CALLER_ID)

PLAINTEXT_NOTICE = (
    "{path} still holds the client secret in plain text. "
    "Delete that file or move it somewhere safe."
)

_KEY_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class EnvFileInvalid(ProfileInvalid):
    """The file or environment could not be turned into a profile; see ``errors``."""


@dataclass(frozen=True)
class Credentials:
    profile: Profile
    secret: str


def parse_env_text(text: str) -> tuple[dict[str, str], list[FieldError]]:
    """``KEY=value`` lines; ``#`` comments, ``export`` prefix, single/double quotes."""
    values: dict[str, str] = {}
    errors: list[FieldError] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export ") or line.startswith("export\t"):
            line = line[len("export") :].lstrip()
        key, sep, rest = line.partition("=")
        key = key.strip()
        if not sep or not _KEY_RE.fullmatch(key):
            errors.append(FieldError(f"line {number}", f"Line {number}: expected NAME=value."))
            continue
        value, problem = _parse_value(rest.strip())
        if problem:
            errors.append(FieldError(key, f"Line {number} ({key}): {problem}"))
            continue
        values[key] = value
    return values, errors


def _parse_value(rest: str) -> tuple[str, str | None]:
    if not rest:
        return "", None
    quote = rest[0]
    if quote not in "\"'":
        # An unquoted value ends at " #" (inline comment); '#' inside a value is kept.
        return re.split(r"\s+#", rest, maxsplit=1)[0].rstrip(), None
    out: list[str] = []
    i = 1
    while i < len(rest):
        ch = rest[i]
        if quote == '"' and ch == "\\" and i + 1 < len(rest):
            nxt = rest[i + 1]
            out.append({"n": "\n", "t": "\t"}.get(nxt, nxt))
            i += 2
            continue
        if ch == quote:
            tail = rest[i + 1 :].strip()
            if tail and not tail.startswith("#"):
                return "", "unexpected text after the closing quote."
            return "".join(out), None
        out.append(ch)
        i += 1
    return "", "the quote is never closed."


def credentials_from_values(values: Mapping[str, str], name: str) -> Credentials:
    def given(key: str) -> str:
        return values.get(key, "").strip()

    # The destination rules load when an env file is read, not with the profiles.
    from criteo_console.core.destinations import UnknownDestination, get_destination

    destination = given(DESTINATION) or _implied_destination(values)
    try:
        uses_oauth = get_destination(destination).uses_oauth
    except UnknownDestination as exc:
        raise EnvFileInvalid([FieldError(DESTINATION, f"{DESTINATION}: {exc.message}")]) from None
    required = REQUIRED if uses_oauth else EVENTS_REQUIRED
    errors: list[FieldError] = []
    for key in required:
        if not given(key):
            errors.append(FieldError(key, f"{key} is missing or empty."))
    advertiser_id: int | None = None
    # An Events API profile's advertiser is its partner account unless both are given.
    advertiser_key = ADVERTISER_ID if uses_oauth or given(ADVERTISER_ID) else ACCOUNT_ID
    if given(advertiser_key):
        advertiser_id, problem = parse_advertiser_id(values[advertiser_key])
        if problem:
            errors.append(FieldError(advertiser_key, f"{advertiser_key}: {problem}"))
    if errors:
        raise EnvFileInvalid(errors)
    assert advertiser_id is not None
    default_url = CRITEO_BASE_URL if uses_oauth else get_destination(destination).default_base_url
    profile = Profile(
        name=name,
        environment="criteo",
        base_url=given(BASE_URL) or default_url,
        api_version=given(API_VERSION) or DEFAULT_API_VERSION,
        advertiser_id=advertiser_id,
        client_id=given(CLIENT_ID),
        destination=destination,
        events=DestinationSettings(
            account=given(ACCOUNT_ID),
            mapping_key=given(CALLER_ID),
            site_type=given(SITE_TYPE) or DestinationSettings().site_type,
        ),
    )
    field_errors = validate_profile(profile)
    if field_errors:
        raise EnvFileInvalid(field_errors)
    return Credentials(profile, values.get(CLIENT_SECRET, ""))


def _implied_destination(values: Mapping[str, str]) -> str:
    """Events API when the file names an account and caller id but no OAuth client."""
    has_client = any(values.get(k, "").strip() for k in (CLIENT_ID, CLIENT_SECRET))
    has_events = all(values.get(k, "").strip() for k in EVENTS_REQUIRED)
    return "events" if has_events and not has_client else DEFAULT_DESTINATION


def read_env_file(path: Path, name: str | None = None) -> Credentials:
    """Parse a ``.env`` file; the profile is named after the file unless ``name`` is given."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise EnvFileInvalid([FieldError("file", f"{path.name} is not a text file.")]) from None
    except OSError as exc:  # unreadable (permissions), a folder, gone meanwhile
        reason = (exc.strerror or type(exc).__name__).lower()
        raise EnvFileInvalid(
            [FieldError("file", f"{path.name} cannot be read ({reason}).")]
        ) from None
    values, errors = parse_env_text(text)
    if errors:
        raise EnvFileInvalid(errors)
    default_name = path.stem if path.stem and path.stem != ".env" else path.parent.name
    return credentials_from_values(values, name or default_name or "Imported")


def credentials_from_environment(
    environ: Mapping[str, str] | None = None, name: str = "environment"
) -> Credentials:
    """The headless path: a profile held in memory only, built from ``CRITEO_*`` variables."""
    return credentials_from_values(os.environ if environ is None else environ, name)
