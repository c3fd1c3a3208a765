"""Connect: pick or edit a profile, then prove checks 1 (token) and 2 (advertiser scope)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from criteo_console.core.checklist_words import not_tested
from criteo_console.ui import theme
from criteo_console.ui.question_bar import QuestionBar
from criteo_console.ui.service import ConsoleService

if TYPE_CHECKING:
    from criteo_console.core.checklist import CheckStatus
    from criteo_console.session.progress import Progress
    from criteo_console.session.reports import ConnectionReport
    from criteo_console.session.runstate import RunState
    from criteo_console.storage import FieldError, Profile, SecretLookup
    from criteo_console.ui.destination_box import DestinationBox

NEW_PROFILE = "(new profile)"
LAST_IMPORT_KEY = "last_import_folder"
SANDBOX_WELCOME = (
    "You're on the built-in sandbox: nothing leaves this computer and no credentials are "
    "needed. Try it with the integration guide's example order, or press "
    "<b>Test connection</b> first."
)
SANDBOX_TESTED = (
    "✓ The built-in sandbox answered: token and advertiser scope work. Next: try the "
    "integration guide's example order."
)
SANDBOX_TEST_FAILED = (
    "The built-in sandbox did not answer as expected: the reason is under “Test connection” below."
)
SAVING_THEN_TESTING = "Saving the profile, then testing its connection…"
TEST_CONNECTION = "&Test connection"
SAVE_AND_TEST = "Save and &test"
SANDBOX_STORE_TEXT = (
    "Nothing secret here: the sandbox's credentials (sandbox-client / sandbox-secret) are "
    "public test values."
)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class ConnectPage(QWidget):
    example_requested = Signal()  # the sandbox welcome's "Try the example order"

    def __init__(self, service: ConsoleService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self._editing: str | None = None  # name of the profile shown, None for a new one
        self._expires_at: float | None = None
        self._acquired_at: float | None = None
        self._sandbox = False  # the profile shown is the built-in sandbox
        self._untested = True  # the token line says "not tested yet" (and names the button)
        self._save_then_test = False  # "Save and test" pressed: saving, then the test follows

        title = QLabel(
            "<h2>Connect</h2>Choose the advertiser profile, then test that its "
            "credentials get a token and reach the advertiser."
        )
        title.setWordWrap(True)
        self.welcome_box = QFrame()
        self.welcome_box.setObjectName("welcome")
        self.welcome = QLabel(SANDBOX_WELCOME)
        self.welcome.setWordWrap(True)
        self.example_button = QPushButton("Try the e&xample order →")
        self.example_button.setToolTip(
            "Open Compose with the integration guide's example order, ready to send to the "
            "built-in sandbox"
        )
        welcome_layout = QHBoxLayout(self.welcome_box)
        welcome_layout.setContentsMargins(8, 6, 8, 6)
        welcome_layout.addWidget(self.welcome, 1)
        welcome_layout.addWidget(self.example_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.welcome_box.hide()

        # -- profile picker
        self.picker = QComboBox()
        self.picker.setAccessibleName("Profile")
        self.picker.setMinimumContentsLength(12)
        self.new_button = QPushButton("&New")
        self.import_button = QPushButton("&Import .env…")
        self.delete_button = QPushButton("&Delete")
        self.import_bar = QuestionBar("Update", "Cancel")
        self._conflict: tuple[Path, str] | None = None
        self.busy_note = QLabel(
            "A send is on its way: the profile cannot be changed until it finishes. Wait, or "
            "cancel it on the Send page (Esc)."
        )
        self.busy_note.setWordWrap(True)
        self.busy_note.hide()
        picker_row = QHBoxLayout()
        picker_label = QLabel("&Profile:")
        picker_label.setBuddy(self.picker)
        picker_row.addWidget(picker_label)
        picker_row.addWidget(self.picker, 1)
        for button in (self.new_button, self.import_button, self.delete_button):
            picker_row.addWidget(button)

        # -- the profile's fields
        self.name_edit = QLineEdit()
        self.client_id_edit = QLineEdit()
        self.secret_edit = QLineEdit()
        self.secret_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret_edit.setAccessibleName("Client secret")
        self.reveal_button = QToolButton()
        self.reveal_button.setText("Show")
        self.reveal_button.setCheckable(True)
        self.reveal_button.setAccessibleName("Show the client secret")
        self.reveal_button.setToolTip("Show the client secret")
        self.advertiser_edit = QLineEdit()
        self.environment_combo = QComboBox()
        self.environment_combo.addItem("Sandbox (this computer, no real conversions)", "sandbox")
        self.environment_combo.addItem("Criteo (real conversions)", "criteo")
        self.base_url_edit = QLineEdit()
        self.version_combo = QComboBox()
        self.version_combo.setEditable(True)
        # The known versions come with the core's version policy, loaded after the first paint.
        self.version_note = QLabel()
        self.version_note.setAccessibleName("About this API version")
        self.version_note.setWordWrap(True)
        self.field_errors = QLabel()
        self.field_errors.setWordWrap(True)
        self.field_errors.hide()
        self.store_label = QLabel()
        self.store_label.setWordWrap(True)
        self.save_button = QPushButton("&Save profile")

        secret_row = QHBoxLayout()
        secret_row.setContentsMargins(0, 0, 0, 0)
        secret_row.addWidget(self.secret_edit, 1)
        secret_row.addWidget(self.reveal_button)
        secret_box = QWidget()
        secret_box.setLayout(secret_row)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Profile &name:", self.name_edit)
        form.addRow("Client &ID:", self.client_id_edit)
        secret_label = QLabel("Client &secret:")
        secret_label.setBuddy(self.secret_edit)
        form.addRow(secret_label, secret_box)
        form.addRow("&Advertiser ID:", self.advertiser_edit)
        form.addRow("&Environment:", self.environment_combo)
        form.addRow("&Base URL:", self.base_url_edit)
        form.addRow("API &version:", self.version_combo)
        form.addRow("", self.version_note)
        form.addRow("Secret store:", self.store_label)
        form.addRow("", self.field_errors)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        form.addRow(save_row)
        profile_box = QGroupBox("Profile")
        profile_box.setLayout(form)
        # Built with the first profile shown: it reads the core's registry, which the first
        # paint does not need (start-up time).
        self._destination_box: DestinationBox | None = None
        self._destination_slot = QVBoxLayout()
        self._destination_slot.setContentsMargins(0, 0, 0, 0)

        # -- test connection
        self.test_button = QPushButton(TEST_CONNECTION)
        self.test_button.setDefault(True)
        # The test must use what the user sees: unsaved changes are said, and saved first.
        self.test_note = QLabel()
        self.test_note.setWordWrap(True)
        self.test_note.setAccessibleName("About the connection test")
        self.test_note.hide()
        self._loaded: tuple[object, ...] | None = None  # the form as last loaded or saved
        self.token_label = QLabel(f"○ Token: {not_tested(TEST_CONNECTION.replace('&', ''))}")
        self.token_label.setWordWrap(True)
        self.token_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.scope_label = QLabel("")
        self.scope_label.setWordWrap(True)
        self.scope_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.advertisers = QListWidget()
        self.advertisers.setAccessibleName("Advertisers these credentials reach")
        self.advertisers.setMaximumHeight(150)
        self.use_buttons: dict[str, QPushButton] = {}  # advertiser id -> "Use this advertiser"
        self.advertisers.hide()
        self.countdown = QTimer(self)
        self.countdown.setInterval(1000)
        self.countdown.timeout.connect(self._tick)
        test_box = QGroupBox("Checks 1 and 2: token and advertiser scope")
        test_layout = QVBoxLayout(test_box)
        row = QHBoxLayout()
        row.addWidget(self.test_button)
        row.addWidget(self.test_note, 1)
        test_layout.addLayout(row)
        test_layout.addWidget(self.token_label)
        test_layout.addWidget(self.scope_label)
        self.advertisers_title = QLabel("Advertisers these credentials reach:")
        self.advertisers_title.hide()
        test_layout.addWidget(self.advertisers_title)
        test_layout.addWidget(self.advertisers)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.welcome_box)
        layout.addLayout(picker_row)
        layout.addWidget(self.import_bar)
        layout.addWidget(self.busy_note)
        layout.addWidget(profile_box)
        layout.addLayout(self._destination_slot)
        layout.addWidget(test_box)
        layout.addStretch(1)

        self.picker.activated.connect(self._picked)
        self.new_button.clicked.connect(self._new_profile)
        self.import_button.clicked.connect(self._import_env)
        self.import_bar.confirm.clicked.connect(self._update_from_import)
        service.import_conflict.connect(self._import_conflict)
        self.delete_button.clicked.connect(self._delete)
        self.save_button.clicked.connect(self._save)
        self.reveal_button.toggled.connect(self._reveal)
        self.test_button.clicked.connect(self._test)
        self.example_button.clicked.connect(self.example_requested)
        service.ready.connect(self._refresh_store)
        service.profiles_changed.connect(self._profiles_changed)
        service.profile_selected.connect(self._show_profile)
        service.secret_looked_up.connect(self._show_secret)
        service.profile_saved.connect(self._saved)
        service.profile_invalid.connect(self._invalid)
        service.connection_progress.connect(self._progress)
        service.connection_tested.connect(self._tested)
        service.credentials_changed.connect(self._reset_test)
        for edit in (
            self.name_edit,
            self.client_id_edit,
            self.secret_edit,
            self.advertiser_edit,
            self.base_url_edit,
        ):
            edit.textChanged.connect(self._refresh_test_button)
        self.environment_combo.currentIndexChanged.connect(self._refresh_test_button)
        self.version_combo.currentTextChanged.connect(self._refresh_test_button)
        self.version_combo.currentTextChanged.connect(self._show_version_note)
        self.base_url_edit.textChanged.connect(self._show_version_note)
        service.ready.connect(self._load_versions)
        service.run_state_changed.connect(self._show_run_state)
        service.send_running.connect(self._sending)

    # -- profile picking -------------------------------------------------------------------

    @Slot(list)
    def _profiles_changed(self, profiles: list[Profile]) -> None:
        current = self.picker.currentText()
        self.picker.clear()
        for profile in profiles:
            self.picker.addItem(profile.name)
        index = self.picker.findText(current)
        if index >= 0:
            self.picker.setCurrentIndex(index)
        self._refresh_store()

    @Slot(bool)
    def _sending(self, running: bool) -> None:
        """No switching, adding or deleting profiles while a send is out: its result belongs
        to the profile it was sent with, and the page must keep showing that one."""
        for widget in (
            self.picker,
            self.new_button,
            self.import_button,
            self.delete_button,
            self.save_button,
        ):
            widget.setEnabled(not running)
        self.busy_note.setVisible(running)

    @Slot(int)
    def _picked(self, index: int) -> None:
        name = self.picker.itemText(index)
        if name and name != NEW_PROFILE:
            self.service.select_profile(name)

    @Slot()
    def _load_versions(self) -> None:
        from criteo_console.core.targets import KNOWN_VERSIONS

        if self.version_combo.count() == 0:
            current = self.version_combo.currentText()
            self.version_combo.addItems(KNOWN_VERSIONS)
            if current:
                self.version_combo.setCurrentText(current)
        self._show_version_note()

    @Slot(object)
    def _show_profile(self, profile: Profile) -> None:
        self._load_versions()
        self._editing = profile.name
        index = self.picker.findText(profile.name)
        if index >= 0:
            self.picker.setCurrentIndex(index)
        self.name_edit.setText(profile.name)
        self.client_id_edit.setText(profile.client_id)
        self.advertiser_edit.setText(str(profile.advertiser_id))
        self.environment_combo.setCurrentIndex(
            max(self.environment_combo.findData(profile.environment), 0)
        )
        sandbox = profile.uses_embedded_sandbox
        if sandbox:
            where = self.service.base_url() or "not running"
            self.base_url_edit.setText(f"Built-in sandbox on this computer ({where})")
        else:
            self.base_url_edit.setText(profile.base_url)
        self.base_url_edit.setReadOnly(sandbox)
        self.environment_combo.setEnabled(not sandbox)
        self.version_combo.setCurrentText(profile.api_version)
        self.destination_box.load(profile.destination, profile.events)
        self.base_url_edit.setToolTip(
            "The built-in sandbox: fixed credentials, no real conversions."
            if sandbox
            else "Criteo's API address."
        )
        self.field_errors.hide()
        self._set_sandbox(sandbox)
        self._mark_loaded()

    @Slot(object)
    def _show_secret(self, lookup: SecretLookup) -> None:
        from criteo_console.storage import SecretState

        self.secret_edit.setText(lookup.secret or "")
        self.reveal_button.setChecked(False)
        if lookup.state is SecretState.FOUND:
            self.secret_edit.setPlaceholderText("")
        else:
            self.secret_edit.setPlaceholderText(lookup.message)
        self._mark_loaded()

    def _set_sandbox(self, sandbox: bool) -> None:
        """The sandbox gets a welcome and no talk of keeping its (public) secret."""
        self._sandbox = sandbox
        if sandbox:
            green = QColor(theme.color(theme.OK_COLOR))
            tint = f"rgba({green.red()}, {green.green()}, {green.blue()}, 0.12)"
            self.welcome.setStyleSheet(
                f"#welcome {{ background: {tint}; border: 1px solid {green.name()}; "
                "border-radius: 4px; }"
            )
        self.welcome_box.setVisible(sandbox)
        self._refresh_store()
        self._show_version_note()

    def _refresh_store(self) -> None:
        real = self.service.store_status_text
        if self._sandbox:
            self.store_label.setText(SANDBOX_STORE_TEXT)
            self.store_label.setToolTip(f"For real profiles: {real}")
        else:
            self.store_label.setText(real)
            self.store_label.setToolTip("")

    @Slot(bool)
    def _reveal(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.secret_edit.setEchoMode(mode)
        text = "Hide the client secret" if shown else "Show the client secret"
        self.reveal_button.setText("Hide" if shown else "Show")
        self.reveal_button.setAccessibleName(text)
        self.reveal_button.setToolTip(text)

    @Slot()
    def _new_profile(self) -> None:
        self._editing = None
        for edit in (self.name_edit, self.client_id_edit, self.secret_edit, self.advertiser_edit):
            edit.clear()
        self.environment_combo.setCurrentIndex(self.environment_combo.findData("criteo"))
        self.base_url_edit.setText("https://api.criteo.com")
        self.base_url_edit.setReadOnly(False)
        self.environment_combo.setEnabled(True)
        from criteo_console.storage.profile_model import DEFAULT_API_VERSION

        self.version_combo.setCurrentText(DEFAULT_API_VERSION)  # the guide's contract
        self.secret_edit.setPlaceholderText("Paste the client secret")
        from criteo_console.core.destinations import DEFAULT_DESTINATION, DestinationSettings

        self.destination_box.load(DEFAULT_DESTINATION, DestinationSettings())
        self._reset_test()
        self._set_sandbox(False)
        self._mark_loaded()
        self.name_edit.setFocus()

    @Slot()
    def _import_env(self) -> None:
        """Qt's own file dialog (a native one may hide ``.env``), showing dot-files, opened
        in the folder of the last import or else where downloads land."""
        from PySide6.QtCore import QDir
        from PySide6.QtWidgets import QFileDialog  # dialogs load when used (start-up time)

        dialog = QFileDialog(self, "Import credentials from a .env file", self.import_folder())
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setFilter(dialog.filter() | QDir.Filter.Hidden)
        dialog.setNameFilters(["Credential files (*.env .env.* *.txt)", "All files (*)"])
        dialog.fileSelected.connect(self._env_chosen)
        self.env_dialog = dialog
        dialog.open()

    def import_folder(self) -> str:
        from PySide6.QtCore import QStandardPaths

        from criteo_console.ui import ui_state

        last = ui_state.read(self._config_dir(), LAST_IMPORT_KEY)
        if last and Path(last).is_dir():
            return last
        downloads = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DownloadLocation
        )
        return downloads if downloads and Path(downloads).is_dir() else str(Path.home())

    def _config_dir(self) -> Path | None:
        paths = self.service.paths
        return paths.config_dir if paths is not None else None

    @Slot(str)
    def _env_chosen(self, chosen: str) -> None:
        from criteo_console.ui import ui_state

        path = Path(chosen)
        ui_state.remember(self._config_dir(), LAST_IMPORT_KEY, str(path.parent))
        self.import_bar.hide()
        self.service.import_env(path)

    @Slot(object, str)
    def _import_conflict(self, path: Path, existing: str) -> None:
        self._conflict = (path, existing)
        self.import_bar.ask(
            f"A profile for this advertiser already exists: <b>{_esc(existing)}</b>. Update it "
            f"with the credentials in {_esc(path.name)}?",
            confirm=f"Update {existing}",
            focus_confirm=True,
        )

    @Slot()
    def _update_from_import(self) -> None:
        self.import_bar.hide()
        if self._conflict is not None:
            path, existing = self._conflict
            self._conflict = None
            self.service.import_env(path, update=existing)

    @Slot()
    def _delete(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        name = self._editing
        if name is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete profile",
            f"Delete the profile {name} and its saved secret? Its event log rows are kept.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.service.delete_profile(name)

    def form_profile(self) -> Profile | None:
        from criteo_console.storage import FieldError, Profile
        from criteo_console.storage.profile_model import parse_advertiser_id

        advertiser, problem = parse_advertiser_id(self.advertiser_edit.text())
        if problem:
            self._invalid([FieldError("advertiser_id", problem)])
            return None
        assert advertiser is not None
        base = self.service.profile if self._editing is not None else None
        base_url = self.base_url_edit.text().strip()
        if base is not None and base.uses_embedded_sandbox:
            base_url = (
                base.base_url
            )  # the field shows the live address, the profile keeps "embedded"
        fields = {
            "name": self.name_edit.text().strip(),
            "client_id": self.client_id_edit.text().strip(),
            "advertiser_id": advertiser,
            "environment": self.environment_combo.currentData(),
            "base_url": base_url,
            "api_version": self.version_combo.currentText().strip(),
            "destination": self.destination_box.destination,
            "events": self.destination_box.settings,
        }
        if base is not None:
            return base.with_changes(**fields)
        return Profile(**fields)

    @Slot()
    def _save(self) -> None:
        profile = self.form_profile()
        if profile is None:
            return
        secret = self.secret_edit.text()
        if profile.uses_embedded_sandbox:
            secret = ""
        self.service.save_profile(self._editing, profile, secret or None)

    @Slot(object, str)
    def _saved(self, _profile: Profile, note: str) -> None:
        self.field_errors.setText(note)
        self.field_errors.setStyleSheet(f"color: {theme.color(theme.OK_COLOR)}")
        self.field_errors.show()

    @Slot(list)
    def _invalid(self, errors: list[FieldError]) -> None:
        if self._save_then_test:
            self._save_then_test = False
            self._reset_test()  # "Save and test" stopped at the save
        self.field_errors.setText("\n".join(f"• {e.message}" for e in errors))
        self.field_errors.setStyleSheet(f"color: {theme.color(theme.FAIL_COLOR)}")
        self.field_errors.show()
        widgets = {
            "name": self.name_edit,
            "client_id": self.client_id_edit,
            "advertiser_id": self.advertiser_edit,
            "base_url": self.base_url_edit,
            "api_version": self.version_combo,
            "environment": self.environment_combo,
        }
        if errors and errors[0].field in widgets:
            widgets[errors[0].field].setFocus()
        elif errors:
            self.focus_events_field(errors[0].field)

    @property
    def destination_box(self) -> DestinationBox:
        if self._destination_box is None:
            from criteo_console.ui.destination_box import DestinationBox

            box = DestinationBox()
            box.changed.connect(self._refresh_test_button)
            box.destination_combo.currentIndexChanged.connect(self._follow_destination)
            self._destination_slot.addWidget(box)
            self._destination_box = box
        return self._destination_box

    @Slot()
    def _follow_destination(self) -> None:
        """A base URL left at one destination's Criteo address follows the destination."""
        from criteo_console.core.destinations import DESTINATIONS, get_destination

        defaults = {d.default_base_url for d in DESTINATIONS.values()}
        if not self.base_url_edit.isReadOnly() and self.base_url_edit.text().strip() in defaults:
            wanted = get_destination(self.destination_box.destination).default_base_url
            self.base_url_edit.setText(wanted)

    def focus_events_field(self, field: str) -> None:
        widget = self.destination_box.field_widget(field)
        if widget is not None:
            widget.setFocus()

    # -- test connection -------------------------------------------------------------------

    def _reset_test(self) -> None:
        self.welcome.setText(SANDBOX_WELCOME)
        self.countdown.stop()
        self._expires_at = None
        self._show_untested()
        self.scope_label.clear()
        self.advertisers.clear()
        self.advertisers.hide()
        self.advertisers_title.hide()

    def _form_state(self) -> tuple[object, ...]:
        return (
            self.name_edit.text(),
            self.client_id_edit.text(),
            self.secret_edit.text(),
            self.advertiser_edit.text(),
            self.environment_combo.currentData(),
            self.base_url_edit.text(),
            self.version_combo.currentText(),
            None if self._destination_box is None else self._destination_box.state(),
        )

    def _mark_loaded(self) -> None:
        self._loaded = self._form_state()
        self._refresh_test_button()

    def has_unsaved_changes(self) -> bool:
        """The form differs from the saved profile (a new profile is unsaved by definition)."""
        return self._editing is None or self._form_state() != self._loaded

    def _show_untested(self) -> None:
        """Check 1 not started, naming the button as it reads now ("Save and test" while the
        form has unsaved changes; the words are the core's, ``core.checklist_words``). While a
        "Save and test" is under way the line keeps saying so."""
        self._untested = True
        if self._save_then_test:
            self.token_label.setText(SAVING_THEN_TESTING)
            self.token_label.setStyleSheet("")
            return
        self.token_label.setText(f"○ Token: {not_tested(self.test_button.text().replace('&', ''))}")
        self.token_label.setStyleSheet("")

    @Slot()
    def _refresh_test_button(self) -> None:
        unsaved = self.has_unsaved_changes()
        reason = None if unsaved else self.service.no_session_reason()
        if unsaved:
            self.test_button.setText(SAVE_AND_TEST)
            note = (
                "This profile is not saved yet: “Save and test” saves it, then tests it."
                if self._editing is None
                else "You have unsaved changes: “Save and test” saves them first, so the "
                "test uses what you see."
            )
        else:
            self.test_button.setText(TEST_CONNECTION)
            note = reason or ""
        # Not twice: while "Save and test" runs, a second press would start a second test.
        self.test_button.setEnabled(reason is None and not self._save_then_test)
        self.test_note.setText(note)
        self.test_note.setVisible(bool(note))
        if self._untested:
            self._show_untested()

    def _save_and_test_ended(self) -> None:
        """Saved and tested (the result is shown), or stopped on the way (invalid, a storage
        error said in the status line): the token line no longer says it is saving."""
        self._save_then_test = False
        self._refresh_test_button()
        if self.token_label.text() == SAVING_THEN_TESTING:
            self._show_untested()

    @Slot()
    def _test(self) -> None:
        if self.has_unsaved_changes():
            profile = self.form_profile()
            if profile is None:
                return
            secret = "" if profile.uses_embedded_sandbox else self.secret_edit.text()
            self._save_then_test = True  # until the save-and-test task has ended
            self.test_button.setEnabled(False)
            self._reset_test()  # says SAVING_THEN_TESTING
            saving = self.service.save_profile(
                self._editing, profile, secret or None, then_test=True
            )
            saving.add_done_callback(lambda _task: self._save_and_test_ended())
            return
        self._reset_test()
        self._untested = False
        where = self.service.run_state.wording.name
        self.token_label.setText(f"Asking {where} for an access token…")
        self.service.test_connection()

    @Slot(object)
    def _progress(self, progress: Progress) -> None:
        from criteo_console.session.progress import StepState

        if progress.step.value == "scope" and progress.state is StepState.RUNNING:
            self.scope_label.setText(progress.message)

    @Slot(object)
    def _show_run_state(self, state: RunState) -> None:
        """Checks 1 and 2 as the run state has them (a send proves them too), in the same
        words, marks and colours as the sidebar."""
        from criteo_console.core.checklist import Check, CheckState

        token = state.status(Check.TOKEN)
        lifetime = state.token_lifetime
        if token.state is CheckState.OK and lifetime is not None:
            self._untested = False
            self._acquired_at, self._expires_at = lifetime
            self._tick()
            if self._expires_at is not None:
                self.countdown.start()
        elif token.state is CheckState.NOT_STARTED:
            self.countdown.stop()
            self._expires_at = None
            self._show_untested()
        else:
            self._untested = False
            self.countdown.stop()
            self._expires_at = None
            self._state_line(self.token_label, token)
        self._state_line(self.scope_label, state.status(Check.ADVERTISER_SCOPE))

    def _state_line(self, label: QLabel, status: CheckStatus) -> None:
        from criteo_console.ui.checklist import STATE_MARK

        mark, colors, _words = STATE_MARK[str(status.state)]
        label.setText(f"{mark} {status.check.title}: {status.reason}")
        muted = str(status.state) == "not-started"
        label.setStyleSheet("" if muted else f"color: {theme.color(colors)}")

    @Slot(object)
    def _tested(self, report: ConnectionReport) -> None:
        passed = report.token.ok and report.scope is not None and report.scope.ok
        self.welcome.setText(SANDBOX_TESTED if passed else SANDBOX_TEST_FAILED)
        self._show_run_state(self.service.run_state)
        scope = report.scope
        if scope is None:
            return
        if scope.deprecation:
            self.scope_label.setText(self.scope_label.text() + "\n⚠ " + scope.deprecation)
        self.advertisers.clear()
        self.use_buttons.clear()
        for advertiser in scope.advertisers:
            mine = advertiser.id == scope.advertiser_id
            label = f"{advertiser.id} — {advertiser.name or 'no name'}"
            item = QListWidgetItem(
                ("✓ " if mine else "   ")
                + label
                + ("   ← this profile's advertiser" if mine else "")
            )
            if mine:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.advertisers.addItem(item)
            if not mine:
                self._add_use_button(item, advertiser.id)
        self.advertisers.setVisible(bool(scope.advertisers))
        self.advertisers_title.setVisible(bool(scope.advertisers))

    def _add_use_button(self, item: QListWidgetItem, advertiser_id: str) -> None:
        """The row as a widget with a button that puts this id in the form (saving stays the
        user's step: nothing is changed behind their back)."""
        row = QWidget()
        row.setAutoFillBackground(True)  # covers the item's own text, kept for screen readers
        layout = QHBoxLayout(row)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(QLabel(item.text()), 1)
        button = QPushButton("Use this advertiser")
        button.setAccessibleName(f"Use advertiser {advertiser_id}")
        button.clicked.connect(lambda: self._use_advertiser(advertiser_id))
        layout.addWidget(button)
        item.setSizeHint(row.sizeHint())
        self.advertisers.setItemWidget(item, row)
        self.use_buttons[advertiser_id] = button

    def _use_advertiser(self, advertiser_id: str) -> None:
        self.advertiser_edit.setText(advertiser_id)
        self.advertiser_edit.setFocus()
        self.field_errors.setText(
            f"Advertiser ID set to {advertiser_id}: press “Save profile”, then test again."
        )
        self.field_errors.setStyleSheet("")
        self.field_errors.show()

    def _form_target(self) -> str:
        """The address the form's profile sends to (the built-in sandbox's live address)."""
        if self._sandbox:
            return self.service.target_url() or "http://127.0.0.1"
        return self.base_url_edit.text()

    @Slot()
    def _show_version_note(self, *_: object) -> None:
        if self.version_combo.count() == 0:
            return  # the policy is not loaded yet (first paint)
        from criteo_console.core.targets import version_note

        text, warning = version_note(self.version_combo.currentText(), self._form_target())
        self.version_note.setText(text)
        self.version_note.setVisible(bool(text))
        self.version_note.setStyleSheet(
            f"color: {theme.color(theme.WARN_COLOR)}" if warning else ""
        )

    def _mark(self, label: QLabel, ok: bool, text: str) -> None:
        label.setText(text)
        table = theme.OK_COLOR if ok else theme.FAIL_COLOR
        label.setStyleSheet(f"color: {theme.color(table)}")

    @Slot()
    def _tick(self) -> None:
        if self._expires_at is None:
            self.countdown.stop()
            return
        from datetime import datetime

        left = max(0, int(self._expires_at - time.time()))
        acquired = datetime.fromtimestamp(self._acquired_at or time.time()).strftime("%H:%M:%S")
        if left == 0:
            self.countdown.stop()
            text = (
                f"Token acquired at {acquired} has expired; the console gets a new one when needed."
            )
            self._mark(self.token_label, True, "✓ " + text)
            return
        self._mark(
            self.token_label,
            True,
            f"✓ Token acquired at {acquired}, valid for {self._lifetime()}; expires in "
            f"{left // 60}:{left % 60:02d} (refreshed automatically before then).",
        )

    def _lifetime(self) -> str:
        """The token's lifetime as the sidebar words it ("15 minutes", never "900 s")."""
        seconds = round((self._expires_at or 0) - (self._acquired_at or 0))
        if seconds >= 120 and seconds % 60 == 0:
            return f"{seconds // 60} minutes"
        return f"{seconds} seconds"

    def stop_timers(self) -> None:
        self.countdown.stop()
