"""The currency box: a typed name finds the currency people mean, never a rarely used fund."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from criteo_console.ui.pages.compose import ComposeWorkspace, ranked_currencies

# Typing opens the completion popup, which the offscreen platform warns about.
pytestmark = pytest.mark.qt_log_ignore(
    "does not support raise", "grabbing the keyboard", "propagateSizeHints"
)


def _line(ws: ComposeWorkspace) -> QLineEdit:
    line = ws.currency.lineEdit()
    assert line is not None
    return line


def _suggestions(ws: ComposeWorkspace) -> list[str]:
    completer = ws.currency.completer()
    assert completer is not None
    model = completer.completionModel()
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_typing_euro_suggests_the_euro_first_and_taking_it_picks_eur(
    qtbot: QtBot, workspace: ComposeWorkspace
) -> None:
    workspace.show()
    qtbot.keyClicks(_line(workspace), "Euro")

    suggestions = _suggestions(workspace)
    assert suggestions[0] == "EUR — Euro"
    assert "CHE — WIR Euro" in suggestions[1:]

    completer = workspace.currency.completer()
    assert completer is not None
    popup = completer.popup()
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert workspace.current_order()["currency"] == "EUR"


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("eur", "EUR — Euro"),
        ("us", "USD — US Dollar"),  # a code starting with it, before names containing it
        ("wir euro", "CHE — WIR Euro"),  # asked for by its full name
    ],
)
def test_suggestions_rank_exact_code_then_name_then_code_prefix(typed: str, first: str) -> None:
    assert ranked_currencies(typed)[0] == first


def test_rarely_used_funds_come_after_the_currencies_people_mean() -> None:
    francs = ranked_currencies("franc")
    assert francs[-1] == "CHW — WIR Franc"
    dollars = ranked_currencies("dollar")
    assert dollars[-1] == "USN — US Dollar (Next day)"


def test_a_typed_name_without_picking_is_read_as_its_code(
    qtbot: QtBot, workspace: ComposeWorkspace
) -> None:
    qtbot.keyClicks(_line(workspace), "euro")

    assert workspace.current_order()["currency"] == "EUR"
    assert not [i for i in workspace.current_check().issues if i.field == "currency"]

    _line(workspace).editingFinished.emit()
    assert workspace.currency.currentText() == "EUR — Euro"  # the code is shown


def test_a_name_shared_by_several_currencies_is_not_guessed(
    qtbot: QtBot, workspace: ComposeWorkspace
) -> None:
    qtbot.keyClicks(_line(workspace), "dollar")

    assert workspace.current_order()["currency"] == "dollar"
    assert [i for i in workspace.current_check().issues if i.field == "currency"]


def test_the_items_total_is_labelled_in_plain_words(
    qtbot: QtBot, workspace: ComposeWorkspace
) -> None:
    qtbot.keyClicks(workspace.value, "149,90")

    text = workspace.sum_label.text()
    assert text.startswith("Items total (price × qty) = ")
    assert "Σ" not in text


def test_a_pasted_name_is_kept_as_pasted_when_focus_passes_through(
    qtbot: QtBot, workspace: ComposeWorkspace
) -> None:
    workspace.load_order({"order_id": "PS-1", "currency": "EURO", "value": "149.90"})

    _line(workspace).editingFinished.emit()  # the user clicked the issue, then left the box

    assert workspace.currency.currentText() == "EURO"
    assert [i for i in workspace.current_check().issues if i.field == "currency"]
