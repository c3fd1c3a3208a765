"""TrackLayer Criteo Console: prove before launch that purchase conversions reach Criteo."""

from __future__ import annotations

import sys

APP_NAME = "TrackLayer Criteo Console"

# httpx's package imports its command-line tool, which loads click, rich and pygments when
# they are installed (~190 ms at start-up); nothing here uses it. A None entry makes that one
# import fail, and httpx then falls back to its own stub ``httpx.main``.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


def __getattr__(name: str) -> str:
    # Reading the installed metadata costs ~20 ms; only --version, the log and reports need it,
    # so it is not paid before the first window appears.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value = version("criteo-console")
        except PackageNotFoundError:  # running from a checkout that was never installed
            value = "0.0.0+checkout"
        globals()["__version__"] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
