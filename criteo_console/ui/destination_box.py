"""The profile's destination on Connect: which API a send posts to, and the Events API's
account, caller id and site type. Choices come from the core's registry (its names and labels,
``core.destination_settings``: the rules are not needed to show a profile)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from criteo_console.core.destination_settings import (
    DESTINATION_FACTS,
    SITE_TYPES,
    DestinationSettings,
)


class DestinationBox(QGroupBox):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Destination", parent)
        self.destination_combo = QComboBox()
        self.destination_combo.setAccessibleName("Destination")
        for name, destination in DESTINATION_FACTS.items():
            self.destination_combo.addItem(destination.label, name)
        self.account_edit = QLineEdit()
        self.account_edit.setAccessibleName("Partner account")
        self.account_edit.setPlaceholderText("the OneTag partner id, e.g. 12345")
        self.caller_edit = QLineEdit()
        self.caller_edit.setAccessibleName("Caller id (mapping key)")
        self.caller_edit.setPlaceholderText("given by Criteo when it enables the Events API")
        self.site_combo = QComboBox()
        self.site_combo.setAccessibleName("Site type")
        for code, what in SITE_TYPES.items():
            self.site_combo.addItem(f"{what} ({code})", code)
        self.note = QLabel()
        self.note.setWordWrap(True)

        self.form = form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Sends &to:", self.destination_combo)
        form.addRow("", self.note)
        form.addRow("Partner acc&ount:", self.account_edit)
        form.addRow("Ca&ller id:", self.caller_edit)
        form.addRow("Site t&ype:", self.site_combo)

        self.destination_combo.currentIndexChanged.connect(self._destination_changed)
        self.account_edit.textChanged.connect(self.changed)
        self.caller_edit.textChanged.connect(self.changed)
        self.site_combo.currentIndexChanged.connect(self.changed)
        self._destination_changed()

    @property
    def destination(self) -> str:
        return str(self.destination_combo.currentData())

    @property
    def settings(self) -> DestinationSettings:
        return DestinationSettings(
            account=self.account_edit.text().strip(),
            mapping_key=self.caller_edit.text().strip(),
            site_type=str(self.site_combo.currentData()),
        )

    def load(self, destination: str, settings: DestinationSettings) -> None:
        self.destination_combo.setCurrentIndex(max(self.destination_combo.findData(destination), 0))
        self.account_edit.setText(settings.account)
        self.caller_edit.setText(settings.mapping_key)
        self.site_combo.setCurrentIndex(max(self.site_combo.findData(settings.site_type), 0))

    def state(self) -> tuple[object, ...]:
        return (self.destination, self.settings)

    def field_widget(self, field: str) -> QWidget | None:
        return {
            "destination": self.destination_combo,
            "account": self.account_edit,
            "mapping_key": self.caller_edit,
            "site_type": self.site_combo,
        }.get(field)

    def _destination_changed(self) -> None:
        destination = DESTINATION_FACTS[self.destination]
        body_settings = not destination.uses_oauth
        # Only the chosen destination's own fields are shown (the Events API's three are
        # meaningless for the Conversions API, and greyed-out fields read as "fill me").
        for widget in (self.account_edit, self.caller_edit, self.site_combo):
            widget.setEnabled(body_settings)
            self.form.setRowVisible(widget, body_settings)
        if destination.uses_oauth:
            self.note.setText(
                "OAuth token, then the advertiser's scope, then the conversion: the client id, "
                "secret and advertiser id above are used."
            )
        else:
            self.note.setText(
                f"No token: the partner account and caller id travel in each event. Criteo's "
                f"address is {destination.default_base_url}; the client id and secret are not "
                "used."
            )
        self.changed.emit()
