"""The async orchestration of a controlled checkout, shared by the console window and the CLI.

No Qt here: the UI drives it from qasync, the CLI from ``asyncio.run``.

Every name is loaded on first use: the window's first profile needs only ``session.runstate``,
and the session itself pulls in httpx and the keyring (start-up time).
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from criteo_console.core.examples import guide_example_order
    from criteo_console.session.progress import Progress, ProgressCallback, Step, StepState
    from criteo_console.session.reports import ConnectionReport, SendReport, SendStatus
    from criteo_console.session.session import (
        CANCELLED_BEFORE_SEND,
        CANCELLED_IN_FLIGHT,
        ValidationSession,
        shop_summary_of,
    )

_WHERE = {
    "guide_example_order": "criteo_console.core.examples",
    "Progress": "criteo_console.session.progress",
    "ProgressCallback": "criteo_console.session.progress",
    "Step": "criteo_console.session.progress",
    "StepState": "criteo_console.session.progress",
    "ConnectionReport": "criteo_console.session.reports",
    "SendReport": "criteo_console.session.reports",
    "SendStatus": "criteo_console.session.reports",
    "CANCELLED_BEFORE_SEND": "criteo_console.session.session",
    "CANCELLED_IN_FLIGHT": "criteo_console.session.session",
    "ValidationSession": "criteo_console.session.session",
    "shop_summary_of": "criteo_console.session.session",
}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # once loaded, a plain attribute
    return value


__all__ = [
    "CANCELLED_BEFORE_SEND",
    "CANCELLED_IN_FLIGHT",
    "ConnectionReport",
    "Progress",
    "ProgressCallback",
    "SendReport",
    "SendStatus",
    "Step",
    "StepState",
    "ValidationSession",
    "guide_example_order",
    "shop_summary_of",
]
