"""The window on bad storage: a broken profiles.json is named plainly in the status line, and
a console.log that cannot be written never prints '--- Logging error ---' nor stops the app."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from criteo_console.storage import InMemoryKeyring, StoragePaths
from criteo_console.storage.console_log import ConsoleLogHandler

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def _start(qloop: Any, qtbot: Any, **options: Any) -> Any:
    from criteo_console.storage import open_secret_store
    from criteo_console.ui.app import make_qapp, start_console

    options.setdefault("install_crash_handler", False)
    task = qloop.create_task(
        start_console(
            make_qapp(), open_secrets=lambda: open_secret_store(InMemoryKeyring()), **options
        )
    )
    qtbot.waitUntil(task.done, timeout=5000)
    return task.result()


def _stop(qloop: Any, qtbot: Any, console: Any) -> None:
    from criteo_console.ui.app import stop_console

    stop = qloop.create_task(stop_console(console))
    qtbot.waitUntil(stop.done, timeout=10000)


def test_the_status_line_says_what_is_wrong_with_the_profiles_file(
    console_home: Path, qloop: Any, qtbot: Any
) -> None:
    settings = StoragePaths.resolve().settings_file
    settings.write_text(
        '{"profiles": [{"name": "Sandbox", "advertiser_id": 1, "client_id": "c"}, "ACME"]}',
        encoding="utf-8",
    )
    console = _start(qloop, qtbot)
    try:
        status = console.window.status_line
        qtbot.waitUntil(lambda: "profiles file" in status.text(), timeout=5000)
        assert f"The profiles file {settings} cannot be used: profile 2: it is a string" in (
            status.text()
        )
        assert "attribute" not in status.text()
    finally:
        _stop(qloop, qtbot, console)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_console_log_on_a_full_disk_goes_to_stderr_and_the_console_keeps_running(
    console_home: Path,
    qloop: Any,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def full_disk(self: ConsoleLogHandler) -> Any:
        return open("/dev/full", "w", encoding="utf-8")

    monkeypatch.setattr(ConsoleLogHandler, "_open", full_disk)
    console = _start(qloop, qtbot, log_to_file=True)
    try:
        qtbot.waitUntil(lambda: console.service.profile is not None, timeout=5000)
        logging.getLogger("criteo_console.ui").warning("a record for the log")
        assert not console.closing.done()
        assert console.window.isVisible()
    finally:
        _stop(qloop, qtbot, console)
    err = capsys.readouterr().err
    assert "Logging error" not in err
    assert "Traceback" not in err
    assert "console.log cannot be written: the disk is full" in err
    assert "a record for the log" in err
