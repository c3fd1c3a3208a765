"""Profiles on the Connect page: delete, rename, import a .env file — and where the secret goes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from tests.ui.test_console import add_profile, click

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
SECRET = "s3cret-Shop-VALUE-9"


def names(console: Any) -> list[str]:
    picker = console.window.connect_page.picker
    return [picker.itemText(i) for i in range(picker.count())]


def settings_text(console: Any) -> str:
    return Path(console.service.paths.settings_file).read_text(encoding="utf-8")


def test_delete_profile_removes_its_secret(
    qtbot: Any, console: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_profile(qtbot, console, secret=SECRET, advertiser="1234567")
    service = console.service
    shop_id = service.profile.id
    assert service.secrets.get(shop_id) == SECRET
    asked: list[str] = []

    def answer_yes(_parent: Any, _title: str, text: str, *_a: Any) -> Any:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer_yes))
    click(qtbot, console.window.connect_page.delete_button)
    qtbot.waitUntil(lambda: "Shop" not in names(console), timeout=5000)
    assert "Delete the profile Shop and its saved secret" in asked[0]
    assert service.secrets.get(shop_id) is None
    assert service.profile.name == "Sandbox"
    assert "Profile Shop and its secret were deleted." in console.window.status_line.text()


def test_delete_can_be_declined(qtbot: Any, console: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    add_profile(qtbot, console, secret=SECRET, advertiser="1234567")
    no = staticmethod(lambda *_a: QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "question", no)
    click(qtbot, console.window.connect_page.delete_button)
    assert "Shop" in names(console)
    assert console.service.secrets.get(console.service.profile.id) == SECRET


def test_rename_keeps_the_secret(qtbot: Any, console: Any) -> None:
    add_profile(qtbot, console, secret=SECRET, advertiser="1234567")
    page = console.window.connect_page
    page.name_edit.setFocus()
    qtbot.keyClick(page.name_edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(page.name_edit, "Shop EU")
    click(qtbot, page.save_button)
    # The picker lists the new name before the renamed profile is selected again: wait for that.
    qtbot.waitUntil(lambda: console.service.profile.name == "Shop EU", timeout=5000)
    assert "Shop EU" in names(console) and "Shop" not in names(console)
    assert console.service.profiles.secret("Shop EU").secret == SECRET
    assert SECRET not in console.window.windowTitle()
    assert SECRET not in settings_text(console)


def open_import_dialog(qtbot: Any, console: Any) -> QFileDialog:
    page = console.window.connect_page
    click(qtbot, page.import_button)
    dialog: QFileDialog = page.env_dialog
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def import_file(qtbot: Any, console: Any, path: Path) -> None:
    """Click Import, choose ``path`` in the real (Qt) file dialog, press Open."""
    dialog = open_import_dialog(qtbot, console)
    dialog.selectFile(str(path))
    dialog.accept()


def test_import_env_file_puts_secret_in_store_and_warns_about_the_file(
    qtbot: Any, console: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    env = tmp_path / "shop.env"
    env.write_text(
        f"CRITEO_CLIENT_ID=shop-client\nCRITEO_CLIENT_SECRET={SECRET}\n"
        f"CRITEO_ADVERTISER_ID=1234567\nCRITEO_BASE_URL={console.sandbox.base_url}\n",
        encoding="utf-8",
    )
    with qtbot.waitSignal(console.service.connection_tested, timeout=10000):
        import_file(qtbot, console, env)
    assert console.service.profile.name == "shop"
    service, page = console.service, console.window.connect_page
    assert service.profiles.secret("shop").secret == SECRET
    assert page.client_id_edit.text() == "shop-client"
    assert page.advertiser_edit.text() == "1234567"
    told = console.window.status_line.text()
    assert "still holds the client secret in plain text" in told and "shop.env" in told
    assert SECRET not in told
    assert SECRET not in settings_text(console)


@pytest.mark.parametrize(
    ("content", "field_named"),
    [
        (
            "CRITEO_CLIENT_ID=c\nCRITEO_CLIENT_SECRET=x-Hidden-77\nCRITEO_ADVERTISER_ID=12ab\n",
            "CRITEO_ADVERTISER_ID",
        ),
        ("CRITEO_CLIENT_ID=c\nCRITEO_ADVERTISER_ID=1234567\n", "CRITEO_CLIENT_SECRET"),
    ],
)
def test_bad_env_file_names_the_field_and_saves_nothing(
    qtbot: Any,
    console: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    content: str,
    field_named: str,
) -> None:
    env = tmp_path / "broken.env"
    env.write_text(content, encoding="utf-8")
    before = names(console)
    import_file(qtbot, console, env)
    status = console.window.status_line
    qtbot.waitUntil(lambda: "Could not import broken.env" in status.text(), timeout=5000)
    assert field_named in status.text()
    assert "x-Hidden-77" not in status.text()
    assert names(console) == before
    assert [p.name for p in console.service.profiles.all()] == before


def test_cancelled_file_dialog_changes_nothing(
    qtbot: Any, console: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = names(console)
    open_import_dialog(qtbot, console).reject()
    assert names(console) == before and not console.service.busy("profiles")


def test_first_run_welcomes_and_says_the_sandbox_secret_is_public(qtbot: Any, console: Any) -> None:
    from criteo_console.storage import SessionSecretStore

    page = console.window.connect_page
    assert page.isVisible() and page.welcome.isVisible()
    assert "nothing leaves this computer" in page.welcome.text()
    assert "Test connection" in page.welcome.text()
    # Even where secrets are kept only for the session, the sandbox's are not "your secret".
    console.service.secrets = SessionSecretStore()
    with qtbot.waitSignal(console.service.profile_selected, timeout=5000):
        console.service.select_profile("Sandbox")
    assert "public test values" in page.store_label.text()
    assert "until you close" not in page.store_label.text()
    assert "until you close" in page.store_label.toolTip()  # real profiles' store, on hover
    click(qtbot, page.new_button)
    assert not page.welcome.isVisible()
    assert "until you close" in page.store_label.text()
