"""Prove the pure layers are pure: import them and run their tests with PySide6 unimportable.

`make test` runs this after the main suite. A meta-path finder refuses PySide6, shiboken6,
qasync and pytest-qt, so any import of them (direct or indirect) raises ImportError.
"""

from __future__ import annotations

import importlib
import importlib.abc
import pathlib
import sys

BLOCKED = ("PySide6", "shiboken6", "qasync", "pytestqt")
PURE_PACKAGES = (
    "criteo_console.core",
    "criteo_console.criteo",
    "criteo_console.sandbox",
    "criteo_console.storage",
    "criteo_console.session",
    "criteo_console.capture",
    "criteo_console.cli",
)
PURE_TESTS = (
    "tests/core",
    "tests/cli",
    "tests/criteo",
    "tests/sandbox",
    "tests/storage",
    "tests/session",
    "tests/capture",
    "tests/e2e",
)


class _BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: object, target: object = None) -> None:
        if fullname.split(".")[0] in BLOCKED:
            raise ImportError(f"{fullname} is blocked: the pure layers must not need Qt")


def main() -> int:
    # Run as a script, this folder would be sys.path[0] and tests/packaging would shadow the
    # PyPI "packaging" module pytest needs; import from the project root instead.
    root = pathlib.Path(__file__).resolve().parent.parent
    sys.path[:] = [p for p in sys.path if pathlib.Path(p or ".").resolve() != root / "tests"]
    sys.path.insert(0, str(root))
    sys.meta_path.insert(0, _BlockQt())
    for package in PURE_PACKAGES:
        importlib.import_module(package)
    import pytest

    paths = [str(root / p) for p in PURE_TESTS if (root / p).is_dir()]
    # pytest-qt is not loaded, so its ini keys are unknown: drop --strict-config for this run
    # but keep warnings as errors and strict markers.
    return pytest.main(
        [
            "-q",
            "-p",
            "no:pytest-qt",
            "-o",
            "addopts=",
            "--strict-markers",
            "-W",
            "error",
            "-W",
            "ignore::pytest.PytestConfigWarning",
            *paths,
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
