"""The lines the console prints on stderr with ``CRITEO_CONSOLE_ANNOUNCE_READY=1``: its first
paint and the moment it is usable. Scripts and tests wait for them instead of sleeping, and
``bench/startup.py`` times the real entry point by them. No Qt here, so the bench's parent
process reads them without loading the window."""

from __future__ import annotations

ANNOUNCE_READY_ENV = "CRITEO_CONSOLE_ANNOUNCE_READY"
SHOWN_LINE = "criteo-console: shown"  # the first paint
READY_LINE = "criteo-console: ready"  # usable: the first profile shown and painted
