"""Start-up cancelled (the console closing) while the stores' threads run: the event log they
open is closed, not left open (the threads start before the start task first runs)."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

from criteo_console.storage import EventLog, StoragePaths
from criteo_console.storage.secrets import SessionSecretStore
from criteo_console.ui import service as service_module
from criteo_console.ui.service import ConsoleService


def test_a_cancelled_start_closes_the_event_log_its_thread_opened(
    qapp: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    release = threading.Event()
    opened: list[EventLog] = []
    real = service_module._open_event_log

    def slow_open(path: Path) -> Any:
        release.wait(10)
        result = real(path)
        opened.append(result[0])
        return result

    monkeypatch.setattr(service_module, "_open_event_log", slow_open)
    closed: list[EventLog] = []
    real_close = EventLog.close

    def close(self: EventLog) -> None:
        closed.append(self)
        real_close(self)

    monkeypatch.setattr(EventLog, "close", close)

    async def scenario() -> ConsoleService:
        paths = StoragePaths(tmp_path / "config", tmp_path / "data", tmp_path / "log.sqlite3")
        service = ConsoleService(http=None, paths=paths, open_secrets=SessionSecretStore)
        task = service.start(service.open_stores())
        task.cancel()  # before the task first runs: the threads are already under way
        await asyncio.gather(task, return_exceptions=True)
        release.set()
        for _ in range(500):
            if closed:
                break
            await asyncio.sleep(0.01)
        return service

    service = asyncio.run(scenario())
    assert opened and closed == opened and service.event_log is None
