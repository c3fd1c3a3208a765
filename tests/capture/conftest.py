"""A capture endpoint on loopback with a real event log file, and the stand-in shop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from criteo_console.capture import CaptureConfig, CaptureServer
from criteo_console.storage.event_log import EventLog
from tests.capture.shop import CHECKOUT_EMAIL, StandInShop


@pytest.fixture
def event_log(tmp_path: Path) -> Iterator[EventLog]:
    log = EventLog(tmp_path / "log.sqlite3")
    yield log
    log.close()


@pytest.fixture
def capture(event_log: EventLog) -> Iterator[CaptureServer]:
    with CaptureServer(CaptureConfig(), event_log=event_log, checkout_email=CHECKOUT_EMAIL) as s:
        yield s


@pytest.fixture
def shop(capture: CaptureServer) -> Iterator[StandInShop]:
    client = StandInShop(capture.base_url)
    yield client
    client.close()
