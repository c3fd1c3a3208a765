"""A broken profiles.json, a hand-edited field, an unsafe base URL, a full or read-only disk:
one plain line naming the file and what is wrong, a non-zero exit, and nothing changed."""

from __future__ import annotations

import errno
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest

from criteo_console.cli import main
from criteo_console.core import dumps_json
from criteo_console.core.examples import guide_example_order
from criteo_console.storage import InMemoryKeyring, StoragePaths
from criteo_console.storage import files as files_module

BROKEN_FILES = {
    "a-list": (
        b'[{"name": "ACME"}]',
        'it holds a list instead of an object with a "profiles" list',
    ),
    "null-item": (b'{"profiles": [null]}', "profile 1: it is null, not an object"),
    "string-item": (
        b'{"profiles": [{"name": "Sandbox", "advertiser_id": 1, "client_id": "c"}, "ACME"]}',
        "profile 2: it is a string, not an object",
    ),
    "garbage": (b"\x00\x13garbage{{", "it is not JSON (line 1, column 1)"),
    "not-utf8": (b'{"profiles": ["caf\xe9"]}', "it is not UTF-8 text"),
    "profiles-not-a-list": (
        b'{"profiles": {"name": "ACME"}}',
        'its "profiles" entry is an object, not a list',
    ),
    "fractional-advertiser": (
        b'{"profiles": [{"name": "ACME", "advertiser_id": 1234567.9, "client_id": "c"}]}',
        "profile 1 ('ACME'): advertiser_id must be a positive whole number like 1234567, "
        "not 1234567.9",
    ),
}


@pytest.fixture
def os_keyring() -> Iterator[InMemoryKeyring]:
    previous = keyring.get_keyring()
    backend = InMemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


@pytest.fixture
def settings(home: Path) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    return StoragePaths.resolve().settings_file


def _one_line(err: str) -> str:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def _order_file(tmp_path: Path) -> str:
    path = tmp_path / "order.json"
    path.write_text(dumps_json(guide_example_order()), encoding="utf-8")
    return str(path)


ADD = ["profile", "add", "--name", "Globex", "--advertiser-id", "77", "--client-id", "g"]


@pytest.mark.parametrize("case", list(BROKEN_FILES))
def test_a_broken_profiles_file_is_one_plain_line_in_every_command(
    settings: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: str
) -> None:
    content, problem = BROKEN_FILES[case]
    settings.write_bytes(content)
    commands = [
        ["profile", "list"],
        ADD,
        ["profile", "remove", "ACME"],
        ["send", _order_file(tmp_path), "--profile", "ACME"],
    ]
    for command in commands:
        code = main(command)
        line = _one_line(capsys.readouterr().err)
        assert code != 0, command
        assert f"The profiles file {settings} cannot be used: {problem}" in line, command
        assert settings.read_bytes() == content  # never rewritten, never "repaired"


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("http://user:pw@127.0.0.1:8787", "user name or password"),
        ("https://api.criteo.com/?token=1", "'?' or '#'"),
        ("https://api.criteo.com/#frag", "'?' or '#'"),
    ],
)
def test_profile_add_refuses_a_base_url_that_send_would_refuse(
    settings: Path,
    os_keyring: InMemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    url: str,
    words: str,
) -> None:
    assert main([*ADD, "--base-url", url]) == 1
    assert words in _one_line(capsys.readouterr().err)
    assert main(["profile", "list"]) == 0
    assert "Globex" not in capsys.readouterr().out


def _fail_at(monkeypatch: pytest.MonkeyPatch, call: str, code: int) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError(code, os.strerror(code))

    target = files_module.tempfile if call == "mkstemp" else files_module.os
    monkeypatch.setattr(target, call, refuse)


# A read-only folder refuses the temporary file; a full disk refuses the data (fsync).
DISK_FAULTS = [
    ("mkstemp", errno.EROFS, "its folder is read-only"),
    ("mkstemp", errno.EACCES, "this user may not write there"),
    ("fsync", errno.ENOSPC, "the disk is full"),
]


@pytest.mark.parametrize(("call", "code", "words"), DISK_FAULTS)
def test_profile_add_on_a_disk_that_refuses_changes_nothing(
    settings: Path,
    os_keyring: InMemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    call: str,
    code: int,
    words: str,
) -> None:
    assert main(["profile", "list"]) == 0  # the file exists, with the sandbox profile
    before = settings.read_bytes()
    capsys.readouterr()
    _fail_at(monkeypatch, call, code)
    monkeypatch.setattr("sys.stdin", io.StringIO("globex-secret\n"))
    assert main([*ADD, "--secret-stdin"]) == 1
    line = _one_line(capsys.readouterr().err)
    assert line.startswith(f"The profiles file {settings} cannot be saved: ")
    assert words in line
    assert "Nothing was changed." in line
    assert settings.read_bytes() == before
    assert os_keyring.passwords == {}  # the secret of a profile that was not added is gone
    monkeypatch.undo()
    assert [p.name for p in settings.parent.iterdir() if p.name.endswith(".tmp")] == []


@pytest.mark.parametrize(("call", "code", "words"), DISK_FAULTS)
def test_profile_remove_on_a_disk_that_refuses_keeps_the_profile_and_its_secret(
    settings: Path,
    os_keyring: InMemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    call: str,
    code: int,
    words: str,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("globex-secret\n"))
    assert main([*ADD, "--secret-stdin"]) == 0
    before = settings.read_bytes()
    capsys.readouterr()
    _fail_at(monkeypatch, call, code)
    assert main(["profile", "remove", "Globex"]) == 1
    line = _one_line(capsys.readouterr().err)
    assert line.startswith(f"The profiles file {settings} cannot be saved: ")
    assert words in line
    assert settings.read_bytes() == before
    assert "globex-secret" in os_keyring.passwords.values()


def test_a_first_run_in_a_read_only_folder_still_lists_the_sandbox(
    settings: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _fail_at(monkeypatch, "mkstemp", errno.EROFS)
    assert main(["profile", "list"]) == 0
    assert "Sandbox" in capsys.readouterr().out
    assert not settings.exists()


def test_a_fractional_advertiser_id_is_never_written_back(settings: Path) -> None:
    from criteo_console.storage import Profile, ProfileInvalid

    data = {"name": "ACME", "advertiser_id": 1234567.9, "client_id": "c"}
    with pytest.raises(ProfileInvalid) as caught:
        Profile.from_json(data)
    assert [e.field for e in caught.value.errors] == ["advertiser_id"]
    assert json.dumps(data) == json.dumps(
        {"name": "ACME", "advertiser_id": 1234567.9, "client_id": "c"}
    )
