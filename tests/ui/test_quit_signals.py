"""Ctrl-C / SIGTERM close the console like closing its window: clean exit, nothing lost."""

from __future__ import annotations

import asyncio
import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from criteo_console.session import guide_example_order
from criteo_console.storage import EventLog
from criteo_console.ui.app import ANNOUNCE_READY_ENV, READY_LINE, stop_console
from criteo_console.ui.quit_signals import install_quit_signals

pytestmark = [
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
ROOT = Path(__file__).resolve().parents[2]


def _stderr_lines(proc: subprocess.Popen[str]) -> tuple[queue.Queue[str | None], list[str]]:
    """Read the child's stderr on a thread: each line into a queue (None at the end)."""
    lines: queue.Queue[str | None] = queue.Queue()
    seen: list[str] = []

    def pump() -> None:
        assert proc.stderr is not None
        for line in proc.stderr:
            seen.append(line)
            lines.put(line)
        lines.put(None)

    threading.Thread(target=pump, daemon=True).start()
    return lines, seen


def _wait_for_line(lines: queue.Queue[str | None], wanted: str, within: float = 60.0) -> None:
    while True:
        line = lines.get(timeout=within)  # raises queue.Empty if the console never gets there
        assert line is not None, f"the console ended before printing {wanted!r}"
        if line.strip() == wanted:
            return


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 0), (signal.SIGINT, 130)])
def test_the_app_closes_cleanly_on_a_signal(tmp_path: Path, signum: int, code: int) -> None:
    env = dict(os.environ)
    env.update(
        {
            "CRITEO_CONSOLE_HOME": str(tmp_path),
            ANNOUNCE_READY_ENV: "1",
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
        }
    )
    env.pop("CRITEO_CONSOLE_LOG", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "criteo_console"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        lines, seen = _stderr_lines(proc)
        _wait_for_line(lines, READY_LINE)
        proc.send_signal(signum)
        assert proc.wait(timeout=60) == code
        while lines.get(timeout=10) is not None:  # the rest of stderr
            pass
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()
    stderr = "".join(seen)
    assert "Traceback" not in stderr
    assert "Closing the console" in stderr
    log = (tmp_path / "console.log").read_text(encoding="utf-8")
    name = signal.Signals(signum).name
    assert f"{name} received: closing the console" in log
    assert log.rstrip().endswith("console stopped")  # the whole shutdown path ran


@pytest.mark.usefixtures("qloop")
def test_sigterm_during_a_send_completes_its_log_row(qtbot: Any, console: Any) -> None:
    window = console.window
    console.sandbox.queue_fault("slow", times=1, endpoint="conversions")
    window.compose.load_order(guide_example_order())
    window.show_page("send")
    remove = install_quit_signals(console.quit)
    try:
        assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None)
        qtbot.keyClick(window.send_page, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: console.sandbox.request_count("conversions") == 1, timeout=5000)
        os.kill(os.getpid(), signal.SIGTERM)
        qtbot.waitUntil(console.closing.done, timeout=5000)  # woken while Qt was idle
    finally:
        remove()
    assert console.closing.result() == 0
    log_path = console.service.event_log.path
    stop = asyncio.get_event_loop().create_task(stop_console(console))
    qtbot.waitUntil(stop.done, timeout=10000)
    stop.result()
    assert console.http.is_closed and not console.sandbox.running
    with EventLog(log_path) as reopened:
        (row,) = reopened.page()
    assert row.state == "failed" and row.reason == "cancelled-in-flight"


@pytest.mark.usefixtures("qloop")
def test_without_loop_signal_support_a_timer_lets_python_see_the_signal(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    loop = asyncio.get_event_loop()

    def unsupported(*_args: object) -> None:
        raise NotImplementedError  # what asyncio does on Windows

    monkeypatch.setattr(loop, "add_signal_handler", unsupported)
    codes: list[int] = []
    remove = install_quit_signals(codes.append)
    try:
        assert signal.getsignal(signal.SIGTERM) not in (signal.SIG_DFL, None)
        os.kill(os.getpid(), signal.SIGTERM)
        qtbot.waitUntil(lambda: codes == [0], timeout=5000)
    finally:
        remove()
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
