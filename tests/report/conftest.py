"""A profile's test orders sent to a real sandbox and logged in a real SQLite file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import keyring.backend
import pytest

from criteo_console.cli import main
from tests.e2e.conftest import sandbox, write_order

__all__ = ["sandbox"]  # the loopback sandbox fixture, shared with tests/e2e


class DictKeyring(keyring.backend.KeyringBackend):
    """Stands in for the OS secret store (a real backend class, not the test-only one)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CRITEO_CONSOLE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture
def os_keyring(monkeypatch: pytest.MonkeyPatch) -> DictKeyring:
    from criteo_console.commands import report
    from criteo_console.storage.secrets import KeyringSecretStore

    backend = DictKeyring()
    monkeypatch.setattr(report, "secret_store", lambda: KeyringSecretStore(backend))
    return backend


@pytest.fixture
def three_orders(home: Path, tmp_path: Path, qapp: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """WEB-1001 as the guide's, WEB-1002 with a value differing from its items, WEB-1003."""
    items = [{"id": "A-1", "price": "22.52", "quantity": 2}]
    for order_id, changes in (
        ("WEB-1001", {}),
        ("WEB-1002", {"value": "44.98", "items": items}),
        ("WEB-1003", {"currency": "USD"}),
    ):
        path = write_order(tmp_path, f"{order_id}.json", order_id=order_id, **changes)
        assert main(["send", str(path), "--sandbox"]) == 0
    capsys.readouterr()


@pytest.fixture
def env_sends(
    home: Path,
    tmp_path: Path,
    qapp: Any,
    sandbox: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> list[str]:
    """Two orders sent with a real-looking secret to a loopback sandbox; the tokens it issued."""
    from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET

    monkeypatch.setenv("CRITEO_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("CRITEO_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("CRITEO_ADVERTISER_ID", "1234567")
    for order_id in ("ENV-1", "ENV-2"):
        path = write_order(tmp_path, f"{order_id}.json", order_id=order_id)
        assert main(["send", str(path), "--base-url", sandbox.base_url]) == 0
    capsys.readouterr()
    tokens: list[str] = sandbox.issued_tokens()
    assert tokens
    return tokens
