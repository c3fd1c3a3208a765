"""What the sandbox pretends Criteo is: credentials, advertisers, versions, faults."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field

ENDPOINTS = ("token", "advertisers", "conversions", "events")


class Fault(enum.Enum):
    """A way the sandbox can misbehave. Values are the CLI / header names (kebab-case)."""

    RATE_LIMIT = "rate-limit"
    SERVER_ERROR = "server-error"
    SLOW = "slow"
    DROP_CONNECTION = "drop-connection"
    MALFORMED_JSON = "malformed-json"
    DEPRECATED = "deprecated"
    RETIRED = "retired"
    EXPIRED_TOKEN = "expired-token"
    # A 200 whose envelope carries errors and no data: Criteo's "success or partial
    # success" answers can do this, and a client must not read 200 as accepted.
    ERRORS_IN_200 = "errors-in-200"
    # The Events API's 307 to a regional host (here: a regional path on the same sandbox).
    REDIRECT = "redirect"

    @classmethod
    def parse(cls, name: str) -> Fault:
        """Accept `rate-limit`, `rate_limit` or `RATE_LIMIT`; ValueError names the choices."""
        wanted = name.strip().lower().replace("_", "-")
        for fault in cls:
            if fault.value == wanted:
                return fault
        choices = ", ".join(f.value for f in cls)
        raise ValueError(f"unknown fault {name!r}; choose one of: {choices}")

    @property
    def modifies(self) -> bool:
        """True for faults that change an answer (delay, headers) rather than replace it."""
        return self in (Fault.SLOW, Fault.DEPRECATED)

    def applies_to(self, endpoint: str) -> bool:
        """The token endpoint has no version and no bearer: version/token faults skip it.
        The Events API has neither a version path nor a token; only it redirects."""
        if self is Fault.REDIRECT:
            return endpoint == "events"
        if endpoint == "events":
            return self not in (Fault.DEPRECATED, Fault.RETIRED, Fault.EXPIRED_TOKEN)
        if endpoint == "token":
            return self not in (
                Fault.DEPRECATED,
                Fault.RETIRED,
                Fault.EXPIRED_TOKEN,
                Fault.ERRORS_IN_200,
            )
        return True


DEFAULT_ADVERTISERS: Mapping[str, str] = {"1234567": "Sandbox Shop", "7654321": "Other Shop"}
DEFAULT_VERSIONS = ("2023-07", "2026-01", "2026-07", "2027-01")
DEFAULT_EVENT_NAMES = frozenset(
    {
        "purchase",
        "add_to_cart",
        "view_item",
        "view_list",
        "view_home",
        "view_basket",
        "begin_checkout",
        "add_payment_info",
        "login",
    }
)


@dataclass(frozen=True)
class SandboxConfig:
    """Everything about one sandbox run. Defaults are the documented sandbox account.

    ``deprecated_versions`` and ``retired_versions`` default to empty so that a test run does
    not change behaviour with the calendar; pass them (or use the CLI's ``--deprecated`` /
    ``--retired``) to reproduce Criteo's real calendar.
    """

    client_id: str = "sandbox-client"
    client_secret: str = "sandbox-secret"
    token_ttl: int = 900
    advertisers: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ADVERTISERS))
    in_scope: frozenset[str] = frozenset({"1234567"})
    versions: tuple[str, ...] = DEFAULT_VERSIONS
    deprecated_versions: frozenset[str] = frozenset()
    retired_versions: frozenset[str] = frozenset()
    # version -> HTTP-date for the Sunset header; missing ones get version month + 12 months.
    sunset_dates: Mapping[str, str] = field(default_factory=dict)
    event_names: frozenset[str] = DEFAULT_EVENT_NAMES
    run_faults: tuple[Fault, ...] = ()
    slow_delay: float = 5.0
    rate_limit: int = 250
    # x-ratelimit-reset is now + this many seconds (Unix time, rounded up).
    rate_limit_reset_after: float = 1.0
    # Criteo does not document Retry-After; None leaves the header out.
    retry_after: int | None = None
    max_body_bytes: int = 1024 * 1024
    # received() keeps the most recent this many conversions requests.
    max_received: int = 10_000
    log_requests: bool = False
    # The Events API (POST /m/event?version=s2s_v0): its partner account and caller id.
    events_account: str = "12345"
    events_caller_id: str = "sandbox-caller"
    # The regional path the redirect fault sends to: /<region>/m/event.
    events_region: str = "eu"
    # An event older than this is accepted with a warning.
    events_max_age_s: float = 900.0

    def __post_init__(self) -> None:
        unknown = (self.deprecated_versions | self.retired_versions) - set(self.versions)
        if unknown:
            raise ValueError(f"not a served version: {', '.join(sorted(unknown))}")
        if not self.in_scope <= set(self.advertisers):
            raise ValueError("every in-scope advertiser must be a known advertiser")
        if self.max_received < 1:
            raise ValueError("max_received must be at least 1")
        if self.token_ttl < 0 or self.slow_delay < 0:
            raise ValueError("token_ttl and slow_delay must not be negative")

    def current_version(self) -> str | None:
        """The newest version that is neither retired nor deprecated (for 410 advice)."""
        live = [
            v
            for v in self.versions
            if v not in self.retired_versions and v not in self.deprecated_versions
        ]
        if not live:
            live = [v for v in self.versions if v not in self.retired_versions]
        return max(live) if live else None
