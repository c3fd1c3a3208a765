"""The client against the sandbox over a real loopback socket, one fault at a time.

Each case checks what the user would read (kind + explanation) and exactly how many requests
reached each endpoint. Every case also proves that neither the client secret nor any access
token leaked into a log record, a result or an exchange record.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest

from criteo_console.criteo import CriteoClient, Kind, Result, RetryPolicy
from criteo_console.sandbox import Fault, SandboxConfig, SandboxServer

from .conftest import TokenSpy
from .helpers import Sleeps, payload
from .stub_server import StubServer

SECRET = "sandbox-secret"
FAST = RetryPolicy(max_attempts=3, max_total_seconds=30, base_delay=0.01, max_delay=0.05)


class Matrix:
    def __init__(self, http: httpx.AsyncClient, sandbox: SandboxServer, sleeps: Sleeps) -> None:
        self.http = http
        self.sandbox = sandbox
        self.sleeps = sleeps
        self.results: list[Result] = []

    def client(
        self,
        *,
        secret: str = SECRET,
        base_url: str | None = None,
        version: str = "2026-01",
        policy: RetryPolicy = FAST,
    ) -> CriteoClient:
        return CriteoClient(
            self.http,
            base_url or self.sandbox.base_url,
            version,
            "sandbox-client",
            secret,
            policy=policy,
            sleep=self.sleeps,
        )

    def keep(self, result: Result) -> Result:
        self.results.append(result)
        return result

    async def send(self, client: CriteoClient, body: dict[str, Any]) -> Result:
        return self.keep(await client.send_conversion(body))

    def counts(self) -> tuple[int, int, int]:
        """(token, advertisers, conversions) requests the sandbox saw."""
        s = self.sandbox
        return (
            s.request_count("token"),
            s.request_count("advertisers"),
            s.request_count("conversions"),
        )


@pytest.fixture
def matrix(
    http: httpx.AsyncClient,
    sandbox: SandboxServer,
    sleeps: Sleeps,
    token_spy: TokenSpy,
    caplog: pytest.LogCaptureFixture,
) -> Iterator[Matrix]:
    caplog.set_level(logging.DEBUG)
    m = Matrix(http, sandbox, sleeps)
    yield m
    shown = caplog.text + "".join(
        repr(r) + json.dumps([e.to_dict() for e in r.exchanges]) for r in m.results
    )
    assert SECRET not in shown
    for token in token_spy.tokens:
        assert token not in shown
    assert m.results, "each case records what it checked"


async def test_good_send(matrix: Matrix) -> None:
    client = matrix.client()
    token = matrix.keep(await client.check_token())
    scope = matrix.keep(await client.check_scope(1234567))
    sent = await matrix.send(client, payload(order_id="PS-GOOD"))
    assert token.ok and token.kind is Kind.TOKEN_OK
    assert scope.ok and scope.kind is Kind.IN_SCOPE
    assert "1234567 (Sandbox Shop) is in this account's scope" in scope.explanation
    assert sent.ok and sent.kind is Kind.ACCEPTED
    assert sent.trace_id and sent.trace_id in sent.explanation
    assert matrix.counts() == (1, 1, 1)
    # Money went out exactly as written, and the sandbox read it back as such.
    body = sent.exchanges[-1].request_body
    assert '"value": 149.90' in body and '"price": 79.95' in body
    received = matrix.sandbox.find_received("PS-GOOD")[0]
    assert Decimal(str(received.body["data"][0]["attributes"]["transaction_data"]["value"])) == (
        Decimal("149.90")
    )


async def test_wrong_secret(matrix: Matrix) -> None:
    client = matrix.client(secret="not-the+secret&=")
    sent = await matrix.send(client, payload())
    assert sent.kind is Kind.AUTH and not sent.ok
    assert "The sandbox rejected the client id or secret" in sent.explanation
    assert client.token_state.last_error == sent.explanation
    assert matrix.counts() == (1, 0, 0)


async def test_expired_token_mid_run_is_refreshed_and_retried_once(matrix: Matrix) -> None:
    client = matrix.client()
    assert (await matrix.send(client, payload(order_id="PS-E1"))).ok
    matrix.sandbox.expire_tokens()
    sent = await matrix.send(client, payload(order_id="PS-E2"))
    assert sent.ok and sent.kind is Kind.ACCEPTED
    assert [(e.step, e.status) for e in sent.exchanges] == [
        ("conversions", 401),
        ("token", 200),
        ("conversions", 200),
    ]
    assert matrix.counts() == (2, 0, 3)


async def test_token_refused_even_after_refresh_is_not_retried_again(matrix: Matrix) -> None:
    client = matrix.client()
    matrix.sandbox.queue_fault(Fault.EXPIRED_TOKEN, times=2, endpoint="conversions")
    sent = await matrix.send(client, payload())
    assert sent.kind is Kind.AUTH
    assert "even a fresh one" in sent.explanation
    assert matrix.counts() == (2, 0, 2)


async def test_out_of_scope_advertiser_is_explained_and_not_retried(matrix: Matrix) -> None:
    client = matrix.client()
    scope = matrix.keep(await client.check_scope(7654321))
    sent = await matrix.send(client, payload(advertiser_id=7654321))
    expected = (
        "The token works, but advertiser 7654321 is not in this account's scope, so these "
        "credentials cannot send its conversions. Check the advertiser id; if it is right, ask "
        "the advertiser to give your app access to it in Criteo (redo the consent)"
    )
    assert scope.kind is Kind.SCOPE and expected in scope.explanation
    assert "1234567 (Sandbox Shop)" in scope.explanation  # what the credentials do reach
    assert sent.kind is Kind.SCOPE and expected in sent.explanation
    assert sent.status == 403 and sent.trace_id
    assert matrix.counts() == (1, 1, 1)


async def test_rate_limited_then_success(matrix: Matrix) -> None:
    client = matrix.client()
    matrix.sandbox.queue_fault(Fault.RATE_LIMIT, endpoint="conversions")
    sent = await matrix.send(client, payload())
    assert sent.ok and sent.kind is Kind.ACCEPTED
    assert [e.status for e in sent.exchanges if e.step == "conversions"] == [429, 200]
    # The wait came from x-ratelimit-reset (about a second ahead), not from a guess.
    assert len(matrix.sleeps.calls) == 1 and 0 <= matrix.sleeps.calls[0] <= 2.0
    assert matrix.counts() == (1, 0, 2)


async def test_rate_limited_until_attempts_run_out(matrix: Matrix) -> None:
    client = matrix.client()
    matrix.sandbox.queue_fault(Fault.RATE_LIMIT, times=5, endpoint="conversions")
    sent = await matrix.send(client, payload())
    assert sent.kind is Kind.RATE_LIMITED
    assert "limiting how often this app may call" in sent.explanation
    assert matrix.counts() == (1, 0, 3)


async def test_server_errors_give_up_after_the_configured_attempts(matrix: Matrix) -> None:
    client = matrix.client()
    matrix.sandbox.queue_fault(Fault.SERVER_ERROR, times=5, endpoint="conversions")
    sent = await matrix.send(client, payload())
    assert sent.kind is Kind.SERVER and not sent.ok
    assert "HTTP 503" in sent.explanation and "after 3 attempts" in sent.explanation
    assert sent.trace_id
    assert len(matrix.sleeps.calls) == 2
    assert matrix.counts() == (1, 0, 3)


async def test_server_error_then_success(matrix: Matrix) -> None:
    client = matrix.client()
    matrix.sandbox.queue_fault(Fault.SERVER_ERROR, times=2, endpoint="conversions")
    sent = await matrix.send(client, payload())
    assert sent.ok
    assert matrix.counts() == (1, 0, 3)


@pytest.mark.parametrize("http_timeout", [0.3])
async def test_timeout(matrix: Matrix) -> None:
    client = matrix.client(policy=RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.01))
    assert (await client.check_token()).ok
    matrix.sandbox.queue_fault(Fault.SLOW, times=2, endpoint="conversions")
    sent = await matrix.send(client, payload())
    assert sent.kind is Kind.TIMEOUT
    assert "did not answer in time" in sent.explanation and "after 2 attempts" in sent.explanation
    assert "may or may not have reached the sandbox" in sent.explanation
    assert all(e.status is None and e.error for e in sent.exchanges)
    assert matrix.counts() == (1, 0, 2)


async def test_dropped_connection_is_retried(matrix: Matrix) -> None:
    client = matrix.client()
    matrix.sandbox.queue_fault(Fault.DROP_CONNECTION, endpoint="conversions")
    sent = await matrix.send(client, payload())
    assert sent.ok
    assert sent.exchanges[1].error == "the connection was dropped before an answer arrived"
    assert matrix.counts() == (1, 0, 2)


async def test_dropped_connection_every_time(matrix: Matrix) -> None:
    client = matrix.client()
    matrix.sandbox.queue_fault(Fault.DROP_CONNECTION, times=3, endpoint="conversions")
    sent = await matrix.send(client, payload())
    assert sent.kind is Kind.NETWORK
    assert "Could not reach the sandbox" in sent.explanation and "dropped" in sent.explanation
    assert matrix.counts() == (1, 0, 3)


async def test_malformed_json_is_shown_raw_and_not_retried(matrix: Matrix) -> None:
    client = matrix.client()
    matrix.sandbox.queue_fault(Fault.MALFORMED_JSON, endpoint="conversions")
    sent = await matrix.send(client, payload())
    assert sent.kind is Kind.BAD_RESPONSE
    assert "could not be understood" in sent.explanation
    assert 'Raw answer: {"data": [{"type": "Conversion"' in sent.explanation
    assert "check before sending it again" in sent.explanation
    assert matrix.counts() == (1, 0, 1)


async def test_contract_errors_are_listed_with_their_pointer(matrix: Matrix) -> None:
    client = matrix.client()
    body = payload()
    body["data"][0]["attributes"]["transaction_data"]["currency"] = "EURO"
    sent = await matrix.send(client, body)
    assert sent.kind is Kind.REJECTED and sent.status == 400
    assert "/data/0/attributes/transaction_data/currency" in sent.explanation
    assert sent.errors[0].pointer == "/data/0/attributes/transaction_data/currency"
    assert matrix.counts() == (1, 0, 1)


async def test_a_200_from_the_sandbox_carrying_errors_is_a_rejection(matrix: Matrix) -> None:
    client = matrix.client()
    matrix.sandbox.queue_fault(Fault.ERRORS_IN_200, endpoint="conversions")
    sent = await matrix.send(client, payload())
    assert sent.kind is Kind.REJECTED and not sent.ok and sent.status == 200
    assert "answered 200 but reported errors" in sent.explanation
    assert "could not be recorded" in sent.explanation
    assert sent.trace_id
    assert matrix.counts() == (1, 0, 1)  # not retried


async def test_a_200_carrying_errors_is_a_rejection(
    http: httpx.AsyncClient, sleeps: Sleeps, matrix: Matrix
) -> None:
    # Criteo's own shape, with a source pointer, played by a loopback stub.
    error = {
        "traceId": "trace-200",
        "code": "invalid-identifier",
        "title": "Invalid identifier",
        "detail": "email_sha256 is not a SHA-256 hex digest",
        "source": {"pointer": "/data/0/attributes/identifiers/email_sha256"},
    }
    routes = {
        "/oauth2/token": (200, {}, {"access_token": "stub-token-1", "expires_in": 900}),
        "/conversions": (200, {}, {"data": [], "errors": [error], "warnings": []}),
    }
    with StubServer(routes) as stub:
        client = matrix.client(base_url=stub.base_url)
        sent = await matrix.send(client, payload())
    assert sent.kind is Kind.REJECTED and not sent.ok and sent.status == 200
    assert "answered 200 but reported errors" in sent.explanation
    assert "email_sha256 is not a SHA-256 hex digest" in sent.explanation
    assert "trace-200" in sent.explanation and sent.trace_id == "trace-200"
    assert dict(stub.counts) == {"/oauth2/token": 1, "/conversions": 1}
    assert "stub-token-1" not in json.dumps([e.to_dict() for e in sent.exchanges])


async def test_deprecated_version_headers_become_a_warning(matrix: Matrix) -> None:
    client = matrix.client(version="2026-01")
    matrix.sandbox.queue_fault(Fault.DEPRECATED, endpoint="conversions")
    sent = await matrix.send(client, payload())
    assert sent.ok
    assert sent.deprecation is not None
    assert "API version 2026-01 is being retired on 2027-01-01" in sent.deprecation
    assert matrix.counts() == (1, 0, 1)


@pytest.mark.parametrize("sandbox_config", [SandboxConfig(retired_versions=frozenset({"2023-07"}))])
async def test_retired_version(matrix: Matrix) -> None:
    client = matrix.client(version="2023-07")
    sent = await matrix.send(client, payload())
    assert sent.kind is Kind.RETIRED and sent.status == 410
    assert "API version 2023-07 is retired" in sent.explanation
    assert "pick a supported version in the profile" in sent.explanation.lower()
    assert matrix.counts() == (1, 0, 1)


async def test_plain_http_to_a_remote_host_is_refused_before_any_request(matrix: Matrix) -> None:
    seen: list[httpx.Request] = []

    async def spy(request: httpx.Request) -> None:
        seen.append(request)

    matrix.http.event_hooks["request"].append(spy)
    client = matrix.client(base_url="http://api.criteo.com")
    results = [
        matrix.keep(await client.check_token()),
        matrix.keep(await client.check_scope(1234567)),
        await matrix.send(client, payload()),
    ]
    for result in results:
        assert result.kind is Kind.REFUSED_URL and not result.ok
        assert "must start with https://" in result.explanation
        assert result.exchanges == ()
    assert seen == []
    assert matrix.counts() == (0, 0, 0)


async def test_twenty_concurrent_sends_share_one_token_request(matrix: Matrix) -> None:
    client = matrix.client()
    results = await asyncio.gather(
        *(client.send_conversion(payload(order_id=f"PS-C{i}")) for i in range(20))
    )
    for result in results:
        matrix.keep(result)
    assert all(r.kind is Kind.ACCEPTED for r in results)
    assert sum(1 for r in results for e in r.exchanges if e.step == "token") == 1
    assert matrix.counts() == (1, 0, 20)


async def test_twenty_concurrent_sends_after_expiry_share_one_refresh(matrix: Matrix) -> None:
    client = matrix.client()
    assert (await client.check_token()).ok
    matrix.sandbox.expire_tokens()
    results = await asyncio.gather(
        *(client.send_conversion(payload(order_id=f"PS-X{i}")) for i in range(20))
    )
    for result in results:
        matrix.keep(result)
    assert all(r.ok for r in results)
    assert matrix.counts() == (2, 0, 40)
