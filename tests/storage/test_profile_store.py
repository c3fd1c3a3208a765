from __future__ import annotations

import json
from pathlib import Path

import pytest

from criteo_console.storage import (
    InMemoryKeyring,
    KeyringSecretStore,
    Profile,
    ProfileInvalid,
    ProfileNotFound,
    ProfileStore,
    SecretState,
    SettingsUnreadable,
    StoragePaths,
)
from criteo_console.storage.profile_model import SANDBOX_BASE_URL


def _acme(**changes: object) -> Profile:
    base = Profile(name="ACME", advertiser_id=4242, client_id="acme-client")
    return base.with_changes(**changes)


def test_first_run_has_a_sandbox_profile(profiles: ProfileStore) -> None:
    (sandbox,) = profiles.all()
    assert sandbox.name == "Sandbox"
    assert sandbox.environment == "sandbox"
    assert sandbox.base_url == SANDBOX_BASE_URL
    assert sandbox.uses_embedded_sandbox
    assert sandbox.client_id == "sandbox-client"
    assert profiles.path.exists()


def test_home_env_var_locates_settings_and_log(home: Path) -> None:
    paths = StoragePaths.resolve()
    assert paths.settings_file == home / "profiles.json"
    assert paths.log_file == home / "event-log.sqlite3"


def test_profiles_survive_a_restart_and_secret_stays_out_of_the_file(
    home: Path, secrets: KeyringSecretStore, profiles: ProfileStore
) -> None:
    profiles.add(_acme(event_names={"purchase": "sale"}), "s3cr3t-value")
    reopened = ProfileStore(secrets, profiles.path)
    acme = reopened.get("ACME")
    assert acme.advertiser_id == 4242
    assert acme.event_names == {"purchase": "sale"}
    assert reopened.secret("ACME").secret == "s3cr3t-value"
    assert b"s3cr3t-value" not in profiles.path.read_bytes()


def test_rename_keeps_the_secret(profiles: ProfileStore) -> None:
    profiles.add(_acme(), "abc123")
    profiles.rename("ACME", "ACME EU")
    assert profiles.secret("ACME EU").secret == "abc123"
    with pytest.raises(ProfileNotFound):
        profiles.get("ACME")


def test_duplicate_copies_fields_and_secret_under_a_new_name(profiles: ProfileStore) -> None:
    profiles.add(_acme(), "abc123")
    copy = profiles.duplicate("ACME", "ACME copy")
    assert copy.advertiser_id == 4242
    assert copy.id != profiles.get("ACME").id
    assert profiles.secret("ACME copy").secret == "abc123"
    profiles.delete("ACME")
    assert profiles.secret("ACME copy").secret == "abc123"


def test_delete_removes_the_secret(
    profiles: ProfileStore, keyring_backend: InMemoryKeyring
) -> None:
    profiles.add(_acme(), "abc123")
    assert keyring_backend.passwords
    profiles.delete("ACME")
    assert keyring_backend.passwords == {}
    assert "ACME" not in profiles.names()


def test_export_has_every_field_but_not_the_secret(profiles: ProfileStore) -> None:
    profiles.add(_acme(api_version="2024-01"), "do-not-export-me")
    text = profiles.export("ACME")
    data = json.loads(text)
    assert data["advertiser_id"] == 4242
    assert data["api_version"] == "2024-01"
    assert data["client_id"] == "acme-client"
    assert "do-not-export-me" not in text
    assert "secret" not in text.lower()
    profiles.delete("ACME")
    assert profiles.import_exported(text).advertiser_id == 4242


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": "  "}, "name", "empty"),
        ({"name": "sandbox"}, "name", "already exists"),
        ({"base_url": "http://api.criteo.com"}, "base_url", "https://"),
        ({"base_url": "nonsense"}, "base_url", "is not a web address"),
        # The client's own rule (send refuses these), applied when the profile is saved.
        ({"base_url": "http://user:pw@127.0.0.1:8787"}, "base_url", "user name or password"),
        ({"base_url": "https://me@api.criteo.com"}, "base_url", "user name or password"),
        ({"base_url": "https://api.criteo.com/?x=1"}, "base_url", "'?' or '#'"),
        ({"base_url": "https://api.criteo.com/#top"}, "base_url", "'?' or '#'"),
        ({"advertiser_id": 0}, "advertiser_id", "positive"),
        ({"advertiser_id": -5}, "advertiser_id", "positive"),
        ({"api_version": "2023-7"}, "api_version", "2023-07"),
        ({"api_version": "2023-13"}, "api_version", "2023-07"),
        ({"client_id": ""}, "client_id", "empty"),
        ({"advertiser_id": "12³"}, "advertiser_id", "whole number"),
        ({"advertiser_id": "１２３"}, "advertiser_id", "whole number"),
        (
            {"environment": "sandbox", "base_url": "https://api.criteo.com"},
            "base_url",
            "only talks to a sandbox on this computer",
        ),
    ],
)
def test_invalid_fields_are_named_plainly(
    profiles: ProfileStore, changes: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(ProfileInvalid) as caught:
        profiles.add(_acme(**changes))
    assert [e.field for e in caught.value.errors] == [field]
    assert words in caught.value.errors[0].message
    assert profiles.names() == ["Sandbox"]


@pytest.mark.parametrize("url", ["http://127.0.0.1:8787", "http://localhost:9", "http://[::1]:1"])
def test_plain_http_is_allowed_only_for_loopback(profiles: ProfileStore, url: str) -> None:
    profiles.add(_acme(base_url=url))
    assert profiles.get("ACME").base_url == url


def test_rename_onto_an_existing_name_is_refused(profiles: ProfileStore) -> None:
    profiles.add(_acme())
    with pytest.raises(ProfileInvalid, match="already exists"):
        profiles.rename("ACME", "Sandbox")


def test_missing_secret_is_reported_as_missing(profiles: ProfileStore) -> None:
    profiles.add(_acme())
    lookup = profiles.secret("ACME")
    assert lookup.secret is None
    assert lookup.state is SecretState.MISSING


def test_broken_settings_file_is_reported_and_left_untouched(home: Path) -> None:
    home.mkdir()
    path = home / "profiles.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(SettingsUnreadable, match=r"cannot be used: it is not JSON \(line 1"):
        ProfileStore(KeyringSecretStore(InMemoryKeyring()), path)
    assert path.read_text(encoding="utf-8") == "{not json"
