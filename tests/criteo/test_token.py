"""The token provider: encoding, caching, refresh timing, single flight, plain failures."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from urllib.parse import parse_qs

import httpx
import pytest

from criteo_console.criteo import Kind, TokenFailure, TokenProvider
from criteo_console.criteo.explain import bad_client

from .helpers import Clock

SECRET = "p+ss&w=rd/%x"
BASE = "https://api.criteo.test"


class FakeCriteo:
    def __init__(self, answer: Callable[[httpx.Request], httpx.Response] | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.answer = answer
        self.issued = 0

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        await asyncio.sleep(0)  # let concurrent callers pile up
        if self.answer is not None:
            return self.answer(request)
        self.issued += 1
        return httpx.Response(
            200,
            json={
                "access_token": f"tok-{self.issued}-abcdef",
                "token_type": "Bearer",
                "expires_in": 900,
                "refresh_token": None,
            },
        )


@pytest.fixture
def fake() -> FakeCriteo:
    return FakeCriteo()


@pytest.fixture
async def http(fake: FakeCriteo) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake)) as client:
        yield client


def provider(http: httpx.AsyncClient, clock: Clock | None = None) -> TokenProvider:
    return TokenProvider(http, BASE, "my-client", SECRET, clock=clock or Clock())


async def test_secret_with_plus_ampersand_equals_reaches_criteo_intact(
    http: httpx.AsyncClient, fake: FakeCriteo
) -> None:
    await provider(http).get()
    request = fake.requests[0]
    assert request.url == f"{BASE}/oauth2/token"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    form = parse_qs(request.content.decode())
    assert form == {
        "grant_type": ["client_credentials"],
        "client_id": ["my-client"],
        "client_secret": [SECRET],
    }


async def test_token_is_cached_and_refreshed_60_s_before_expiry(
    http: httpx.AsyncClient, fake: FakeCriteo
) -> None:
    clock = Clock()
    tokens = provider(http, clock)
    first = await tokens.get()
    assert tokens.state.acquired_at == clock.now
    assert tokens.state.expires_at == clock.now + 900
    clock.now += 839
    assert (await tokens.get()).token == first.token
    assert len(fake.requests) == 1
    clock.now += 2  # 59 s before expiry
    second = await tokens.get()
    assert second.token != first.token
    assert len(fake.requests) == 2


async def test_twenty_concurrent_callers_share_one_token_request(
    http: httpx.AsyncClient, fake: FakeCriteo
) -> None:
    tokens = provider(http)
    grants = await asyncio.gather(*(tokens.get() for _ in range(20)))
    assert len(fake.requests) == 1
    assert len({g.token for g in grants}) == 1
    # The trace of the token request belongs to one caller, not twenty.
    assert sum(len(g.exchanges) for g in grants) == 1


async def test_invalidate_forgets_only_the_refused_token(
    http: httpx.AsyncClient, fake: FakeCriteo
) -> None:
    tokens = provider(http)
    old = (await tokens.get()).token
    tokens.invalidate(old)
    new = (await tokens.get()).token
    tokens.invalidate(old)  # a late 401 for the old token must not throw the new one away
    assert (await tokens.get()).token == new
    assert len(fake.requests) == 2


async def test_wrong_credentials_give_a_plain_message_and_state(fake: FakeCriteo) -> None:
    fake.answer = lambda _: httpx.Response(
        400,
        json={"error": "invalid_client", "error_description": "The client authentication failed"},
    )
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake)) as http:
        tokens = provider(http)
        with pytest.raises(TokenFailure) as caught:
            await tokens.get()
    assert caught.value.kind is Kind.AUTH
    # Named after the destination: api.criteo.test is not Criteo's own address.
    said = bad_client("the server at api.criteo.test")
    assert said.startswith("The server at api.criteo.test rejected the client id or secret")
    assert caught.value.explanation == said
    assert "rejected the client id or secret" in str(caught.value)
    assert tokens.state.last_error == said
    assert tokens.state.has_token is False
    assert len(fake.requests) == 1  # a wrong secret is not retried


async def test_unexpected_refusal_shows_the_raw_body_without_the_secret(fake: FakeCriteo) -> None:
    fake.answer = lambda _: httpx.Response(
        401, json={"message": f"nope, {SECRET} is not a secret we know"}
    )
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake)) as http:
        with pytest.raises(TokenFailure) as caught:
            await provider(http).get()
    assert caught.value.kind is Kind.AUTH
    assert "not a secret we know" in caught.value.explanation
    assert SECRET not in caught.value.explanation
    assert SECRET not in json.dumps([e.to_dict() for e in caught.value.exchanges])


async def test_200_without_a_token_is_a_bad_response_with_the_raw_body(fake: FakeCriteo) -> None:
    fake.answer = lambda _: httpx.Response(200, text="<html>captive portal</html>")
    async with httpx.AsyncClient(transport=httpx.MockTransport(fake)) as http:
        with pytest.raises(TokenFailure) as caught:
            await provider(http).get()
    assert caught.value.kind is Kind.BAD_RESPONSE
    assert "captive portal" in caught.value.explanation


async def test_token_and_secret_never_show_in_repr_state_or_trace(
    http: httpx.AsyncClient, fake: FakeCriteo
) -> None:
    tokens = provider(http)
    grant = await tokens.get()
    shown = " ".join(
        [repr(tokens), str(tokens.state), repr(grant), str(grant.token), f"{grant.token}"]
        + [json.dumps(e.to_dict()) for e in grant.exchanges]
    )
    assert "tok-1-abcdef" not in shown
    assert SECRET not in shown
    assert "client_secret=•••" in grant.exchanges[0].request_body
    assert '"access_token":"•••"' in grant.exchanges[0].response_body


class HeldCriteo(FakeCriteo):
    """Holds every token request until released, so callers can give up while it is out."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived = asyncio.Event()
        self.release = asyncio.Event()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.arrived.set()
        await self.release.wait()
        return await super().__call__(request)


async def test_the_token_request_stops_when_its_last_caller_gives_up() -> None:
    held = HeldCriteo()
    async with httpx.AsyncClient(transport=httpx.MockTransport(held)) as http:
        tokens = provider(http)
        caller = asyncio.create_task(tokens.get())
        await held.arrived.wait()
        flight = tokens._flight
        assert flight is not None

        caller.cancel()
        with pytest.raises(asyncio.CancelledError):
            await caller
        with pytest.raises(asyncio.CancelledError):  # a TimeoutError if it were left running
            await asyncio.wait_for(asyncio.shield(flight), timeout=5)

    assert flight.cancelled()
    assert tokens._flight is None


async def test_the_token_request_goes_on_while_another_caller_waits() -> None:
    held = HeldCriteo()
    async with httpx.AsyncClient(transport=httpx.MockTransport(held)) as http:
        tokens = provider(http)
        quitter = asyncio.create_task(tokens.get())
        stayer = asyncio.create_task(tokens.get())
        await held.arrived.wait()

        quitter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await quitter
        held.release.set()
        grant = await stayer

    assert grant.token
    assert len(held.requests) == 1
