"""A Compose workspace for the sandbox advertiser, French number format, fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pytestqt.qtbot import QtBot

from criteo_console.core import ProfileContext
from criteo_console.ui.pages.compose import ComposeWorkspace

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CONTEXT = ProfileContext(advertiser_id=1234567)


@pytest.fixture
def workspace(qtbot: QtBot) -> ComposeWorkspace:
    widget = ComposeWorkspace(CONTEXT, locale="fr_FR", now=lambda: NOW)
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    return widget
