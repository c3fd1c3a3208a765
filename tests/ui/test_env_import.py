"""Importing a .env file someone sent: one step from the file to a tested, named profile.

The real Qt file dialog is driven (no mock); the embedded sandbox on loopback plays Criteo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDir, Qt
from PySide6.QtWidgets import QFileDialog, QListView

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def env_text(console: Any, secret: str = "sandbox-secret") -> str:
    return (
        "CRITEO_CLIENT_ID=sandbox-client\n"
        f"CRITEO_CLIENT_SECRET={secret}\n"
        "CRITEO_ADVERTISER_ID=1234567\n"
        f"CRITEO_BASE_URL={console.sandbox.base_url}\n"
    )


@pytest.fixture
def downloads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder whose Downloads holds the file as browsers save it: ``.env``."""
    home = tmp_path / "home"
    folder = home / "Downloads"
    folder.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("XDG_DOWNLOAD_DIR", raising=False)
    return folder


def open_dialog(qtbot: Any, console: Any) -> QFileDialog:
    page = console.window.connect_page
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    dialog: QFileDialog = page.env_dialog
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def listed(dialog: QFileDialog) -> list[str]:
    view = dialog.findChild(QListView, "listView")
    model = view.model()
    root = view.rootIndex()
    return [model.index(row, 0, root).data() for row in range(model.rowCount(root))]


def choose(qtbot: Any, console: Any, path: Path) -> None:
    dialog = open_dialog(qtbot, console)
    dialog.selectFile(str(path))
    dialog.accept()


def test_the_dialog_opens_in_downloads_and_shows_dot_env(
    qtbot: Any, console: Any, downloads: Path, tmp_path: Path
) -> None:
    (downloads / ".env").write_text(env_text(console), encoding="utf-8")
    dialog = open_dialog(qtbot, console)
    assert Path(dialog.directory().absolutePath()) == downloads
    assert dialog.filter() & QDir.Filter.Hidden
    qtbot.waitUntil(lambda: ".env" in listed(dialog), timeout=5000)
    dialog.reject()

    elsewhere = tmp_path / "from-agency"
    elsewhere.mkdir()
    (elsewhere / ".env").write_text(env_text(console), encoding="utf-8")
    with qtbot.waitSignal(console.service.connection_tested, timeout=10000):
        choose(qtbot, console, elsewhere / ".env")
    # The next import starts where the last one came from.
    dialog = open_dialog(qtbot, console)
    assert Path(dialog.directory().absolutePath()) == elsewhere
    dialog.reject()


def test_import_tests_at_once_and_names_the_profile_after_the_advertiser(
    qtbot: Any, console: Any, downloads: Path
) -> None:
    env = downloads / ".env"
    env.write_text(env_text(console), encoding="utf-8")
    service, page = console.service, console.window.connect_page

    with qtbot.waitSignal(service.connection_tested, timeout=10000) as tested:
        choose(qtbot, console, env)
    assert tested.args[0].ok, tested.args[0].explanation
    qtbot.waitUntil(lambda: service.profile.name == "Sandbox Shop", timeout=5000)
    assert page.picker.currentText() == "Sandbox Shop"
    assert page.token_label.text().startswith("✓ Token acquired")
    assert console.sandbox.request_count("token") >= 1


def test_reimporting_the_same_advertiser_offers_to_update_the_profile(
    qtbot: Any, console: Any, downloads: Path
) -> None:
    env = downloads / ".env"
    env.write_text(env_text(console, secret="wrong-one"), encoding="utf-8")
    service, page = console.service, console.window.connect_page
    with qtbot.waitSignal(service.connection_tested, timeout=10000):
        choose(qtbot, console, env)
    imported = service.profile.name
    before = [p.name for p in service.profiles.all()]

    env.write_text(env_text(console), encoding="utf-8")  # the fresh file the sender sent
    choose(qtbot, console, env)
    qtbot.waitUntil(page.import_bar.isVisible, timeout=5000)
    assert imported in page.import_bar.text.text()
    assert [p.name for p in service.profiles.all()] == before  # nothing changed yet
    with qtbot.waitSignal(service.connection_tested, timeout=10000) as tested:
        qtbot.mouseClick(page.import_bar.confirm, Qt.MouseButton.LeftButton)
    assert tested.args[0].ok, tested.args[0].explanation
    # Still the file's name until the advertiser's name is known: now it is.
    qtbot.waitUntil(lambda: service.profile.name == "Sandbox Shop", timeout=5000)
    assert len(service.profiles.all()) == len(before)
    assert service.profiles.secret("Sandbox Shop").secret == "sandbox-secret"
    assert not page.import_bar.isVisible()


def test_a_wrong_secret_tells_the_receiver_to_ask_the_sender(
    qtbot: Any, console: Any, downloads: Path
) -> None:
    env = downloads / ".env"
    env.write_text(env_text(console, secret="typo-in-the-secret"), encoding="utf-8")
    with qtbot.waitSignal(console.service.connection_tested, timeout=10000):
        choose(qtbot, console, env)
    told = console.window.connect_page.token_label.text()
    assert "ask that person for a fresh one" in told
    assert "portal" not in told
    assert "typo-in-the-secret" not in told
