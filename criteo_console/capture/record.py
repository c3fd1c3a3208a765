"""What the capture reports for each request the shop sent (CLI JSON line, window row)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from criteo_console.core.email_match import EmailMatch
from criteo_console.core.issues import Issue

KINDS = ("token", "scope", "conversion", "event", "other")
VERDICTS = ("ok", "warning", "error")


@dataclass(frozen=True)
class CapturedRequest:
    number: int
    kind: str
    method: str
    path: str
    status: int
    verdict: str
    summary: str  # one plain sentence: what happened and what it means
    issues: tuple[Issue, ...] = ()
    email_match: EmailMatch | None = None
    order_id: str | None = None
    attempt_id: int | None = None
    token_note: str | None = None
    latency_ms: int = 0
    received_at: float = 0.0  # time.perf_counter() when the request arrived
    forwarded: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The stable shape of ``capture --json`` (one object per line)."""
        return {
            "kind": self.kind,
            "number": self.number,
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "verdict": self.verdict,
            "summary": self.summary,
            "issues": [
                {"code": i.code, "level": i.level.value, "field": i.field, "message": i.message}
                for i in self.issues
            ],
            "email_match": None if self.email_match is None else self.email_match.code.value,
            "email_match_message": None if self.email_match is None else self.email_match.message,
            "token": self.token_note,
            "order_id": self.order_id,
            "attempt_id": self.attempt_id,
            "latency_ms": self.latency_ms,
        }

    def plain_line(self) -> str:
        """One line for a person reading the terminal."""
        mark = {"ok": "OK  ", "warning": "WARN", "error": "FAIL"}[self.verdict]
        parts = [f"#{self.number} {mark} {self.method} {self.path} -> {self.status}"]
        if self.order_id:
            parts.append(f"order {self.order_id}")
        if self.attempt_id is not None:
            parts.append(f"attempt {self.attempt_id}")
        line = "  ".join(parts) + f": {self.summary}"
        extra = [f"    {i.level.value}: {i.field or '(request)'}: {i.message}" for i in self.issues]
        if self.email_match is not None:
            extra.append(f"    email: {self.email_match.code.value}: {self.email_match.message}")
        if self.token_note and self.token_note != self.summary:
            extra.append(f"    token: {self.token_note}")
        return "\n".join([line, *extra])
