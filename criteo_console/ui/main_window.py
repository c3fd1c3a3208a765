"""The main window: the checklist sidebar on the left, the selected check's page on the right."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QIcon, QKeySequence, QShortcut
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
from criteo_console.core import ProfileContext
from criteo_console.ui import theme
from criteo_console.ui.checklist import ChecklistSidebar
from criteo_console.ui.pages.connect import ConnectPage
from criteo_console.ui.pages.mapping import MappingPage
from criteo_console.ui.pages.send import SendPage
from criteo_console.ui.resources import app_icon_path
from criteo_console.ui.service import ConsoleService

if TYPE_CHECKING:
    from criteo_console.storage import Attempt, Profile

log = logging.getLogger("criteo_console.ui")
ORDER_CONTENT = ("order_id", "value", "items", "email", "email_sha256", "customer_id", "madid")


def _scrolled(widget: QWidget) -> QScrollArea:
    """Pages scroll rather than being cut off on small screens or at 200% scaling."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area


class _Placeholder(QLabel):
    """Shown until a page's widget is available."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)

    def refresh(self) -> None:
        pass

    def select_attempt(self, _attempt_id: int) -> None:
        pass


class MainWindow(QMainWindow):
    closed = Signal()  # the user closed the window: the app shuts down

    def __init__(self, service: ConsoleService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        # The title never carries a profile's secret, token or any order data.
        self.setWindowTitle(APP_NAME)
        icon = app_icon_path()
        if icon is not None:
            self.setWindowIcon(QIcon(str(icon)))
        self.resize(1280, 800)

        self.sidebar = ChecklistSidebar()
        self.pages = QStackedWidget()
        self.connect_page = ConnectPage(service)
        self.mapping_page = MappingPage(service)
        self.compose = self._make_compose()
        self.send_page = SendPage(service, self.compose.current_order)
        self.log_page: Any = _Placeholder("The event log opens once the console has started.")
        self._page_index: dict[str, int] = {}
        for name, page in (
            ("connect", self.connect_page),
            ("mapping", self.mapping_page),
            ("compose", self.compose),
            ("send", self.send_page),
        ):
            self._add_page(name, page)
        self._add_page("log", self.log_page)

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

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.banner)
        right_layout.addWidget(self.pages, 1)
        right_layout.addWidget(self.status_line)
        splitter = QSplitter()
        splitter.addWidget(self.sidebar)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        self.setTabOrder(self.sidebar, self.pages)

        self.sidebar.page_requested.connect(self.show_page)
        self.send_page.issue_clicked.connect(self.focus_field)
        self.send_page.open_log.connect(self.show_attempt)
        self.banner_button.clicked.connect(lambda: self.show_page("log"))
        service.checks_changed.connect(self.sidebar.set_statuses)
        service.profile_selected.connect(self._profile_selected)
        service.attempt_logged.connect(self._attempt_logged)
        service.unresolved_found.connect(self._unresolved)
        service.message.connect(self._message)
        service.ready.connect(self._ready)
        service.failed_to_start.connect(lambda text: self._message("error", text))
        if hasattr(self.compose, "checked"):
            self.compose.checked.connect(self._order_checked)
        if hasattr(self.compose, "outside_field_requested"):
            self.compose.outside_field_requested.connect(self._outside_field)
        for number, page in enumerate(("connect", "mapping", "compose", "send", "log"), 1):
            QShortcut(QKeySequence(f"Alt+{number}"), self).activated.connect(self._go(page))
        self.sidebar.set_statuses(service.checks())
        self.show_page("connect")
        if hasattr(self.compose, "current_check"):
            self._order_checked(self.compose.current_check())

    # -- pages -----------------------------------------------------------------------------

    def _make_compose(self) -> Any:
        from criteo_console.ui.pages.compose import ComposeWorkspace

        return ComposeWorkspace(parent=None)

    def _add_page(self, name: str, widget: QWidget) -> None:
        holder = _scrolled(widget) if name in ("connect", "send", "mapping") else widget
        self._page_index[name] = self.pages.addWidget(holder)

    def _go(self, page: str) -> Any:
        return lambda: self.show_page(page)

    @Slot(str)
    def show_page(self, name: str) -> None:
        self.pages.setCurrentIndex(self._page_index[name])
        self.sidebar.select_page(name)
        if name == "log":
            self.log_page.refresh()

    def current_page(self) -> str:
        index = self.pages.currentIndex()
        return next(name for name, i in self._page_index.items() if i == index)

    @Slot(str)
    def focus_field(self, field: str) -> None:
        if field.startswith(("advertiser_id",)):
            self.show_page("connect")
            self.connect_page.advertiser_edit.setFocus()
            return
        if field.startswith("event_names"):
            self.show_page("mapping")
            return
        self.show_page("compose")
        self.compose.focus_field(field)

    @Slot(str)
    def _outside_field(self, field: str) -> None:
        self.focus_field(field)

    @Slot(int)
    def show_attempt(self, attempt_id: int) -> None:
        self.show_page("log")
        self.log_page.select_attempt(attempt_id)

    # -- service events --------------------------------------------------------------------

    @Slot()
    def _ready(self) -> None:
        if self.service.event_log is None:
            return
        try:
            from criteo_console.ui.pages.log_page import LogPage
        except ImportError:
            return
        page = LogPage(self.service.event_log)
        if self.service.received_lookup is not None and hasattr(page, "set_received_lookup"):
            page.set_received_lookup(self.service.received_lookup)
        old = self.pages.widget(self._page_index["log"])
        if old is not None:
            self.pages.removeWidget(old)
            old.deleteLater()
        self.log_page = page
        self._page_index["log"] = self.pages.insertWidget(self._page_index["log"], page)

    @Slot(object)
    def _profile_selected(self, profile: Profile) -> None:
        context = ProfileContext(
            advertiser_id=profile.advertiser_id, event_names=dict(profile.event_names)
        )
        self.compose.set_context(context)

    @Slot(object)
    def _order_checked(self, check: Any) -> None:
        # An untouched form is "not started", not a list of failures.
        order = self.compose.current_order()
        blank = not any(order.get(key) for key in ORDER_CONTENT)
        self.service.set_order_check(None if blank else check)
        self.send_page.set_check(check)

    @Slot(int)
    def _attempt_logged(self, attempt_id: int) -> None:
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
        self.connect_page.stop_timers()
        super().closeEvent(event)
        self.closed.emit()
