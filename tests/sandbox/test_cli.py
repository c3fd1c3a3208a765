"""`criteo-console sandbox` as a user runs it: a real process, Ctrl-C to stop."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import httpx
import pytest

from criteo_console.sandbox import Fault
from tests.sandbox.conftest import TOKEN_FORM

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery is POSIX")


class Running:
    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.proc = proc
        self.lines: queue.Queue[str] = queue.Queue()
        assert proc.stdout is not None
        stdout = proc.stdout
        self._reader = threading.Thread(
            target=lambda: [self.lines.put(line) for line in stdout], daemon=True
        )
        self._reader.start()

    def wait_for(self, pattern: str, timeout: float = 30) -> re.Match[str]:
        seen = []
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"no line matching {pattern!r}; got {seen}") from None
            seen.append(line)
            match = re.search(pattern, line)
            if match:
                return match

    def interrupt(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=30)
        self._reader.join(timeout=30)
        return code


def _launch(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [sys.executable, "-m", "criteo_console", "sandbox", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.fixture
def launch() -> Iterator[list[subprocess.Popen[str]]]:
    procs: list[subprocess.Popen[str]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def _start(
    launch: list[subprocess.Popen[str]], *args: str, host: str = r"127\.0\.0\.1"
) -> tuple[Running, str]:
    proc = _launch(*args)
    launch.append(proc)
    running = Running(proc)
    url = running.wait_for(rf"listening on (http://{host}:\d+)").group(1)
    return running, url


def test_serves_until_ctrl_c_and_exits_zero(launch: list[subprocess.Popen[str]]) -> None:
    running, url = _start(launch)
    running.wait_for("client id: +sandbox-client")
    running.wait_for("client secret: +sandbox-secret")

    with httpx.Client(base_url=url) as c:
        token = c.post("/oauth2/token", data=TOKEN_FORM).json()["access_token"]
        listed = c.get("/2026-07/advertisers/me", headers={"Authorization": f"Bearer {token}"})
    assert listed.json()["data"][0]["id"] == "1234567"

    assert running.interrupt() == 0
    running.wait_for("Sandbox stopped")


def test_run_flags_reach_the_server(launch: list[subprocess.Popen[str]]) -> None:
    running, url = _start(
        launch, "--token-ttl", "60", "--retired", "2023-07", "--fault", "deprecated"
    )
    with httpx.Client(base_url=url) as c:
        token = c.post("/oauth2/token", data=TOKEN_FORM).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        retired = c.get("/2023-07/advertisers/me", headers=headers)
        current = c.get("/2027-01/advertisers/me", headers=headers)
    assert token["expires_in"] == 60
    assert retired.status_code == 410
    assert current.headers["Deprecation"] == "true"
    assert running.interrupt() == 0


def test_fault_flag_applies_to_every_request(launch: list[subprocess.Popen[str]]) -> None:
    running, url = _start(launch, "--fault", "rate-limit")
    with httpx.Client(base_url=url) as c:
        assert c.post("/oauth2/token", data=TOKEN_FORM).status_code == 429
    assert running.interrupt() == 0


def _has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.parametrize("host", ["::1", "[::1]"])
def test_ipv6_loopback_is_served(launch: list[subprocess.Popen[str]], host: str) -> None:
    if not _has_ipv6_loopback():
        if os.environ.get("CI") == "true":
            pytest.fail("this CI machine has no IPv6 loopback")
        pytest.skip("no IPv6 loopback on this machine")
    running, url = _start(launch, "--host", host, host=r"\[::1\]")
    with httpx.Client(base_url=url) as c:
        assert c.post("/oauth2/token", data=TOKEN_FORM).status_code == 200
    assert running.interrupt() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--host", "0.0.0.0"], "not a loopback address"),
        (["--fault", "explode"], "unknown fault 'explode'"),
        (["--retired", "2019-01"], "not a served version"),
        (["--token-ttl", "0"], "at least 1 second"),
    ],
)
def test_usage_problems_exit_2_with_one_line(
    launch: list[subprocess.Popen[str]], args: list[str], message: str
) -> None:
    proc = _launch(*args)
    launch.append(proc)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1


def test_help_lists_every_fault(capsys: pytest.CaptureFixture[str]) -> None:
    # The help text is literal so `criteo-console` does not import the server to start.
    from criteo_console.cli import main

    with pytest.raises(SystemExit):
        main(["sandbox", "--help"])

    shown = " ".join(capsys.readouterr().out.split())
    assert all(fault.value in shown for fault in Fault)
