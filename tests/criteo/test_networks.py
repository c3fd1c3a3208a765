"""Networks people really have: proxies from the environment, certificates, odd answers."""

from __future__ import annotations

import asyncio
import ssl
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from criteo_console.criteo import (
    CriteoClient,
    Kind,
    UnsafeBaseURL,
    check_base_url,
    make_http_client,
)

from .stub_server import StubServer

TOKEN = (200, {}, {"access_token": "proxied-token", "expires_in": 900})


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8787", "http://127.8.9.10", "http://[::1]:80", "http://localhost:1"]
)
def test_plain_http_is_allowed_to_loopback(url: str) -> None:
    assert check_base_url(url + "/") == url


@pytest.mark.parametrize("url", ["http://api.criteo.com", "http://10.0.0.5", "ftp://x", "nothing"])
def test_plain_http_elsewhere_is_refused(url: str) -> None:
    with pytest.raises(UnsafeBaseURL):
        check_base_url(url)


async def test_proxy_from_the_environment_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    with StubServer({"/oauth2/token": TOKEN}) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.base_url)
        monkeypatch.delenv("NO_PROXY", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        async with make_http_client() as http:
            # Nothing listens on port 9 here: only the proxy can answer.
            client = CriteoClient(http, "http://127.0.0.1:9", "2026-01", "id", "secret-value")
            result = await client.check_token()
    assert result.ok, result.explanation
    assert proxy.counts["/oauth2/token"] == 1


@pytest.fixture
def self_signed(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
async def tls_server(self_signed: tuple[Path, Path]) -> AsyncIterator[str]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*self_signed)

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0, ssl=context)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"https://127.0.0.1:{port}"


async def test_a_rejected_certificate_is_explained_and_not_retried(tls_server: str) -> None:
    async with make_http_client() as http:
        client = CriteoClient(http, tls_server, "2026-01", "id", "secret-value")
        result = await client.check_token()
    assert result.kind is Kind.TLS
    assert result.explanation == (
        "The connection's certificate was rejected — if your company inspects traffic, ask IT "
        "to install its certificate in the system store."
    )
    assert len(result.exchanges) == 1


async def test_unknown_version_path_is_explained() -> None:
    routes = {"/oauth2/token": TOKEN}
    with StubServer(routes) as stub:
        async with httpx.AsyncClient() as http:
            client = CriteoClient(http, stub.base_url, "2099-01", "id", "secret-value")
            result = await client.check_scope(1234567)
    assert result.kind is Kind.BAD_RESPONSE
    assert "check the base URL and the API version (2099-01)" in result.explanation


async def test_forbidden_for_another_reason_is_not_called_a_scope_problem() -> None:
    error = {"code": "insufficient-permissions", "title": "The app lacks the Events scope"}
    routes = {"/oauth2/token": TOKEN, "/advertisers/me": (403, {}, {"errors": [error]})}
    with StubServer(routes) as stub:
        async with httpx.AsyncClient() as http:
            client = CriteoClient(http, stub.base_url, "2026-01", "id", "secret-value")
            result = await client.check_scope(1234567)
    assert result.kind is Kind.AUTH
    assert "The app lacks the Events scope" in result.explanation
    assert stub.counts["/advertisers/me"] == 1
