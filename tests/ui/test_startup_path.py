"""Start-up as the user gets it: the window's path skips the command parser, the collector is
paused only until the console is usable, the first paint already looks like the window the
user will work in (the Help menu, the sidebar's words), and the real entry point says when it
is shown and when it is usable (bench/startup.py times those two lines)."""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from criteo_console import startup_gc
from criteo_console.announce import ANNOUNCE_READY_ENV, READY_LINE, SHOWN_LINE
from tests.ui.conftest import start_test_console, stop_test_console

ENTRY = "import sys; from criteo_console.cli import main; sys.exit(main())"
# The offscreen platform's notes about window-manager features it does not have.
pytestmark = pytest.mark.qt_log_ignore(
    "This plugin does not support propagateSizeHints",
    "This plugin does not support raise",
    "This plugin does not support grabbing the keyboard",
)


@pytest.fixture
def collector_restored() -> Any:
    """Whatever a test does to the collector, the test run gets it back on."""
    yield
    startup_gc._paused = False
    gc.enable()


# -- the entry point ------------------------------------------------------------------------


def test_the_window_starts_without_building_the_command_parser() -> None:
    probe = (
        "import sys\n"
        "from criteo_console import cli\n"
        "cli._run_gui = lambda argv: print(sorted(m for m in sys.modules"
        " if m.startswith('criteo_console.commands') or m == 'argparse')) or 0\n"
        "sys.exit(cli.main([]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    loaded = json.loads(done.stdout.strip().replace("'", '"'))
    # Only the usage error every command shares: no command module, no argparse (~50 ms).
    assert loaded == ["criteo_console.commands", "criteo_console.commands._usage"]


def test_the_window_path_pauses_the_collector_before_qt_is_imported(tmp_path: Path) -> None:
    """The collector is off from the moment Qt's modules load (the window's start-up)."""
    probe = (
        "import gc, sys\n"
        "def seen(event, args):\n"
        "    if event == 'import' and args[0] == 'PySide6.QtWidgets':\n"
        "        print('collector on while Qt loads:', gc.isenabled(), flush=True)\n"
        "sys.addaudithook(seen)\n"
        "from criteo_console.cli import main\n"
        "sys.exit(main([]))\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="nosuchplatform", CRITEO_CONSOLE_HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 1  # no such platform: the window stops there, in one line
    assert done.stdout.splitlines()[0] == "collector on while Qt loads: False"


def test_a_subcommand_still_gets_its_parser() -> None:
    done = subprocess.run(
        [sys.executable, "-c", ENTRY, "validate", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and "usage: criteo-console validate" in done.stdout


def test_the_entry_point_says_shown_then_ready_and_stops_on_sigterm(tmp_path: Path) -> None:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        **{ANNOUNCE_READY_ENV: "1"},
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_DATA_HOME=str(tmp_path / "data"),
    )
    env.pop("CRITEO_CONSOLE_HOME", None)
    env.pop("CRITEO_CONSOLE_LOG", None)
    proc = subprocess.Popen(
        [sys.executable, "-c", ENTRY], env=env, stderr=subprocess.PIPE, text=True
    )
    seen: list[str] = []
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            if line.startswith("criteo-console: "):
                seen.append(line.strip())
            if line.strip() == READY_LINE:
                break
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()
    assert seen == [SHOWN_LINE, READY_LINE]
    # The real default folders were used (what the bench measures), with the profile file.
    assert list((tmp_path / "config").glob("*/profiles.json"))


# -- the collector --------------------------------------------------------------------------


def test_pause_and_resume_leave_a_collector_turned_off_elsewhere_alone(
    collector_restored: None,
) -> None:
    gc.disable()
    assert not startup_gc.pause()
    startup_gc.resume()
    assert not gc.isenabled()  # not ours to turn on
    gc.enable()
    assert startup_gc.pause() and not gc.isenabled() and startup_gc.paused()
    assert not startup_gc.pause()  # once
    startup_gc.resume()
    assert gc.isenabled() and not startup_gc.paused()


def test_collection_resumes_once_the_first_profile_is_shown(
    qloop: qasync.QEventLoop,
    qtbot: Any,
    console_home: object,
    monkeypatch: pytest.MonkeyPatch,
    collector_restored: None,
) -> None:
    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))  # not the test run's objects
    assert startup_gc.pause()
    started = start_test_console(qloop, qtbot)
    try:
        qtbot.waitUntil(gc.isenabled, timeout=5000)
        assert frozen == [True] and not startup_gc.paused()
    finally:
        stop_test_console(qloop, qtbot, started)


def test_collection_and_the_focus_style_come_back_when_the_first_profile_cannot_be_shown(
    qloop: qasync.QEventLoop,
    qtbot: Any,
    console_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    collector_restored: None,
    qapp: QApplication,
) -> None:
    """A real profile first whose secret the OS store fails to read (a D-Bus call that gets
    no reply): start-up ends in an error message, and neither the collector nor the visible
    keyboard focus is left off for the rest of the session."""
    from criteo_console.storage import InMemoryKeyring, Profile, open_secret_store
    from criteo_console.ui import theme
    from criteo_console.ui.app import make_qapp, start_console

    monkeypatch.setattr(gc, "freeze", lambda: None)
    real = Profile(name="ACME", advertiser_id=42, client_id="acme-client")
    (console_home / "profiles.json").write_text(
        json.dumps({"format": 1, "profiles": [real.to_json()], "secrets": {}}), encoding="utf-8"
    )

    class NoReply(InMemoryKeyring):
        def get_password(self, service: str, username: str) -> str | None:
            if username == real.id:
                raise RuntimeError("org.freedesktop.DBus.Error.NoReply")
            return None

    before = qapp.styleSheet()
    qapp.setStyleSheet("")
    assert startup_gc.pause()
    task = qloop.create_task(
        start_console(
            make_qapp(),
            open_secrets=lambda: open_secret_store(NoReply()),
            install_crash_handler=False,
        )
    )
    qtbot.waitUntil(task.done, timeout=5000)
    started = task.result()
    try:
        qtbot.waitUntil(gc.isenabled, timeout=5000)
        qtbot.waitUntil(lambda: qapp.styleSheet() == theme._FOCUS_QSS, timeout=5000)
        assert started.service.profile is None
        assert "NoReply" not in started.window.status_line.text()  # a plain line, said once
    finally:
        stop_test_console(qloop, qtbot, started)
        qapp.setStyleSheet(before)


def test_collection_resumes_when_the_console_cannot_start(
    qloop: qasync.QEventLoop,
    qtbot: Any,
    console_home: object,
    monkeypatch: pytest.MonkeyPatch,
    collector_restored: None,
) -> None:
    from criteo_console.ui.app import make_qapp, start_console

    monkeypatch.setattr(gc, "freeze", lambda: None)

    def broken_store() -> Any:
        raise OSError("the keyring daemon went away")

    assert startup_gc.pause()
    task = qloop.create_task(
        start_console(make_qapp(), open_secrets=broken_store, install_crash_handler=False)
    )
    qtbot.waitUntil(task.done, timeout=5000)
    started = task.result()
    try:
        qtbot.waitUntil(gc.isenabled, timeout=5000)
        assert started.service.profile is None  # it did not start, and says so
    finally:
        stop_test_console(qloop, qtbot, started)


# -- the first paint looks like the window the user works in ---------------------------------


def _sidebar_rows(window: Any) -> list[tuple[int, str]]:
    sidebar = window.sidebar
    rows = []
    for row in range(sidebar.count()):
        item = sidebar.item(row)
        rows.append((sidebar.visualItemRect(item).height(), item.toolTip()))
    return rows


def test_the_sidebar_does_not_change_when_the_first_profile_is_shown(
    console: Any, qtbot: Any
) -> None:
    """The first paint's sidebar (a window whose stores are not open yet) and the sidebar once
    the first profile is shown are the same, entry by entry."""
    from criteo_console.core.checklist_words import NOT_STARTED
    from criteo_console.ui.main_window import MainWindow
    from criteo_console.ui.service import ConsoleService

    service = ConsoleService(
        http=None, paths=None, sandbox_url=lambda: None, received_lookup=lambda _o: []
    )
    first_paint = MainWindow(service)
    qtbot.addWidget(first_paint)
    first_paint.resize(console.window.size())
    first_paint.show()
    qtbot.waitExposed(first_paint)
    QApplication.processEvents()
    assert console.service.profile is not None
    assert _sidebar_rows(console.window) == _sidebar_rows(first_paint)
    connect_tip = _sidebar_rows(first_paint)[0][1]
    assert NOT_STARTED[1] in connect_tip and NOT_STARTED[2] in connect_tip


def test_a_narrow_sidebar_wraps_its_words_onto_more_lines(qtbot: Any) -> None:
    from criteo_console.ui.checklist import ChecklistSidebar

    sidebar = ChecklistSidebar()
    qtbot.addWidget(sidebar)
    sidebar.setMaximumWidth(2000)
    sidebar.resize(600, 700)
    sidebar.show()
    qtbot.waitExposed(sidebar)
    wide = sidebar.visualItemRect(sidebar.item(0)).height()
    sidebar.resize(190, 700)
    qtbot.waitUntil(lambda: sidebar.visualItemRect(sidebar.item(0)).height() > wide, timeout=3000)
    sidebar.resize(600, 700)  # and back: the remembered size for that width, not the narrow one
    qtbot.waitUntil(lambda: sidebar.visualItemRect(sidebar.item(0)).height() == wide, timeout=3000)


def test_the_help_menu_is_there_before_the_first_paint_and_opens_the_shortcuts(
    qtbot: Any,
) -> None:
    from criteo_console.ui.main_window import MainWindow
    from criteo_console.ui.service import ConsoleService

    service = ConsoleService(
        http=None, paths=None, sandbox_url=lambda: None, received_lookup=lambda _o: []
    )
    window = MainWindow(service)
    qtbot.addWidget(window)
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus == ["&Help"]  # in the window's first layout: nothing moves down later
    window.after_first_paint()
    assert window.shortcuts_action.shortcut().toString() == "F1"
    window.show()
    window.menuBar().actions()[0].menu().popup(window.mapToGlobal(window.rect().center()))
    window.shortcuts_action.trigger()  # what clicking the menu entry does
    qtbot.waitUntil(lambda: window.shortcuts_dialog.isVisible(), timeout=3000)
    window.shortcuts_dialog.close()


def test_the_focus_style_arrives_once_the_console_is_usable(
    qloop: qasync.QEventLoop, qtbot: Any, console_home: object, qapp: QApplication
) -> None:
    from criteo_console.ui import theme

    before = qapp.styleSheet()
    qapp.setStyleSheet("")
    at_profile: list[str] = []
    from criteo_console.ui import app as app_module

    original = app_module.start_console

    async def watching(*args: Any, **kwargs: Any) -> Any:
        started = await original(*args, **kwargs)
        # The profile's paint comes first: the style sheet re-polishes every widget after it.
        started.service.profile_selected.connect(lambda _p: at_profile.append(qapp.styleSheet()))
        return started

    app_module.start_console = watching  # type: ignore[assignment]
    try:
        started = start_test_console(qloop, qtbot)
    finally:
        app_module.start_console = original
    try:
        qtbot.waitUntil(lambda: qapp.styleSheet() == theme._FOCUS_QSS, timeout=5000)
        assert at_profile == [""]
    finally:
        stop_test_console(qloop, qtbot, started)
        qapp.setStyleSheet(before)
