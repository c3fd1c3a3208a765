"""The headless commands, run through the real entry point with CRITEO_CONSOLE_HOME."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backend
import pytest

from criteo_console.cli import main
from criteo_console.storage import EventLog, InMemoryKeyring, StoragePaths

from .log_helpers import record


@pytest.fixture
def os_keyring() -> Iterator[InMemoryKeyring]:
    """Stand in for the OS keyring, so secrets persist between commands in one test."""
    previous = keyring.get_keyring()
    backend = InMemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


def test_profile_import_list_export_remove(
    home: Path,
    tmp_path: Path,
    os_keyring: InMemoryKeyring,
    capsys: pytest.CaptureFixture[str],
) -> None:
    env = tmp_path / "acme.env"
    env.write_text(
        "CRITEO_CLIENT_ID=acme\nCRITEO_CLIENT_SECRET='cli+&=secret'\nCRITEO_ADVERTISER_ID=42\n",
        encoding="utf-8",
    )
    assert main(["profile", "import", str(env), "--name", "ACME"]) == 0
    out = capsys.readouterr().out
    assert "plain text" in out
    assert "cli+&=secret" in os_keyring.passwords.values()

    assert main(["profile", "list"]) == 0
    listing = capsys.readouterr().out
    assert "Sandbox" in listing
    assert "ACME" in listing
    assert "found" in listing

    assert main(["profile", "export", "ACME"]) == 0
    exported = capsys.readouterr().out
    assert json.loads(exported)["advertiser_id"] == 42
    assert "cli+&=secret" not in exported

    assert main(["profile", "remove", "ACME"]) == 0
    assert os_keyring.passwords == {}
    assert main(["profile", "remove", "ACME"]) == 2


def test_profile_add_reads_the_secret_from_stdin(
    home: Path,
    os_keyring: InMemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("stdin-secret\n"))
    args = ["profile", "add", "--name", "Globex", "--advertiser-id", "77", "--client-id", "g"]
    assert main([*args, "--secret-stdin"]) == 0
    assert "stdin-secret" in os_keyring.passwords.values()
    assert b"stdin-secret" not in StoragePaths.resolve().settings_file.read_bytes()
    capsys.readouterr()
    bad = ["profile", "add", "--name", "Other", "--advertiser-id", "abc", "--client-id", "g"]
    assert main(bad) == 1
    assert "Advertiser ID must be a whole number" in capsys.readouterr().err


def test_log_list_show_export_import(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with EventLog(StoragePaths.resolve().log_file) as log:
        done = record(log, "PS-1")
        log.complete_attempt(done, state="accepted", http_status=200, trace_id="trace-xyz")
        left = record(log, "PS-2")
        # As if an earlier run had crashed mid-send.
        log._conn.execute("UPDATE attempts SET session_id = 'earlier-run' WHERE id = ?", (left,))
    assert main(["log", "list", "--status", "accepted"]) == 0
    out = capsys.readouterr().out
    assert "PS-1" in out
    assert "PS-2" not in out
    assert "1 of 1 attempts shown." in out

    assert main(["log", "list"]) == 0
    assert "outcome unknown" in capsys.readouterr().out  # PS-2 was left pending by "a crash"

    with EventLog(StoragePaths.resolve().log_file) as log:
        log._conn.execute("UPDATE attempts SET source = 'shop' WHERE id = ?", (left,))
    assert main(["log", "list", "--source", "shop"]) == 0
    out = capsys.readouterr().out
    assert "PS-2" in out and "PS-1" not in out
    assert main(["log", "list", "--source", "console"]) == 0
    out = capsys.readouterr().out
    assert "PS-1" in out and "PS-2" not in out

    assert main(["log", "show", str(done)]) == 0
    assert json.loads(capsys.readouterr().out)["trace_id"] == "trace-xyz"
    assert main(["log", "show", "999"]) == 2

    target = tmp_path / "log.jsonl"
    assert main(["log", "export", "--format", "jsonl", "--output", str(target)]) == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == 2
    capsys.readouterr()
    assert main(["log", "import", str(target)]) == 0
    assert "0 attempts added, 2 already in the log." in capsys.readouterr().out

    assert main(["log", "export", "--format", "csv", "--order-id", "PS-1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("uuid,")
    assert len(lines) == 2


def test_log_command_on_a_corrupt_file_explains_and_moves_it_aside(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = StoragePaths.resolve().log_file
    home.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"garbage" * 100)
    assert main(["log", "list"]) == 1
    err = capsys.readouterr().err
    assert "cannot be read" in err
    assert "criteo-console log move-aside" in err
    assert main(["log", "move-aside"]) == 0
    assert "kept as" in capsys.readouterr().out
    assert [p.read_bytes() for p in home.glob("*.corrupt-*")] == [b"garbage" * 100]
    assert main(["log", "list"]) == 0


def test_adding_a_profile_without_a_secret_says_truthfully_what_send_will_do(
    home: Path,
    os_keyring: InMemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # not a terminal: no prompt
    args = ["profile", "add", "--name", "Globex", "--advertiser-id", "77", "--client-id", "g"]
    assert main(args) == 0
    out = capsys.readouterr().out
    # send --profile reads the saved secret only; it never falls back to the environment.
    assert "'send --profile Globex' uses CRITEO_CLIENT_SECRET" in out
    assert "stops otherwise" in out
