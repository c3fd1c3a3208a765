"""The report signing key: made once, kept in the OS store, never overwritten when locked."""

from __future__ import annotations

import keyring.errors

from criteo_console.core.report.signing import fingerprint, private_to_text
from criteo_console.storage.report_key import (
    KEY_NAME,
    LOCKED_NOTE,
    OS_STORE,
    SESSION_ONLY,
    signing_key,
)
from criteo_console.storage.secrets import (
    SERVICE_NAME,
    InMemoryKeyring,
    KeyringSecretStore,
    SessionSecretStore,
)


def _os_store(backend: InMemoryKeyring) -> KeyringSecretStore:
    store = KeyringSecretStore(backend)
    store.is_os_store = True  # behave as the real OS store would
    return store


def test_the_key_is_made_on_first_use_and_the_same_one_comes_back() -> None:
    backend = InMemoryKeyring()

    first = signing_key(_os_store(backend))
    again = signing_key(_os_store(backend))

    assert first.kept == OS_STORE and first.note == ""
    assert fingerprint(first.public_raw) == fingerprint(again.public_raw)
    assert backend.passwords[(SERVICE_NAME, KEY_NAME)] == private_to_text(first.private)


def test_without_an_os_store_the_key_is_for_this_session_and_says_so() -> None:
    store = SessionSecretStore()

    first, again = signing_key(store), signing_key(store)

    assert first.kept == SESSION_ONLY and "only for this session" in first.note
    assert first.public_raw == again.public_raw  # one key for the whole session


def test_a_locked_store_never_has_its_saved_key_replaced() -> None:
    class LockedKeyring(InMemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    backend = LockedKeyring()
    backend.passwords[(SERVICE_NAME, KEY_NAME)] = "the saved key"

    key = signing_key(_os_store(backend))

    assert (key.kept, key.note) == (SESSION_ONLY, LOCKED_NOTE)
    assert backend.passwords[(SERVICE_NAME, KEY_NAME)] == "the saved key"


def test_a_damaged_saved_key_is_replaced_by_a_new_one() -> None:
    backend = InMemoryKeyring()
    backend.passwords[(SERVICE_NAME, KEY_NAME)] = "not base64 at all!"

    key = signing_key(_os_store(backend))

    assert backend.passwords[(SERVICE_NAME, KEY_NAME)] == private_to_text(key.private)
