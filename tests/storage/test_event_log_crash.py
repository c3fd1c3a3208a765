"""A send killed mid-flight leaves a readable log whose pending row the next run reports."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from criteo_console.storage import OUTCOME_UNKNOWN, EventLog

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from criteo_console.storage import EventLog

    log = EventLog(Path(sys.argv[1]))
    attempt = log.begin_attempt(
        profile="ACME", environment="criteo", advertiser_id=1234567,
        event_name="purchase", order_id="PS-KILLED", value="149.90", currency="EUR",
        request_body='{"data": []}',
    )
    print(attempt, flush=True)   # "request in flight": tell the parent, then hang
    sys.stdin.read()
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_during_send_leaves_an_unresolved_pending_row(tmp_path: Path) -> None:
    path = tmp_path / "log.sqlite3"
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None
        ready = child.stdout.readline()  # blocks until the row is committed
        assert ready.strip().isdigit(), "child did not start its send"
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL

    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        raw.close()
    with EventLog(path) as log:
        (unresolved,) = log.unresolved_attempts()
        assert unresolved.id == int(ready)
        assert unresolved.order_id == "PS-KILLED"
        assert unresolved.state == "pending"
        assert unresolved.outcome_unknown
        assert unresolved.display_state == OUTCOME_UNKNOWN
        assert "check Criteo before re-sending" in OUTCOME_UNKNOWN
        # The user checks Criteo, then settles it; it is no longer unresolved.
        log.complete_attempt(unresolved.id, state="accepted", reason="confirmed in Criteo")
        assert log.unresolved_attempts() == []


def test_own_pending_rows_are_not_unresolved(log: EventLog) -> None:
    log.begin_attempt(
        profile="P",
        environment="criteo",
        advertiser_id=1,
        event_name="purchase",
        order_id="A",
        value="1",
        currency="EUR",
        request_body="{}",
    )
    assert log.unresolved_attempts() == []
