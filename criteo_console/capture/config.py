"""How one capture run behaves: inspect or forward, where, for which advertisers."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from criteo_console.core.wire import IDENTITY_EVENT_NAMES
from criteo_console.criteo.urls import check_base_url

DEFAULT_ADVERTISER_ID = 1234567


class CaptureMode(enum.Enum):
    INSPECT = "inspect"  # answered here as Criteo would; nothing leaves the computer
    FORWARD = "forward"  # passed to a real Criteo (or any upstream) and its answer returned


@dataclass(frozen=True)
class CaptureConfig:
    mode: CaptureMode = CaptureMode.INSPECT
    advertiser_ids: tuple[int, ...] = (DEFAULT_ADVERTISER_ID,)
    host: str = "127.0.0.1"
    port: int = 0
    forward_url: str | None = None
    # What the event log calls this run's attempts (a profile's name in forward mode).
    profile: str = "Watch my shop"
    event_names: Mapping[str, str] = field(default_factory=lambda: dict(IDENTITY_EVENT_NAMES))
    max_body_bytes: int = 256 * 1024
    # Requests per rolling second, all clients together; above it the shop gets a 429.
    rate_limit: int = 200
    upstream_timeout: float = 30.0
    # Every path must start with a random key: by default only when bound beyond this computer.
    require_key: bool | None = None
    # The checkout order the marketer entered, in the canonical input shape (for Compare).
    checkout_order: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.mode is CaptureMode.FORWARD:
            if not self.forward_url:
                raise ValueError("forward mode needs the upstream's address")
            # HTTPS only beyond this computer: the shop's credentials go through (UnsafeBaseURL).
            object.__setattr__(self, "forward_url", check_base_url(self.forward_url))
        if not self.advertiser_ids:
            raise ValueError("at least one advertiser id is needed")
        if any(a <= 0 for a in self.advertiser_ids):
            raise ValueError("advertiser ids are whole positive numbers")
        if not 0 <= self.port <= 65535:
            raise ValueError("the port must be between 0 and 65535")
