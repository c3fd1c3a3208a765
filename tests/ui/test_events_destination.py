"""An Events API profile in the window: set up on Connect, the email ladder on Compose marks
which forms go out, Send says where it posts, and the send reaches the sandbox's /m/event."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt

from criteo_console.core.checklist import Check, CheckState
from criteo_console.core.examples import guide_example_order
from tests.ui.test_console import click, paste_order, send_by_keyboard, state

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore(
        "This plugin does not support propagateSizeHints",
        "grabbing the keyboard",
        "This plugin does not support raise",
    ),
]


def fresh_order() -> dict[str, Any]:
    return guide_example_order(
        order_id="PS-UI-EV",
        event_time=datetime.now(UTC).isoformat(timespec="seconds"),
        email="  John.Doe@Example.COM ",
        email_sha256=None,
        gum_id="d0f3a1c2e4b5",
    )


def add_events_profile(qtbot: Any, console: Any) -> None:
    page = console.window.connect_page
    click(qtbot, page.new_button)
    qtbot.keyClicks(page.name_edit, "Shop s2s")
    qtbot.keyClicks(page.advertiser_edit, "12345")
    box = page.destination_box
    box.destination_combo.setCurrentIndex(box.destination_combo.findData("events"))
    assert page.base_url_edit.text() == "https://widget.criteo.com"  # follows the destination
    qtbot.keyClicks(box.account_edit, "12345")
    qtbot.keyClicks(box.caller_edit, "sandbox-caller")
    page.environment_combo.setCurrentIndex(page.environment_combo.findData("sandbox"))
    page.base_url_edit.setText(console.sandbox.base_url)
    click(qtbot, page.save_button)
    qtbot.waitUntil(
        lambda: getattr(console.service.profile, "name", "") == "Shop s2s", timeout=5000
    )


def ladder(console: Any) -> dict[str, str]:
    """Each visible ladder step -> what it shows, with the ✓/✗ mark and where it goes."""
    preview = console.window.compose.preview
    return {
        step.text().rstrip(":").lstrip("✓✗ "): f"{step.text()} {value.text()} {value.toolTip()}"
        for step, value in preview._ladder_labels
        if step.isVisibleTo(preview)
    }


def test_an_events_profile_composes_and_sends_to_the_events_api(qtbot: Any, console: Any) -> None:
    add_events_profile(qtbot, console)
    assert console.service.profile.destination == "events"
    paste_order(qtbot, console, fresh_order())
    compose = console.window.compose
    qtbot.waitUntil(lambda: "trackTransaction" in compose.preview.payload_text())

    rows = ladder(console)
    assert rows["MD5"].startswith("✓") and "sent to Criteo as id.email.md5" in rows["MD5"]
    assert rows["SHA-256(MD5)"].startswith("✓")
    assert "id.email.sha256_md5" in rows["SHA-256(MD5)"]
    assert "john" not in " ".join(rows.values()).lower()
    assert "Sent to the Events API (s2s)" in compose.preview.email_sent.text()

    send = console.window.send_page
    console.window.show_page("send")
    assert "Events API (s2s)" in send.target_label.text()
    assert "/m/event?version=s2s_v0" in send.target_label.text()
    report = send_by_keyboard(qtbot, console)
    assert report.ok, report.explanation
    assert console.sandbox.request_count("token") == 0
    assert console.sandbox.find_received("PS-UI-EV")[0].endpoint == "events"
    # Shop, sent and the sandbox's copy agree: check 6 passes, as for the guide's contract.
    qtbot.waitUntil(lambda: state(console, Check.SIGN_OFF) is CheckState.OK, timeout=5000)


def test_the_guides_profile_marks_md5_as_not_sent(qtbot: Any, console: Any) -> None:
    paste_order(qtbot, console, fresh_order())
    compose = console.window.compose
    qtbot.waitUntil(lambda: '"data"' in compose.preview.payload_text())

    rows = ladder(console)
    assert rows["SHA-256"].startswith("✓") and "sent to Criteo as email_sha256" in rows["SHA-256"]
    assert rows["MD5"].startswith("✗") and "not sent" in rows["MD5"]
    assert rows["SHA-256(MD5)"].startswith("✗")
    assert "MD5 and SHA-256(MD5) shown here only" in compose.preview.email_sent.text()


def test_only_the_chosen_destinations_own_fields_are_shown(qtbot: Any, console: Any) -> None:
    """The Conversions API profile (the sandbox) shows no Events API fields, greyed or not;
    choosing the Events API in the box (with the mouse) brings its three fields, and back."""
    page = console.window.connect_page
    box = page.destination_box
    events_fields = (box.account_edit, box.caller_edit, box.site_combo)
    assert box.destination == "conversions"
    assert not any(field.isVisibleTo(page) for field in events_fields)
    assert box.destination_combo.isVisibleTo(page) and box.note.text()
    click(qtbot, page.new_button)  # a new profile, so the sandbox's stays as it is
    box.destination_combo.showPopup()
    view = box.destination_combo.view()
    row = view.visualRect(
        box.destination_combo.model().index(box.destination_combo.findData("events"), 0)
    )
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=row.center())
    qtbot.waitUntil(lambda: box.destination == "events", timeout=3000)
    assert all(field.isVisibleTo(page) and field.isEnabled() for field in events_fields)
    box.destination_combo.setCurrentIndex(box.destination_combo.findData("conversions"))
    assert not any(field.isVisibleTo(page) for field in events_fields)
