"""`criteo-console send` goes through ValidationSession, so every real send is in the event log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from criteo_console.cli import main
from criteo_console.session import guide_example_order
from criteo_console.storage import EventLog, StoragePaths


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("CRITEO_CLIENT_ID", "CRITEO_CLIENT_SECRET", "CRITEO_ADVERTISER_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("CRITEO_CONSOLE_LOG", raising=False)
    monkeypatch.setenv("CRITEO_CONSOLE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_sandbox_send_is_logged_and_a_second_one_needs_resend(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    order = tmp_path / "order.json"
    order.write_text(json.dumps(guide_example_order()), encoding="utf-8")
    assert main(["send", str(order), "--sandbox"]) == 0
    assert "attempt #1 (accepted)" in capsys.readouterr().out
    assert main(["send", str(order), "--sandbox"]) == 1
    assert "--resend" in capsys.readouterr().out
    assert main(["send", str(order), "--sandbox", "--resend", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["attempt_id"] == 2
    with EventLog(StoragePaths.resolve().log_file) as log:
        rows = log.page()
    assert [r.state for r in rows] == ["accepted", "accepted"]
    assert all(r.profile == "Sandbox" and r.order_id == "PS-10428" for r in rows)
    raw = b"".join(p.read_bytes() for p in home.glob("event-log.sqlite3*"))
    assert b"john.doe@example.com" not in raw and b"sandbox-secret" not in raw


def test_dry_run_writes_nothing_to_the_log(home: Path, tmp_path: Path) -> None:
    order = tmp_path / "order.json"
    order.write_text(json.dumps(guide_example_order()), encoding="utf-8")
    assert main(["send", str(order), "--sandbox", "--dry-run"]) == 0
    assert not (home / "event-log.sqlite3").exists()
