"""Fixtures for the client's tests over a real loopback socket."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from criteo_console.criteo import make_http_client
from criteo_console.sandbox import SandboxConfig, SandboxServer

from .helpers import Sleeps


class TokenSpy:
    """Reads the access tokens off the wire, so tests can prove they are never shown."""

    def __init__(self) -> None:
        self.tokens: list[str] = []

    async def __call__(self, response: httpx.Response) -> None:
        if response.request.url.path.endswith("/oauth2/token") and response.status_code == 200:
            await response.aread()
            self.tokens.append(response.json()["access_token"])


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(slow_delay=5.0)


@pytest.fixture
def sandbox(sandbox_config: SandboxConfig) -> Iterator[SandboxServer]:
    with SandboxServer(sandbox_config) as server:
        yield server


@pytest.fixture
def token_spy() -> TokenSpy:
    return TokenSpy()


@pytest.fixture
def http_timeout() -> float:
    return 5.0


@pytest.fixture
async def http(token_spy: TokenSpy, http_timeout: float) -> AsyncIterator[httpx.AsyncClient]:
    client = make_http_client(timeout=http_timeout)
    client.event_hooks["response"].append(token_spy)
    async with client:
        yield client


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()
