"""`criteo-console send`: the headless path a script or a support person runs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from criteo_console.cli import main
from criteo_console.sandbox import SandboxServer

ENV_SECRET = "sandbox-secret"


def order(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "event": "purchase",
        "event_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "order_id": "PS-10428",
        "currency": "EUR",
        "value": "149.90",
        "items": [
            {"id": "SKU-BLK-42", "price": "79.95", "quantity": 1},
            {"id": "SKU-GRN-11", "price": "69.95", "quantity": 1},
        ],
        "email": "  John.Doe@Example.COM ",
        "customer_id": "cust_78421",
    }
    base.update(changes)
    return base


@pytest.fixture
def order_file(tmp_path: Path) -> Path:
    path = tmp_path / "order.json"
    path.write_text(json.dumps(order()))
    return path


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in ("CRITEO_CLIENT_ID", "CRITEO_CLIENT_SECRET", "CRITEO_ADVERTISER_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CRITEO_CONSOLE_HOME", str(tmp_path / "home"))
    return monkeypatch


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(["send", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_sandbox_send_is_accepted_step_by_step(
    order_file: Path, clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["send", str(order_file), "--sandbox"])
    out = capsys.readouterr().out
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("✓ order check")
    assert lines[1].startswith("✓ token: The sandbox issued an access token")
    assert (
        lines[2]
        == "✓ advertiser scope: Advertiser 1234567 (Sandbox Shop) is in this account's scope."
    )
    # The sandbox's words, as in the window, and never a sign-off.
    assert lines[3].startswith("✓ send: The sandbox accepted the conversion (trace id ")
    assert "The sandbox's answer (HTTP 200, trace id" in out
    assert "Criteo accepted" not in out
    assert "Verdict: rehearsal. A rehearsal, not a sign-off" in out
    assert "john.doe" not in out.lower()  # the raw email never leaves the core


def test_json_output_is_one_object_with_each_step(
    order_file: Path, clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["send", str(order_file), "--sandbox", "--json"])
    out = capsys.readouterr().out
    report = json.loads(out)
    assert code == 0 and report["ok"] is True
    assert [(s["step"], s["ok"]) for s in report["steps"]] == [
        ("order check", True),
        ("token", True),
        ("advertiser scope", True),
        ("send", True),
    ]
    send = report["steps"][-1]
    assert send["kind"] == "accepted" and send["trace_id"]
    assert '"value": 149.90' in out  # money printed exactly as sent


def test_out_of_scope_advertiser_stops_before_sending(
    order_file: Path, clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, report = run_json(capsys, str(order_file), "--sandbox", "--advertiser-id", "7654321")
    assert code == 1
    assert [s["step"] for s in report["steps"]] == ["order check", "token", "advertiser scope"]
    scope = report["steps"][-1]
    assert scope["kind"] == "scope"
    assert "advertiser 7654321 is not in this account's scope" in scope["explanation"]


def test_an_order_that_fails_the_check_is_not_sent(
    tmp_path: Path, clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(order(currency="EURO")))
    code, report = run_json(capsys, str(bad), "--sandbox")
    assert code == 1
    assert [s["step"] for s in report["steps"]] == ["order check"]
    assert any(i["field"] == "currency" for i in report["steps"][0]["issues"])


def test_dry_run_checks_credentials_but_sends_nothing(
    order_file: Path,
    clean_env: pytest.MonkeyPatch,
    sandbox: SandboxServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clean_env.setenv("CRITEO_CLIENT_ID", "sandbox-client")
    clean_env.setenv("CRITEO_CLIENT_SECRET", ENV_SECRET)
    clean_env.setenv("CRITEO_ADVERTISER_ID", "1234567")
    code = main(["send", str(order_file), "--base-url", sandbox.base_url, "--dry-run"])
    out = capsys.readouterr().out
    assert code == 0
    assert "dry run, nothing was sent" in out
    assert (sandbox.request_count("token"), sandbox.request_count("conversions")) == (1, 0)


def test_environment_credentials_send_to_the_given_base_url(
    order_file: Path,
    clean_env: pytest.MonkeyPatch,
    sandbox: SandboxServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clean_env.setenv("CRITEO_CLIENT_ID", "sandbox-client")
    clean_env.setenv("CRITEO_CLIENT_SECRET", ENV_SECRET)
    clean_env.setenv("CRITEO_ADVERTISER_ID", "1234567")
    code = main(
        ["send", str(order_file), "--base-url", sandbox.base_url, "--api-version", "2027-01"]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert sandbox.received()[0].version == "2027-01"
    assert sandbox.request_count("conversions") == 1
    assert ENV_SECRET not in captured.out + captured.err


def test_wrong_environment_secret_is_a_failed_check(
    order_file: Path,
    clean_env: pytest.MonkeyPatch,
    sandbox: SandboxServer,
    capsys: pytest.CaptureFixture[str],
) -> None:
    clean_env.setenv("CRITEO_CLIENT_ID", "sandbox-client")
    clean_env.setenv("CRITEO_CLIENT_SECRET", "wrong-secret-value")
    clean_env.setenv("CRITEO_ADVERTISER_ID", "1234567")
    code = main(["send", str(order_file), "--base-url", sandbox.base_url])
    captured = capsys.readouterr()
    assert code == 1
    assert "✗ token: The sandbox rejected the client id or secret" in captured.out
    assert "wrong-secret-value" not in captured.out + captured.err
    assert sandbox.request_count("conversions") == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--sandbox", "--profile", "x"], "not allowed with argument"),
        ([], "say where to send"),
        (["--sandbox", "--base-url", "http://api.criteo.com"], "must start with https://"),
        (["--profile", "nobody"], "no profile named 'nobody'"),
    ],
)
def test_usage_problems_exit_2_with_one_line(
    order_file: Path,
    clean_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    try:
        code = main(["send", str(order_file), *argv])
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    err = capsys.readouterr().err
    assert code == 2
    assert message in err


def test_missing_order_file_is_a_usage_problem(
    tmp_path: Path, clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["send", str(tmp_path / "nope.json"), "--sandbox"]) == 2
    assert "no such file" in capsys.readouterr().err
