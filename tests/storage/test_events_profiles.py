"""Profiles that send to the Events API: saved, reloaded, validated, imported from .env; and
profiles saved before there was a choice still load as Conversions API profiles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from criteo_console.core.destinations import DestinationSettings
from criteo_console.storage import (
    EnvFileInvalid,
    KeyringSecretStore,
    Profile,
    ProfileInvalid,
    ProfileStore,
    read_env_file,
)

EVENTS = DestinationSettings(account="12345", mapping_key="caller-77", site_type="m")


def events_profile(**changes: object) -> Profile:
    profile = Profile(
        name="ACME events",
        advertiser_id=12345,
        client_id="",
        base_url="https://widget.criteo.com",
        destination="events",
        events=EVENTS,
    )
    return profile.with_changes(**changes)


def test_an_events_profile_survives_a_restart_without_a_secret(
    profiles: ProfileStore, home: Path, secrets: KeyringSecretStore
) -> None:
    profiles.add(events_profile())

    again = ProfileStore(secrets, home / "profiles.json").get("ACME events")
    assert again.destination == "events"
    assert again.events == EVENTS
    saved = json.loads((home / "profiles.json").read_text())
    entry = next(p for p in saved["profiles"] if p["name"] == "ACME events")
    assert entry["events"] == {"account": "12345", "mapping_key": "caller-77", "site_type": "m"}


def test_a_profile_saved_before_destinations_loads_as_conversions(
    home: Path, secrets: KeyringSecretStore
) -> None:
    home.mkdir(parents=True)
    (home / "profiles.json").write_text(
        json.dumps(
            {
                "format": 1,
                "profiles": [
                    {
                        "id": "abc",
                        "name": "Old",
                        "environment": "criteo",
                        "base_url": "https://api.criteo.com",
                        "api_version": "2023-07",
                        "advertiser_id": 4242,
                        "client_id": "old-client",
                        "event_names": {"purchase": "purchase"},
                    }
                ],
            }
        )
    )
    old = ProfileStore(secrets, home / "profiles.json").get("Old")
    assert old.destination == "conversions"
    assert old.events == DestinationSettings()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"events": DestinationSettings("", "caller-77")}, "account", "partner account"),
        ({"events": DestinationSettings("12a", "caller-77")}, "account", "whole positive number"),
        ({"events": DestinationSettings("12345", "")}, "mapping_key", "caller id"),
        ({"events": DestinationSettings("12345", "k", "tv")}, "site_type", "d (desktop)"),
        ({"base_url": "https://api.example.com"}, "base_url", "criteo.com or criteo.net"),
        ({"destination": "webhook"}, "destination", "conversions, events"),
    ],
)
def test_events_settings_are_named_plainly(
    profiles: ProfileStore, changes: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(ProfileInvalid) as caught:
        profiles.add(events_profile(**changes))
    problem = next(e for e in caught.value.errors if e.field == field)
    assert words in problem.message


def test_an_events_profile_needs_no_client_id_but_a_conversions_one_does(
    profiles: ProfileStore,
) -> None:
    profiles.add(events_profile())
    with pytest.raises(ProfileInvalid) as caught:
        profiles.add(events_profile(name="B", destination="conversions"))
    assert [e.field for e in caught.value.errors] == ["client_id"]


def test_env_file_with_only_an_account_and_caller_id_is_an_events_profile(
    tmp_path: Path, profiles: ProfileStore
) -> None:
    path = tmp_path / "acme.env"
    path.write_text("CRITEO_ACCOUNT_ID=12345\nCRITEO_CALLER_ID=caller-77\n", encoding="utf-8")

    result = profiles.import_env_file(path)

    profile = result.profile
    assert profile.destination == "events" and profile.advertiser_id == 12345
    assert profile.events == DestinationSettings("12345", "caller-77", "d")
    assert profile.base_url == "https://widget.criteo.com"
    assert not result.saved.is_os_store and "no client secret" in result.saved.message


def test_env_file_with_both_keeps_conversions_and_reads_the_events_settings(
    tmp_path: Path,
) -> None:
    path = tmp_path / "acme.env"
    path.write_text(
        "CRITEO_CLIENT_ID=acme\nCRITEO_CLIENT_SECRET=s3cret-value\nCRITEO_ADVERTISER_ID=42\n"
        "CRITEO_ACCOUNT_ID=12345\nCRITEO_CALLER_ID=caller-77\n",
        encoding="utf-8",
    )
    creds = read_env_file(path)
    assert creds.profile.destination == "conversions"
    assert creds.profile.events.account == "12345"
    assert creds.profile.advertiser_id == 42 and creds.secret == "s3cret-value"


def test_env_file_asking_for_events_names_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "acme.env"
    path.write_text("CRITEO_DESTINATION=events\nCRITEO_ACCOUNT_ID=12x\n", encoding="utf-8")
    with pytest.raises(EnvFileInvalid) as caught:
        read_env_file(path)
    fields = {e.field for e in caught.value.errors}
    assert fields == {"CRITEO_CALLER_ID", "CRITEO_ACCOUNT_ID"}


def test_env_file_with_an_unknown_destination(tmp_path: Path) -> None:
    path = tmp_path / "acme.env"
    path.write_text("CRITEO_DESTINATION=webhook\n", encoding="utf-8")
    with pytest.raises(EnvFileInvalid) as caught:
        read_env_file(path)
    assert caught.value.errors[0].field == "CRITEO_DESTINATION"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"destination": 7}, "destination"),
        ({"events": ["12345"]}, "events"),
        ({"events": {"account": 12345, "mapping_key": "caller-77"}}, "events.account"),
        (
            {"events": {"account": "12345", "mapping_key": None, "site_type": True}},
            "events.site_type",
        ),
    ],
)
def test_a_hand_edited_destination_of_the_wrong_type_is_named_not_converted(
    changes: dict[str, object], field: str
) -> None:
    data = {**events_profile().to_json(), **changes}
    with pytest.raises(ProfileInvalid) as caught:
        Profile.from_json(data)
    assert field in [error.field for error in caught.value.errors]


def test_a_missing_or_null_events_block_reads_as_the_defaults() -> None:
    data = events_profile().to_json()
    data["events"] = None
    assert Profile.from_json(data).events == DestinationSettings()
    del data["events"], data["destination"]
    assert Profile.from_json(data).destination == "conversions"
