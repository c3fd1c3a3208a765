"""Watch my shop: how fast a shop's request reaches the screen, and what forwarding costs.

1. Capture-to-screen: a sender thread posts conversions at 50 requests/s to the capture
   endpoint (inspect mode, real event log file) while the Watch my shop page runs offscreen;
   for each request, the time from its arrival at the endpoint to its row on the page.
   Target: p95 under 100 ms.
2. Forward overhead: the same conversion POSTed straight to a sandbox and through the
   capture endpoint in forward mode (that sandbox as upstream), alternating in small rounds
   so drift hits both. Measured twice: against a sandbox that answers at once (the whole
   cost of one more loopback hop, judging and recording is visible) and against a sandbox
   that takes 30 ms, as a nearby Criteo does. Target: at most 1.10x the direct call.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/capture.py
"""

from __future__ import annotations

import hashlib
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from criteo_console.capture import CaptureConfig, CaptureMode, CaptureServer
from criteo_console.sandbox import Fault, SandboxConfig, SandboxServer
from criteo_console.storage.event_log import EventLog

RATE = 50  # requests per second
SCREEN_REQUESTS = 250
SCREEN_TARGET_MS = 100.0
FORWARD_TARGET = 1.10
ROUNDS = 10
SECRET = SandboxConfig().client_secret


def _body(order_id: str) -> dict[str, Any]:
    return {
        "data": [
            {
                "type": "Conversion",
                "attributes": {
                    "advertiser_id": 1234567,
                    "event_name": "purchase",
                    "event_time": "2026-04-24T13:14:58Z",
                    "identifiers": {
                        "email_sha256": hashlib.sha256(b"jane.doe@example.com").hexdigest()
                    },
                    "transaction_data": {
                        "id": order_id,
                        "currency": "EUR",
                        "value": 149.9,
                        "item": [{"id": "SKU-1", "price": 149.9, "quantity": 1}],
                    },
                },
            }
        ]
    }


def _token(http: httpx.Client, base_url: str) -> str:
    answer = http.post(
        f"{base_url}/oauth2/token",
        data={"grant_type": "client_credentials", "client_id": "sandbox-client",
              "client_secret": SECRET},
    )  # fmt: skip
    return str(answer.json()["access_token"])


def capture_to_screen(log_dir: Path) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from criteo_console.ui.pages.watch import WatchPage

    app = QApplication.instance() or QApplication(sys.argv[:1])
    log = EventLog(log_dir / "screen.sqlite3")
    page = WatchPage(log)
    page.resize(1200, 800)
    page.show()
    page.email.setText("jane.doe@example.com")
    assert page.start()
    base = page.base_url.text()
    done = threading.Event()

    def shop() -> None:
        with httpx.Client(timeout=10) as http:
            token = _token(http, base)
            headers = {"Authorization": f"Bearer {token}"}
            start = time.perf_counter()
            for n in range(SCREEN_REQUESTS):
                # Pacing the sender (not synchronising anything): one request every 20 ms.
                delay = start + n / RATE - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                http.post(f"{base}/2026-01/conversions", json=_body(f"S-{n}"), headers=headers)
        done.set()

    sender = threading.Thread(target=shop)
    sender.start()
    while not (done.is_set() and page.table.rowCount() >= SCREEN_REQUESTS + 1):
        app.processEvents()
        time.sleep(0.001)
    sender.join()
    delays = [
        (page.shown_at[c.number] - c.received_at) * 1000 for c in page.captured if c.kind != "token"
    ]
    page.shutdown()
    page.close()
    log.close()
    p95 = statistics.quantiles(delays, n=20)[-1]
    return {
        "name": f"capture-to-screen p95 at {RATE} req/s ({len(delays)} conversions)",
        "value": p95,
        "unit": "ms",
        "ratio": p95 / SCREEN_TARGET_MS,
        "target": f"< {SCREEN_TARGET_MS:.0f} ms",
    }


def _timed(http: httpx.Client, url: str, token: str, sends: int, tag: str) -> list[float]:
    times = []
    headers = {"Authorization": f"Bearer {token}"}
    for n in range(sends):
        started = time.perf_counter()
        answer = http.post(url, json=_body(f"{tag}-{n}"), headers=headers)
        times.append(time.perf_counter() - started)
        assert answer.status_code == 200, answer.text
    return times


def forward_overhead(log_dir: Path, upstream_delay: float, sends: int) -> dict[str, Any]:
    faults = (Fault.SLOW,) if upstream_delay else ()
    sandbox_config = SandboxConfig(run_faults=faults, slow_delay=upstream_delay, rate_limit=10**9)
    log = EventLog(log_dir / f"forward-{upstream_delay}.sqlite3")
    with SandboxServer(sandbox_config) as sandbox:
        config = CaptureConfig(
            mode=CaptureMode.FORWARD, forward_url=sandbox.base_url, rate_limit=10**6
        )
        with CaptureServer(config, event_log=log) as capture, httpx.Client(timeout=30) as http:
            token = _token(http, capture.base_url)
            direct_url = f"{sandbox.base_url}/2026-01/conversions"
            through_url = f"{capture.base_url}/2026-01/conversions"
            _timed(http, direct_url, token, 5, "warm-d")
            _timed(http, through_url, token, 5, "warm-t")
            direct: list[float] = []
            through: list[float] = []
            per_round = max(1, sends // ROUNDS)
            for r in range(ROUNDS):
                first, second = (direct, through) if r % 2 == 0 else (through, direct)
                for bucket in (first, second):
                    url = direct_url if bucket is direct else through_url
                    bucket.extend(_timed(http, url, token, per_round, f"r{r}"))
    log.close()
    ratio = statistics.median(through) / statistics.median(direct)
    upstream = (
        f"upstream answering in {upstream_delay * 1000:.0f} ms"
        if upstream_delay
        else ("upstream answering at once")
    )
    return {
        "name": f"forward mode vs direct call, median ({upstream}, recorded)",
        "value": statistics.median(through) * 1000,
        "unit": "ms",
        "ratio": ratio,
        "target": f"<= {FORWARD_TARGET:.2f}x" if upstream_delay else "informative",
    }


def results() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder)
        return [
            capture_to_screen(path),
            forward_overhead(path, 0.0, 200),
            forward_overhead(path, 0.030, 60),
        ]


if __name__ == "__main__":
    for row in results():
        print(row)
