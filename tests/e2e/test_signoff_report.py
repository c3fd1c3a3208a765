"""`criteo-console log report ID`: the printable sign-off of a real logged attempt."""

from __future__ import annotations

from pathlib import Path

import pytest

from criteo_console.cli import main
from tests.e2e.conftest import RAW_EMAIL, write_order


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CRITEO_CONSOLE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_report_of_an_accepted_sandbox_send(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["send", str(write_order(tmp_path, "order.json")), "--sandbox"]) == 0
    report = tmp_path / "signoff.html"

    code = main(["log", "report", "1", "--output", str(report), "--signed-by", "Ana"])

    page = report.read_text(encoding="utf-8")
    assert code == 0
    assert "A rehearsal, not a sign-off" in capsys.readouterr().err
    assert "<h1>Rehearsal — not a sign-off</h1>" in page
    assert page.count("✓ pass") == 6
    assert "E2E-1001" in page and "Ana" in page
    assert "This page is not signed" in page
    assert RAW_EMAIL.strip().lower() not in page.lower()


def test_report_of_a_rejected_send_shows_the_failed_check(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    order = write_order(tmp_path, "order.json")
    assert main(["send", str(order), "--sandbox", "--advertiser-id", "7654321"]) == 1
    capsys.readouterr()

    code = main(["log", "report", "1"])

    page = capsys.readouterr().out
    assert code == 1
    assert '2. Advertiser scope</td><td class="fail">✗ fail' in page


def test_report_of_an_unknown_attempt_is_a_usage_error(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["log", "report", "42"]) == 2
    assert "no attempt with id 42" in capsys.readouterr().err


def test_a_second_send_of_an_accepted_order_is_refused_with_the_cli_way_out(
    home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    order = str(write_order(tmp_path, "order.json"))
    assert main(["send", order, "--sandbox"]) == 0
    capsys.readouterr()

    code = main(["send", order, "--sandbox"])

    printed = capsys.readouterr()
    assert code == 1
    assert "re-run with --resend to send it anyway" in printed.out + printed.err
    assert "confirm" not in printed.out + printed.err
    assert main(["send", order, "--sandbox", "--resend"]) == 0
