"""Start, stop, threads and sockets, quiet logs, and the sandbox's independence."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable

import httpx
import pytest

from criteo_console.sandbox import Fault, SandboxConfig, SandboxServer
from tests.sandbox.conftest import GUIDE_BODY, TOKEN_FORM, StartSandbox, get_token


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        pause.wait(0.01)


def test_context_manager_serves_then_releases_the_port() -> None:
    with SandboxServer(SandboxConfig()) as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert server.port > 0
        with httpx.Client(base_url=server.base_url) as c:
            assert c.post("/oauth2/token", data=TOKEN_FORM).status_code == 200
    with httpx.Client(base_url=server.base_url) as c, pytest.raises(httpx.ConnectError):
        c.post("/oauth2/token", data=TOKEN_FORM)


def test_stop_leaves_no_threads_even_with_a_keep_alive_client_open() -> None:
    before = set(threading.enumerate())
    server = SandboxServer(SandboxConfig()).start()
    with httpx.Client(base_url=server.base_url) as c:
        get_token(c)  # the pooled connection stays open while we stop
        stopper = threading.Thread(target=server.stop)
        stopper.start()
        stopper.join(timeout=10)  # an idle keep-alive socket would otherwise hold it 30 s
        assert not stopper.is_alive()
        assert set(threading.enumerate()) <= before
        assert not server.running


def test_stop_interrupts_a_slow_answer_at_once() -> None:
    server = SandboxServer(SandboxConfig(slow_delay=120)).start()
    server.queue_fault(Fault.SLOW, endpoint="token")
    outcome: list[BaseException] = []

    def call() -> None:
        with httpx.Client(base_url=server.base_url, timeout=120) as c:
            try:
                c.post("/oauth2/token", data=TOKEN_FORM)
            except httpx.HTTPError as exc:
                outcome.append(exc)

    caller = threading.Thread(target=call)
    caller.start()
    wait_until(lambda: server.request_count("token") == 1)

    started = time.monotonic()
    server.stop()
    caller.join(timeout=30)

    assert time.monotonic() - started < 30  # far below the 120 s delay
    assert not caller.is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], httpx.RemoteProtocolError)


def test_start_twice_is_an_error_and_stop_twice_is_harmless(sandbox: SandboxServer) -> None:
    with pytest.raises(RuntimeError):
        sandbox.start()
    sandbox.stop()
    sandbox.stop()


def test_nothing_is_logged_by_default(
    sandbox: SandboxServer, client: httpx.Client, capfd: pytest.CaptureFixture[str]
) -> None:
    token = get_token(client)
    client.post("/2026-07/conversions", json=GUIDE_BODY, headers={"Authorization": "Bearer x"})
    client.get("/2026-07/advertisers/me", headers={"Authorization": f"Bearer {token}"})
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_request_logging_names_paths_but_never_secrets_or_tokens(
    start_sandbox: StartSandbox, capfd: pytest.CaptureFixture[str]
) -> None:
    server = start_sandbox(client_secret="s3cr3t+value", log_requests=True)
    with httpx.Client(base_url=server.base_url) as c:
        token = get_token(c, client_secret="s3cr3t+value")
        c.post("/oauth2/token?client_secret=s3cr3t", data=TOKEN_FORM)
        c.get("/2026-07/advertisers/me", headers={"Authorization": f"Bearer {token}"})
    _, err = capfd.readouterr()
    assert "POST /oauth2/token -> 200" in err
    assert "GET /2026-07/advertisers/me -> 200" in err
    assert "s3cr3t" not in err
    assert token not in err


def test_the_sandbox_imports_nothing_else_from_criteo_console() -> None:
    code = (
        "import sys, criteo_console.sandbox\n"
        "print(sorted(m for m in sys.modules if m.startswith('criteo_console') "
        "and m != 'criteo_console' and not m.startswith('criteo_console.sandbox')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


def test_received_is_a_snapshot(
    sandbox: SandboxServer, client: httpx.Client, auth: dict[str, str]
) -> None:
    snapshot = sandbox.received()
    client.post("/2026-07/conversions", json=GUIDE_BODY, headers=auth)
    assert snapshot == []
    assert len(sandbox.received()) == 1


def test_config_refuses_versions_it_does_not_serve() -> None:
    with pytest.raises(ValueError, match="2019-01"):
        SandboxConfig(retired_versions=frozenset({"2019-01"}))
    with pytest.raises(ValueError, match="in-scope"):
        SandboxConfig(in_scope=frozenset({"999"}))
