"""Render the app icon from resources/icons/criteo-console.svg into every size each OS needs.

    .venv/bin/python packaging/render_icons.py          # write PNGs, .ico, .icns, package copy
    .venv/bin/python packaging/render_icons.py --check  # exit 1 if anything is missing/stale

Outputs (committed, so building on Windows/macOS needs neither Qt rendering nor Pillow):
  resources/icons/png/criteo-console-<N>.png   N = 16 32 48 64 128 256 512 (Linux hicolor)
  resources/icons/criteo-console.ico           Windows executable icon (16..256)
  resources/icons/criteo-console.icns          macOS bundle icon (16..512)
  criteo_console/resources/icons/              the SVG and PNGs the running app loads

PNGs are drawn with PySide6's QSvgRenderer (a runtime dependency already); .ico and .icns are
packed with Pillow (the `packaging` extra) from those PNGs.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE_ICONS = ROOT / "resources" / "icons"
SVG = SOURCE_ICONS / "criteo-console.svg"
PNG_DIR = SOURCE_ICONS / "png"
ICO = SOURCE_ICONS / "criteo-console.ico"
ICNS = SOURCE_ICONS / "criteo-console.icns"
PACKAGE_ICONS = ROOT / "criteo_console" / "resources" / "icons"

SIZES = (16, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 32, 48, 64, 128, 256)


def png_path(size: int, directory: Path = PNG_DIR) -> Path:
    return directory / f"criteo-console-{size}.png"


def _render(size: int, target: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"{SVG} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    if not image.save(str(target)):
        raise SystemExit(f"could not write {target}")


def render_pngs() -> None:
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        _render(size, png_path(size))


def pack_ico_icns() -> None:
    from PIL import Image

    # Each size drawn from the SVG, not resampled by Pillow from the largest, stays crisp.
    ico_frames = [Image.open(png_path(s)) for s in ICO_SIZES]
    ico_frames[-1].save(ICO, format="ICO", sizes=[(s, s) for s in ICO_SIZES])
    with tempfile.TemporaryDirectory() as tmp:
        retina = Path(tmp) / "criteo-console-1024.png"
        _render(1024, retina)  # 512@2x for Retina displays
        frames = [Image.open(png_path(s)) for s in SIZES if s != 48]
        Image.open(retina).save(ICNS, format="ICNS", append_images=frames)


def copy_into_package() -> None:
    PACKAGE_ICONS.mkdir(parents=True, exist_ok=True)
    for source in [SVG, *(png_path(s) for s in SIZES)]:
        shutil.copy2(source, PACKAGE_ICONS / source.name)


def problems() -> list[str]:
    """Missing outputs, or package copies that differ from resources/ (run without --check)."""
    found: list[str] = []
    expected = [png_path(s) for s in SIZES] + [ICO, ICNS]
    found += [f"missing {p.relative_to(ROOT)}" for p in expected if not p.is_file()]
    for source in [SVG, *(png_path(s) for s in SIZES)]:
        copy = PACKAGE_ICONS / source.name
        if not copy.is_file() or not filecmp.cmp(source, copy, shallow=False):
            found.append(f"{copy.relative_to(ROOT)} differs from {source.relative_to(ROOT)}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale or missing files")
    args = parser.parse_args(argv)
    if args.check:
        issues = problems()
        for issue in issues:
            print(issue, file=sys.stderr)
        return 1 if issues else 0
    render_pngs()
    pack_ico_icns()
    copy_into_package()
    print(f"rendered {len(SIZES)} PNGs, .ico and .icns from {SVG.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
