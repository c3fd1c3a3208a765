"""Light and dark palettes (following the system colour scheme) and a visible keyboard focus.

Start-up time: nothing here hands a ``QStyle`` to Python before the first paint (the first
``QStyle`` wrapper builds its eleven Python enums, ~5 ms). The Fusion style is chosen with the
``-style`` argument when the ``QApplication`` is created (``STYLE_ARGS``), and the light palette
is Fusion's standard palette written out (a test keeps it equal to Qt's).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

# Status colours readable on both palettes (checked against the screenshots).
OK_COLOR = {"light": "#1b7f3b", "dark": "#5fd38a"}
WARN_COLOR = {"light": "#8a5a00", "dark": "#f0c05a"}
FAIL_COLOR = {"light": "#b3261e", "dark": "#ff8a80"}
MUTED_COLOR = {"light": "#5f6368", "dark": "#a8adb3"}
STYLE = "Fusion"
STYLE_ARGS = ("-style", STYLE)  # for a new QApplication: Fusion without a Python QStyle


# The focus frame must fit inside the room the button was laid out with (its size hint comes
# from the unfocused Fusion button): wide side padding there cut labels ("Jon't senc").
_FOCUS_QSS = """
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QSpinBox:focus, QTableView:focus,
QListView:focus, QTreeView:focus {
    border: 2px solid palette(highlight);
    border-radius: 3px;
}
QPushButton:focus, QToolButton:focus { border: 2px solid palette(highlight); border-radius: 4px;
    padding: 3px 2px; }
QToolButton:focus { padding: 2px; }
"""


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return bool(hints.colorScheme() == Qt.ColorScheme.Dark)


def current_mode() -> str:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return "light"
    return "dark" if app.palette().color(QPalette.ColorRole.Window).lightness() < 128 else "light"


def color(table: dict[str, str]) -> str:
    return table[current_mode()]


def apply_theme(
    app: QApplication,
    dark: bool | None = None,
    *,
    focus_style: bool = True,
    set_style: bool = True,
) -> None:
    """Fusion with a light or dark palette; ``dark=None`` follows the system setting.

    ``set_style=False`` when the app was created with ``STYLE_ARGS`` (already Fusion)."""
    if set_style:
        app.setStyle(STYLE)
    if dark is None:
        dark = system_is_dark()
    app.setPalette(_dark_palette() if dark else light_palette())
    if focus_style:
        apply_focus_style(app)


def apply_focus_style(app: QApplication) -> None:
    """A visible keyboard focus on every input (the style sheet)."""
    if app.styleSheet() != _FOCUS_QSS:
        app.setStyleSheet(_FOCUS_QSS)


def follow_system(app: QApplication) -> None:
    """Re-apply the palette when the user switches the desktop between light and dark."""
    QGuiApplication.styleHints().colorSchemeChanged.connect(
        lambda _scheme: apply_theme(app, focus_style=bool(app.styleSheet()))
    )


def light_palette() -> QPalette:
    """Fusion's standard palette (qfusionstyle.cpp, derived the same way), the same on every
    platform: the platform theme's own palette is not used."""
    background = QColor(239, 239, 239)
    mid = background.darker(130)
    dark = background.darker(150)
    shadow = dark.darker(135)
    black, white = QColor(0, 0, 0), QColor(255, 255, 255)
    disabled_text = QColor(190, 190, 190)
    highlight = QColor(48, 140, 198)
    placeholder = QColor(0, 0, 0, 128)
    r = QPalette.ColorRole
    normal = {  # role -> (active and inactive, disabled)
        r.WindowText: (black, disabled_text),
        r.Button: (background, background),
        r.Light: (background.lighter(150), background.lighter(150)),
        r.Midlight: (mid.lighter(110), mid.lighter(110)),
        r.Dark: (dark, QColor(209, 209, 209).darker(110)),
        r.Mid: (mid, mid),
        r.Text: (black, disabled_text),
        r.BrightText: (white, white),
        r.ButtonText: (black, disabled_text),
        r.Base: (white, background),
        r.Window: (background, background),
        r.Shadow: (shadow, shadow.lighter(150)),
        r.Highlight: (highlight, QColor(145, 145, 145)),
        r.HighlightedText: (white, white),
        r.Link: (QColor(0, 0, 255), QColor(0, 0, 255)),
        r.LinkVisited: (QColor(255, 0, 255), QColor(255, 0, 255)),
        r.AlternateBase: (QColor(247, 247, 247), QColor(247, 247, 247)),
        r.ToolTipBase: (QColor(255, 255, 220), QColor(255, 255, 220)),
        r.ToolTipText: (black, black),
        r.PlaceholderText: (placeholder, placeholder),
        r.Accent: (highlight, QColor(145, 145, 145)),
    }
    p = QPalette()
    groups = QPalette.ColorGroup
    for role, (color, disabled) in normal.items():
        p.setColor(groups.Active, role, color)
        p.setColor(groups.Inactive, role, color)
        p.setColor(groups.Disabled, role, disabled)
    return p


def _dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor("#202124"), QColor("#17181a"), QColor("#e8eaed")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#26282b"),
        QPalette.ColorRole.ToolTipBase: QColor("#303134"),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor("#9aa0a6"),
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#2d2f33"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ffffff"),
        QPalette.ColorRole.Highlight: QColor("#4c8dff"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#8ab4f8"),
        QPalette.ColorRole.Mid: QColor("#3c4043"),
        QPalette.ColorRole.Dark: QColor("#111214"),
        QPalette.ColorRole.Light: QColor("#5f6368"),
    }
    for role, value in roles.items():
        p.setColor(role, value)
    disabled = QColor("#80868b")
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p
