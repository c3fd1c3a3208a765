"""Start-up, structurally: what the console imports before it is ready (profiles, secret
store and event log open, the first profile shown) — not the sandbox server, not the
ValidationSession, httpx or the Criteo client (the session is made on first use, or in a
worker thread after ready), not the TLS/HTTP machinery of a request, not the package
metadata. bench/startup.py measures the time; this keeps the structure that time depends on."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

PROBE = """
import asyncio, json, sys
import qasync
from criteo_console.ui import app as app_module

loaded = {}


def at_ready():  # the first profile shown (every other handler has run): the moment "ready"
    # (a None entry is a placeholder that blocks an import, e.g. httpx's CLI)
    loaded.setdefault("ready", sorted(n for n, m in sys.modules.items() if m is not None))


async def run(qapp):
    started = await app_module.start_console(qapp, install_crash_handler=False)
    assert started.service.profile is None  # the stores open after start_console returns
    shown = asyncio.get_running_loop().create_future()
    started.service.profile_selected.connect(
        lambda _p: None if shown.done() else (at_ready(), shown.set_result(True))
    )
    await shown
    assert started.service.event_log is not None and started.service.secrets is not None
    loaded["sandbox_answers"] = started.sandbox.running and started.sandbox.base_url
    service = started.service
    loaded["shown_target"] = service.target_url()
    loaded["made_early"] = service._session is not None
    for _ in range(500):  # made in idle time after ready, without being asked
        if service._session is not None:
            break
        await asyncio.sleep(0.01)
    loaded["made_after"] = service._session is not None
    loaded["session_target"] = service.session.request_url
    await app_module.stop_console(started)


qapp = app_module.make_qapp()
with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(qapp)) as runner:
    runner.run(run(qapp))
print(json.dumps(loaded))
"""

# Imported only after ready: the sandbox server (started in a thread), the ValidationSession
# with httpx and the Criteo client (made on first use or after ready), what a first request
# needs (httpcore, h11, anyio: the client is made lazily) and the package metadata; the
# destinations' rules and the attempt evaluation (a profile is read, validated-free, and shown
# from ``core.destination_settings`` and ``core.targets``; the run state evaluates an attempt
# only once there is one).
NOT_BEFORE_READY = (
    "criteo_console.core.destinations",
    "criteo_console.core.verdict",
    "criteo_console.core.reconcile",
    "criteo_console.sandbox",
    "criteo_console.session.session",
    "criteo_console.criteo",
    "httpx",
    "http.server",
    "httpcore",
    "h11",
    "anyio",
    "importlib.metadata",
)


def test_nothing_heavy_is_imported_before_the_console_is_ready(tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CRITEO_CONSOLE_HOME=str(tmp_path))
    env.pop("CRITEO_CONSOLE_LOG", None)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    early = [
        m for m in result["ready"] if any(m == n or m.startswith(f"{n}.") for n in NOT_BEFORE_READY)
    ]
    assert not early, f"imported before ready: {early}"
    # ...and the profile shown at ready is still the working built-in sandbox.
    assert "criteo_console.storage.event_log" in result["ready"]
    assert str(result["sandbox_answers"]).startswith("http://127.0.0.1:")
    # The session is made once the console is ready, and sends where the page said it would.
    assert not result["made_early"] and result["made_after"]
    assert result["session_target"] == result["shown_target"]
    assert result["shown_target"].startswith(f"{result['sandbox_answers']}/")
    assert result["shown_target"].endswith("/conversions")


@pytest.mark.parametrize("destination", ["conversions", "events"])
@pytest.mark.parametrize(
    ("base_url", "version"),
    [
        ("https://api.criteo.com", "2025-10"),
        ("https://api.criteo.com/ ", " /2025-10/ "),
        ("http://127.0.0.1:8123", "v1"),
        ("http://example.com", "v1"),  # unsafe: the client keeps it as given and refuses it
    ],
)
def test_the_send_address_without_a_session_is_the_senders(
    destination: str, base_url: str, version: str
) -> None:
    import httpx

    from criteo_console.core.destinations import request_url
    from criteo_console.criteo import CriteoClient
    from criteo_console.criteo.senders import make_sender

    http = httpx.AsyncClient()
    client = CriteoClient(http, base_url, version, "client-id", "secret")
    sender = make_sender(destination, http=http, client=client, base_url=base_url)
    assert request_url(destination, base_url, version) == sender.url


def test_a_request_before_the_sandbox_server_starts_waits_instead_of_failing() -> None:
    """The port is bound and listening at once; a request sent before the server is started
    (the background start after ready) waits in the backlog and is answered."""
    from criteo_console.ui.app import EmbeddedSandbox

    embedded = EmbeddedSandbox()
    try:
        port = int(embedded.base_url.rsplit(":", 1)[1])
        answer: dict[str, object] = {}

        def ask() -> None:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", "/no-such-endpoint")
            answer["status"] = conn.getresponse().status
            conn.close()

        asker = threading.Thread(target=ask)
        asker.start()
        asker.join(0.2)
        assert asker.is_alive() and not answer  # connected, waiting: not refused
        assert embedded.start_in_background() and not embedded.start_in_background()
        asker.join(10)
        assert isinstance(answer.get("status"), int)
        assert embedded.server() is embedded.server()  # one server
    finally:
        embedded.stop()
    assert not embedded.running


def test_a_sandbox_never_started_closes_its_port_on_stop() -> None:
    from criteo_console.ui.app import EmbeddedSandbox

    embedded = EmbeddedSandbox()
    embedded.stop()
    assert embedded.server() is None and embedded.base_url.startswith("http://127.0.0.1:")


@pytest.mark.parametrize("closed_first", [True, False])
def test_the_http_client_is_made_on_first_use_and_closed_once(closed_first: bool) -> None:
    from criteo_console.ui.app import LazyHttpClient

    made: list[object] = []

    class Fake:
        is_closed = False

        async def aclose(self) -> None:
            self.is_closed = True

    def factory() -> Fake:
        made.append(Fake())
        return made[-1]  # type: ignore[return-value]

    lazy = LazyHttpClient(factory)
    assert not lazy.created and not lazy.is_closed
    if not closed_first:
        assert lazy.client is made[0] and lazy.created
    asyncio.run(lazy.aclose())
    assert lazy.is_closed and len(made) == (0 if closed_first else 1)
    if closed_first:
        with pytest.raises(RuntimeError):
            lazy.build_request  # noqa: B018
