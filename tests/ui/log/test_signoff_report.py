"""The sign-off report of the selected attempt, saved from the event log page."""

from __future__ import annotations

from hashlib import sha256
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from criteo_console.core.checklist import Check
from criteo_console.storage.event_log import EventLog
from criteo_console.ui.pages.log_page import LogPage
from tests.core.orders import guide_order
from tests.ui.log.conftest import add_sent, add_unposted

RAW_EMAIL = "John.Doe@Example.com"
GOOD_STEPS = [
    {"step": "token", "state": "ok", "message": "Token received."},
    {"step": "scope", "state": "ok", "message": "Advertiser 1234567 is in scope."},
    {"step": "post", "state": "ok", "message": "Accepted."},
]


def _page(qtbot: QtBot, log: EventLog) -> LogPage:
    page = LogPage(log)
    qtbot.addWidget(page)
    return page


def _save_to(monkeypatch: pytest.MonkeyPatch, target: Path) -> list[str]:
    suggested: list[str] = []

    def fake_dialog(_parent: Any, _title: str, name: str, _filter: str) -> tuple[str, str]:
        suggested.append(name)
        return str(target), "Web page (*.html)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_dialog)
    return suggested


def test_the_report_holds_the_six_checks_and_no_raw_email(
    qtbot: QtBot, event_log: EventLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    order = guide_order(email=RAW_EMAIL, email_sha256=None)
    attempt_id = add_sent(event_log, order, progress=GOOD_STEPS)
    page = _page(qtbot, event_log)
    assert page.select_attempt(attempt_id)
    target = tmp_path / "report.html"
    suggested = _save_to(monkeypatch, target)
    page.signed_by.setText("Camille Martin")

    assert page.export_signoff() == target

    assert suggested == ["sign-off-PS-10428.html"]
    html = target.read_text(encoding="utf-8")
    for check in Check:
        assert check.title.replace("&", "&amp;") in html
    assert RAW_EMAIL.lower() not in html.lower()
    assert sha256(RAW_EMAIL.lower().encode()).hexdigest() in html  # only as its SHA-256
    assert "Camille Martin" in html
    assert "All six checks pass on the sandbox" in page.signoff_result.text()
    assert str(target) in page.signoff_result.text()


def test_a_failed_attempt_reports_not_ready(
    qtbot: QtBot, event_log: EventLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempt_id = add_unposted(event_log)
    page = _page(qtbot, event_log)
    assert page.select_attempt(attempt_id)
    target = tmp_path / "failed.html"
    _save_to(monkeypatch, target)

    assert page.export_signoff() == target

    assert "Not ready" in target.read_text(encoding="utf-8")
    assert page.signoff_result.text().startswith("⚠ Not ready: fix Token")


def test_cancelling_the_dialog_writes_nothing(
    qtbot: QtBot, event_log: EventLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempt_id = add_sent(event_log)
    page = _page(qtbot, event_log)
    assert page.select_attempt(attempt_id)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: ("", ""))

    assert page.export_signoff() is None
    assert page.signoff_result.isHidden()
    assert not any(p.suffix == ".html" for p in tmp_path.iterdir())


def test_an_unwritable_place_is_said_plainly(
    qtbot: QtBot, event_log: EventLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempt_id = add_sent(event_log)
    page = _page(qtbot, event_log)
    assert page.select_attempt(attempt_id)
    _save_to(monkeypatch, tmp_path / "missing" / "report.html")

    assert page.export_signoff() is None
    assert "could not be saved" in page.signoff_result.text()
