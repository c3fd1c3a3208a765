"""End-to-end through the headless commands: real sandbox socket, real SQLite, real files."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from criteo_console.sandbox import SandboxConfig, SandboxServer

# Distinctive values, so a byte search cannot miss them or find them by chance.
CLIENT_ID = "e2e-client"
CLIENT_SECRET = "Zq9+e2e&secret=Xv7/Kp"
RAW_EMAIL = "  Jane.Leaktest@Example.COM "


def order(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "event": "purchase",
        "event_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "order_id": "E2E-1001",
        "currency": "EUR",
        "value": "149.90",
        "items": [
            {"id": "SKU-BLK-42", "price": "79.95", "quantity": 1},
            {"id": "SKU-GRN-11", "price": "69.95", "quantity": 1},
        ],
        "email": RAW_EMAIL,
        "customer_id": "cust_78421",
    }
    base.update(changes)
    return base


def write_order(folder: Path, name: str, **changes: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(order(**changes)), encoding="utf-8")
    return path


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    config = SandboxConfig(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, slow_delay=60.0)
    with SandboxServer(config) as server:
        yield server


def wait_for(predicate: Callable[[], bool], timeout: float = 15.0) -> None:
    """Wait on a condition with a deadline (like qtbot.waitUntil), never a fixed sleep."""
    deadline = time.monotonic() + timeout
    tick = threading.Event()
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        tick.wait(0.02)
