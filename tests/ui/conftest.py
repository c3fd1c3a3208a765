"""Qt test fixtures: an offscreen QApplication with a qasync loop that is *running* for the test.

The console runs all UI code inside ``qasync`` (``asyncio.Runner(loop_factory=QEventLoop)``),
so slots may start asyncio tasks. In a test, ``qtbot.waitUntil``/``waitSignal`` process Qt
events, which is what steps those tasks; the ``qloop`` fixture marks the qasync loop as the
running loop for the whole test so that code inside tasks sees ``get_running_loop()`` exactly
as in the app. Teardown fails the test if it leaves tasks running (no dangling work).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication


@pytest.fixture
def qloop(qapp: QApplication, qtbot: object) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    asyncio.events._set_running_loop(loop)
    try:
        yield loop
        leftover = [t for t in asyncio.all_tasks(loop) if not t.done()]
        for task in leftover:
            task.cancel()
        if leftover:
            qtbot.waitUntil(lambda: all(t.done() for t in leftover), timeout=5000)  # type: ignore[attr-defined]
        assert not leftover, f"test left asyncio tasks running: {leftover}"
    finally:
        asyncio.events._set_running_loop(None)
        asyncio.set_event_loop(None)
        loop.close()


# -- the whole console over a real loopback sandbox (added by the console shell) -----------


@pytest.fixture
def console_home(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> object:
    monkeypatch.setenv("CRITEO_CONSOLE_HOME", str(tmp_path))
    monkeypatch.delenv("CRITEO_CONSOLE_LOG", raising=False)
    return tmp_path


def start_test_console(
    qloop: qasync.QEventLoop, qtbot: Any, keyring: Any = None, **options: Any
) -> Any:
    """Start the console over the embedded sandbox with an in-memory keyring; wait until the
    first profile is selected. ``options`` go to ``start_console`` (e.g. the crash handler)."""
    from criteo_console.criteo import RetryPolicy
    from criteo_console.storage import InMemoryKeyring, open_secret_store
    from criteo_console.ui.app import make_qapp, start_console

    app = make_qapp()
    keyring = keyring or InMemoryKeyring()
    options.setdefault("install_crash_handler", False)
    task = qloop.create_task(
        start_console(
            app,
            open_secrets=lambda: open_secret_store(keyring),
            policy=RetryPolicy(base_delay=0.01, max_delay=0.05),
            **options,
        )
    )
    qtbot.waitUntil(task.done, timeout=5000)
    started = task.result()
    qtbot.waitUntil(lambda: started.service.profile is not None, timeout=5000)
    return started


def stop_test_console(qloop: qasync.QEventLoop, qtbot: Any, started: Any) -> None:
    from criteo_console.ui.app import stop_console

    stop = qloop.create_task(stop_console(started))
    qtbot.waitUntil(stop.done, timeout=10000)
    stop.result()


@pytest.fixture
def console(qloop: qasync.QEventLoop, qtbot: Any, console_home: object) -> Iterator[Any]:
    """The started console (window shown, embedded sandbox, in-memory keyring), stopped after."""
    started = start_test_console(qloop, qtbot)
    try:
        yield started
    finally:
        stop_test_console(qloop, qtbot, started)
