"""The async orchestration of a controlled checkout, shared by the console window and the CLI.

No Qt here: the UI drives it from qasync, the CLI from ``asyncio.run``.
"""

from criteo_console.session.example import guide_example_order
from criteo_console.session.progress import Progress, ProgressCallback, Step, StepState
from criteo_console.session.reports import ConnectionReport, SendReport, SendStatus
from criteo_console.session.session import (
    CANCELLED_BEFORE_SEND,
    CANCELLED_IN_FLIGHT,
    ValidationSession,
    shop_summary_of,
)

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
