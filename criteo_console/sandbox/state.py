"""The sandbox's memory, shared by request threads behind one lock.

Issued tokens, request counters, queued faults, accepted transactions and every conversions
request received. Tokens are kept only here, in memory, and never logged.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from criteo_console.sandbox.config import ENDPOINTS, Fault

TokenStatus = Literal["valid", "expired", "invalid"]


@dataclass(frozen=True)
class ReceivedConversion:
    """One request that reached ``POST /{version}/conversions`` or ``POST /m/event``, as the
    sandbox saw it.

    ``advertiser_id``, ``order_id`` and ``conversion_id`` describe the first conversion in
    the body (the console sends one per request); ``order_ids`` / ``conversion_ids`` list all.
    ``body`` is the parsed JSON (plain floats), or None when the body was not JSON.
    ``status`` is None when the connection was dropped without an answer.
    """

    time: datetime
    version: str
    advertiser_id: int | None
    order_id: str | None
    body: Any
    status: int | None
    response: Any
    accepted: bool
    conversion_id: str | None
    trace_id: str
    fault: str | None = None
    order_ids: tuple[str, ...] = ()
    conversion_ids: tuple[str, ...] = ()
    # "conversions" or "events" (then ``version`` is s2s_v0, ``advertiser_id`` the account).
    endpoint: str = "conversions"

    def to_json(self) -> dict[str, Any]:
        return {
            "time": self.time.isoformat().replace("+00:00", "Z"),
            "version": self.version,
            "advertiser_id": self.advertiser_id,
            "order_id": self.order_id,
            "body": self.body,
            "status": self.status,
            "response": self.response,
            "accepted": self.accepted,
            "conversion_id": self.conversion_id,
            "trace_id": self.trace_id,
            "fault": self.fault,
            "order_ids": list(self.order_ids),
            "conversion_ids": list(self.conversion_ids),
            "endpoint": self.endpoint,
        }


@dataclass
class _Queued:
    fault: Fault
    remaining: int
    endpoint: str | None


@dataclass
class SandboxState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    tokens: dict[str, float] = field(default_factory=dict)  # token -> monotonic expiry
    counts: Counter[str] = field(default_factory=Counter)
    queued: list[_Queued] = field(default_factory=list)
    received: list[ReceivedConversion] = field(default_factory=list)
    accepted_orders: set[tuple[int, str]] = field(default_factory=set)

    # --- tokens ---------------------------------------------------------------------------

    def issue_token(self, ttl: int) -> str:
        token = secrets.token_urlsafe(32)
        with self.lock:
            self.tokens[token] = time.monotonic() + ttl
        return token

    def token_status(self, token: str | None) -> TokenStatus:
        if not token:
            return "invalid"
        with self.lock:
            expiry = self.tokens.get(token)
        if expiry is None:
            return "invalid"
        return "valid" if time.monotonic() < expiry else "expired"

    def expire_tokens(self) -> None:
        now = time.monotonic()
        with self.lock:
            for token in self.tokens:
                self.tokens[token] = min(self.tokens[token], now)

    # --- counters and faults --------------------------------------------------------------

    def count(self, endpoint: str) -> None:
        with self.lock:
            self.counts[endpoint] += 1

    def request_count(self, endpoint: str) -> int:
        if endpoint not in ENDPOINTS:
            raise ValueError(f"endpoint must be one of {', '.join(ENDPOINTS)}")
        with self.lock:
            return self.counts[endpoint]

    def queue_fault(self, fault: Fault, times: int, endpoint: str | None) -> None:
        if endpoint is not None and endpoint not in ENDPOINTS:
            raise ValueError(f"endpoint must be one of {', '.join(ENDPOINTS)} or None")
        if times < 1:
            raise ValueError("times must be at least 1")
        if endpoint is not None and not fault.applies_to(endpoint):
            raise ValueError(f"{fault.value} does not apply to the {endpoint} endpoint")
        with self.lock:
            self.queued.append(_Queued(fault, times, endpoint))

    def take_queued_fault(self, endpoint: str) -> Fault | None:
        """The oldest queued fault meant for this endpoint, consumed once."""
        with self.lock:
            for entry in self.queued:
                if (entry.endpoint in (None, endpoint)) and entry.fault.applies_to(endpoint):
                    entry.remaining -= 1
                    if entry.remaining == 0:
                        self.queued.remove(entry)
                    return entry.fault
        return None

    # --- conversions ----------------------------------------------------------------------

    def accept_orders(self, orders: list[tuple[int, str]]) -> list[bool]:
        """Record accepted (advertiser, order id) pairs; True where one was already seen."""
        duplicates = []
        with self.lock:
            for key in orders:
                duplicates.append(key in self.accepted_orders)
                self.accepted_orders.add(key)
        return duplicates

    def record(self, entry: ReceivedConversion, keep: int) -> None:
        with self.lock:
            self.received.append(entry)
            # A sandbox left running for days must not grow without bound: oldest go first.
            del self.received[:-keep]

    def snapshot(self) -> list[ReceivedConversion]:
        with self.lock:
            return list(self.received)

    def reset(self) -> None:
        with self.lock:
            self.received.clear()
            self.counts.clear()
            self.queued.clear()
            self.accepted_orders.clear()
