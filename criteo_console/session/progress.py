"""Progress of a session step, reported as it happens (token → scope → POST)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Step(StrEnum):
    VALIDATE = "validate"
    DUPLICATE = "duplicate"
    RECORD = "record"  # the pending row written to the event log before any request
    TOKEN = "token"
    SCOPE = "scope"
    POST = "post"


class StepState(StrEnum):
    RUNNING = "running"
    OK = "ok"
    WARNING = "warning"
    FAILED = "failed"
    SKIPPED = "skipped"


STEP_LABELS = {
    Step.VALIDATE: "Check the order",
    Step.DUPLICATE: "Look for an earlier send of this order",
    Step.RECORD: "Record the attempt in the event log",
    Step.TOKEN: "Get an access token",
    Step.SCOPE: "Check the advertiser is in scope",
    Step.POST: "Send the conversion",
}


@dataclass(frozen=True, slots=True)
class Progress:
    step: Step
    state: StepState
    message: str

    @property
    def label(self) -> str:
        return STEP_LABELS[self.step]

    def as_dict(self) -> dict[str, str]:
        return {"step": self.step.value, "state": self.state.value, "message": self.message}


ProgressCallback = Callable[[Progress], None]
