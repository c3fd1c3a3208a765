"""Suite-wide settings. Keep this free of Qt: the pure layers' tests also run without PySide6."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
