"""`criteo-console capture`: JSON lines for scripts, plain lines for people, Ctrl-C stops."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from criteo_console.storage.event_log import EventLog, LogFilter
from tests.capture.shop import CHECKOUT_EMAIL, EMAIL_MISTAKES, StandInShop, conversion, event

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery is POSIX")


class Capture:
    def __init__(self, home: Path, *args: str, stdin: str | None = None) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "CRITEO_CONSOLE_HOME": str(home)}
        env.pop("CRITEO_CONSOLE_LOG", None)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "criteo_console", "capture", "--port", "0", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        if stdin is not None:
            self.proc.stdin.write(stdin)
            self.proc.stdin.flush()
        self.lines: queue.Queue[str] = queue.Queue()
        stdout = self.proc.stdout
        self._reader = threading.Thread(
            target=lambda: [self.lines.put(line) for line in stdout], daemon=True
        )
        self._reader.start()

    def line(self) -> str:
        try:
            return self.lines.get(timeout=30)
        except queue.Empty:
            raise AssertionError(f"no output; stderr: {self.proc.stderr}") from None

    def record(self) -> dict[str, Any]:
        return dict(json.loads(self.line()))

    def interrupt(self) -> int:
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=30)
        self._reader.join(timeout=30)
        return code

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()


@pytest.fixture
def running() -> Iterator[list[Capture]]:
    started: list[Capture] = []
    yield started
    for capture in started:
        capture.close()


def test_json_lines_then_ctrl_c(tmp_path: Path, running: list[Capture]) -> None:
    capture = Capture(tmp_path, "--json", "--checkout-email", "-", stdin=CHECKOUT_EMAIL + "\n")
    running.append(capture)
    first = capture.record()
    assert first["kind"] == "listening"
    assert first["base_url"].startswith("http://127.0.0.1:")
    shop = StandInShop(first["base_url"])
    shop.get_token()
    shop.send(conversion("CLI-1", email_sha256=EMAIL_MISTAKES["not-lowercased"]))
    shop.send(conversion("CLI-2", currency="JPY", value=1500.5))
    shop.close()

    token, wrong_email, jpy = capture.record(), capture.record(), capture.record()
    assert (token["kind"], token["status"], token["verdict"]) == ("token", 200, "ok")
    assert wrong_email["kind"] == "conversion"
    assert (wrong_email["email_match"], wrong_email["order_id"]) == ("not-lowercased", "CLI-1")
    assert wrong_email["verdict"] == "error" and isinstance(wrong_email["attempt_id"], int)
    assert [i["code"] for i in jpy["issues"]] == [
        "value-too-many-decimals",
        "item-price-too-many-decimals",
    ]
    assert {"code", "level", "field"} <= set(jpy["issues"][0])
    assert capture.interrupt() == 0
    assert capture.record()["kind"] == "stopped"

    with EventLog(tmp_path / "event-log.sqlite3") as log:
        shop_rows = log.page(filters=LogFilter(source="shop"))
    assert {a.order_id for a in shop_rows} == {"CLI-1", "CLI-2"}
    stored = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert CHECKOUT_EMAIL.strip().encode() not in stored
    assert CHECKOUT_EMAIL.strip().lower().encode() not in stored


def test_plain_lines_without_json(tmp_path: Path, running: list[Capture]) -> None:
    capture = Capture(tmp_path)
    running.append(capture)
    banner = capture.line()
    assert banner.startswith("Watching the shop on http://127.0.0.1:")
    base_url = banner.split(" on ", 1)[1].strip()
    while "Ctrl-C" not in capture.line():
        pass
    shop = StandInShop(base_url)
    shop.send(conversion("PLAIN-1", transaction_data=False))
    shop.close()
    assert "#1 OK" in capture.line()
    line = capture.line()
    assert line.startswith("#2 FAIL POST /2026-01/conversions -> 400")
    assert "transaction_data" in capture.line()
    assert capture.interrupt() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--checkout-email", "not-an-address"], "does not look like an email"),
        (["--forward-url", "http://api.example.com"], "plain http"),
        (["--advertiser-id", "0"], "whole positive number"),
        (["--forward-url", "https://x.example", "--forward", "p"], "not allowed with"),
    ],
)
def test_usage_problems_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    env = {**os.environ, "CRITEO_CONSOLE_HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "criteo_console", "capture", "--port", "0", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert message in done.stderr
    assert "not-an-address" not in done.stderr


def test_an_events_api_request_is_a_json_line_of_kind_event(
    tmp_path: Path, running: list[Capture]
) -> None:
    capture = Capture(tmp_path, "--json", "--checkout-email", "-", stdin=CHECKOUT_EMAIL + "\n")
    running.append(capture)
    shop = StandInShop(capture.record()["base_url"])
    assert shop.send_event(event("CLI-EV-1")).status_code == 200
    shop.close()
    seen = capture.record()
    assert (seen["kind"], seen["status"], seen["verdict"]) == ("event", 200, "ok")
    assert (seen["order_id"], seen["email_match"]) == ("CLI-EV-1", "match")
    assert isinstance(seen["attempt_id"], int) and seen["token"].startswith("The Events API")
    assert capture.interrupt() == 0
    assert capture.record() == {"kind": "stopped", "requests": 1}
