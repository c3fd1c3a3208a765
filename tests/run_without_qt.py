"""Prove the pure layers are pure: import them and run their tests with PySide6 unimportable.

`make test` runs this after the main suite. Setting ``sys.modules[name] = None`` makes any
``import PySide6`` (direct or through qasync/pytest-qt) raise ImportError.
"""

from __future__ import annotations

import importlib
import pathlib
import sys

BLOCKED = ("PySide6", "shiboken6", "qasync", "pytestqt")
PURE_PACKAGES = ("criteo_console.core", "criteo_console.criteo", "criteo_console.sandbox")
PURE_TESTS = ("tests/core", "tests/criteo", "tests/sandbox")


def main() -> int:
    for name in BLOCKED:
        sys.modules[name] = None  # type: ignore[assignment]
    for package in PURE_PACKAGES:
        importlib.import_module(package)
    import pytest

    root = pathlib.Path(__file__).resolve().parent.parent
    paths = [str(root / p) for p in PURE_TESTS if (root / p).is_dir()]
    return pytest.main(["-q", "-p", "no:pytestqt", "-o", "qt_api=", *paths])


if __name__ == "__main__":
    sys.exit(main())
