"""One verdict from the CLI: the address decides, and `send` and `log report` agree with it.

The reproductions of issue 11 that a script or a support person would run into.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest

from criteo_console.cli import main
from criteo_console.sandbox import SandboxServer
from criteo_console.session import guide_example_order
from criteo_console.storage import EventLog, InMemoryKeyring, StoragePaths

WEB_88213 = guide_example_order(
    order_id="WEB-88213",
    value="44.98",
    items=[{"id": "SKU-A", "price": "22.52", "quantity": 2}],  # 45.04
)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in ("CRITEO_CLIENT_ID", "CRITEO_CLIENT_SECRET", "CRITEO_ADVERTISER_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("CRITEO_CONSOLE_LOG", raising=False)
    monkeypatch.setenv("CRITEO_CONSOLE_HOME", str(tmp_path / "home"))
    previous = keyring.get_keyring()
    keyring.set_keyring(InMemoryKeyring())  # secrets persist between commands of one test
    yield tmp_path / "home"
    keyring.set_keyring(previous)


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


def write(tmp_path: Path, order: dict[str, Any]) -> str:
    path = tmp_path / "order.json"
    path.write_text(json.dumps(order), encoding="utf-8")
    return str(path)


def send_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code = main(["send", *argv, "--json"])
    return code, json.loads(capsys.readouterr().out)


def test_a_criteo_profile_pointing_at_this_computer_is_a_rehearsal_everywhere(
    home: Path, tmp_path: Path, sandbox: SandboxServer, capsys: pytest.CaptureFixture[str]
) -> None:
    # Reproduction 1: imported from a .env whose CRITEO_BASE_URL is a local sandbox.
    env = tmp_path / "client.env"
    env.write_text(
        "CRITEO_CLIENT_ID=sandbox-client\nCRITEO_CLIENT_SECRET=sandbox-secret\n"
        f"CRITEO_ADVERTISER_ID=1234567\nCRITEO_BASE_URL={sandbox.base_url}\n",
        encoding="utf-8",
    )
    assert main(["profile", "import", str(env), "--name", "Shop"]) == 0
    capsys.readouterr()

    code, out = send_json(capsys, write(tmp_path, guide_example_order()), "--profile", "Shop")
    assert code == 0, out
    assert out["target"]["destination"] == "local"
    assert out["verdict"] == "rehearsal"

    report = tmp_path / "signoff.html"
    main(["log", "report", "1", "--output", str(report)])
    page = report.read_text(encoding="utf-8")
    said = capsys.readouterr().err
    assert "rehearsal" in said and "conversions reach Criteo correctly" not in said
    assert "SANDBOX REHEARSAL — not a sign-off" in page
    assert "Criteo conversion sign-off" not in page
    assert "conversions reach Criteo correctly" not in page


def test_base_url_on_this_computer_is_not_labelled_criteo(
    home: Path,
    tmp_path: Path,
    sandbox: SandboxServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CRITEO_CLIENT_ID", "sandbox-client")
    monkeypatch.setenv("CRITEO_CLIENT_SECRET", "sandbox-secret")
    monkeypatch.setenv("CRITEO_ADVERTISER_ID", "1234567")
    order = write(tmp_path, guide_example_order())
    assert main(["send", order, "--base-url", sandbox.base_url]) == 0
    out = capsys.readouterr().out
    # The window's words for the same send, and its verdict.
    assert "✓ send: The sandbox accepted the conversion" in out
    assert "Criteo accepted" not in out and "Criteo's answer" not in out
    assert "Verdict: rehearsal." in out
    with EventLog(StoragePaths.resolve().log_file) as log:
        (row,) = log.page()
    assert row.environment != "criteo" and row.request_url.startswith(sandbox.base_url)


def test_value_not_the_items_total_is_a_warning_in_send_and_report(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Reproduction 2: the report said check 5 "✓ pass" for WEB-88213.
    code, out = send_json(capsys, write(tmp_path, WEB_88213), "--sandbox")
    assert code == 0
    check5 = next(c for c in out["checks"] if c["check"] == 5)
    assert check5["state"] == "warning"
    assert "value-mismatch" in [w["code"] for w in out["warnings"]]

    report = tmp_path / "signoff.html"
    main(["log", "report", "1", "--output", str(report)])
    page = report.read_text(encoding="utf-8")
    assert page.count("✓ pass") == 5  # check 5 is not a pass
    assert "is not the sum of the items" in page
