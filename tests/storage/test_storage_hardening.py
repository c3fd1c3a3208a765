"""What a reviewer broke on purpose: file modes, re-imports, odd import files, bad paths."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from criteo_console.storage import EventLog, LogPathUnusable, Profile, ProfileStore
from criteo_console.storage.envfile import EnvFileInvalid, read_env_file
from criteo_console.storage.paths import ENV_HOME, ENV_LOG

from .log_helpers import record

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@posix_only
def test_the_log_its_side_files_and_the_data_folder_are_private(
    tmp_path: Path, profiles: ProfileStore
) -> None:
    previous = os.umask(0o022)  # the usual default, which would give 0644 files
    try:
        folder = tmp_path / "data" / "TrackLayer"
        with EventLog(folder / "event-log.sqlite3") as log:
            record(log, "PS-1")
            sides = [folder / "event-log.sqlite3-wal", folder / "event-log.sqlite3-shm"]
            assert all(side.exists() for side in sides)
            assert [_mode(side) for side in sides] == [0o600, 0o600]
        assert _mode(folder) == 0o700
        assert _mode(folder / "event-log.sqlite3") == 0o600
        profiles.add(Profile(name="ACME", client_id="c", advertiser_id=1))
        assert _mode(profiles.path) == 0o600
        assert _mode(profiles.path.parent) == 0o700
    finally:
        os.umask(previous)


@posix_only
def test_a_log_made_world_readable_before_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    EventLog(path).close()
    path.chmod(0o644)
    EventLog(path).close()
    assert _mode(path) == 0o600


def _exported(log: EventLog) -> str:
    buffer = io.StringIO()
    log.export(buffer, "jsonl")
    return buffer.getvalue()


def test_reimport_completes_a_row_left_pending_here(tmp_path: Path) -> None:
    with EventLog(tmp_path / "here.sqlite3") as here:
        attempt = record(here, "PS-1")
        pending_export = _exported(here)
        here.complete_attempt(attempt, state="accepted", http_status=200, trace_id="tr-1")
        completed_export = _exported(here)

    with EventLog(tmp_path / "there.sqlite3") as there:
        assert there.import_jsonl(io.StringIO(pending_export)).added == 1
        result = there.import_jsonl(io.StringIO(completed_export))
        assert (result.added, result.updated, result.duplicates) == (0, 1, 0)
        row = there.page(limit=1)[0]
        assert (row.state, row.http_status, row.trace_id) == ("accepted", 200, "tr-1")
        assert there.unresolved_attempts() == []
        # An older pending copy never undoes an outcome.
        again = there.import_jsonl(io.StringIO(pending_export))
        assert (again.added, again.updated, again.duplicates) == (0, 0, 1)
        assert there.page(limit=1)[0].state == "accepted"


GOOD: dict[str, Any] = {
    "uuid": "u-good",
    "created_at": "2026-01-01T00:00:00.000000Z",
    "state": "accepted",
    "profile": "P",
    "environment": "criteo",
}


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("profile", ["a"], "profile is list, not text"),
        ("uuid", {"x": 1}, "uuid is dict, not text"),
        ("order_id", 1.5, "order_id is float, not text"),
        ("advertiser_id", 1e400, "advertiser_id is not a whole number"),
        ("advertiser_id", 10**25, "advertiser_id is not a whole number"),
        ("advertiser_id", 2.5, "advertiser_id is not a whole number"),
        ("http_status", True, "http_status is not a whole number"),
        ("request_headers", ["Authorization"], "request_headers is not a JSON object"),
        ("steps", {"a": 1}, "steps is not a JSON list"),
        ("state", ["accepted"], "unknown state"),
    ],
)
def test_an_imported_row_of_the_wrong_type_is_skipped_with_a_reason(
    log: EventLog, field: str, value: Any, reason: str
) -> None:
    bad = {**GOOD, "uuid": "u-bad", field: value}
    # json.dumps writes 1e400 as Infinity; a 25-digit integer survives as is.
    text = json.dumps(GOOD) + "\n" + json.dumps(bad) + "\n"
    if value == 1e400:
        text = text.replace("Infinity", "1e400")
    result = log.import_jsonl(io.StringIO(text))
    assert result.added == 1
    assert len(result.problems) == 1
    assert result.problems[0].startswith("Line 2")
    assert reason in result.problems[0]


def test_a_number_written_for_a_text_or_integer_field_is_accepted(log: EventLog) -> None:
    row = {**GOOD, "order_id": 10428, "advertiser_id": "1234567", "latency_ms": 120.0}
    result = log.import_jsonl(io.StringIO(json.dumps(row)))
    assert (result.added, result.problems) == (1, [])
    stored = log.page(limit=1)[0]
    assert (stored.order_id, stored.advertiser_id, stored.latency_ms) == ("10428", 1234567, 120)


def test_a_strict_stream_that_is_not_utf8_stops_with_a_problem(log: EventLog) -> None:
    data = (json.dumps(GOOD) + "\n").encode() + b"\xff\xfe not text\n"
    source = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    result = log.import_jsonl(source)
    assert result.problems == ["The file is not UTF-8 text; nothing was read."]
    assert log.count() == 0


def test_an_env_file_that_cannot_be_read_is_a_plain_field_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = tmp_path / "acme.env"
    env.write_text("CRITEO_CLIENT_ID=x\n", encoding="utf-8")

    def refuse(self: Path, *args: Any, **kwargs: Any) -> str:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_text", refuse)
    with pytest.raises(EnvFileInvalid) as caught:
        read_env_file(env)
    assert [e.message for e in caught.value.errors] == [
        "acme.env cannot be read (permission denied)."
    ]


def test_a_log_path_that_is_a_folder_is_refused_plainly(tmp_path: Path) -> None:
    with pytest.raises(LogPathUnusable, match="it is a folder, not a file"):
        EventLog(tmp_path)
    assert tmp_path.is_dir()


# -- the same through the real command line, in a fresh process ---------------------------

# Root reads any file whatever its mode, so the unreadable .env is simulated in the child.
_UNREADABLE_ENV = """
import pathlib, sys
real = pathlib.Path.read_text
def read_text(self, *a, **k):
    if self.name == "locked.env":
        raise PermissionError(13, "Permission denied", str(self))
    return real(self, *a, **k)
pathlib.Path.read_text = read_text
from criteo_console.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _run(tmp_path: Path, *args: str, log: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != ENV_LOG}
    env[ENV_HOME] = str(tmp_path / "home")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    if log is not None:
        env[ENV_LOG] = str(log)
    return subprocess.run(
        [sys.executable, "-c", _UNREADABLE_ENV, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("log", "export", "--output", "/nonexistent/x.jsonl"),
            "criteo-console log: cannot write /nonexistent/x.jsonl: no such file or directory",
        ),
        (
            ("profile", "export", "Sandbox", "--output", "/nonexistent/x.json"),
            "criteo-console profile: cannot write /nonexistent/x.json: no such file or directory",
        ),
        (
            ("profile", "import", "{tmp}/locked.env"),
            "criteo-console profile: locked.env cannot be read (permission denied).",
        ),
        (
            ("log", "list"),
            "criteo-console log: The event log cannot be opened at {tmp}: it is a folder, not "
            "a file. Point CRITEO_CONSOLE_LOG at a file this user may write (or unset it to use "
            "the default place).",
        ),
        (("log", "move-aside"), "criteo-console log: The event log cannot be opened at {tmp}"),
    ],
)
def test_bad_paths_are_one_plain_line_and_exit_2(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    (tmp_path / "locked.env").write_text("CRITEO_CLIENT_ID=x\n", encoding="utf-8")
    folder_as_log = tmp_path if args[:1] == ("log",) and "export" not in args else None
    done = _run(tmp_path, *(a.format(tmp=tmp_path) for a in args), log=folder_as_log)
    assert "Traceback" not in done.stderr
    assert done.returncode == 2, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(message.format(tmp=tmp_path))
    assert tmp_path.is_dir()


def test_log_import_of_a_file_that_is_not_utf8_reports_the_lines(tmp_path: Path) -> None:
    source = tmp_path / "export.jsonl"
    source.write_bytes(
        (json.dumps(GOOD) + "\n").encode() + b"\xff\xfe\x00 latin-1 caf\xe9\n" + b"\n"
    )
    done = _run(tmp_path, "log", "import", str(source))
    assert "Traceback" not in done.stderr
    assert done.returncode == 1
    assert done.stdout.strip() == "1 attempts added, 0 already in the log."
    assert done.stderr.splitlines() == ["Line 2 is not UTF-8 text; skipped."]
