"""A native crash (a segfault in Qt or a driver) leaves Python's stack in crash.log."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from criteo_console.ui.app import CRASH_LOG, READY_LINE


@pytest.mark.skipif(sys.platform == "win32", reason="SIGSEGV is sent with os.kill")
def test_a_segfault_is_written_to_the_crash_log(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "CRITEO_CONSOLE_HOME": str(tmp_path),
        "CRITEO_CONSOLE_ANNOUNCE_READY": "1",
        "QT_QPA_PLATFORM": "offscreen",
    }
    with subprocess.Popen(
        [sys.executable, "-m", "criteo_console"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            assert process.stderr is not None
            for line in process.stderr:  # blocks until the console is usable
                if READY_LINE in line:
                    break
            process.send_signal(signal.SIGSEGV)
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert process.returncode != 0
    logs = list(tmp_path.rglob(CRASH_LOG))
    assert len(logs) == 1
    text = logs[0].read_text()
    assert "Segmentation fault" in text and "File " in text
