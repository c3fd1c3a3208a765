"""Round trips through the real OS secret store (Secret Service on a D-Bus session).

CI runs these inside ``dbus-run-session`` with an unlocked gnome-keyring (see ``.ci/run``).
Locally they skip when no Secret Service answers; with ``CI=true`` they fail instead,
because a skipped keyring test in CI proves nothing.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import keyring.backend
import pytest

from criteo_console.storage import KeyringSecretStore, Profile, ProfileStore, open_secret_store

pytestmark = pytest.mark.keyring_os
TEST_SERVICE = "TrackLayer Criteo Console (tests)"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run the real keyring tests, but {reason}")
    pytest.skip(reason)


@pytest.fixture
def secret_service() -> keyring.backend.KeyringBackend:
    if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
        _unavailable("no D-Bus session (run under dbus-run-session with gnome-keyring-daemon)")
    try:
        from keyring.backends.SecretService import Keyring
    except ImportError as exc:
        _unavailable(f"the Secret Service backend cannot load ({exc})")
    try:
        Keyring.priority  # noqa: B018 - raises when the Secret Service is unavailable
    except Exception as exc:
        _unavailable(f"no Secret Service answers on the session bus ({exc})")
    return Keyring()


@pytest.fixture
def store(secret_service: keyring.backend.KeyringBackend) -> KeyringSecretStore:
    chosen = open_secret_store(secret_service, service=TEST_SERVICE)
    assert isinstance(chosen, KeyringSecretStore), chosen.status
    return chosen


def test_real_store_is_chosen_and_reported(store: KeyringSecretStore) -> None:
    assert store.is_os_store
    assert "SecretService" in store.backend_name or "Secret" in store.backend_name
    assert store.status.state.value == "ok"


def test_set_get_delete_round_trip(store: KeyringSecretStore) -> None:
    key = uuid.uuid4().hex
    store.set(key, "Zk9+q&r=T secret ü")
    try:
        # A fresh store object reads it back: it really is in the OS store, not in memory.
        again = open_secret_store(store._backend, service=TEST_SERVICE)
        assert again.get(key) == "Zk9+q&r=T secret ü"
    finally:
        store.delete(key)
    assert open_secret_store(store._backend, service=TEST_SERVICE).get(key) is None


def test_profiles_keep_secrets_in_the_os_store_only(
    store: KeyringSecretStore, tmp_path: Path
) -> None:
    profiles = ProfileStore(store, tmp_path / "profiles.json")
    saved = profiles.add(
        Profile(name="OS", advertiser_id=1, client_id="c"), "os-roundtrip-secret-91"
    )
    assert saved is not None
    assert saved.is_os_store
    profile_id = profiles.get("OS").id
    try:
        reopened = ProfileStore(open_secret_store(store._backend, TEST_SERVICE), profiles.path)
        assert reopened.secret("OS").secret == "os-roundtrip-secret-91"
        assert b"os-roundtrip-secret-91" not in profiles.path.read_bytes()
    finally:
        profiles.delete("OS")
    assert store.get(profile_id) is None  # deleting the profile removed its secret


def test_default_detection_picks_the_os_store(
    secret_service: keyring.backend.KeyringBackend,
) -> None:
    detected = open_secret_store(service=TEST_SERVICE)
    assert detected.is_os_store, detected.status
