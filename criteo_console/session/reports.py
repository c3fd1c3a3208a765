"""What a connection test or a send produced, for the window and the CLI to show."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from criteo_console.session.progress import Progress

if TYPE_CHECKING:  # light at run time: the window imports this before httpx is loaded
    from criteo_console.core import OrderCheck
    from criteo_console.criteo import ScopeResult, SendResult, TokenResult
    from criteo_console.storage import Attempt


@dataclass(frozen=True, slots=True)
class ConnectionReport:
    """Checks 1 and 2: the token, then (only if a token came) the advertiser scope."""

    token: TokenResult
    scope: ScopeResult | None

    @property
    def ok(self) -> bool:
        return self.token.ok and self.scope is not None and self.scope.ok

    @property
    def explanation(self) -> str:
        if not self.token.ok or self.scope is None:
            return self.token.explanation
        return self.scope.explanation


class SendStatus(StrEnum):
    INVALID = "invalid"  # the order has errors: nothing was sent or logged
    DUPLICATE = "duplicate"  # already accepted for this advertiser; not sent (not confirmed)
    ACCEPTED = "accepted"
    REJECTED = "rejected"  # Criteo answered and refused it
    FAILED = "failed"  # no token, out of scope, network, server… (see explanation)
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class SendReport:
    status: SendStatus
    explanation: str
    check: OrderCheck
    attempt: Attempt | None = None  # the event-log row, as completed
    duplicate_of: Attempt | None = None
    token: TokenResult | None = None
    scope: ScopeResult | None = None
    result: SendResult | None = None
    progress: tuple[Progress, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.status is SendStatus.ACCEPTED
