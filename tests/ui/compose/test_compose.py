"""The Compose form and its live Preview, driven like a marketer would."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from criteo_console.core import check_order, dumps_json
from criteo_console.ui.line_items import PRICE, QUANTITY
from criteo_console.ui.pages.compose import ComposeWorkspace
from criteo_console.ui.pages.preview import FIELD_ROLE
from tests.core.orders import GUIDE_EMAIL_SHA256, GUIDE_ORDER
from tests.ui.compose.conftest import CONTEXT, NOW

# Showing a window on the offscreen platform logs this harmless warning.
SHOWN = pytest.mark.qt_log_ignore("propagateSizeHints")
# Typing in the currency box opens its completion popup, which the offscreen platform warns
# about (it cannot raise windows or grab the keyboard).
POPUP = pytest.mark.qt_log_ignore("does not support raise", "grabbing the keyboard")
RAW_EMAIL = "  John.Doe@Example.COM "


def _type_guide_order(qtbot: QtBot, ws: ComposeWorkspace) -> None:
    qtbot.keyClicks(ws.order_id, "PS-10428")
    line = ws.currency.lineEdit()
    assert line is not None
    qtbot.keyClicks(line, "EUR")
    qtbot.keyClicks(ws.value, "149,90")
    moment = datetime(2026, 4, 24, 13, 14, 58, tzinfo=UTC)
    ws.event_time.setDateTime(QDateTime.fromSecsSinceEpoch(int(moment.timestamp())))
    qtbot.keyClicks(ws.email_sha256, GUIDE_EMAIL_SHA256)
    qtbot.keyClicks(ws.customer_id, "cust_78421")
    model = ws.items_model
    model.setData(model.index(0, 0), "SKU-BLK-42")
    model.setData(model.index(0, PRICE), "79,95")
    model.setData(model.index(0, QUANTITY), "1")
    ws.add_line()
    model.setData(model.index(1, 0), "SKU-GRN-11")
    model.setData(model.index(1, PRICE), "69,95")
    model.setData(model.index(1, QUANTITY), "1")


def _issue_codes(ws: ComposeWorkspace) -> list[str]:
    return [issue.code for issue in ws.current_check().issues]


def test_typing_updates_the_preview_without_any_button(
    qtbot: QtBot, workspace: ComposeWorkspace
) -> None:
    assert "order-id-missing" in _issue_codes(workspace)
    seen: list[object] = []
    workspace.checked.connect(seen.append)

    qtbot.keyClicks(workspace.order_id, "PS-1")

    assert len(seen) == 4  # one check per keystroke
    assert "order-id-missing" not in _issue_codes(workspace)
    issues = workspace.preview.issue_list
    texts = [issues.item(i).text() for i in range(issues.count())]
    assert texts
    assert any("currency" in text.lower() for text in texts)  # the rest is now reported
    assert not any("shop's order id" in text for text in texts)
    qtbot.keyClick(workspace.order_id, Qt.Key.Key_Backspace)
    for _ in range(3):
        qtbot.keyClick(workspace.order_id, Qt.Key.Key_Backspace)
    texts = [issues.item(i).text() for i in range(issues.count())]
    assert any("shop's order id" in text for text in texts)  # emptied again: still reported


def test_an_untouched_form_prompts_instead_of_listing_errors(
    qtbot: QtBot, workspace: ComposeWorkspace
) -> None:
    preview = workspace.preview
    issues = preview.issue_list

    assert preview.summary.text() == "Start by typing the order id, or paste the order JSON."
    texts = [issues.item(i).text() for i in range(issues.count())]
    assert not any(text.startswith("Error") for text in texts)
    assert "Not ready" not in preview.summary.text()
    assert not workspace.items_model.index(0, 0).data(Qt.ItemDataRole.DecorationRole)

    assert workspace.paste_order_json('{"order_id": "PS-1"}')

    assert preview.summary.text().startswith("Not ready")
    texts = [issues.item(i).text() for i in range(issues.count())]
    assert any(text.startswith("Error") for text in texts)


@POPUP
def test_the_guide_example_typed_in_gives_exactly_the_core_payload(
    qtbot: QtBot, workspace: ComposeWorkspace
) -> None:
    _type_guide_order(qtbot, workspace)

    expected = check_order(GUIDE_ORDER, CONTEXT, now=NOW).payload
    check = workspace.current_check()
    assert check.issues == []
    assert check.payload == expected
    assert workspace.preview.json_view.toPlainText() == dumps_json(expected, indent=2)
    assert "Ready to send" in workspace.preview.summary.text()
    assert "they match" in workspace.sum_label.text()


def test_a_french_amount_means_what_the_marketer_meant(
    qtbot: QtBot, workspace: ComposeWorkspace
) -> None:
    qtbot.keyClicks(workspace.value, "149,90")

    assert workspace.current_order()["value"] == "149.90"
    value_issues = [i for i in workspace.current_check().issues if i.field == "value"]
    assert [i.code for i in value_issues] == ["value-mismatch"]  # no items yet, read fine


def test_an_ambiguous_amount_is_flagged_in_plain_words_and_blocks_sending(
    qtbot: QtBot, workspace: ComposeWorkspace
) -> None:
    workspace.load_order(GUIDE_ORDER)
    assert workspace.current_check().ok
    workspace.set_locale("de_DE")
    workspace.value.clear()

    qtbot.keyClicks(workspace.value, "1.499")

    check = workspace.current_check()
    assert check.payload is None
    [issue] = [i for i in check.issues if i.field == "value"]
    assert "could mean 1499 or 1.499" in issue.message
    assert workspace.preview.payload_text() == ""
    assert not workspace.preview.json_view.isVisibleTo(workspace)
    assert not workspace.preview.copy_button.isEnabled()
    assert "could mean" in workspace.value.toolTip()


def test_spreadsheet_rows_paste_into_the_item_lines(workspace: ComposeWorkspace) -> None:
    count = workspace.paste_rows("id\tprice\tquantity\nSKU-1\t12,50\t2\nSKU-2\t1 000,00\t1\n")

    assert count == 2
    assert workspace.current_order()["items"] == [
        {"id": "SKU-1", "price": "12.50", "quantity": 2},
        {"id": "SKU-2", "price": "1000.00", "quantity": 1},
    ]
    assert workspace.current_check().items_total == 1025
    assert "2 item lines pasted" in workspace.message.text()


@SHOWN
def test_ctrl_v_in_the_table_pastes_rows(qtbot: QtBot, workspace: ComposeWorkspace) -> None:
    workspace.show()
    qtbot.waitExposed(workspace)
    QGuiApplication.clipboard().setText("SKU-9\t5,00\t3")
    workspace.items_view.setFocus()
    qtbot.waitUntil(workspace.items_view.hasFocus)

    qtbot.keyClick(workspace.items_view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)

    assert workspace.current_order()["items"] == [{"id": "SKU-9", "price": "5.00", "quantity": 3}]


@SHOWN
def test_clicking_paste_rows_pastes_the_clipboard_and_keeps_the_order(
    qtbot: QtBot, workspace: ComposeWorkspace
) -> None:
    workspace.load_order(GUIDE_ORDER)
    workspace.show()
    qtbot.waitExposed(workspace)
    QGuiApplication.clipboard().setText("SKU-7\t2,50\t4\nSKU-8\t1,00\t1")

    qtbot.mouseClick(workspace.paste_rows_button, Qt.MouseButton.LeftButton)

    items = workspace.current_order()["items"]
    assert {"id": "SKU-7", "price": "2.50", "quantity": 4} in items
    assert {"id": "SKU-8", "price": "1.00", "quantity": 1} in items
    assert workspace.current_order()["order_id"] == GUIDE_ORDER["order_id"]
    assert "2 item lines pasted" in workspace.message.text()


def test_add_duplicate_remove_lines(workspace: ComposeWorkspace) -> None:
    workspace.load_order(GUIDE_ORDER)
    view, model = workspace.items_view, workspace.items_model

    view.setCurrentIndex(model.index(0, 0))
    workspace.duplicate_lines()
    assert [i["id"] for i in workspace.current_order()["items"]] == [
        "SKU-BLK-42",
        "SKU-BLK-42",
        "SKU-GRN-11",
    ]
    assert "value-mismatch" in _issue_codes(workspace)

    view.setCurrentIndex(model.index(1, 0))
    workspace.remove_lines()
    assert [i["id"] for i in workspace.current_order()["items"]] == ["SKU-BLK-42", "SKU-GRN-11"]
    assert workspace.current_check().ok

    workspace.add_line()
    assert model.rowCount() == 3
    assert "item-id-missing" in _issue_codes(workspace)


def test_pasting_order_json_fills_the_form(workspace: ComposeWorkspace) -> None:
    text = dumps_json(GUIDE_ORDER)

    assert workspace.paste_order_json(text)

    assert workspace.order_id.text() == "PS-10428"
    assert workspace.value.text() == "149,90"  # shown the French way
    assert workspace.current_check().payload == check_order(GUIDE_ORDER, CONTEXT, now=NOW).payload


def test_invalid_order_json_says_so_and_loses_nothing(
    qtbot: QtBot, workspace: ComposeWorkspace
) -> None:
    qtbot.keyClicks(workspace.order_id, "KEEP-ME")

    assert not workspace.paste_order_json('{"order_id": "X", ')
    assert "not valid JSON" in workspace.message.text()
    assert "form was not changed" in workspace.message.text()
    assert workspace.order_id.text() == "KEEP-ME"

    assert not workspace.paste_order_json("[1, 2]")
    assert workspace.order_id.text() == "KEEP-ME"


def test_unknown_fields_in_pasted_json_are_kept_and_explained(workspace: ComposeWorkspace) -> None:
    workspace.paste_order_json(dumps_json({**GUIDE_ORDER, "total": "149.90"}))

    assert workspace.current_order()["total"] == "149.90"
    [issue] = [i for i in workspace.current_check().issues if i.field == "total"]
    assert "value" in issue.message


@SHOWN
def test_clicking_an_issue_focuses_that_cell(qtbot: QtBot, workspace: ComposeWorkspace) -> None:
    workspace.show()
    qtbot.waitExposed(workspace)
    workspace.load_order(GUIDE_ORDER)
    workspace.items_model.setData(workspace.items_model.index(1, QUANTITY), "two")
    issues = workspace.preview.issue_list
    [row] = [
        r for r in range(issues.count()) if issues.item(r).data(FIELD_ROLE) == "items[1].quantity"
    ]
    rect = issues.visualItemRect(issues.item(row))

    qtbot.mouseClick(issues.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    qtbot.waitUntil(workspace.items_view.hasFocus)
    current = workspace.items_view.currentIndex()
    assert (current.row(), current.column()) == (1, QUANTITY)


@SHOWN
def test_enter_on_an_issue_focuses_the_field(qtbot: QtBot, workspace: ComposeWorkspace) -> None:
    workspace.show()
    qtbot.waitExposed(workspace)
    qtbot.keyClicks(workspace.order_id, "PS-1")
    issues = workspace.preview.issue_list
    [row] = [r for r in range(issues.count()) if issues.item(r).data(FIELD_ROLE) == "currency"]
    issues.setFocus()
    issues.setCurrentRow(row)
    qtbot.waitUntil(issues.hasFocus)

    qtbot.keyClick(issues, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: workspace.currency.hasFocus() or _focus_inside(workspace.currency))


def _focus_inside(widget: QWidget) -> bool:
    focused = QApplication.focusWidget()
    return focused is not None and (focused is widget or widget.isAncestorOf(focused))


def _all_visible_text(root: QWidget, skip: QWidget) -> str:
    texts: list[str] = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if widget is skip:
            continue
        texts += [widget.toolTip(), widget.accessibleName(), widget.accessibleDescription()]
        if isinstance(widget, QLabel | QLineEdit):
            texts.append(widget.text())
        if isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
    issues = root.findChildren(type(root.preview.issue_list))  # type: ignore[attr-defined]
    for widget in issues:
        texts += [widget.item(i).text() for i in range(widget.count())]
    return "\n".join(texts)


def test_the_raw_email_never_appears_in_any_widget(
    qtbot: QtBot, workspace: ComposeWorkspace
) -> None:
    workspace.load_order({**GUIDE_ORDER, "email_sha256": None})
    qtbot.keyClicks(workspace.email, RAW_EMAIL)
    assert workspace.current_check().ok

    shown = _all_visible_text(workspace, skip=workspace.email).lower()

    assert "john.doe" not in shown
    assert "example.com" not in shown
    assert workspace.current_check().email is not None
    assert workspace.current_check().email.digest in shown.replace("\n", "")
    assert "3 spaces removed" in shown
    assert "upper-case letters lowered" in shown
    # a recognisable mask, so a typo can be spotted without the address being shown
    assert "j•••.d••@e••••••.com" in shown
    # the email field itself masks what it holds when not being edited
    assert workspace.email.echoMode() == QLineEdit.EchoMode.PasswordEchoOnEdit


@SHOWN
def test_show_email_reveals_the_field_while_toggled(
    qtbot: QtBot, workspace: ComposeWorkspace
) -> None:
    workspace.show()
    qtbot.keyClicks(workspace.email, RAW_EMAIL)
    workspace.customer_id.setFocus()
    button = workspace.show_email
    assert button.accessibleName() == "Show email"
    assert not button.isChecked()  # hidden by default
    hidden = workspace.email.echoMode()
    assert hidden != QLineEdit.EchoMode.Normal

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    assert workspace.email.echoMode() == QLineEdit.EchoMode.Normal
    assert workspace.email.displayText() == RAW_EMAIL
    shown = _all_visible_text(workspace, skip=workspace.email).lower()
    assert "john.doe" not in shown  # only the field itself shows it
    assert "example.com" not in shown

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    assert workspace.email.echoMode() == hidden
    assert button.accessibleName() == "Show email"


def test_an_invalid_email_is_not_echoed_either(qtbot: QtBot, workspace: ComposeWorkspace) -> None:
    qtbot.keyClicks(workspace.email, "john.doe@nowhere")

    shown = _all_visible_text(workspace, skip=workspace.email).lower()

    assert "email-invalid" in _issue_codes(workspace)
    assert "john.doe" not in shown


def test_copy_puts_the_payload_on_the_clipboard_without_the_email(
    qtbot: QtBot, workspace: ComposeWorkspace
) -> None:
    workspace.load_order({**GUIDE_ORDER, "email_sha256": None, "email": RAW_EMAIL})
    QGuiApplication.clipboard().clear()

    qtbot.mouseClick(workspace.preview.copy_button, Qt.MouseButton.LeftButton)

    copied = QGuiApplication.clipboard().text()
    assert copied == dumps_json(workspace.current_check().payload, indent=2)
    assert "john.doe" not in copied.lower()
    assert "email_sha256" in copied


def test_a_long_order_shows_exactly_the_core_body_after_each_edit(
    qtbot: QtBot, workspace: ComposeWorkspace
) -> None:
    items = [{"id": f"SKU-{n}", "price": "1.50", "quantity": 2} for n in range(60)]
    workspace.load_order({**GUIDE_ORDER, "value": "180.00", "items": items})

    def shown_is_exact() -> bool:
        payload = workspace.current_check().payload
        return workspace.preview.payload_text() == dumps_json(payload, indent=2)

    assert shown_is_exact()
    qtbot.keyClicks(workspace.order_id, "-B")
    assert shown_is_exact()
    workspace.items_model.setData(workspace.items_model.index(59, PRICE), "2,50")
    assert shown_is_exact()
    qtbot.keyClicks(workspace.value, "5")  # 180,005: too many decimals, no body
    assert workspace.preview.payload_text() == ""
    qtbot.keyClick(workspace.value, Qt.Key.Key_Backspace)
    assert shown_is_exact()
