"""The event log page: paging over SQLite, filters, unknown outcomes, details, export."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from criteo_console.storage import event_log as event_log_module
from criteo_console.storage.event_log import EventLog
from criteo_console.ui.log_model import PAGE_SIZE
from criteo_console.ui.pages.log_page import LogPage
from tests.core.orders import guide_order
from tests.ui.log.conftest import add_sent


def _page(qtbot: QtBot, log: EventLog) -> LogPage:
    page = LogPage(log)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    return page


def test_500_attempts_are_fetched_page_by_page_newest_first(
    qtbot: QtBot, event_log: EventLog
) -> None:
    ids = [
        add_sent(event_log, guide_order(order_id=f"PS-{n}"), shop_step=False) for n in range(500)
    ]

    page = _page(qtbot, event_log)

    model = page.model
    assert model.rowCount() == PAGE_SIZE < 500
    assert model.attempt(0).id == ids[-1]  # type: ignore[union-attr]
    assert "newest 100 of 500" in page.count_label.text()
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 2 * PAGE_SIZE
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 500
    assert [model.attempt(r).id for r in range(500)] == ids[::-1]  # type: ignore[union-attr]
    assert page.count_label.text() == "500 attempts."


def test_search_and_filters_narrow_the_rows(qtbot: QtBot, event_log: EventLog) -> None:
    add_sent(event_log, guide_order(order_id="PS-1"), trace_id="aaa-111")
    add_sent(event_log, guide_order(order_id="PS-2"), state="rejected", trace_id="bbb-222")
    add_sent(event_log, guide_order(order_id="XX-3"), profile="acme", trace_id="ccc-333")
    page = _page(qtbot, event_log)
    assert page.model.rowCount() == 3

    qtbot.keyClicks(page.search, "PS-")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    assert {page.model.attempt(r).order_id for r in range(page.model.rowCount())} == {  # type: ignore[union-attr]
        "PS-1",
        "PS-2",
    }
    page.search.clear()
    qtbot.keyClicks(page.search, "bbb")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.attempt(0).trace_id == "bbb-222"  # type: ignore[union-attr]
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)

    page.state_filter.setCurrentText("Rejected by Criteo")
    assert [page.model.attempt(0).order_id] == ["PS-2"]  # type: ignore[union-attr]
    assert page.model.rowCount() == 1
    page.state_filter.setCurrentIndex(0)

    page.set_profiles(["sandbox", "acme"])
    page.profile_filter.setCurrentText("acme")
    assert page.model.rowCount() == 1
    assert page.model.attempt(0).order_id == "XX-3"  # type: ignore[union-attr]


def test_attempts_left_pending_by_an_earlier_run_are_marked(
    qtbot: QtBot, event_log: EventLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_sent(event_log, guide_order(order_id="PS-OK"))
    add_sent(event_log, guide_order(order_id="PS-LOST"), state="pending")
    monkeypatch.setattr(event_log_module, "PROCESS_SESSION", "a later run")

    page = _page(qtbot, event_log)

    state_cell = page.model.index(0, 1).data()
    assert state_cell == "⚠ outcome unknown — check Criteo before re-sending"
    assert page.model.index(1, 1).data() == "accepted"
    assert page.banner.isVisibleTo(page)
    assert "unknown outcome" in page.banner.text()
    assert "before re-sending" in page.banner.text()


def test_the_detail_pane_shows_request_response_and_a_copyable_trace_id(
    qtbot: QtBot, event_log: EventLog
) -> None:
    attempt_id = add_sent(event_log, trace_id="trace-abc-123")
    page = _page(qtbot, event_log)
    # The only (newest) attempt is selected as the page opens: no empty detail pane.
    assert page.current_attempt() is not None and page.current_attempt().id == attempt_id
    assert page.select_attempt(attempt_id)

    assert "PS-10428" in page.request_body.toPlainText()
    assert '"value": 149.90' in page.request_body.toPlainText()
    assert "secret-token" not in page.request_headers.toPlainText()
    assert '"data"' in page.response_body.toPlainText()
    assert "The shop's order was recorded" in page.steps.toPlainText()
    assert "accepted" in page.summary.text()
    assert page.trace_id.text() == "trace-abc-123"
    page.copy_trace.click()
    assert QGuiApplication.clipboard().text() == "trace-abc-123"


@pytest.mark.usefixtures("qloop")
def test_export_writes_the_filtered_rows(
    qtbot: QtBot, event_log: EventLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_sent(event_log, guide_order(order_id="PS-1"))
    add_sent(event_log, guide_order(order_id="PS-2"), state="rejected")
    page = _page(qtbot, event_log)
    page.state_filter.setCurrentText("Accepted")
    target = tmp_path / "out.jsonl"
    monkeypatch.setattr(page, "_ask_export_path", lambda: (target, "jsonl"))

    task = page.export()
    assert task is not None
    qtbot.waitUntil(task.done)

    assert task.result() == 1
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1
    assert "PS-1" in lines[0]
    assert page.message.text() == f"Exported 1 attempt to {target}."


@pytest.mark.usefixtures("qloop")
def test_export_to_an_unwritable_place_says_so(
    qtbot: QtBot, event_log: EventLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = _page(qtbot, event_log)
    monkeypatch.setattr(page, "_ask_export_path", lambda: (tmp_path / "missing" / "x.csv", "csv"))

    task = page.export()
    assert task is not None
    qtbot.waitUntil(task.done)

    assert task.result() is None
    assert "could not be saved" in page.message.text()
    assert page.export_button.isEnabled()


@pytest.mark.usefixtures("qloop")
def test_export_runs_off_the_window_thread_and_shows_it_is_busy(
    qtbot: QtBot, event_log: EventLog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_sent(event_log, guide_order(order_id="PS-1"))
    page = _page(qtbot, event_log)
    target = tmp_path / "out.csv"
    monkeypatch.setattr(page, "_ask_export_path", lambda: (target, "csv"))
    release = threading.Event()
    threads: list[threading.Thread] = []
    real_export = event_log.export

    def slow_export(*args: Any, **kwargs: Any) -> int:
        threads.append(threading.current_thread())
        assert release.wait(10)
        return real_export(*args, **kwargs)

    monkeypatch.setattr(event_log, "export", slow_export)

    task = page.export()
    assert task is not None
    qtbot.waitUntil(lambda: bool(threads))
    # The window keeps working while the rows are written.
    assert threads[0] is not threading.main_thread()
    assert page.export_button.text() == "Exporting…"
    assert not page.export_button.isEnabled()
    assert not page.export_progress.isHidden()
    assert page.export() is None  # a second export waits for the first
    page.state_filter.setCurrentText("Accepted")
    assert page.model.rowCount() == 1

    release.set()
    qtbot.waitUntil(task.done)

    assert task.result() == 1
    assert page.message.text() == f"Exported 1 attempt to {target}."
    assert page.export_button.isEnabled()
    assert page.export_progress.isHidden()
    assert "PS-1" in target.read_text(encoding="utf-8")


def test_typing_a_search_quickly_queries_the_log_once(
    qtbot: QtBot, event_log: EventLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        add_sent(event_log, guide_order(order_id=f"PS-{n}"))
    add_sent(event_log, guide_order(order_id="XX-9"))
    page = _page(qtbot, event_log)
    queries: list[str | None] = []
    real_page = event_log.page

    def counting_page(*args: Any, **kwargs: Any) -> Any:
        queries.append(kwargs["filters"].text)
        return real_page(*args, **kwargs)

    monkeypatch.setattr(event_log, "page", counting_page)

    qtbot.keyClicks(page.search, "XX-9 ")  # five keys, faster than the pause

    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert queries == ["XX-9"]
    assert page.model.attempt(0).order_id == "XX-9"  # type: ignore[union-attr]


def test_the_page_has_a_heading_and_says_what_it_is_for(qtbot: QtBot, event_log: EventLog) -> None:
    page = _page(qtbot, event_log)

    assert "<h2>Event log</h2>" in page.title.text()
    assert "before it is sent" in page.title.text()
    assert "compare" in page.title.text().lower()
    first = page.layout().itemAt(0)
    assert first is not None and first.widget() is page.title


def test_source_filter_shows_what_the_shop_sent(qtbot: QtBot, event_log: EventLog) -> None:
    add_sent(event_log, guide_order(order_id="MINE-1"))
    add_sent(event_log, guide_order(order_id="SHOP-1"), source="shop")
    page = _page(qtbot, event_log)
    assert page.model.rowCount() == 2

    page.source_filter.setCurrentText("Sent by the shop")
    assert page.model.rowCount() == 1
    assert page.model.attempt(0).order_id == "SHOP-1"  # type: ignore[union-attr]
    page.table.selectRow(0)
    qtbot.waitUntil(lambda: "Watch my shop" in page.summary.text())
    page.source_filter.setCurrentText("Sent from here")
    assert page.model.attempt(0).order_id == "MINE-1"  # type: ignore[union-attr]
    assert page.model.rowCount() == 1
