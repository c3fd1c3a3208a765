"""Keep the frozen bundle small: only the Qt parts and Babel locales the console uses.

PyInstaller's Qt hooks collect every plugin of QtGui (PDF and WebP readers, the virtual
keyboard, eglfs/vnc/linuxfb platforms, SQL drivers...) and, through them, libraries such as
QtPdf, QtQuick and QtNetwork. That default is ~177 MB for a trivial PySide6 app on Linux; the
budget is 160 MB. Babel's CLDR tables for all ~1150 locales are another 35 MB; the console
only needs the number format of the user's locale, so languages are limited to the list below.
Used by criteo-console.spec; pure functions so tests/packaging can check them.
"""

from __future__ import annotations

import ast
import os
import posixpath
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

# Always kept even if no source file imports them: QtSvg renders the SVG window icon.
_ALWAYS_KEPT_MODULES = {"QtCore", "QtGui", "QtWidgets", "QtSvg"}

# PySide6 Python modules that exist in PySide6-Essentials (the dependency we pin).
_ESSENTIALS_MODULES = {
    "QtConcurrent", "QtCore", "QtDBus", "QtDesigner", "QtGui", "QtHelp", "QtNetwork",
    "QtOpenGL", "QtOpenGLWidgets", "QtPrintSupport", "QtQml", "QtQuick", "QtQuickControls2",
    "QtQuickTest", "QtQuickWidgets", "QtSql", "QtSvg", "QtSvgWidgets", "QtTest", "QtUiTools",
    "QtWidgets", "QtXml",
}  # fmt: skip

# Plugin folder -> plugin name stems to keep (None keeps the whole folder). Any folder not
# listed is dropped. Stems are OS-neutral: "lib" prefix and extension removed.
KEPT_PLUGINS: dict[str, set[str] | None] = {
    # xcb and wayland for desktops, offscreen for the self-test and CI, the native ones for
    # Windows and macOS. Not eglfs/linuxfb/vnc/minimal: no kiosk or framebuffer use.
    "platforms": {"qxcb", "qwayland", "qoffscreen", "qwindows", "qdirect2d", "qcocoa"},
    # The portal theme gives native file dialogs on GNOME/KDE through D-Bus; the GTK3 theme
    # would need the system's GTK at run time and is left out.
    "platformthemes": {"qxdgdesktopportal"},
    # PNG, JPEG-free: the app shows SVG and PNG (built into QtGui) and ICO icons.
    "imageformats": {"qsvg", "qico"},
    "iconengines": None,
    # Dead keys / compose sequences and IBus input methods so people can type accents.
    "platforminputcontexts": {
        "composeplatforminputcontextplugin",
        "ibusplatforminputcontextplugin",
    },
    "xcbglintegrations": None,
    "wayland-decoration-client": None,
    "wayland-shell-integration": None,
    "wayland-graphics-integration-client": None,
    "styles": None,  # Windows 11 / macOS native widget styles.
}


# Languages whose CLDR data ships (every regional variant of each: fr -> fr_FR, fr_CA, fr_CH...).
# A locale outside the list reads amounts as en_US, as an unknown locale does in a checkout,
# and ambiguous entries are still flagged rather than guessed.
KEPT_BABEL_LANGUAGES = frozenset(
    """
    en fr de es it pt nl pl sv da nb nn no fi is cs sk hu ro bg el hr sl sr bs mk sq et lv lt
    ga mt lb ca eu gl tr ru uk be kk he ar fa hi bn ur ta te mr th vi id ms fil zh ja ko af sw
    """.split()  # noqa: SIM905  (reads as a table)
)


def babel_locale_is_kept(dest: str) -> bool | None:
    """True/False for a file of Babel's locale-data folder; None for anything else."""
    parts = _parts(dest)
    if len(parts) < 2 or parts[-2] != "locale-data" or "babel" not in parts:
        return None
    name = parts[-1].removesuffix(".dat")
    return name == "root" or name.split("_")[0] in KEPT_BABEL_LANGUAGES


def imported_qt_modules(package_dir: Path) -> set[str]:
    """The PySide6 modules any source file under ``package_dir`` imports."""
    found: set[str] = set()
    for path in package_dir.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                if node.module == "PySide6":
                    found.update(alias.name for alias in node.names)
                elif node.module.startswith("PySide6."):
                    found.add(node.module.split(".")[1])
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("PySide6."):
                        found.add(alias.name.split(".")[1])
    return found


def qt_modules_excluded(package_dir: Path) -> list[str]:
    """PySide6 modules to exclude: every Essentials module the source does not import."""
    used = imported_qt_modules(package_dir) | _ALWAYS_KEPT_MODULES
    return sorted(f"PySide6.{name}" for name in _ESSENTIALS_MODULES - used)


def _parts(dest: str) -> tuple[str, ...]:
    return PurePosixPath(dest.replace("\\", "/")).parts


def _stem(filename: str) -> str:
    name = filename.split(".")[0]
    return name[3:] if name.startswith("lib") else name


def plugin_is_kept(dest: str) -> bool | None:
    """True/False for a Qt plugin path; None if ``dest`` is not a Qt plugin."""
    parts = _parts(dest)
    if "PySide6" not in parts or "plugins" not in parts:
        return None
    rest = parts[parts.index("plugins") + 1 :]
    if len(rest) < 2:
        return None
    folder, filename = rest[0], rest[-1]
    if folder not in KEPT_PLUGINS:
        return False
    stems = KEPT_PLUGINS[folder]
    return stems is None or _stem(filename) in stems


def is_qt_translation(dest: str) -> bool:
    # The UI is in English; Qt's own catalogues only translate stock dialog buttons.
    parts = _parts(dest)
    return "PySide6" in parts and "translations" in parts and dest.endswith(".qm")


Entry = tuple[str, str, str]  # PyInstaller TOC entry: (dest name, source path, type code)
ImportsOf = Callable[[str], Iterable[str]]


def _linked_sources(src: str) -> set[str]:
    from PyInstaller.depend.bindepend import get_imports  # only available inside a build

    return {os.path.realpath(path) for _name, path in get_imports(src) if path}


def drop_unused_qt(
    binaries: list[Entry],
    datas: list[Entry],
    imports_of: ImportsOf = _linked_sources,
) -> tuple[list[Entry], list[Entry]]:
    """Drop unlisted Qt plugins and translations, then libraries only those plugins needed.

    Libraries are pruned by reachability over the link graph, starting from every Python
    extension module, kept plugin and library nothing links to (a hook asked for it), so a
    library that anything kept needs is never removed. ``imports_of(source_path)`` returns the
    real paths a binary links against.
    """
    symlinks = [entry for entry in binaries if entry[2] == "SYMLINK"]
    binaries = [entry for entry in binaries if entry[2] != "SYMLINK"]
    sources = {os.path.realpath(entry[1]): entry for entry in binaries}
    links = {source: {dep for dep in imports_of(source) if dep in sources} for source in sources}
    linked_from_something = set().union(*links.values()) if links else set()

    def is_root(entry: Entry) -> bool:
        plugin = plugin_is_kept(entry[0])
        if plugin is not None:
            return plugin
        source = os.path.realpath(entry[1])
        return entry[2] == "EXTENSION" or source not in linked_from_something

    reachable: set[str] = set()
    stack = [os.path.realpath(entry[1]) for entry in binaries if is_root(entry)]
    while stack:
        source = stack.pop()
        if source not in reachable:
            reachable.add(source)
            stack.extend(links[source])
    kept = [entry for entry in binaries if os.path.realpath(entry[1]) in reachable] + symlinks
    kept_datas = [
        entry
        for entry in datas
        if entry[2] == "SYMLINK"
        or (
            not is_qt_translation(entry[0])
            and plugin_is_kept(entry[0]) is not False
            and babel_locale_is_kept(entry[0]) is not False
        )
    ]
    return _without_dangling_symlinks(kept, kept_datas)


def _without_dangling_symlinks(
    binaries: list[Entry], datas: list[Entry]
) -> tuple[list[Entry], list[Entry]]:
    # PyInstaller adds top-level symlinks (libQt6Network.so.6 -> PySide6/Qt/lib/...) for
    # libraries it found; once their target is dropped they would point nowhere.
    present = {
        PurePosixPath(entry[0].replace("\\", "/"))
        for entry in (*binaries, *datas)
        if entry[2] != "SYMLINK"
    }

    def target_present(entry: Entry) -> bool:
        link = PurePosixPath(entry[0].replace("\\", "/"))
        target = PurePosixPath(posixpath.normpath(link.parent / entry[1].replace("\\", "/")))
        return target in present

    def keep(entries: list[Entry]) -> list[Entry]:
        return [e for e in entries if e[2] != "SYMLINK" or target_present(e)]

    return keep(binaries), keep(datas)
