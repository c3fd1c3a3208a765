"""Find bundled resources (icons, styles) from a checkout, an installed wheel or PyInstaller."""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent  # criteo_console/


def resource_roots() -> list[Path]:
    """Where ``resources/`` may live, most specific first."""
    roots: list[Path] = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        roots += [Path(frozen) / "resources", Path(frozen) / "criteo_console" / "resources"]
    roots.append(_PACKAGE_DIR / "resources")  # package data in a wheel
    roots.append(_PACKAGE_DIR.parent / "resources")  # a source checkout
    return roots


def resource_path(*parts: str) -> Path | None:
    """The first existing ``resources/<parts…>``, or None when it is not shipped."""
    for root in resource_roots():
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    return None


def app_icon_path() -> Path | None:
    for name in ("criteo-console.svg", "app.svg", "criteo-console.png", "app.png"):
        found = resource_path("icons", name)
        if found is not None:
            return found
    icons = resource_path("icons")
    if icons is not None and icons.is_dir():
        for candidate in sorted(icons.glob("*.svg")) + sorted(icons.glob("*.png")):
            return candidate
    return None
