"""Issue 4's leak test, through the real commands a user runs.

Import a profile from a .env file, send an accepted and a rejected conversion with an order
holding a raw email, export the log as JSON Lines and CSV, import it into a second data
folder, then byte-search every file for the client secret, every access token the sandbox
issued, and the raw email (as typed, trimmed and lower-cased).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from criteo_console.cli import main
from criteo_console.commands import profile as profile_command
from criteo_console.sandbox import SandboxServer
from criteo_console.storage import InMemoryKeyring, KeyringSecretStore, ProfileStore, StoragePaths
from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET, RAW_EMAIL, write_order


def _all_bytes(*roots: Path) -> list[tuple[Path, bytes]]:
    found = []
    for root in roots:
        paths = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        found.extend((path, path.read_bytes()) for path in paths)
    return found


def test_secret_token_and_raw_email_never_reach_disk(
    tmp_path: Path,
    sandbox: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("CRITEO_CONSOLE_HOME", str(home))
    for name in ("CRITEO_CLIENT_ID", "CRITEO_CLIENT_SECRET", "CRITEO_ADVERTISER_ID"):
        monkeypatch.delenv(name, raising=False)
    keyring = InMemoryKeyring()  # the OS store stands in; it is not a file in the data folder
    monkeypatch.setattr(
        profile_command,
        "open_profile_store",
        lambda: ProfileStore(KeyringSecretStore(keyring), StoragePaths.resolve().settings_file),
    )
    env_file = tmp_path / "client.env"
    env_file.write_text(
        f'CRITEO_CLIENT_ID={CLIENT_ID}\nCRITEO_CLIENT_SECRET="{CLIENT_SECRET}"\n'
        "CRITEO_ADVERTISER_ID=1234567\n",
        encoding="utf-8",
    )
    outside = tmp_path / "outside"
    outside.mkdir()

    assert main(["profile", "import", str(env_file), "--name", "Shop"]) == 0
    accepted = write_order(outside, "accepted.json")
    rejected = write_order(outside, "rejected.json", order_id="E2E-1002")
    assert main(["send", str(accepted), "--profile", "Shop", "--base-url", sandbox.base_url]) == 0
    # Criteo (the sandbox) rejects an event name the account does not have...
    code = main(
        [
            "send",
            str(rejected),
            "--profile",
            "Shop",
            "--base-url",
            sandbox.base_url,
            "--event-name",
            "purchase=checkout_done",
        ]
    )
    assert code == 1
    # ...and an advertiser outside the credentials' scope stops before the POST.
    out_of_scope = write_order(outside, "scope.json", order_id="E2E-1003")
    code = main(
        [
            "send",
            str(out_of_scope),
            "--profile",
            "Shop",
            "--base-url",
            sandbox.base_url,
            "--advertiser-id",
            "7654321",
        ]
    )
    assert code == 1
    exports = {fmt: outside / f"log.{fmt}" for fmt in ("jsonl", "csv")}
    for fmt, path in exports.items():
        assert main(["log", "export", "--format", fmt, "--output", str(path)]) == 0
    second_home = tmp_path / "second-home"
    monkeypatch.setenv("CRITEO_CONSOLE_HOME", str(second_home))
    assert main(["log", "import", str(exports["jsonl"])]) == 0
    printed = capsys.readouterr()

    # The run did what a user expects: three attempts logged.
    lines = exports["jsonl"].read_text(encoding="utf-8").splitlines()
    states = sorted(json.loads(line)["state"] for line in lines)
    assert states == ["accepted", "failed", "rejected"]
    tokens = sandbox.issued_tokens()
    assert tokens
    forbidden = [CLIENT_SECRET, RAW_EMAIL, RAW_EMAIL.strip(), RAW_EMAIL.strip().lower(), *tokens]
    files = _all_bytes(home, second_home, *exports.values())
    assert any(path.suffix == ".sqlite3" for path, _ in files)
    for path, content in files:
        for value in forbidden:
            assert value.encode() not in content, f"{path.name} holds a forbidden value"
    for value in forbidden:
        assert value not in printed.out + printed.err
