"""The console runs in Fusion with Fusion's light palette (or the dark one), though neither is
read from a Python ``QStyle`` at start-up (start-up time, see ``theme``)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from PySide6.QtWidgets import QStyleFactory

from criteo_console.ui import theme

FRESH_APP = """
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QStyleFactory
from criteo_console.ui import theme
from criteo_console.ui.app import make_qapp

app = make_qapp()
expected = theme._dark_palette() if theme.system_is_dark() else theme.light_palette()
print(app.style().name(), app.palette() == expected)
"""


def test_light_palette_is_fusions_standard_palette(qapp: Any) -> None:
    fusion = QStyleFactory.create(theme.STYLE)
    assert fusion is not None
    assert theme.light_palette() == fusion.standardPalette()


def test_a_new_console_app_is_fusion_with_the_theme_palette() -> None:
    # Fusion even where the desktop asks for another style (here through the environment).
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_STYLE_OVERRIDE="Windows")
    out = subprocess.run(
        [sys.executable, "-c", FRESH_APP],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert out.stdout.split() == ["fusion", "True"]
