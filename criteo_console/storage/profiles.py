"""The list of advertiser profiles: a JSON settings file plus secrets in the secret store.

The settings file never holds a secret. It does record, per profile, which store was asked
to keep the secret, so that a later "not found" from a locked keyring is reported as
"possibly locked" rather than "no secret saved".
"""

from __future__ import annotations

import contextlib
import enum
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from criteo_console.storage.envfile import PLAINTEXT_NOTICE, read_env_file
from criteo_console.storage.faults import StorageFault
from criteo_console.storage.files import atomic_write_text, ensure_private_dir, make_private
from criteo_console.storage.paths import StoragePaths
from criteo_console.storage.profile_model import (
    FieldError,
    Profile,
    ProfileInvalid,
    json_kind,
    sandbox_profile,
    validate_profile,
)
from criteo_console.storage.secrets import (
    POSSIBLY_LOCKED_MESSAGE,
    SecretStore,
    SecretStoreLocked,
    StoreState,
)

SETTINGS_FORMAT = 1


class ProfileNotFound(KeyError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.message = f"There is no profile named {name!r}."

    def __str__(self) -> str:
        return self.message


class SettingsUnreadable(Exception):
    """The settings file exists but is not valid; it is left untouched."""


class SecretState(enum.Enum):
    FOUND = "found"
    MISSING = "missing"
    POSSIBLY_LOCKED = "possibly-locked"
    FORGOTTEN = "forgotten"  # kept for a previous session only


@dataclass(frozen=True)
class SecretLookup:
    secret: str | None
    state: SecretState
    message: str


@dataclass(frozen=True)
class SavedSecret:
    """Where a secret just went, said plainly for the user."""

    backend_name: str
    is_os_store: bool
    message: str


# An Events API profile from a .env without a client secret: nothing was stored.
NO_SECRET = SavedSecret("none", False, "This profile needs no client secret (Events API).")


@dataclass(frozen=True)
class EnvImport:
    profile: Profile
    saved: SavedSecret
    notice: str


class ProfileStore:
    """Profiles in ``profiles.json``; thread-safe; a sandbox profile exists on first run."""

    def __init__(self, secrets: SecretStore, settings_file: Path | None = None) -> None:
        self._secrets = secrets
        self._path = settings_file or StoragePaths.resolve().settings_file
        self._lock = threading.RLock()
        self._profiles: list[Profile] = []
        self._secret_homes: dict[str, str] = {}
        self._load()

    @property
    def path(self) -> Path:
        return self._path

    @property
    def secrets(self) -> SecretStore:
        return self._secrets

    # -- reading -------------------------------------------------------------------------

    def all(self) -> list[Profile]:
        with self._lock:
            return list(self._profiles)

    def names(self) -> list[str]:
        return [p.name for p in self.all()]

    def get(self, name: str) -> Profile:
        with self._lock:
            for profile in self._profiles:
                if profile.name == name:
                    return profile
            for profile in self._profiles:
                if profile.name.casefold() == name.strip().casefold():
                    return profile
        raise ProfileNotFound(name)

    def secret(self, name: str) -> SecretLookup:
        profile = self.get(name)
        home = self._secret_homes.get(profile.id)
        try:
            value = self._secrets.get(profile.id)
        except SecretStoreLocked:
            return SecretLookup(None, SecretState.POSSIBLY_LOCKED, POSSIBLY_LOCKED_MESSAGE)
        if value is not None:
            return SecretLookup(value, SecretState.FOUND, "")
        if home == "session":
            return SecretLookup(
                None,
                SecretState.FORGOTTEN,
                "The secret was kept only for a previous session. Enter it again.",
            )
        if home is not None and self._secrets.is_os_store:
            # We saved it there, the store now says "not found": most likely locked.
            return SecretLookup(None, SecretState.POSSIBLY_LOCKED, POSSIBLY_LOCKED_MESSAGE)
        return SecretLookup(None, SecretState.MISSING, "No secret is saved for this profile.")

    def export(self, name: str) -> str:
        """The profile as JSON for another machine: every field except the secret."""
        data = self.get(name).to_json()
        data.pop("id")
        return json.dumps({"criteo_console_profile": 1, **data}, indent=2) + "\n"

    # -- changing ------------------------------------------------------------------------

    def add(self, profile: Profile, secret: str | None = None) -> SavedSecret | None:
        saved: SavedSecret | None = None
        try:
            with self._changing():
                self._check(profile, exclude=None)
                self._profiles.append(profile)
                saved = self._store_secret(profile, secret) if secret else None
        except BaseException:
            if saved is not None:  # the profile was not added: its secret must not stay
                with contextlib.suppress(Exception):
                    self._secrets.delete(profile.id)
            raise
        return saved

    def update(self, name: str, profile: Profile) -> Profile:
        """Replace the fields of ``name`` (the id is kept so the secret stays attached)."""
        with self._changing():
            old = self.get(name)
            new = profile.with_changes(id=old.id)
            self._check(new, exclude=old)
            self._profiles[self._profiles.index(old)] = new
            return new

    def set_secret(self, name: str, secret: str) -> SavedSecret:
        with self._changing():
            return self._store_secret(self.get(name), secret)

    def rename(self, name: str, new_name: str) -> Profile:
        return self.update(name, self.get(name).with_changes(name=new_name.strip()))

    def duplicate(self, name: str, new_name: str) -> Profile:
        """A copy under a new name, with its own copy of the secret (if one is readable)."""
        with self._lock:
            source = self.get(name)
            copy = Profile.from_json({**source.to_json(), "id": None, "name": new_name.strip()})
            lookup = self.secret(name)
            self.add(copy, lookup.secret)
            return copy

    def delete(self, name: str) -> None:
        """Remove the profile, then its secret (a file that cannot be saved keeps both)."""
        with self._lock:
            profile = self.get(name)
            with self._changing():
                self._profiles.remove(profile)
                self._secret_homes.pop(profile.id, None)
            self._secrets.delete(profile.id)

    def import_env_file(self, path: Path, name: str | None = None) -> EnvImport:
        creds = read_env_file(path, name)
        saved = self.add(creds.profile, creds.secret) or NO_SECRET
        return EnvImport(creds.profile, saved, PLAINTEXT_NOTICE.format(path=path))

    def import_exported(self, text: str, name: str | None = None) -> Profile:
        """Add a profile from :meth:`export` output (it has no secret: set one afterwards)."""
        try:
            data = json.loads(text)
            profile = Profile.from_json({**data, "id": None, "name": name or data["name"]})
        except (ValueError, KeyError, TypeError) as exc:
            raise ProfileInvalid(
                [FieldError("file", f"This is not a profile export ({type(exc).__name__}).")]
            ) from None
        self.add(profile)
        return profile

    # -- internals -----------------------------------------------------------------------

    def _check(self, profile: Profile, exclude: Profile | None) -> None:
        others = [p.name for p in self._profiles if p is not exclude]
        errors = validate_profile(profile, others)
        if errors:
            raise ProfileInvalid(errors)

    def _store_secret(self, profile: Profile, secret: str) -> SavedSecret:
        self._secrets.set(profile.id, secret)
        status = self._secrets.status
        kept_in_os = self._secrets.is_os_store and status.state is StoreState.OK
        self._secret_homes[profile.id] = self._secrets.backend_name if kept_in_os else "session"
        if kept_in_os:
            message = f"The secret is saved in {self._secrets.backend_name}."
        else:
            message = status.message
        return SavedSecret(self._secrets.backend_name, kept_in_os, message)

    @contextlib.contextmanager
    def _changing(self) -> Iterator[None]:
        """Change the list in memory, then save it; if saving fails (disk full, read-only
        folder) the list is as it was and the error says so plainly."""
        with self._lock:
            profiles, homes = list(self._profiles), dict(self._secret_homes)
            try:
                yield
                self._save()
            except BaseException:
                self._profiles, self._secret_homes = profiles, homes
                raise

    def _load(self) -> None:
        if not self._path.exists():
            self._profiles = [sandbox_profile()]
            # A first run in a read-only folder still starts (with the sandbox profile); the
            # first change then says why it cannot be saved.
            with contextlib.suppress(StorageFault):
                self._save()
            return
        self._profiles, self._secret_homes = read_settings(self._path)
        # Made by an earlier version with wider modes: this user only, from now on.
        with contextlib.suppress(OSError):
            ensure_private_dir(self._path.parent)
            make_private(self._path)

    def _save(self) -> None:
        data = {
            "format": SETTINGS_FORMAT,
            "profiles": [p.to_json() for p in self._profiles],
            # Which store holds each profile's secret (a name, never the secret).
            "secrets": dict(self._secret_homes),
        }
        try:
            atomic_write_text(self._path, json.dumps(data, indent=2, sort_keys=True) + "\n")
        except OSError as exc:
            what = f"The profiles file {self._path}"
            raise StorageFault.from_os_error(exc, what, self._path, "saved") from None


def read_settings(path: Path) -> tuple[list[Profile], dict[str, str]]:
    """The profiles and secret homes in ``path``; :class:`SettingsUnreadable` says in one line
    what is wrong (the file is never changed)."""

    def unusable(problem: str) -> SettingsUnreadable:
        return SettingsUnreadable(
            f"The profiles file {path} cannot be used: {problem}. It was left as it is: fix "
            "it, or move it away to start with a fresh list."
        )

    try:
        raw = path.read_bytes()
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise unusable(f"it cannot be read ({reason})") from None
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise unusable("it is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise unusable(f"it is not JSON (line {exc.lineno}, column {exc.colno})") from None
    if not isinstance(data, dict):
        raise unusable(f'it holds {json_kind(data)} instead of an object with a "profiles" list')
    items = data.get("profiles")
    if not isinstance(items, list):
        problem = "missing" if items is None else f"{json_kind(items)}, not a list"
        raise unusable(f'its "profiles" entry is {problem}')
    profiles: list[Profile] = []
    for number, item in enumerate(items, start=1):
        try:
            profiles.append(Profile.from_json(item))
        except ProfileInvalid as exc:
            label = repr(item["name"]) if isinstance(item, dict) and "name" in item else ""
            which = f"profile {number}{f' ({label})' if label else ''}"
            raise unusable(f"{which}: {'; '.join(e.message for e in exc.errors)}") from None
    homes = data.get("secrets", {})
    if not isinstance(homes, dict):
        raise unusable(f'its "secrets" entry is {json_kind(homes)}, not an object')
    return profiles, {str(k): str(v) for k, v in homes.items()}
