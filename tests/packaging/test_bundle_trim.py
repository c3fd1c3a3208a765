"""What the frozen bundle keeps: the Qt parts the console uses, not the rest of Qt."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.packaging.helpers import ROOT, import_packaging_module

trim: Any = import_packaging_module("bundle_trim")

QT = "PySide6/Qt"


@pytest.mark.parametrize(
    ("dest", "kept"),
    [
        (f"{QT}/plugins/platforms/libqxcb.so", True),
        (f"{QT}/plugins/platforms/libqwayland.so", True),
        (f"{QT}/plugins/platforms/libqoffscreen.so", True),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        (f"{QT}/plugins/platforms/libqcocoa.dylib", True),
        (f"{QT}/plugins/platforms/libqeglfs.so", False),
        (f"{QT}/plugins/platforms/libqvnc.so", False),
        (f"{QT}/plugins/imageformats/libqsvg.so", True),
        (f"{QT}/plugins/imageformats/libqpdf.so", False),
        (f"{QT}/plugins/platformthemes/libqgtk3.so", False),
        (f"{QT}/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
        (f"{QT}/plugins/sqldrivers/libqsqlite.so", False),
        (f"{QT}/lib/libQt6Core.so.6", None),
    ],
)
def test_plugin_selection(dest: str, kept: bool | None) -> None:
    assert trim.plugin_is_kept(dest) is kept


def test_babel_keeps_root_and_listed_languages_with_their_regions() -> None:
    assert trim.babel_locale_is_kept("babel/locale-data/root.dat")
    assert trim.babel_locale_is_kept("babel/locale-data/fr_CA.dat")
    assert trim.babel_locale_is_kept("babel/locale-data/de_CH.dat")
    assert trim.babel_locale_is_kept("babel/locale-data/kxv_Orya.dat") is False
    assert trim.babel_locale_is_kept("babel/global.dat") is None


def test_qt_modules_the_source_imports_are_never_excluded(tmp_path: Path) -> None:
    (tmp_path / "window.py").write_text(
        "from PySide6.QtPrintSupport import QPrinter\nimport PySide6.QtNetwork\n",
        encoding="utf-8",
    )

    excluded = trim.qt_modules_excluded(tmp_path)

    assert "PySide6.QtPrintSupport" not in excluded
    assert "PySide6.QtNetwork" not in excluded
    assert "PySide6.QtWidgets" not in excluded  # always kept
    assert {"PySide6.QtQml", "PySide6.QtQuick", "PySide6.QtSql"} <= set(excluded)


def test_the_console_sources_keep_widgets_and_drop_quick() -> None:
    excluded = trim.qt_modules_excluded(ROOT / "criteo_console")

    assert "PySide6.QtWidgets" not in excluded
    assert "PySide6.QtQuick" in excluded


def test_libraries_only_dropped_plugins_need_go_with_them() -> None:
    binaries = [
        ("PySide6/QtGui.abi3.so", "/s/QtGui.abi3.so", "EXTENSION"),
        (f"{QT}/lib/libQt6Gui.so.6", "/s/libQt6Gui.so.6", "BINARY"),
        (f"{QT}/lib/libQt6Core.so.6", "/s/libQt6Core.so.6", "BINARY"),
        (f"{QT}/plugins/platforms/libqxcb.so", "/s/libqxcb.so", "BINARY"),
        (f"{QT}/lib/libQt6XcbQpa.so.6", "/s/libQt6XcbQpa.so.6", "BINARY"),
        (f"{QT}/plugins/imageformats/libqpdf.so", "/s/libqpdf.so", "BINARY"),
        (f"{QT}/lib/libQt6Pdf.so.6", "/s/libQt6Pdf.so.6", "BINARY"),
        ("libxcb-cursor.so.0", "/s/libxcb-cursor.so.0", "BINARY"),
        ("libhook-asked-for.so", "/s/libhook-asked-for.so", "BINARY"),
        ("libQt6Pdf.so.6", "PySide6/Qt/lib/libQt6Pdf.so.6", "SYMLINK"),
        ("libQt6Core.so.6", "PySide6/Qt/lib/libQt6Core.so.6", "SYMLINK"),
    ]
    links = {
        "/s/QtGui.abi3.so": ["/s/libQt6Gui.so.6"],
        "/s/libQt6Gui.so.6": ["/s/libQt6Core.so.6"],
        "/s/libqxcb.so": ["/s/libQt6XcbQpa.so.6"],
        "/s/libQt6XcbQpa.so.6": ["/s/libQt6Gui.so.6", "/s/libxcb-cursor.so.0"],
        "/s/libqpdf.so": ["/s/libQt6Pdf.so.6"],
        "/s/libQt6Pdf.so.6": ["/s/libQt6Core.so.6"],
    }
    datas = [
        (f"{QT}/translations/qtbase_de.qm", "/s/qtbase_de.qm", "DATA"),
        ("babel/locale-data/fr.dat", "/s/fr.dat", "DATA"),
        ("babel/locale-data/kxv.dat", "/s/kxv.dat", "DATA"),
    ]

    kept, kept_datas = trim.drop_unused_qt(binaries, datas, lambda src: links.get(src, []))

    names = {entry[0] for entry in kept}
    assert names == {
        "PySide6/QtGui.abi3.so",
        f"{QT}/lib/libQt6Gui.so.6",
        f"{QT}/lib/libQt6Core.so.6",
        f"{QT}/plugins/platforms/libqxcb.so",
        f"{QT}/lib/libQt6XcbQpa.so.6",
        "libxcb-cursor.so.0",
        "libhook-asked-for.so",
        "libQt6Core.so.6",  # the symlink whose target stays
    }
    assert [entry[0] for entry in kept_datas] == ["babel/locale-data/fr.dat"]
