"""Issue 4's crash test: a send killed (SIGKILL) while its request is in flight.

The attempt row was written before the request went out, so the database is readable and
the next start reports the attempt as "outcome unknown — check Criteo before re-sending".
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from criteo_console.cli import main
from criteo_console.sandbox import Fault, SandboxServer
from criteo_console.storage import EventLog
from tests.e2e.conftest import CLIENT_ID, CLIENT_SECRET, wait_for, write_order


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_mid_send_leaves_a_pending_row_reported_at_next_start(
    tmp_path: Path,
    sandbox: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    home = tmp_path / "home"
    order_file = write_order(tmp_path, "order.json")
    sandbox.queue_fault(Fault.SLOW, endpoint="conversions")  # holds the POST open
    env = {
        **os.environ,
        "CRITEO_CONSOLE_HOME": str(home),
        "CRITEO_CLIENT_ID": CLIENT_ID,
        "CRITEO_CLIENT_SECRET": CLIENT_SECRET,
        "CRITEO_ADVERTISER_ID": "1234567",
    }
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "criteo_console",
            "send",
            str(order_file),
            "--base-url",
            sandbox.base_url,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: sandbox.request_count("conversions") == 1 or child.poll() is not None)
        assert child.poll() is None, "the send finished before it could be killed"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)

    with EventLog(home / "event-log.sqlite3") as log:
        unresolved = log.unresolved_attempts()
        assert [a.order_id for a in unresolved] == ["E2E-1001"]
        assert unresolved[0].outcome_unknown
        assert "check Criteo before re-sending" in unresolved[0].display_state
        assert unresolved[0].request_body and '"E2E-1001"' in unresolved[0].request_body

    # The next start (here: the next command) tells the user.
    monkeypatch.setenv("CRITEO_CONSOLE_HOME", str(home))
    assert main(["log", "list"]) == 0
    assert "outcome unknown" in capsys.readouterr().out
