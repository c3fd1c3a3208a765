"""A real sandbox on a free loopback port per test, and plain httpx clients to talk to it."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from criteo_console.sandbox import SandboxConfig, SandboxServer

GUIDE_BODY: dict[str, Any] = {
    "data": [
        {
            "type": "Conversion",
            "attributes": {
                "advertiser_id": 1234567,
                "event_name": "purchase",
                "event_time": "2026-04-24T13:14:58Z",
                "identifiers": {
                    "email_sha256": (
                        "4a7d1ed414474e4033ac29ccb8653d9b2f4b1a6f6d8d1df9bca7eac191f85632"
                    ),
                    "customer_id": "cust_78421",
                },
                "transaction_data": {
                    "id": "PS-10428",
                    "currency": "EUR",
                    "value": 149.90,
                    "item": [
                        {"id": "SKU-BLK-42", "price": 79.95, "quantity": 1},
                        {"id": "SKU-GRN-11", "price": 69.95, "quantity": 1},
                    ],
                },
            },
        }
    ]
}

TOKEN_FORM = {
    "grant_type": "client_credentials",
    "client_id": "sandbox-client",
    "client_secret": "sandbox-secret",
}


def guide_body(**changes: Any) -> dict[str, Any]:
    """The integration guide's body with attributes changed; a value of ... removes the key."""
    body = copy.deepcopy(GUIDE_BODY)
    attrs = body["data"][0]["attributes"]
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        target = attrs
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if value is ...:
            del target[last]
        else:
            target[last] = value
    return body


StartSandbox = Callable[..., SandboxServer]


@pytest.fixture
def start_sandbox() -> Iterator[StartSandbox]:
    started: list[SandboxServer] = []

    def start(**config: Any) -> SandboxServer:
        server = SandboxServer(SandboxConfig(**config)).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def sandbox(start_sandbox: StartSandbox) -> SandboxServer:
    return start_sandbox()


@pytest.fixture
def client(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.base_url, timeout=10) as c:
        yield c


def get_token(client: httpx.Client, **form: str) -> str:
    response = client.post("/oauth2/token", data={**TOKEN_FORM, **form})
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


@pytest.fixture
def auth(client: httpx.Client) -> dict[str, str]:
    return {"Authorization": f"Bearer {get_token(client)}"}
