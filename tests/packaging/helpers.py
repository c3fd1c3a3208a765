"""Shared by the packaging tests: repository paths and the CI rule for missing tools."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
APP_ID = "com.tracklayer.CriteoConsole"
DESKTOP_FILE = ROOT / "resources" / "linux" / f"{APP_ID}.desktop"
METAINFO_FILE = ROOT / "resources" / "linux" / f"{APP_ID}.metainfo.xml"


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def unavailable(reason: str) -> None:
    """Skip on a developer machine; fail in CI, where the tool is installed on purpose."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: .ci/run installs it)")
    pytest.skip(reason)


def import_packaging_module(name: str) -> object:
    """Import a script from packaging/ (not a package: PyInstaller runs them by path)."""
    if str(PACKAGING) not in sys.path:
        sys.path.insert(0, str(PACKAGING))
    return __import__(name)
