"""When Qt cannot open a window (no display, a missing X11 library, an unknown platform), the
console says why in one line and exits 1, instead of Qt's lines, an abort and a Python stack
dump; Qt's own words are kept in crash.log for support."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import qWarning

from criteo_console.ui.platform_failure import explain, one_line_if_qt_cannot_start

ENTRY = "import sys; from criteo_console.cli import main; sys.exit(main())"

# What Qt 6 prints on a Linux box without a display (the cursor hint comes every time).
NO_DISPLAY = [
    "could not connect to display ",
    "From 6.5.0, xcb-cursor0 or libxcb-cursor0 is needed to load the Qt xcb platform plugin.",
    'Could not load the Qt platform plugin "xcb" in "" even though it was found.',
    "This application failed to start because no Qt platform plugin could be initialized. "
    "Reinstalling the application may fix this problem.\n\nAvailable platform plugins are: "
    "minimal, offscreen, xcb, wayland.",
]
MISSING_LIBRARY = NO_DISPLAY[1:]  # the display is there, the plugin's library is not


def test_no_display_is_said_as_no_screen_with_what_to_do_instead() -> None:
    line = explain(NO_DISPLAY, environ={})
    assert "no screen to show the window on (no display is set)" in line
    assert "criteo-console --help" in line and "\n" not in line


def test_a_display_that_does_not_answer_is_named() -> None:
    line = explain(NO_DISPLAY, environ={"DISPLAY": ":99"})
    assert "the display :99 did not answer" in line


def test_a_missing_x11_library_is_named_with_the_package_to_install() -> None:
    line = explain(MISSING_LIBRARY, environ={"DISPLAY": ":0"})
    assert "libxcb-cursor0" in line and "sudo apt install libxcb-cursor0" in line


def test_an_unknown_platform_names_the_setting_and_the_choices_qt_has() -> None:
    said = [
        'Could not find the Qt platform plugin "nosuch" in ""',
        "This application failed to start because no Qt platform plugin could be initialized."
        "\n\nAvailable platform plugins are: windows, minimal, offscreen.",
    ]
    line = explain(said)
    assert '"nosuch"' in line and "Unset QT_QPA_PLATFORM" in line
    assert "windows, minimal, offscreen" in line and "xcb" not in line


def test_anything_else_keeps_the_first_sentence_of_what_qt_said() -> None:
    line = explain(["EGL not available. Something else entirely."])
    assert "Qt could not open a window (EGL not available)" in line


def test_when_qt_starts_what_it_said_meanwhile_is_printed_as_qt_would(
    capsys: pytest.CaptureFixture[str],
) -> None:
    exits: list[int] = []
    with one_line_if_qt_cannot_start(exit_now=exits.append):
        qWarning("a warning while the application is made")
        assert "a warning" not in capsys.readouterr().err  # held, not lost
    assert "a warning while the application is made" in capsys.readouterr().err
    assert exits == []


def _start(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = dict(os.environ, CRITEO_CONSOLE_HOME=str(tmp_path), **env)
    environ.pop("DISPLAY", None)
    environ.pop("WAYLAND_DISPLAY", None)
    return subprocess.run(
        [sys.executable, "-c", ENTRY], env=environ, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("platform", "reason"),
    [
        ("nosuchplatform", 'no platform plugin named "nosuchplatform"'),
        # no display here: "no screen" (or, without the plugin's libraries, the library)
        ("xcb", "the console window cannot start: "),
    ],
)
def test_the_real_entry_point_says_one_line_and_exits_1(
    tmp_path: Path, platform: str, reason: str
) -> None:
    done = _start(tmp_path, QT_QPA_PLATFORM=platform)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 1, done.stderr
    assert len(lines) == 1, done.stderr  # no Qt lines, no "Fatal Python error", no stack
    assert lines[0].startswith("criteo-console: the console window cannot start: ")
    assert reason in lines[0]
    kept = (tmp_path / "crash.log").read_text(encoding="utf-8")
    assert "Qt could not open a window:" in kept and "platform plugin" in kept
    assert str(tmp_path / "crash.log") in lines[0]
