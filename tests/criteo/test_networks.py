"""Networks people really have: proxies from the environment, certificates, odd answers."""

from __future__ import annotations

import asyncio
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator, Iterator
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
from criteo_console.criteo.proxies import ProxyRouter, bypassed
from criteo_console.sandbox import SandboxServer

from .helpers import Sleeps, payload
from .stub_server import StubServer

TOKEN = (200, {}, {"access_token": "proxied-token", "expires_in": 900})


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8787", "http://127.8.9.10", "http://[::1]:80", "http://localhost:1"]
)
def test_plain_http_is_allowed_to_loopback(url: str) -> None:
    assert check_base_url(url + "/") == url


@pytest.mark.parametrize(
    "url", ["http://api.criteo.com", "http://10.0.0.5", "ftp://x", "nothing", "http://[::1"]
)
def test_plain_http_elsewhere_is_refused(url: str) -> None:
    with pytest.raises(UnsafeBaseURL):
        check_base_url(url)


@pytest.fixture
def dead_port() -> Iterator[int]:
    """A port bound but not listening: a connection to it is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def _set_proxies(monkeypatch: pytest.MonkeyPatch, url: str, *names: str) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    for name in names:
        monkeypatch.setenv(name, url)


async def test_a_real_host_goes_through_the_https_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    with StubServer({}) as proxy:
        _set_proxies(monkeypatch, proxy.base_url, "HTTPS_PROXY")
        async with make_http_client() as http:
            client = CriteoClient(
                http, "https://api.criteo.com", "2026-01", "id", "secret-value", sleep=Sleeps()
            )
            result = await client.check_token()
    # The proxy refuses the tunnel, so nothing reached the internet; but it was asked.
    assert proxy.counts["CONNECT api.criteo.com:443"] >= 1
    assert result.kind is Kind.NETWORK


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "ALL_PROXY", "all_proxy"])
async def test_plain_http_to_a_real_host_goes_through_the_proxy(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    with StubServer({"/oauth2/token": TOKEN}) as proxy:
        _set_proxies(monkeypatch, proxy.base_url, variable)
        async with make_http_client() as http:
            response = await http.post("http://criteo.example/oauth2/token")
    assert response.json()["access_token"] == "proxied-token"
    assert proxy.counts["/oauth2/token"] == 1


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
async def test_the_sandbox_is_reached_directly_whatever_the_proxy_settings(
    monkeypatch: pytest.MonkeyPatch, dead_port: int, sandbox: SandboxServer, host: str
) -> None:
    dead = f"http://127.0.0.1:{dead_port}"
    _set_proxies(monkeypatch, dead, "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy")
    base = sandbox.base_url.replace("127.0.0.1", host)
    async with make_http_client(timeout=5.0) as http:
        client = CriteoClient(http, base, "2026-01", "sandbox-client", "sandbox-secret")
        result = await client.send_conversion(payload())
    assert result.kind is Kind.ACCEPTED, result.explanation


@pytest.mark.parametrize(
    ("host", "no_proxy", "expected"),
    [
        ("api.criteo.com", "criteo.com", True),
        ("api.criteo.com", ".criteo.com", True),
        ("api.criteo.com", "other.com, *", True),
        ("api.criteo.com", "notcriteo.com", False),
        ("10.1.2.3", "10.0.0.0/8", True),
        ("10.1.2.3", "192.168.0.0/16", False),
        ("api.criteo.com", "", False),
    ],
)
def test_no_proxy_rules(host: str, no_proxy: str, expected: bool) -> None:
    assert bypassed(host, no_proxy) is expected


async def test_no_proxy_sends_a_real_host_direct(dead_port: int) -> None:
    proxies = {"https": f"http://127.0.0.1:{dead_port}", "no": "criteo.com"}
    router = ProxyRouter(lambda proxy: httpx.AsyncHTTPTransport(proxy=proxy), proxies)
    async with router:
        direct = router.transport_for(httpx.URL("https://127.0.0.1/"))
        assert router.transport_for(httpx.URL("https://api.criteo.com/")) is direct
        assert router.transport_for(httpx.URL("https://example.com/")) is not direct


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


@pytest.mark.parametrize("step", ["/oauth2/token", "/conversions"])
async def test_a_corrupt_compressed_answer_is_a_bad_response_not_a_crash(step: str) -> None:
    garbage = (200, {"Content-Encoding": "gzip"}, b"\x00this is not gzip at all\xff")
    routes = {"/oauth2/token": TOKEN, "/conversions": (200, {}, {"data": []})}
    routes[step] = garbage
    with StubServer(routes) as stub:
        async with make_http_client() as http:
            client = CriteoClient(http, stub.base_url, "2026-01", "id", "secret-value")
            result = await client.send_conversion(payload())
    assert result.kind is Kind.BAD_RESPONSE
    assert not result.ok
    assert "could not be unpacked (it says Content-Encoding: gzip" in result.explanation
    assert result.status == 200
    # A corrupt answer is not retried: the same bytes would come back.
    assert stub.counts[step] == 1
    if step == "/conversions":
        assert "The conversion may have been recorded" in result.explanation


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://user:pass@api.criteo.com", "user name or password"),
        ("https://user@api.criteo.com", "user name or password"),
        ("http://me:pw@127.0.0.1:8787", "user name or password"),
        ("https://api.criteo.com/?key=abc", "'?' or '#'"),
        ("https://api.criteo.com#frag", "'?' or '#'"),
        ("https://api.criteo.com?", "'?' or '#'"),
    ],
)
def test_credentials_query_and_fragment_in_the_base_url_are_refused(url: str, words: str) -> None:
    with pytest.raises(UnsafeBaseURL) as caught:
        check_base_url(url)
    message = str(caught.value)
    assert words in message
    assert "pass" not in message.replace("password", "") and "pw" not in message


def test_a_refused_non_web_url_does_not_echo_its_password() -> None:
    with pytest.raises(UnsafeBaseURL) as caught:
        check_base_url("ftp://me:hunter2@files.example")
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize("variable", ["ALL_PROXY", "all_proxy", "HTTPS_PROXY"])
async def test_a_socks_proxy_setting_is_ignored_with_a_warning_not_a_crash(
    monkeypatch: pytest.MonkeyPatch,
    sandbox: SandboxServer,
    caplog: pytest.LogCaptureFixture,
    variable: str,
) -> None:
    """socks5:// (a VPN or SSH tunnel's setting) needs a package httpx does not have here:
    the console and capture still start, reach this computer directly, and say why the
    setting is not used."""
    from criteo_console.capture.upstream import Upstream

    _set_proxies(monkeypatch, "socks5h://127.0.0.1:1080", variable)
    async with make_http_client(timeout=5.0) as http:
        client = CriteoClient(http, sandbox.base_url, "2026-01", "sandbox-client", "sandbox-secret")
        result = await client.send_conversion(payload())
    assert result.kind is Kind.ACCEPTED, result.explanation
    upstream = Upstream("https://api.criteo.com", timeout=5)  # forward mode: made, not sent
    upstream.close()
    assert "this kind of proxy is not supported" in caplog.text
    assert "127.0.0.1:1080" not in caplog.text  # the setting may hold credentials


def test_capture_uses_the_same_routes_no_proxy_and_loopback_direct(dead_port: int) -> None:
    from criteo_console.criteo.proxies import SyncProxyRouter

    proxies = {"https": f"http://127.0.0.1:{dead_port}", "no": "criteo.com"}
    router = SyncProxyRouter(lambda proxy: httpx.HTTPTransport(proxy=proxy), proxies)
    with router:
        direct = router.transport_for(httpx.URL("https://127.0.0.1/"))
        assert router.transport_for(httpx.URL("https://api.criteo.com/")) is direct
        assert router.transport_for(httpx.URL("https://example.com/")) is not direct
