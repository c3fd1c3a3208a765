"""`criteo-console send --destination events`: the headless path to the Events API."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from criteo_console.cli import main
from criteo_console.sandbox import SandboxServer


def order(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "event": "purchase",
        "event_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "order_id": "PS-EV-CLI",
        "currency": "EUR",
        "value": "79.95",
        "items": [{"id": "SKU-BLK-42", "price": "79.95", "quantity": 1}],
        "email": "  John.Doe@Example.COM ",
        "gum_id": "d0f3a1c2e4b5",
    }
    base.update(changes)
    return base


@pytest.fixture
def order_file(tmp_path: Path) -> Path:
    path = tmp_path / "order.json"
    path.write_text(json.dumps(order()))
    return path


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (
        "CRITEO_CLIENT_ID",
        "CRITEO_CLIENT_SECRET",
        "CRITEO_ADVERTISER_ID",
        "CRITEO_ACCOUNT_ID",
        "CRITEO_CALLER_ID",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CRITEO_CONSOLE_HOME", str(tmp_path / "home"))


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(["send", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_send_to_the_sandboxs_events_api(
    order_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run_json(capsys, str(order_file), "--sandbox", "--destination", "events")

    assert code == 0, out
    assert [s["step"] for s in out["steps"]] == ["order check", "send"]
    assert out["target"]["api"] == "events"
    assert out["payload"]["account"] == "12345"
    assert out["steps"][-1]["kind"] == "accepted"
    assert out["attempt_id"] is not None
    assert "john.doe" not in json.dumps(out).lower()


def test_send_with_settings_from_the_environment(
    order_file: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CRITEO_ACCOUNT_ID", "12345")
    monkeypatch.setenv("CRITEO_CALLER_ID", "sandbox-caller")
    with SandboxServer() as sandbox:
        code, out = run_json(
            capsys, str(order_file), "--destination", "events", "--base-url", sandbox.base_url
        )
        assert code == 0, out
        assert sandbox.request_count("token") == 0
        assert len(sandbox.find_received("PS-EV-CLI")) == 1


def test_the_wrong_caller_id_is_refused_inside_a_200(
    order_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run_json(
        capsys,
        str(order_file),
        "--sandbox",
        "--destination",
        "events",
        "--mapping-key",
        "someone-else",
    )
    assert code == 1
    send = out["steps"][-1]
    assert (send["status"], send["kind"]) == (200, "rejected")
    assert "/id/mapping_key" in send["explanation"]


def test_dry_run_prints_the_body_and_sends_nothing(
    order_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "send",
            str(order_file),
            "--destination",
            "events",
            "--account",
            "12345",
            "--mapping-key",
            "caller-77",
            "--dry-run",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert '"mapping_key": "caller-77"' in out and "nothing was sent" in out


def test_without_an_account_the_order_check_says_so(
    order_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run_json(capsys, str(order_file), "--destination", "events", "--dry-run")
    assert code == 1
    fields = {i["field"] for i in out["steps"][0]["issues"] if i["level"] == "error"}
    assert fields == {"account", "mapping_key"}


def test_a_saved_events_profile_sends_with_send_profile(
    order_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with SandboxServer() as sandbox:
        added = main(
            [
                "profile",
                "add",
                "--name",
                "ACME events",
                "--environment",
                "sandbox",
                "--base-url",
                sandbox.base_url,
                "--destination",
                "events",
                "--account",
                "12345",
                "--mapping-key",
                "sandbox-caller",
            ]
        )
        assert added == 0, capsys.readouterr().err
        assert "no client secret needed" in capsys.readouterr().out

        assert main(["profile", "list"]) == 0
        listed = capsys.readouterr().out
        assert "ACME events" in listed and "events" in listed

        code, out = run_json(capsys, str(order_file), "--profile", "ACME events")
        assert code == 0, out
        assert out["target"]["api"] == "events"
        assert sandbox.find_received("PS-EV-CLI")[0].accepted
