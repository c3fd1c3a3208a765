"""The Event mapping page: always shows the profile's mapping, never saves an empty one."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from criteo_console.ui.pages.mapping import MappingPage

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def _rows(page: MappingPage) -> dict[str, str]:
    return page.mapping()


def _new_page(qtbot: Any, console: Any) -> MappingPage:
    page = MappingPage(console.service)
    qtbot.addWidget(page)
    return page


def test_a_page_built_after_the_profile_was_chosen_shows_its_mapping(
    qtbot: Any, console: Any
) -> None:
    profile = console.service.profile
    assert profile is not None and profile.event_names

    page = _new_page(qtbot, console)  # built late, as when the idle pre-build loses the race

    assert _rows(page) == dict(profile.event_names)
    assert page.table.rowCount() == len(profile.event_names)
    assert "✓" in page.issues.text()


def test_the_page_follows_a_profile_change(qtbot: Any, console: Any) -> None:
    page = _new_page(qtbot, console)
    profile = console.service.profile
    changed = profile.with_changes(event_names={"purchase": "purchase", "basket": "viewBasket"})

    console.service.profile_selected.emit(changed)

    assert _rows(page) == {"purchase": "purchase", "basket": "viewBasket"}


def test_an_empty_mapping_is_refused_and_nothing_is_saved(qtbot: Any, console: Any) -> None:
    page = _new_page(qtbot, console)
    before = dict(console.service.profile.event_names)
    saved: list[object] = []
    console.service.profile_saved.connect(lambda *args: saved.append(args))
    page.table.selectAll()
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert page.table.rowCount() == 0
    assert "Add at least the purchase event" in page.issues.text()

    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    assert "Not saved" in page.status.text()
    assert "Add at least the purchase event" in page.status.text()
    assert saved == []
    assert dict(console.service.profile.event_names) == before


def test_a_mapping_without_purchase_is_refused(qtbot: Any, console: Any) -> None:
    page = _new_page(qtbot, console)
    console.service.profile_selected.emit(
        console.service.profile.with_changes(event_names={"basket": "viewBasket"})
    )

    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    assert "Add at least the purchase event" in page.status.text()


def test_saving_says_so_on_the_page(qtbot: Any, console: Any) -> None:
    page = _new_page(qtbot, console)
    row = [r for r in range(page.table.rowCount()) if page.table.item(r, 0).text() == "purchase"]
    assert row
    page.table.item(row[0], 1).setText("Purchase_v2")

    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: page.status.text() == "Mapping saved.", timeout=5000)
    assert console.service.profile.event_names["purchase"] == "Purchase_v2"
    assert _rows(page)["purchase"] == "Purchase_v2"
