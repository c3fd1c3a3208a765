"""The main window: the checklist sidebar on the left, the selected check's page on the right."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QIcon, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from criteo_console import APP_NAME
from criteo_console.ui import shortcuts, theme
from criteo_console.ui.checklist import PAGE_ENTRIES, ChecklistSidebar
from criteo_console.ui.pages.connect import ConnectPage
from criteo_console.ui.resources import app_icon_path
from criteo_console.ui.service import ConsoleService

if TYPE_CHECKING:
    from criteo_console.storage import Attempt, Profile
    from criteo_console.ui.pages.compose import ComposeWorkspace
    from criteo_console.ui.pages.mapping import MappingPage
    from criteo_console.ui.pages.send import SendPage

log = logging.getLogger("criteo_console.ui")
ORDER_CONTENT = ("order_id", "value", "items", "email", "email_sha256", "customer_id", "madid")
PAGES = tuple(page for page, _title in PAGE_ENTRIES)
TITLES = dict(PAGE_ENTRIES)
# The button under each page that leads on: page -> the page it opens. Compose has its own
# Send button instead (sending is its next step), the event log is the end of the path.
NEXT_PAGE = {"connect": "mapping", "mapping": "compose", "send": "log"}
# A page's primary action, pinned in the bottom row where "Next: … →" is on the other pages
# (page -> the page's attribute): never scrolled out of sight, at 2× or on a small laptop.
PINNED_ACTION = {"compose": "send_button"}
# Every page scrolls rather than forcing the window past the screen (2× on a small screen);
# at 1024×640 and up, Compose and the event log fit without their outer scroll bars.
SCROLLED = PAGES
PREBUILD = ("compose", "send", "mapping", "log")  # in idle time once a profile is shown
PREBUILD_PAUSE_MS = 200


def _scrolled(widget: QWidget) -> QScrollArea:
    """Pages scroll rather than being cut off on small screens or at 200% scaling."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


class _Placeholder(QLabel):
    """Stands in for a page until it is built (the log: until the console has started)."""

    def __init__(self, text: str = "") -> None:
        super().__init__(text)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def refresh(self) -> None:
        pass

    def select_attempt(self, _attempt_id: int) -> None:
        pass


class MainWindow(QMainWindow):
    """Only the sidebar and the Connect page exist at the first paint; the other pages (and
    the core rules, the currency list, the log model they import) are built the first time
    they are shown, or in idle time once the stores are open, whichever comes first."""

    closed = Signal()  # the user closed the window: the app shuts down

    def __init__(self, service: ConsoleService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        # The title never carries a profile's secret, token or any order data.
        self.setWindowTitle(APP_NAME)
        icon = app_icon_path()
        if icon is not None:
            self.setWindowIcon(QIcon(str(icon)))
        self.resize(1280, 800)  # shrunk to the screen in showEvent (at 2× it may be smaller)
        self._fitted = False

        self.sidebar = ChecklistSidebar()
        self.pages = QStackedWidget()
        self._page_index: dict[str, int] = {}
        self._built: dict[str, QWidget] = {}
        self._profile: Profile | None = None  # the profile shown; Compose reads its context
        for name in PAGES:
            self._page_index[name] = self.pages.addWidget(_Placeholder())
        self.connect_page = ConnectPage(service)
        self._install("connect", self.connect_page)
        self._prebuild = QTimer(self)
        self._prebuild.setSingleShot(True)
        # A short pause after the console became usable, so that its first answer (the
        # profile shown, a click) is not queued behind building a page.
        self._prebuild.setInterval(PREBUILD_PAUSE_MS)
        self._prebuild.timeout.connect(self._build_next)

        self.banner = QFrame()
        self.banner.setObjectName("unresolvedBanner")
        self.banner_text = QLabel()
        self.banner_text.setWordWrap(True)
        self.banner_button = QPushButton("Open the &event log")
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(self.banner_button)
        self.banner.hide()

        self.status_line = QLabel()
        self.status_line.setWordWrap(True)
        self.status_line.setAccessibleName("Messages")
        self.next_button = QPushButton()
        self.next_button.setAccessibleName("Next step")
        self.next_button.clicked.connect(self._next)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(9, 0, 9, 6)
        bottom.addWidget(self.status_line, 1)
        bottom.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignBottom)
        self._bottom = bottom
        self._pinned: dict[str, QWidget] = {}  # page -> its action in the bottom row

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.pages, 1)
        right_layout.addLayout(bottom)
        splitter = QSplitter()
        splitter.addWidget(self.sidebar)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([230, 1050])
        self.setCentralWidget(splitter)
        self.setTabOrder(self.sidebar, self.pages)

        self.sidebar.page_requested.connect(self.show_page)
        self.banner_button.clicked.connect(lambda: self.show_page("log"))
        service.checks_changed.connect(self.sidebar.set_statuses)
        service.profile_selected.connect(self._profile_selected)
        service.attempt_logged.connect(self._attempt_logged)
        service.unresolved_found.connect(self._unresolved)
        service.message.connect(self._message)
        service.ready.connect(self._ready)
        service.failed_to_start.connect(lambda text: self._message("error", text))
        self.connect_page.example_requested.connect(self.try_example_order)
        # The menu bar is part of the first paint: added later, it moved every page down.
        menu = self.menuBar().addMenu("&Help")
        self.shortcuts_action = menu.addAction("&Keyboard shortcuts")
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self._shortcuts = False
        self.show_page("connect")

    def showEvent(self, event: QShowEvent) -> None:
        if not self._fitted:
            self._fitted = True
            self.fit_to_screen()
        super().showEvent(event)

    def fit_to_screen(self) -> None:
        """Never larger than the screen's free area (at 2× a 1440×900 screen is 720×450)."""
        screen = self.screen()
        if screen is None:
            return
        room = screen.availableGeometry()
        frame = 40  # the title bar and borders the window manager adds
        width = min(self.width(), room.width())
        height = min(self.height(), room.height() - frame)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
            self.move(room.topLeft())
        splitter = self.centralWidget()
        if isinstance(splitter, QSplitter):  # a narrow window leaves the pages the room
            side = max(self.sidebar.minimumWidth(), min(230, width // 5))
            splitter.setSizes([side, width - side])

    def after_first_paint(self) -> None:
        """What the first paint does not show: the Alt+number page shortcuts (their Python
        types cost ~2 ms). ``start_console`` calls this right after the first paint."""
        if self._shortcuts:
            return
        self._shortcuts = True
        from PySide6.QtGui import QKeySequence, QShortcut

        from criteo_console.ui.checklist import page_shortcut

        for page in PAGES:
            keys = QKeySequence(page_shortcut(page))
            QShortcut(keys, self).activated.connect(self._go(page))
        self.shortcuts_action.setShortcut(QKeySequence(shortcuts.keys("shortcuts")))

    @Slot()
    def show_shortcuts(self) -> None:
        from criteo_console.ui.shortcuts_dialog import ShortcutsDialog

        dialog = getattr(self, "shortcuts_dialog", None)
        if dialog is None:
            dialog = self.shortcuts_dialog = ShortcutsDialog(self)
        dialog.show()
        dialog.activateWindow()

    # -- pages -----------------------------------------------------------------------------

    @property
    def compose(self) -> ComposeWorkspace:
        page: ComposeWorkspace = self.page("compose")
        return page

    @property
    def send_page(self) -> SendPage:
        page: SendPage = self.page("send")
        return page

    @property
    def mapping_page(self) -> MappingPage:
        page: MappingPage = self.page("mapping")
        return page

    @property
    def log_page(self) -> Any:
        """The log page, or a placeholder until the event log is open."""
        return self.page("log")

    def built(self, name: str) -> bool:
        return name in self._built

    def page(self, name: str) -> Any:
        """The page called ``name``, built now if it has not been yet."""
        page = self._built.get(name)
        if page is None:
            made = self._make(name)
            if made is None:
                return self.pages.widget(self._page_index[name])
            page = made
        return page

    def _make(self, name: str) -> QWidget | None:
        service = self.service
        page: QWidget
        if name == "compose":
            from criteo_console.ui.pages.compose import ComposeWorkspace

            compose = ComposeWorkspace(parent=None)
            if self._profile is not None:
                compose.set_context(self._profile.context())
            self._install(name, compose)
            compose.checked.connect(self._order_checked)
            compose.outside_field_requested.connect(self.focus_field)
            self._order_checked(compose.current_check())
            from PySide6.QtGui import QKeySequence, QShortcut

            # "Ctrl+Enter sends" from Compose too: it opens Send and asks there, so validity,
            # the live-send confirmation and the duplicate warning all still apply. (Send has
            # its own; a shortcut on a hidden page is inactive, so they never clash.)
            for keys in ("Ctrl+Return", "Ctrl+Enter"):
                QShortcut(QKeySequence(keys), compose).activated.connect(self.send_from_compose)
            compose.send_requested.connect(self.send_from_compose)
            self._pin("compose", compose)
            return compose
        if name == "send":
            from criteo_console.ui.pages.send import SendPage

            compose = self.compose
            send = SendPage(service, compose.current_order)
            self._install(name, send)
            send.issue_clicked.connect(self.focus_field)
            send.open_log.connect(self.show_attempt)
            send.open_connect.connect(lambda: self.show_page("connect"))
            send.set_check(compose.current_check())
            return send
        if name == "mapping":
            from criteo_console.ui.pages.mapping import MappingPage

            page = MappingPage(service)
        elif name == "log":
            if service.event_log is None:
                return None
            from criteo_console.ui.pages.log_page import LogPage

            log_page = LogPage(service.event_log, secrets=service.secrets)
            if service.received_lookup is not None:
                log_page.set_received_lookup(service.received_lookup)
            page = log_page
        elif name == "watch":
            from criteo_console.ui.pages.watch import WatchPage

            page = WatchPage(service.event_log, forward_url=self._forward_url)
            page.open_log.connect(self.show_attempt)
            page.request_shown.connect(
                lambda seen: seen.attempt_id is not None and self._attempt_logged(seen.attempt_id)
            )
        else:
            raise KeyError(name)
        self._install(name, page)
        return page

    def _install(self, name: str, page: QWidget) -> None:
        self._built[name] = page
        index = self._page_index[name]
        was_current = self.pages.currentIndex() == index
        old = self.pages.widget(index)
        self.pages.insertWidget(index, _scrolled(page) if name in SCROLLED else page)
        if old is not None:
            self.pages.removeWidget(old)
            old.deleteLater()
        if was_current:
            self.pages.setCurrentIndex(index)

    def _pin(self, name: str, page: QWidget) -> None:
        """Move the page's primary action out of its scrolled page into the bottom row, where
        the other pages have their "Next: … →": on screen whatever the window's size."""
        action: QWidget = getattr(page, PINNED_ACTION[name])
        before = action.previousInFocusChain()
        self._bottom.insertWidget(
            self._bottom.indexOf(self.next_button), action, 0, Qt.AlignmentFlag.AlignBottom
        )
        self._pinned[name] = action
        action.setVisible(self.current_page() == name)
        # Moving it took it out of the page's tab order: it still comes right after the page.
        if before is not None and page.isAncestorOf(before):
            self.setTabOrder(before, action)

    @Slot()
    def _build_next(self) -> None:
        pending = [name for name in PREBUILD if name not in self._built]
        if not pending or not self.isVisible():
            return
        self.page(pending[0])
        if len(pending) > 1:
            self._prebuild.start()

    def _forward_url(self) -> str | None:
        """Watch my shop forwards to the selected profile's Criteo (never the sandbox's)."""
        profile = self.service.profile
        if profile is None or profile.uses_embedded_sandbox:
            return None
        return str(profile.base_url)

    def _go(self, page: str) -> Any:
        return lambda: self.show_page(page)

    @Slot(str)
    def show_page(self, name: str) -> None:
        page = self.page(name)
        self.pages.setCurrentIndex(self._page_index[name])
        self.sidebar.select_page(name)
        for owner, action in self._pinned.items():
            action.setVisible(owner == name)
        following = NEXT_PAGE.get(name)
        self.next_button.setVisible(following is not None)
        if following is not None:
            name = TITLES[following].replace("&", "&&")  # a literal "&", not a mnemonic
            self.next_button.setText(f"Next: {name} →")
        if name == "log":
            page.refresh()

    @Slot()
    def _next(self) -> None:
        following = NEXT_PAGE.get(self.current_page())
        if following is not None:
            self.show_page(following)

    @Slot()
    def try_example_order(self) -> None:
        """The sandbox welcome's shortcut: Compose with the guide's example order in it."""
        self.show_page("compose")
        self.compose.load_example_order()
        self.compose.send_button.setFocus()

    def current_page(self) -> str:
        index = self.pages.currentIndex()
        return next(name for name, i in self._page_index.items() if i == index)

    @Slot(str)
    def focus_field(self, field: str) -> None:
        if field.startswith(("advertiser_id",)):
            self.show_page("connect")
            self.connect_page.advertiser_edit.setFocus()
            return
        if field in ("destination", "account", "mapping_key", "site_type"):
            self.show_page("connect")
            self.connect_page.focus_events_field(field)
            return
        if field.startswith("event_names"):
            self.show_page("mapping")
            return
        self.show_page("compose")
        self.compose.focus_field(field)

    @Slot()
    def send_from_compose(self) -> None:
        self.show_page("send")
        send = self.send_page
        send.set_check(self.compose.current_check())  # what is on screen right now
        send.request_send()

    @Slot(int)
    def show_attempt(self, attempt_id: int) -> None:
        self.show_page("log")
        self.log_page.select_attempt(attempt_id)

    # -- service events --------------------------------------------------------------------

    @Slot()
    def _ready(self) -> None:
        if self.current_page() == "log":
            self.show_page("log")

    @Slot(object)
    def _profile_selected(self, profile: Profile) -> None:
        # The other pages are built in idle time once the console is usable, not before:
        # building them first delayed "usable" by ~0.7 s.
        if not self._prebuild.isActive() and len(self._built) < len(PAGES):
            self._prebuild.start()
        self._profile = profile
        # The order rules (core.order) load with Compose, not with the first profile shown.
        if "compose" in self._built:
            self.compose.set_context(profile.context())

    @Slot(object)
    def _order_checked(self, check: Any) -> None:
        # An untouched form is "not started", not a list of failures.
        order = self.compose.current_order()
        blank = not any(order.get(key) for key in ORDER_CONTENT)
        self.service.set_order_check(None if blank else check)
        if "send" in self._built:
            self.send_page.set_check(check)

    @Slot(int)
    def _attempt_logged(self, attempt_id: int) -> None:
        if "log" in self._built:
            self.log_page.refresh()

    @Slot(list)
    def _unresolved(self, attempts: list[Attempt]) -> None:
        count = len(attempts)
        orders = ", ".join(sorted({a.order_id or "?" for a in attempts})[:5])
        self.banner_text.setText(
            f"⚠ {count} send{'s' if count != 1 else ''} from an earlier session "
            f"(order {orders}) did not finish: outcome unknown — check Criteo before re-sending."
        )
        self.banner.setStyleSheet(
            f"#unresolvedBanner {{ border: 2px solid {theme.color(theme.WARN_COLOR)}; "
            "border-radius: 4px; }"
        )
        self.banner.show()

    @Slot(str, str)
    def _message(self, level: str, text: str) -> None:
        table = {"error": theme.FAIL_COLOR, "warning": theme.WARN_COLOR}.get(level, theme.OK_COLOR)
        self.status_line.setText(text)
        self.status_line.setStyleSheet(f"color: {theme.color(table)}")

    def closeEvent(self, event: QCloseEvent) -> None:
        self._prebuild.stop()
        watch = self._built.get("watch")
        if watch is not None:
            watch.shutdown()  # type: ignore[attr-defined]
        self.connect_page.stop_timers()
        super().closeEvent(event)
        self.closed.emit()
