"""The client against servers that misbehave on purpose (real loopback sockets).

Cut-off token answers, echoes of the request, gzip bombs, huge answers, drips, silence,
redirects, empty "successes" and plain HTTP behind https://: each case checks what the user
reads, that nothing secret is in it, and how many requests the server saw.
"""

from __future__ import annotations

import functools
import json
import re
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from criteo_console.cli import main
from criteo_console.core.examples import guide_example_order
from criteo_console.criteo import CriteoClient, Kind, Result, RetryPolicy, make_http_client

from ..hostile_server import (
    HostileServer,
    drip,
    echo_in_error,
    gzip_bomb,
    raw,
    silent,
    token,
)
from .helpers import Sleeps, payload

TOKEN = "eyJhbGciOiJIUzI1NiJ9.CANARY-token-7f3a+b/c=="
SECRET = "CANARY-secret-92kd&x=1"
FAST = RetryPolicy(max_attempts=3, base_delay=0.01, max_delay=0.05)
ADVERTISERS = {"data": [{"id": "1234567", "attributes": {"advertiserName": "Shop"}}]}


def client(
    plain_http: httpx.AsyncClient,
    server: HostileServer,
    sleeps: Sleeps,
    *,
    policy: RetryPolicy = FAST,
    base_url: str | None = None,
) -> CriteoClient:
    return CriteoClient(
        plain_http,
        base_url or server.base_url,
        "2026-01",
        "id",
        SECRET,
        policy=policy,
        sleep=sleeps,
    )


def shown(result: Result) -> str:
    """Everything a user or the event log gets from a result."""
    parts = {
        "explanation": result.explanation,
        "errors": [repr(p) for p in (*result.errors, *result.warnings)],
        "exchanges": [e.to_dict() for e in result.exchanges],
        "data": repr(getattr(result, "data", ())),
    }
    return json.dumps(parts, ensure_ascii=False)


def assert_no_secret(result: Result) -> None:
    text = shown(result).lower()
    for value in (TOKEN, SECRET, "CANARY-token", "CANARY-secret"):
        assert value.lower() not in text


@pytest.fixture
async def plain_http() -> AsyncIterator[httpx.AsyncClient]:
    """The app's client with no test hooks (the token spy would choke on a cut-off answer)."""
    async with make_http_client(timeout=5.0) as http:
        yield http


def routes(**extra: object) -> dict[str, object]:
    return {
        "/oauth2/token": token(TOKEN),
        "/advertisers/me": raw(200, json.dumps(ADVERTISERS).encode()),
        **extra,
    }


@pytest.fixture
def hostile() -> Iterator[list[HostileServer]]:
    servers: list[HostileServer] = []
    yield servers
    for server in servers:
        server.__exit__(None, None, None)


def start(hostile: list[HostileServer], **extra: object) -> HostileServer:
    server = HostileServer(routes(**extra))  # type: ignore[arg-type]
    hostile.append(server.__enter__())
    return server


# -- leaks (issue 9, items 3 and 4) -------------------------------------------------------


async def test_a_token_answer_cut_off_before_its_closing_quote_is_never_shown(
    plain_http: httpx.AsyncClient, hostile: list[HostileServer], sleeps: Sleeps
) -> None:
    cut = b'{"token_type": "Bearer", "access_token": "' + TOKEN.encode()
    server = start(hostile, **{"/oauth2/token": raw(200, cut)})
    result = await client(plain_http, server, sleeps).check_token()
    assert not result.ok and result.kind is Kind.BAD_RESPONSE
    assert '"access_token": "•••' in result.explanation  # the user sees where it was
    assert_no_secret(result)


async def test_an_echoing_conversions_endpoint_shows_no_token_in_the_explanation_or_errors(
    plain_http: httpx.AsyncClient, hostile: list[HostileServer], sleeps: Sleeps
) -> None:
    server = start(hostile, **{"/conversions": echo_in_error(400)})
    sent = await client(plain_http, server, sleeps).send_conversion(payload())
    assert sent.kind is Kind.REJECTED
    assert "Bearer •••" in sent.explanation  # the echo is shown, masked
    assert sent.errors and "Bearer •••" in sent.errors[0].detail
    assert sent.exchanges[-1].response_headers["x-echo"] == "Bearer •••"
    assert_no_secret(sent)


async def test_an_echo_in_upper_case_or_json_escapes_is_masked_too(
    plain_http: httpx.AsyncClient, hostile: list[HostileServer], sleeps: Sleeps
) -> None:
    escaped = json.dumps(TOKEN.upper()).replace("/", "\\/")
    body = '{"errors": [{"code": "x", "detail": "got ' + escaped[1:-1] + ' and jane\\u0040x.com"}]}'
    server = start(hostile, **{"/conversions": raw(400, body.encode())})
    sent = await client(plain_http, server, sleeps).send_conversion(payload())
    assert sent.kind is Kind.REJECTED
    assert "got ••• and •••@•••" in sent.explanation
    assert_no_secret(sent)
    assert "jane" not in shown(sent)


# -- bounded answers (item 16) --------------------------------------------------------------


@functools.cache
def _bomb() -> bytes:
    return gzip_bomb(1 << 30)


async def test_a_gzip_bomb_is_not_unpacked_past_the_cap(
    plain_http: httpx.AsyncClient, hostile: list[HostileServer], sleeps: Sleeps
) -> None:
    bomb = _bomb()
    server = start(hostile, **{"/conversions": raw(200, bomb, {"Content-Encoding": "gzip"})})
    tracemalloc.start()
    try:
        sent = await client(plain_http, server, sleeps).send_conversion(payload())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 24 << 20, f"{peak / 2**20:.0f} MiB used for a 1 MiB answer"
    assert sent.kind is Kind.BAD_RESPONSE
    assert "unpacks to more than the console reads (2 MiB)" in sent.explanation
    assert "may have been recorded" in sent.explanation
    stored = sent.exchanges[-1].response_body
    assert len(stored) < 33_000 and stored.endswith("bytes not shown]")


async def test_a_ten_megabyte_answer_is_not_read_stored_or_printed_whole(
    plain_http: httpx.AsyncClient, hostile: list[HostileServer], sleeps: Sleeps
) -> None:
    huge = b'{"data": ["' + b"x" * 10_000_000 + b'"]}'
    server = start(hostile, **{"/conversions": raw(200, huge)})
    sent = await client(plain_http, server, sleeps).send_conversion(payload())
    assert sent.kind is Kind.BAD_RESPONSE
    assert "the answer is 10,000,014 bytes long, more than the console reads" in sent.explanation
    assert len(sent.explanation) < 1000
    assert len(sent.exchanges[-1].response_body) < 1000


async def test_a_refusal_too_large_to_read_says_so_instead_of_naming_no_fields(
    plain_http: httpx.AsyncClient, hostile: list[HostileServer], sleeps: Sleeps
) -> None:
    huge = json.dumps({"errors": [{"code": "x", "detail": "z" * 10_000_000}]}).encode()
    server = start(hostile, **{"/conversions": raw(400, huge)})
    sent = await client(plain_http, server, sleeps).send_conversion(payload())
    assert sent.kind is Kind.REJECTED
    assert sent.explanation.startswith(
        "Criteo refused the conversion (HTTP 400), but its answer could not be read: the "
        f"answer is {len(huge):,} bytes long, more than the console reads"
    )
    assert "no detail given" not in sent.explanation
    assert len(sent.explanation) < 1000


async def test_a_long_error_answer_is_stored_and_printed_with_a_visible_cut(
    plain_http: httpx.AsyncClient, hostile: list[HostileServer], sleeps: Sleeps
) -> None:
    detail = "d" * 100_000
    body = json.dumps({"errors": [{"code": "x", "detail": detail}]}).encode()
    server = start(hostile, **{"/conversions": raw(400, body)})
    sent = await client(plain_http, server, sleeps).send_conversion(payload())
    assert sent.kind is Kind.REJECTED
    assert len(sent.explanation) < 1200 and "bytes not shown]" in sent.explanation
    assert sent.errors[0].detail.endswith(f"[… {100_000 - 1000:,} bytes not shown]")
    stored = sent.exchanges[-1].response_body
    hidden = len(body) - 32_768
    assert stored.endswith(f" [… {hidden:,} bytes not shown]")


async def test_a_dripping_answer_cannot_extend_the_deadline(
    plain_http: httpx.AsyncClient, hostile: list[HostileServer], sleeps: Sleeps
) -> None:
    # httpx's read timeout (5 s here) starts again with every byte: only the overall
    # deadline stops this answer, which would otherwise take 40 × 0.3 s.
    server = start(hostile, **{"/conversions": drip(0.3, 40)})
    policy = RetryPolicy(max_attempts=1, max_total_seconds=1.0, max_request_seconds=1.0)
    sent = await client(plain_http, server, sleeps, policy=policy).send_conversion(payload())
    assert sent.kind is Kind.TIMEOUT
    assert re.search(r"the answer was still arriving after [01]\.\d s", sent.explanation)
    assert "sent once without a clear answer: it may or may not have reached" in sent.explanation
    assert server.dripped < 10


async def test_a_silent_server_stops_at_the_policy_budget_and_says_how_often_it_was_sent(
    plain_http: httpx.AsyncClient, hostile: list[HostileServer], sleeps: Sleeps
) -> None:
    server = start(hostile, **{"/conversions": silent})
    policy = RetryPolicy(
        max_attempts=4, max_total_seconds=2.0, max_request_seconds=1.2, base_delay=0.01
    )
    sent = await client(plain_http, server, sleeps, policy=policy).send_conversion(payload())
    assert sent.kind is Kind.TIMEOUT
    posts = server.counts["/conversions"]
    assert posts == 2  # 1.2 s, then what is left of the 2 s budget; never a third
    assert f"sent {posts} times (retried as the retry policy allows)" in sent.explanation
    first, second = (e.error or "" for e in sent.exchanges[1:])
    assert first == "timed out: no answer within 1.2 s"
    assert re.fullmatch(r"timed out: no answer within 0\.[3-8] s", second)


# -- answers that are not what they seem (item 17) -----------------------------------------


@pytest.mark.parametrize("status", [302, 307])
async def test_a_redirect_on_conversions_is_reported_not_followed_nor_called_rejected(
    plain_http: httpx.AsyncClient, hostile: list[HostileServer], sleeps: Sleeps, status: int
) -> None:
    where = "https://elsewhere.example/2026-01/conversions"
    server = start(hostile, **{"/conversions": raw(status, b"", {"Location": where})})
    sent = await client(plain_http, server, sleeps).send_conversion(payload())
    assert sent.kind is Kind.BAD_RESPONSE
    assert sent.explanation == (
        f"Criteo redirected the request to {where}; the console does not follow redirects "
        "for conversions (check the base URL)."
    )
    assert server.counts["/conversions"] == 1


@pytest.mark.parametrize(
    ("status", "body", "missing"),
    [
        (204, b"", "an empty body"),
        (200, b"", "an empty body"),
        (200, b"{}", "JSON that holds none of data, errors or warnings"),
    ],
)
async def test_a_success_status_without_an_answer_is_not_accepted(
    plain_http: httpx.AsyncClient,
    hostile: list[HostileServer],
    sleeps: Sleeps,
    status: int,
    body: bytes,
    missing: str,
) -> None:
    server = start(hostile, **{"/conversions": raw(status, body)})
    sent = await client(plain_http, server, sleeps).send_conversion(payload())
    assert not sent.ok and sent.kind is Kind.BAD_RESPONSE
    assert f"Criteo answered HTTP {status} with {missing}, so there is no confirmation" in (
        sent.explanation
    )


async def test_a_non_json_success_is_not_accepted(
    plain_http: httpx.AsyncClient, hostile: list[HostileServer], sleeps: Sleeps
) -> None:
    server = start(hostile, **{"/conversions": raw(200, b"OK", {"Content-Type": "text/plain"})})
    sent = await client(plain_http, server, sleeps).send_conversion(payload())
    assert not sent.ok and sent.kind is Kind.BAD_RESPONSE
    assert "Raw answer: OK" in sent.explanation


async def test_https_to_a_plain_http_port_says_so_at_once(
    plain_http: httpx.AsyncClient, hostile: list[HostileServer], sleeps: Sleeps
) -> None:
    server = start(hostile)
    url = server.base_url.replace("http://", "https://")
    result = await client(plain_http, server, sleeps, base_url=url).check_token()
    assert not result.ok
    assert "This address does not speak HTTPS" in result.explanation
    assert "write http:// instead of https://" in result.explanation
    assert server.connections == 1 and not sleeps.calls  # no retries


@pytest.mark.parametrize("json_mode", [False, True])
def test_the_send_command_prints_an_echoed_request_masked(
    hostile: list[HostileServer],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    json_mode: bool,
) -> None:
    server = start(hostile, **{"/conversions": echo_in_error(400)})
    monkeypatch.setenv("CRITEO_CONSOLE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CRITEO_CLIENT_ID", "id")
    monkeypatch.setenv("CRITEO_CLIENT_SECRET", SECRET)
    order_file = tmp_path / "order.json"
    order = guide_example_order()
    order["event_time"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    order_file.write_text(json.dumps(order))
    argv = ["send", str(order_file), "--base-url", server.base_url, "--advertiser-id", "1234567"]
    code = main(argv + (["--json"] if json_mode else []))
    out = capsys.readouterr()
    assert code == 1
    assert server.counts["/conversions"] == 1
    printed = (out.out + out.err).lower()
    assert "bearer •••" in printed
    for value in (TOKEN, SECRET, "canary-token", "canary-secret"):
        assert value.lower() not in printed
    if json_mode:
        send = json.loads(out.out)["steps"][-1]
        assert send["kind"] == "rejected"
        assert "Bearer •••" in send["errors"][0]["detail"]
