"""One sender per destination (``core.destinations``), chosen from this table by name.

A sender knows where it posts, which headers the event log may show, the step name its
exchanges carry, and how to send one body. The session asks this table; it never compares
destination names itself.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Protocol

import httpx

from criteo_console.criteo.client import CriteoClient
from criteo_console.criteo.events import EventsSender
from criteo_console.criteo.policy import RetryPolicy
from criteo_console.criteo.results import SendResult


class Sender(Protocol):
    @property
    def step(self) -> str: ...

    @property
    def url(self) -> str: ...

    @property
    def request_headers(self) -> dict[str, str]:
        """As recorded in the event log (never a real token)."""
        ...

    async def send(self, payload: Mapping[str, Any]) -> SendResult: ...


class ConversionsSender:
    """The guide's ``POST {version}/conversions`` through the OAuth client."""

    step = "conversions"

    def __init__(self, client: CriteoClient) -> None:
        self._client = client

    @property
    def url(self) -> str:
        return f"{self._client.base_url}/{self._client.version}/conversions"

    @property
    def request_headers(self) -> dict[str, str]:
        return {
            "Authorization": "Bearer [redacted]",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }

    async def send(self, payload: Mapping[str, Any]) -> SendResult:
        return await self._client.send_conversion(payload)


SenderFactory = Callable[..., Sender]


def _conversions(*, client: CriteoClient, **_: Any) -> Sender:
    return ConversionsSender(client)


def _events(
    *,
    http: httpx.AsyncClient,
    base_url: str,
    policy: RetryPolicy | None,
    sleep: Callable[[float], Awaitable[None]],
    **_: Any,
) -> Sender:
    return EventsSender(http, base_url, policy=policy, sleep=sleep)


SENDERS: Mapping[str, SenderFactory] = {"conversions": _conversions, "events": _events}


def make_sender(
    destination: str,
    *,
    http: httpx.AsyncClient,
    client: CriteoClient,
    base_url: str,
    policy: RetryPolicy | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> Sender:
    """KeyError for a destination without a sender (a test keeps both tables in step)."""
    return SENDERS[destination](
        http=http, client=client, base_url=base_url, policy=policy, sleep=sleep
    )
