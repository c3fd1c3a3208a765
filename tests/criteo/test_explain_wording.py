"""The client's explanations name whoever answered: "Criteo" on Criteo's own address (its
wording unchanged), "the sandbox" on this computer, "the server at …" elsewhere. The name
comes from ``core.verdict.wording_for``, the one wording source."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from criteo_console.core.verdict import wording_for
from criteo_console.criteo import CriteoClient, Kind, RetryPolicy, explain
from criteo_console.criteo.events import EventsSender
from criteo_console.sandbox import SandboxConfig, SandboxServer

CRITEO = "https://api.criteo.com"
SANDBOX = "http://127.0.0.1:8787"
ELSEWHERE = "https://staging.example.test"
NO_RETRY = RetryPolicy(max_attempts=1)

Answer = Callable[[httpx.Request], httpx.Response]


def token_ok(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/oauth2/token":
        return httpx.Response(200, json={"access_token": "tok-abcdef-123", "expires_in": 900})
    return httpx.Response(
        400, json={"errors": [{"code": "bad-request", "detail": "The request is invalid."}]}
    )


async def client_for(base_url: str, answer: Answer) -> tuple[CriteoClient, httpx.AsyncClient]:
    http = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    return CriteoClient(http, base_url, "2026-01", "id", "secret", policy=NO_RETRY), http


@pytest.mark.parametrize(
    ("base_url", "said"),
    [
        (CRITEO, "Criteo issued an access token, valid for 15 minutes."),  # as it always read
        (SANDBOX, "The sandbox issued an access token, valid for 15 minutes."),
        (ELSEWHERE, "The server at staging.example.test issued an access token, valid for 15 "
         "minutes."),
    ],
)  # fmt: skip
async def test_the_token_explanation_names_the_destination(base_url: str, said: str) -> None:
    client, http = await client_for(base_url, token_ok)
    async with http:
        result = await client.check_token()
    assert result.ok and result.explanation == said


@pytest.mark.parametrize(
    ("base_url", "head"),
    [(CRITEO, "Criteo refused the advertiser list"), (SANDBOX, "The sandbox refused the")],
)
async def test_the_scope_explanation_names_the_destination(base_url: str, head: str) -> None:
    client, http = await client_for(base_url, token_ok)
    async with http:
        result = await client.check_scope(1234567)
    assert result.kind is Kind.BAD_RESPONSE
    assert result.explanation.startswith(head), result.explanation
    assert result.explanation.startswith("Criteo") == (base_url == CRITEO)


@pytest.mark.parametrize("base_url", [CRITEO, SANDBOX])
async def test_a_refused_token_and_a_refused_client_name_the_destination(base_url: str) -> None:
    name = wording_for(base_url).title

    def refuse(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth2/token":
            return httpx.Response(400, json={"error": "invalid_client"})
        return httpx.Response(401, json={"errors": [{"code": "authorization-token-invalid"}]})

    client, http = await client_for(base_url, refuse)
    async with http:
        bad_client = await client.check_token()
    assert bad_client.explanation.startswith(f"{name} rejected the client id or secret")
    if base_url == CRITEO:
        assert bad_client.explanation == explain.BAD_CLIENT  # Criteo's wording unchanged

    client, http = await client_for(base_url, lambda r: token_ok(r) if "oauth2" in r.url.path
                                    else refuse(r))  # fmt: skip
    async with http:
        scope = await client.check_scope(1234567)
    assert scope.kind is Kind.AUTH
    assert scope.explanation.startswith(f"{name} did not accept the access token")


def test_criteos_wording_is_unchanged_and_every_function_follows_the_name() -> None:
    assert explain.BAD_CLIENT.startswith("Criteo rejected the client id or secret: check both")
    assert explain.destination_name(CRITEO) == "Criteo"
    assert explain.destination_name(SANDBOX) == "the sandbox"
    said = {
        "token": explain.token_issued("15 minutes"),
        "refused": explain.token_refused(400, "{}"),
        "rate": explain.rate_limited(2, 5.0),
        "server": explain.server_error(502, 3, ()),
        "timeout": explain.transport("timeout", "timed out", CRITEO, 2),
        "network": explain.transport("network", "reset", CRITEO, 1),
        "redirect": explain.redirected("conversion", "https://x.example/"),
        "retired": explain.retired("2023-07"),
        "unconfirmed": explain.no_confirmation(200, "an empty body"),
        "lost": explain.sent_without_answer(1),
    }
    assert said["token"] == "Criteo issued an access token, valid for 15 minutes."
    assert said["rate"].startswith("Criteo is limiting how often this app may call (HTTP 429)")
    assert " Criteo asks to wait about 5 s." in said["rate"]
    assert said["server"].startswith("Criteo's server had a problem (HTTP 502)")
    assert said["timeout"].startswith("Criteo (api.criteo.com) did not answer in time")
    assert said["network"].startswith("Could not reach Criteo at api.criteo.com")
    assert said["lost"].endswith("it may or may not have reached Criteo; check before sending it "
                                 "again.")  # fmt: skip
    sandbox = {
        "token": explain.token_issued("15 minutes", "the sandbox"),
        "refused": explain.token_refused(400, "{}", "the sandbox"),
        "rate": explain.rate_limited(2, 5.0, "the sandbox"),
        "server": explain.server_error(502, 3, (), "the sandbox"),
        "timeout": explain.transport("timeout", "timed out", SANDBOX, 2, "the sandbox"),
        "network": explain.transport("network", "reset", SANDBOX, 1, "the sandbox"),
        "redirect": explain.redirected("conversion", "https://x.example/", "the sandbox"),
        "retired": explain.retired("2023-07", "the sandbox"),
        "unconfirmed": explain.no_confirmation(200, "an empty body", "the sandbox"),
        "lost": explain.sent_without_answer(1, "the sandbox"),
    }
    for key, text in sandbox.items():
        assert "Criteo" not in text, key
        assert "sandbox" in text, key
        if key == "server":  # Criteo's support has no counterpart on the sandbox
            text = text.replace(explain.support("the sandbox"), explain.SUPPORT)
        assert (
            text.replace("The sandbox", "Criteo")
            .replace("the sandbox", "Criteo")
            .replace(SANDBOX.removeprefix("http://"), "api.criteo.com")
            == said[key]
        ), key


async def test_a_real_sandbox_send_reads_in_the_sandboxs_words() -> None:
    with SandboxServer(SandboxConfig()) as sandbox:
        async with httpx.AsyncClient() as http:
            client = CriteoClient(
                http, sandbox.base_url, "2026-01", "sandbox-client", SandboxConfig().client_secret
            )
            token = await client.check_token()
            scope = await client.check_scope(1234567)
    assert token.explanation.startswith("The sandbox issued an access token")
    assert scope.ok and "Criteo" not in scope.explanation


@pytest.mark.parametrize(
    ("base_url", "said"),
    [
        ("https://widget.criteo.com", "Criteo's Events API took the event"),
        (SANDBOX, "The sandbox's Events API took the event"),
    ],
)
async def test_the_events_sender_names_the_destination_too(base_url: str, said: str) -> None:
    def taken(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"errors": [], "warnings": []})

    async with httpx.AsyncClient(transport=httpx.MockTransport(taken)) as http:
        result = await EventsSender(http, base_url).send({"account": "1", "events": []})
    assert result.ok and result.explanation == f"{said}."
