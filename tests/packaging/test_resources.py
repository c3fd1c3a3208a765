"""The app icon is found the same way from a checkout and a frozen app, in every size."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import pytest

from criteo_console import resources_path
from criteo_console.resources_path import resource_path, resources_dir
from tests.packaging.helpers import ROOT, import_packaging_module

SIZES = (16, 32, 48, 64, 128, 256, 512)


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_checkout_finds_the_svg_icon_in_the_package() -> None:
    path = resource_path("icons/criteo-console.svg")

    assert path == ROOT / "criteo_console" / "resources" / "icons" / "criteo-console.svg"
    assert b"<svg" in path.read_bytes()


@pytest.mark.parametrize("size", SIZES)
def test_every_png_size_is_shipped_at_its_size(size: int) -> None:
    assert _png_size(resource_path(f"icons/criteo-console-{size}.png")) == (size, size)


def test_frozen_app_reads_resources_from_the_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = tmp_path / "criteo_console" / "resources" / "icons"
    bundled.mkdir(parents=True)
    (bundled / "criteo-console.svg").write_text("<svg/>", encoding="utf-8")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)

    assert resources_dir() == tmp_path / "criteo_console" / "resources"
    assert resource_path("icons/criteo-console.svg") == bundled / "criteo-console.svg"


def test_missing_resource_names_the_file() -> None:
    with pytest.raises(FileNotFoundError, match=r"icons/no-such-icon\.svg"):
        resource_path("icons/no-such-icon.svg")


@pytest.mark.parametrize("name", ["../pyproject.toml", "/etc/passwd"])
def test_names_cannot_leave_the_resources_folder(name: str) -> None:
    with pytest.raises(ValueError, match="relative"):
        resource_path(name)


def test_resources_path_does_not_need_qt() -> None:
    source = Path(resources_path.__file__).read_text(encoding="utf-8")

    assert "PySide6" not in source


def test_package_icons_match_their_source_in_resources() -> None:
    render_icons = import_packaging_module("render_icons")

    assert render_icons.problems() == []  # type: ignore[attr-defined]


def test_windows_and_macos_icon_files_hold_the_sizes_they_need() -> None:
    image = pytest.importorskip("PIL.Image", reason="Pillow comes with the packaging extra")
    icons = ROOT / "resources" / "icons"

    with image.open(icons / "criteo-console.ico") as ico:
        assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])
    with image.open(icons / "criteo-console.icns") as icns:
        # macOS wants 128, 256 and 512 points, each also at 2x for Retina displays.
        assert {(128, 128, 1), (256, 256, 1), (512, 512, 1), (512, 512, 2)} <= set(
            icns.info["sizes"]
        )


def test_svg_icon_renders_with_qt() -> None:
    qt_svg = pytest.importorskip("PySide6.QtSvg")

    renderer = qt_svg.QSvgRenderer(str(resource_path("icons/criteo-console.svg")))

    assert renderer.isValid()
    assert renderer.defaultSize().width() == 512
