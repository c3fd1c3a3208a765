"""The sandbox keeps its own copies of a few core rules on purpose (it imports nothing from
the rest, so a bug in a shared rule cannot pass unseen); this keeps the copies in step."""

from __future__ import annotations

from criteo_console.core.events import CANONICAL_EVENTS
from criteo_console.sandbox.config import DEFAULT_EVENT_NAMES


def test_the_sandbox_accepts_exactly_the_events_a_profile_can_map() -> None:
    assert set(CANONICAL_EVENTS) == DEFAULT_EVENT_NAMES
