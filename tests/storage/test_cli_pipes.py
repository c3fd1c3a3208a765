"""`criteo-console log export | head -1`: a reader that goes away is not an error to show."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from criteo_console.storage import EventLog
from criteo_console.storage.paths import ENV_HOME, ENV_LOG

from .log_helpers import record


@pytest.mark.parametrize(
    "args", [("log", "export"), ("log", "list"), ("profile", "export", "Sandbox")]
)
def test_a_closed_pipe_ends_quietly_with_141(tmp_path: Path, args: tuple[str, ...]) -> None:
    home = tmp_path / "home"
    with EventLog(home / "event-log.sqlite3") as log:
        for i in range(50):
            record(log, f"PS-{i}")
    env = {k: v for k, v in os.environ.items() if k != ENV_LOG}
    env[ENV_HOME] = str(home)
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    # The reading end is closed before the command starts: every write fails, as after
    # `head -1` has exited — without a race on when head exits.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "criteo_console", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in done.stderr
    assert "BrokenPipeError" not in done.stderr
    assert done.stderr == ""
    assert done.returncode == 141
