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


@pytest.fixture
def console(qloop: qasync.QEventLoop, qtbot: object, console_home: object) -> Iterator[object]:
    """The started console (window shown, embedded sandbox, in-memory keyring), stopped after."""
    from criteo_console.criteo import RetryPolicy
    from criteo_console.storage import InMemoryKeyring, open_secret_store
    from criteo_console.ui.app import make_qapp, start_console, stop_console

    app = make_qapp()
    keyring = InMemoryKeyring()
    policy = RetryPolicy(base_delay=0.01, max_delay=0.05)
    task = qloop.create_task(
        start_console(
            app,
            open_secrets=lambda: open_secret_store(keyring),
            policy=policy,
            install_crash_handler=False,
        )
    )
    qtbot.waitUntil(task.done, timeout=5000)  # type: ignore[attr-defined]
    started = task.result()
    qtbot.waitUntil(lambda: started.service.profile is not None, timeout=5000)  # type: ignore[attr-defined]
    try:
        yield started
    finally:
        stop = qloop.create_task(stop_console(started))
        qtbot.waitUntil(stop.done, timeout=10000)  # type: ignore[attr-defined]
        stop.result()
