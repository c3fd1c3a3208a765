from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from criteo_console.storage import (
    EventLog,
    InMemoryKeyring,
    KeyringSecretStore,
    ProfileStore,
)
from criteo_console.storage.paths import ENV_HOME, ENV_LOG


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "home"
    monkeypatch.setenv(ENV_HOME, str(root))
    monkeypatch.delenv(ENV_LOG, raising=False)
    return root


@pytest.fixture
def keyring_backend() -> InMemoryKeyring:
    return InMemoryKeyring()


@pytest.fixture
def secrets(keyring_backend: InMemoryKeyring) -> KeyringSecretStore:
    return KeyringSecretStore(keyring_backend)


@pytest.fixture
def profiles(home: Path, secrets: KeyringSecretStore) -> ProfileStore:
    return ProfileStore(secrets, home / "profiles.json")


@pytest.fixture
def log(tmp_path: Path) -> Iterator[EventLog]:
    with EventLog(tmp_path / "log.sqlite3") as event_log:
        yield event_log
