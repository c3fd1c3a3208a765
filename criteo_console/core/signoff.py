"""The pre-launch sign-off: the six checks read back from one logged attempt.

Everything is read from the event-log record (``Attempt.to_dict()``), which never holds a
secret, a token or a raw email. The printable report is ``core/report`` (docs/report.md).
Pure: no I/O, no Qt.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from criteo_console.core.checklist import Check, CheckState
from criteo_console.core.reconcile import Reconciliation
from criteo_console.core.verdict import AttemptEvaluation, Destination, evaluate_attempt


@dataclass(frozen=True, slots=True)
class SignOffLine:
    check: Check
    state: CheckState
    detail: str


@dataclass(frozen=True, slots=True)
class SignOff:
    """One attempt's sign-off, read from its evaluation (``core.verdict``) for the report."""

    record: Mapping[str, Any]
    lines: tuple[SignOffLine, ...]
    reconciliation: Reconciliation
    evaluation: AttemptEvaluation

    @property
    def passed(self) -> bool:
        return all(line.state is CheckState.OK for line in self.lines)

    @property
    def posted(self) -> bool:
        """Whether the conversion request went out (an HTTP answer, or a POST step run)."""
        return self.evaluation.posted

    @property
    def on_sandbox(self) -> bool:
        """Not sent to Criteo's own address: a rehearsal, whatever the profile is called."""
        return self.evaluation.destination is not Destination.CRITEO

    @property
    def verdict(self) -> str:
        failed = [
            line.check.title
            for line in self.lines
            if line.state in (CheckState.FAILED, CheckState.NOT_STARTED)
        ]
        if failed:
            return "Not ready: fix " + ", ".join(failed) + " and send again."
        if self.on_sandbox:
            where = self.evaluation.wording.name if self.evaluation.wording else "this target"
            warned = [line.check.title for line in self.lines if line.state is CheckState.WARNING]
            passes = (
                f"The checks pass on {where}, with warnings on {', '.join(warned)}."
                if warned
                else f"All six checks pass on {where}."
            )
            return (
                f"{passes} This is a rehearsal, not a sign-off: repeat it with the "
                "advertiser's Criteo profile to sign off."
            )
        return self.evaluation.sentence


def evaluate_signoff(record: Mapping[str, Any]) -> SignOff:
    """The report's view of ``core.verdict.evaluate_attempt`` (the one evaluation)."""
    evaluation = evaluate_attempt(record)
    lines = tuple(SignOffLine(r.check, r.state, r.detail) for r in evaluation.checks)
    return SignOff(record, lines, evaluation.reconciliation, evaluation)


def _loads(text: object) -> Any:
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return json.loads(text, parse_float=Decimal)
    except ValueError:
        return None
