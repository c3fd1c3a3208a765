"""The event log's schema, as a list of forward migrations keyed by ``PRAGMA user_version``.

Never edit a shipped migration: append a new one. Version 1 is the first release's table;
version 2 adds the request URL and the indexes the console's queries need; version 3 adds
where an attempt came from: ``console`` (composed and sent here) or ``shop`` (the shop's own
integration, seen by the capture endpoint).
"""

from __future__ import annotations

V1 = (
    """
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        uuid TEXT NOT NULL UNIQUE,
        session_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        completed_at TEXT,
        state TEXT NOT NULL
            CHECK (state IN ('pending', 'accepted', 'rejected', 'failed')),
        reason TEXT,
        profile TEXT NOT NULL,
        environment TEXT NOT NULL,
        advertiser_id INTEGER,
        event_name TEXT,
        order_id TEXT,
        value TEXT,
        currency TEXT,
        identifier_coverage TEXT,
        coverage_score INTEGER,
        token_step TEXT,
        scope_check TEXT,
        request_body TEXT,
        request_headers TEXT,
        http_status INTEGER,
        response_body TEXT,
        trace_id TEXT,
        latency_ms INTEGER,
        attempt_count INTEGER NOT NULL DEFAULT 1,
        app_version TEXT,
        error_explanation TEXT,
        steps TEXT
    )
    """,
    "CREATE INDEX attempts_created ON attempts (created_at)",
)

V2 = (
    "ALTER TABLE attempts ADD COLUMN request_url TEXT",
    "CREATE INDEX attempts_order ON attempts (order_id)",
    "CREATE INDEX attempts_duplicate ON attempts (advertiser_id, order_id, state)",
    "CREATE INDEX attempts_trace ON attempts (trace_id)",
    "CREATE INDEX attempts_state ON attempts (state)",
    "CREATE INDEX attempts_profile ON attempts (profile)",
)

V3 = (
    "ALTER TABLE attempts ADD COLUMN source TEXT NOT NULL DEFAULT 'console' "
    "CHECK (source IN ('console', 'shop'))",
    "CREATE INDEX attempts_source ON attempts (source)",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (V1, V2, V3)
LATEST_VERSION = len(MIGRATIONS)

# Every column of the latest schema, in table order (``id`` is local to one database).
COLUMNS: tuple[str, ...] = (
    "id",
    "uuid",
    "session_id",
    "created_at",
    "completed_at",
    "state",
    "reason",
    "profile",
    "environment",
    "advertiser_id",
    "event_name",
    "order_id",
    "value",
    "currency",
    "identifier_coverage",
    "coverage_score",
    "token_step",
    "scope_check",
    "request_body",
    "request_headers",
    "http_status",
    "response_body",
    "trace_id",
    "latency_ms",
    "attempt_count",
    "app_version",
    "error_explanation",
    "steps",
    "request_url",
    "source",
)
# What an export carries: everything but the local row number and this machine's session.
EXPORT_COLUMNS: tuple[str, ...] = tuple(c for c in COLUMNS if c not in ("id", "session_id"))
JSON_COLUMNS = frozenset({"request_headers", "steps"})
STATES = ("pending", "accepted", "rejected", "failed")
SOURCES = ("console", "shop")
