"""One HTTP exchange as the event log and the UI show it: already redacted, safe to store."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Exchange:
    """What was asked and what came back, for one attempt of one request.

    ``step`` is "token", "advertisers" or "conversions". ``status`` is None when no answer
    arrived (timeout, dropped connection); ``error`` then says what happened in plain words.
    Bodies and headers never hold the client secret or an access token.
    """

    step: str
    method: str
    url: str
    attempt: int
    started_at: float  # Unix time
    elapsed_ms: float
    request_headers: dict[str, str] = field(default_factory=dict)
    request_body: str = ""
    status: int | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    response_body: str = ""
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
