"""A real loopback sandbox, a real SQLite event log in tmp_path and the shared http client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from criteo_console.criteo import make_http_client
from criteo_console.sandbox import SandboxConfig, SandboxServer
from criteo_console.session import ValidationSession
from criteo_console.storage import EventLog, Profile, sandbox_profile


class Sleeps:
    """Stands in for asyncio.sleep in retry back-off: records the waits, returns at once."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(SandboxConfig(slow_delay=5.0)) as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    async with make_http_client(timeout=5.0) as client:
        yield client


@pytest.fixture
def event_log(tmp_path: Path) -> Iterator[EventLog]:
    with EventLog(tmp_path / "log.sqlite3") as log:
        yield log


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def make_session(
    http: httpx.AsyncClient, sandbox: SandboxServer, event_log: EventLog, sleeps: Sleeps
):  # type: ignore[no-untyped-def]
    def make(secret: str = "sandbox-secret", **changes: object) -> ValidationSession:
        profile: Profile = sandbox_profile().with_changes(**changes)
        return ValidationSession(
            http=http,
            profile=profile,
            secret=secret,
            event_log=event_log,
            base_url=sandbox.base_url,
            sleep=sleeps,
        )

    return make
