"""What `criteo-console send` prints about a long answer and about a row it could not
complete: a bounded excerpt with the one clip note, and what the log failure means."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from criteo_console.cli import main
from criteo_console.core.examples import guide_example_order
from criteo_console.storage import EventLog

from ..hostile_server import HostileServer, raw, token

TOKEN = "eyJhbGciOiJIUzI1NiJ9.CANARY-token-out-1"
SECRET = "CANARY-secret-out-2"
ADVERTISERS = {"data": [{"id": "1234567", "attributes": {"advertiserName": "Shop"}}]}


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[HostileServer]:
    conversions = request.param
    with HostileServer(
        {
            "/oauth2/token": token(TOKEN),
            "/advertisers/me": raw(200, json.dumps(ADVERTISERS).encode()),
            "/conversions": conversions,
        }
    ) as running:
        yield running


def send(
    server: HostileServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *extra: str
) -> int:
    monkeypatch.setenv("CRITEO_CONSOLE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("CRITEO_CLIENT_ID", "id")
    monkeypatch.setenv("CRITEO_CLIENT_SECRET", SECRET)
    order = guide_example_order()
    order["event_time"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    order_file = tmp_path / "order.json"
    order_file.write_text(json.dumps(order))
    argv = ["send", str(order_file), "--base-url", server.base_url, "--advertiser-id", "1234567"]
    return main([*argv, *extra])


LONG = json.dumps({"errors": [{"code": "invalid", "title": "Bad", "detail": "x" * 100_000}]})


@pytest.mark.parametrize("server", [raw(400, LONG.encode())], indirect=True)
def test_a_long_answer_is_printed_as_an_excerpt_that_says_how_much_is_left_out(
    server: HostileServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert send(server, tmp_path, monkeypatch) == 1
    out = capsys.readouterr().out
    assert len(out) < 5_000  # the stored answer is 32 KiB, the whole one 100 KB
    lines = out.splitlines()
    answer = lines[next(n for n, line in enumerate(lines) if "answer (HTTP 400" in line) + 1]
    hidden = re.search(r"\[… ([\d,]+) bytes not shown\]$", answer)
    assert hidden is not None, answer
    # Counted against the whole answer, not against the stored copy (itself clipped).
    assert int(hidden[1].replace(",", "")) == len(LONG) - 500


def fills_the_disk_after_the_pending_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite's own "database or disk is full" for every write after the pending row."""
    begin = EventLog.begin_attempt

    def then_full(self: EventLog, *args: Any, **kwargs: Any) -> int:
        attempt_id = begin(self, *args, **kwargs)
        pages = self._conn.execute("PRAGMA page_count").fetchone()[0]
        self._conn.execute(f"PRAGMA max_page_count = {pages}")
        return attempt_id

    monkeypatch.setattr(EventLog, "begin_attempt", then_full)


BIG_ACCEPTED = json.dumps({"data": [{"type": "Conversion", "note": "y" * 30_000}]}).encode()


@pytest.mark.parametrize("server", [raw(200, BIG_ACCEPTED)], indirect=True)
@pytest.mark.parametrize("json_mode", [False, True])
def test_a_full_disk_after_the_post_is_said_plainly(
    server: HostileServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    json_mode: bool,
) -> None:
    fills_the_disk_after_the_pending_row(monkeypatch)
    assert send(server, tmp_path, monkeypatch, *(["--json"] if json_mode else [])) == 1
    out = capsys.readouterr()
    assert server.counts["/conversions"] == 1
    assert "Traceback" not in out.err
    if json_mode:
        last = json.loads(out.out)["steps"][-1]
        assert last["step"] == "event log" and not last["ok"]
        said = last["explanation"]
    else:
        said = out.out.splitlines()[-1]
        assert said.startswith("✗ event log: This outcome could not be recorded: ")
    assert "the disk is full" in said and "may have reached Criteo" in said
    assert '"outcome unknown"' in said
    assert "Nothing was changed" not in said and "Nothing was sent" not in said
