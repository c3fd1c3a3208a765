"""The async orchestration of a controlled checkout, shared by the console window and the CLI.

No Qt here: the UI drives it from qasync, the CLI from ``asyncio.run``.
"""

from typing import TYPE_CHECKING, Any

from criteo_console.core.examples import guide_example_order
from criteo_console.session.progress import Progress, ProgressCallback, Step, StepState
from criteo_console.session.reports import ConnectionReport, SendReport, SendStatus

if TYPE_CHECKING:
    from criteo_console.session.session import (
        CANCELLED_BEFORE_SEND,
        CANCELLED_IN_FLIGHT,
        ValidationSession,
        shop_summary_of,
    )

_LAZY = ("CANCELLED_BEFORE_SEND", "CANCELLED_IN_FLIGHT", "ValidationSession", "shop_summary_of")


def __getattr__(name: str) -> Any:
    # The session pulls in httpx and the keyring; the window's first paint does not need them.
    if name in _LAZY:
        from criteo_console.session import session

        return getattr(session, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
