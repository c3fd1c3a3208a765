"""Which faults hit one request, and the headers some of them add."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from criteo_console.sandbox.config import Fault, SandboxConfig

FAULT_HEADER = "X-Sandbox-Fault"
# A JSON document cut short, as a proxy or a crashing backend would leave it.
MALFORMED_BODY = b'{"data": [{"type": "Conversion", "id": "'


@dataclass(frozen=True)
class FaultPlan:
    slow: bool = False
    deprecated: bool = False
    terminal: Fault | None = None

    @property
    def label(self) -> str | None:
        """The faults applied, for the received record: 'slow,rate-limit'."""
        names = [name for name, on in (("slow", self.slow), ("deprecated", self.deprecated)) if on]
        if self.terminal is not None:
            names.append(self.terminal.value)
        return ",".join(names) or None


def parse_header(value: str | None) -> list[Fault]:
    """``X-Sandbox-Fault: slow, rate-limit`` -> faults; ValueError on an unknown name."""
    if not value:
        return []
    return [Fault.parse(part) for part in value.split(",") if part.strip()]


def plan(endpoint: str, faults: list[Fault]) -> FaultPlan:
    """Modifiers (slow, deprecated) combine; the first replacing fault wins."""
    applicable = [f for f in faults if f.applies_to(endpoint)]
    terminal = next((f for f in applicable if not f.modifies), None)
    return FaultPlan(
        slow=Fault.SLOW in applicable,
        deprecated=Fault.DEPRECATED in applicable,
        terminal=terminal,
    )


def sunset_date(config: SandboxConfig, version: str) -> str:
    """HTTP-date for ``Sunset``: configured, else 12 months after the version's month."""
    if version in config.sunset_dates:
        return config.sunset_dates[version]
    try:
        year, month = (int(part) for part in version.split("-")[:2])
        when = datetime(year + 1, month, 1, tzinfo=UTC)
    except ValueError:
        when = datetime.now(UTC)
    return format_datetime(when, usegmt=True)


def deprecation_headers(config: SandboxConfig, version: str) -> dict[str, str]:
    return {"Deprecation": "true", "Sunset": sunset_date(config, version)}


def rate_limit_headers(config: SandboxConfig) -> dict[str, str]:
    reset = math.ceil(time.time() + config.rate_limit_reset_after)
    headers = {
        "x-ratelimit-limit": str(config.rate_limit),
        "x-ratelimit-remaining": "0",
        "x-ratelimit-reset": str(reset),
    }
    if config.retry_after is not None:
        headers["Retry-After"] = str(config.retry_after)
    return headers
