"""Find the app's bundled files (icons) the same way from a checkout, a wheel or the frozen app.

No Qt here: the CLI, tests and packaging scripts use it too. The files live in the package
(``criteo_console/resources/``) so setuptools ships them as package data and PyInstaller copies
them to the same relative place; see packaging/README.md for why that directory mirrors the
top-level ``resources/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["resource_path", "resources_dir"]


def resources_dir() -> Path:
    """The directory holding the runtime resources of this installation."""
    # A PyInstaller bundle unpacks data under sys._MEIPASS (the `_internal` folder of a
    # one-folder build, or the Resources folder of a macOS .app).
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "criteo_console" / "resources"
    return Path(__file__).resolve().parent / "resources"


def resource_path(name: str) -> Path:
    """Absolute path of the resource ``name`` (e.g. ``"icons/criteo-console.svg"``).

    Raises FileNotFoundError naming the file and where it was looked for, so a broken
    installation says what is missing instead of showing a window without an icon.
    """
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts:
        raise ValueError(f"resource names are relative to the resources folder: {name!r}")
    path = resources_dir() / relative
    if not path.is_file():
        raise FileNotFoundError(f"resource {name!r} is missing from {resources_dir()}")
    return path
