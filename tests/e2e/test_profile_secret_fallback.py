"""`send --profile` on a machine without an OS keyring: the secret may come from the env."""

from __future__ import annotations

from pathlib import Path

import pytest

from criteo_console.cli import main
from criteo_console.commands import profile as profile_command
from criteo_console.sandbox import SandboxServer
from criteo_console.storage import ProfileStore, SessionSecretStore, StoragePaths
from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET, write_order


@pytest.fixture
def keyring_less(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRITEO_CONSOLE_HOME", str(tmp_path / "home"))
    for name in ("CRITEO_CLIENT_ID", "CRITEO_CLIENT_SECRET", "CRITEO_ADVERTISER_ID"):
        monkeypatch.delenv(name, raising=False)
    # Each command is a new process on such a machine: a new, empty session-only store.
    monkeypatch.setattr(
        profile_command,
        "open_profile_store",
        lambda: ProfileStore(
            SessionSecretStore("no OS secret store was found"),
            StoragePaths.resolve().settings_file,
        ),
    )
    args = [
        "profile",
        "add",
        "--name",
        "Shop",
        "--advertiser-id",
        "1234567",
        "--client-id",
        CLIENT_ID,
    ]
    assert main(args) == 0  # stdin is not a terminal: no prompt, no secret saved


def test_missing_secret_is_a_usage_error_that_says_what_to_do(
    keyring_less: None, sandbox: SandboxServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    order_file = write_order(tmp_path, "order.json")

    code = main(["send", str(order_file), "--profile", "Shop", "--base-url", sandbox.base_url])

    assert code == 2
    assert "CRITEO_CLIENT_SECRET" in capsys.readouterr().err
    assert sandbox.request_count("token") == 0


def test_secret_from_the_environment_is_used_and_said(
    keyring_less: None,
    sandbox: SandboxServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    order_file = write_order(tmp_path, "order.json")
    monkeypatch.setenv("CRITEO_CLIENT_SECRET", CLIENT_SECRET)

    code = main(["send", str(order_file), "--profile", "Shop", "--base-url", sandbox.base_url])

    captured = capsys.readouterr()
    assert code == 0
    assert "Using CRITEO_CLIENT_SECRET instead" in captured.err
    assert CLIENT_SECRET not in captured.out + captured.err
    assert len(sandbox.received()) == 1
