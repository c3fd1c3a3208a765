"""The durable event log: every send attempt, written before the request goes out.

One SQLite file in WAL mode, ``synchronous=FULL`` so a committed ``pending`` row survives a
kill or power loss. Thread-safety: one connection shared behind a lock (every query here is
an indexed lookup that returns in milliseconds); exports open their own read-only
connection so a long export never blocks a send. Other processes may read concurrently (WAL).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from decimal import Decimal

import criteo_console
from criteo_console.core.redaction import LeakRefused, Redactor, check_fields, redact_headers
from criteo_console.storage.faults import (
    Fault,
    describe,
    fault_of_os_error,
    fault_of_sqlite_error,
)
from criteo_console.storage.files import (
    atomic_writer,
    ensure_private_dir,
    ensure_private_file,
    make_private,
    move_aside,
)
from criteo_console.storage.log_schema import COLUMNS, LATEST_VERSION, MIGRATIONS, SOURCES, STATES
from criteo_console.storage.paths import ENV_LOG, StoragePaths

# Rows left ``pending`` by any other run of the program are "outcome unknown".
# A random id for this run, as ``uuid4().hex`` gives (``uuid`` is imported with the first
# attempt, not at start-up).
PROCESS_SESSION = os.urandom(16).hex()
OUTCOME_UNKNOWN = "outcome unknown — check Criteo before re-sending"
SQLITE_HEADER = b"SQLite format 3\x00"
_SIDES = ("-wal", "-shm", "-journal")
FinalState = Literal["accepted", "rejected", "failed"]


class LogUnreadable(Exception):
    """The file at the log path cannot be used. Only a damaged file (``fault`` is
    ``Fault.CORRUPT``: not SQLite, damaged, or someone else's database) may be moved aside;
    the subclasses below say why a healthy log cannot be used right now."""

    fault = Fault.CORRUPT

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"The event log at {path} cannot be read ({detail}). It was not changed. "
            "Move it aside to start a fresh log; the old file is kept for inspection."
        )
        self.path = path

    def move_aside(self) -> Path:
        return move_aside(self.path)


class LogUnavailable(LogUnreadable):
    """A log that is not damaged but cannot be used now: busy, disk full, read-only or an
    input/output error. It is never moved aside (``move_aside`` raises this again)."""

    def __init__(self, path: Path, fault: Fault) -> None:
        Exception.__init__(self, describe(fault, f"The event log at {path}"))
        self.path = path
        self.fault = fault

    def move_aside(self) -> Path:
        raise self


class LogPathUnusable(LogUnavailable):
    """The log path is a folder, or cannot be opened at all: there is no file to move aside."""

    def __init__(self, path: Path, detail: str) -> None:
        Exception.__init__(
            self,
            f"The event log cannot be opened at {path}: {detail}. Point {ENV_LOG} at a file "
            "this user may write (or unset it to use the default place).",
        )
        self.path = path
        self.fault = Fault.IO_ERROR


class LogFromNewerVersion(Exception):
    """The log was written by a newer console; opening it here could damage it."""


class _NotOurs(Exception):
    """A readable SQLite database that is not an event log (someone else's file)."""


def utc_now() -> str:
    return _iso(datetime.now(UTC))


def _iso(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("dates given to the event log must carry a time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class LogFilter:
    """What the log view shows; every field is optional and they combine with AND."""

    profile: str | None = None
    state: str | None = None
    order_id: str | None = None
    advertiser_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    text: str | None = None  # substring of order id or trace id
    source: str | None = None  # "console" or "shop"

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if self.source is not None:
            clauses.append("source = ?")
            params.append(self.source)
        if self.profile is not None:
            clauses.append("profile = ?")
            params.append(self.profile)
        if self.state is not None:
            clauses.append("state = ?")
            params.append(self.state)
        if self.order_id is not None:
            clauses.append("order_id = ?")
            params.append(self.order_id)
        if self.advertiser_id is not None:
            clauses.append("advertiser_id = ?")
            params.append(self.advertiser_id)
        if self.since is not None:
            clauses.append("created_at >= ?")
            params.append(_iso(self.since))
        if self.until is not None:
            clauses.append("created_at < ?")
            params.append(_iso(self.until))
        if self.text:
            pattern = (
                "%" + self.text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            )
            clauses.append("(order_id LIKE ? ESCAPE '\\' OR trace_id LIKE ? ESCAPE '\\')")
            params += [pattern, pattern]
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


@dataclass(frozen=True)
class Attempt:
    """One row of the log, as the UI and the CLI read it."""

    id: int
    uuid: str
    session_id: str
    created_at: str
    completed_at: str | None
    state: str
    reason: str | None
    profile: str
    environment: str
    advertiser_id: int | None
    event_name: str | None
    order_id: str | None
    value: str | None
    currency: str | None
    identifier_coverage: str | None
    coverage_score: int | None
    token_step: str | None
    scope_check: str | None
    request_body: str | None
    request_headers: dict[str, str] = field(default_factory=dict)
    http_status: int | None = None
    response_body: str | None = None
    trace_id: str | None = None
    latency_ms: int | None = None
    attempt_count: int = 1
    app_version: str | None = None
    error_explanation: str | None = None
    steps: list[Any] = field(default_factory=list)
    request_url: str | None = None
    source: str = "console"

    @property
    def outcome_unknown(self) -> bool:
        """Left pending by an earlier run: it may or may not have reached Criteo."""
        return self.state == "pending" and self.session_id != PROCESS_SESSION

    @property
    def display_state(self) -> str:
        return OUTCOME_UNKNOWN if self.outcome_unknown else self.state

    @property
    def value_decimal(self) -> Decimal | None:
        from decimal import Decimal

        return None if self.value is None else Decimal(self.value)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


_SELECT = "SELECT " + ", ".join(COLUMNS) + " FROM attempts"


def row_to_attempt(row: tuple[Any, ...]) -> Attempt:
    data = dict(zip(COLUMNS, row, strict=True))
    data["request_headers"] = json.loads(data["request_headers"] or "{}")
    data["steps"] = json.loads(data["steps"] or "[]")
    return Attempt(**data)


@dataclass(frozen=True)
class ImportResult:
    added: int
    duplicates: int  # already present and left as they were
    problems: list[str]
    updated: int = 0  # local pending rows the import completed


def _upsert(row: Mapping[str, Any]) -> str:
    names = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    sets = ", ".join(f"{n} = excluded.{n}" for n in row if n not in ("uuid", "session_id"))
    return (
        f"INSERT INTO attempts ({names}) VALUES ({marks}) ON CONFLICT(uuid) DO UPDATE SET "
        f"{sets} WHERE attempts.state = 'pending' AND excluded.state != 'pending'"
    )


# Columns holding names the user chose: checked for secrets, not for email-shaped text.
_NAME_COLUMNS = ("profile", "environment")
BUSY_TIMEOUT_MS = 5000  # how long a write waits for another program's lock, by default


def _refused_import(line: object, refused: LeakRefused) -> str:
    return (
        f"Line {line} refused: its {refused.field} contains {refused.what}, which the event "
        "log never stores (the same rule as for a send); nothing from this line was imported."
    )


class EventLog:
    """Open (creating or upgrading) the log at ``path``; close it when done."""

    def __init__(self, path: Path | None = None, forbidden: Iterable[str] = ()) -> None:
        self.path = path or StoragePaths.resolve().log_file
        self._known = Redactor(forbidden)
        self._lock = threading.RLock()
        self._conn = self._open()

    # -- lifecycle -----------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        if self.path.is_dir():
            raise LogPathUnusable(self.path, "it is a folder, not a file")
        try:
            ensure_private_dir(self.path.parent)
            # The log holds order details: this user only. SQLite gives -wal/-shm the
            # database file's mode, so they are 0600 too.
            ensure_private_file(self.path)
            with self.path.open("rb") as handle:
                header = handle.read(len(SQLITE_HEADER))
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except OSError as exc:
            fault = fault_of_os_error(exc)
            if fault is Fault.IO_ERROR:
                raise LogPathUnusable(self.path, exc.strerror or type(exc).__name__) from None
            raise LogUnavailable(self.path, fault) from None
        except sqlite3.Error as exc:
            raise LogPathUnusable(self.path, str(exc)) from None
        if header and header != SQLITE_HEADER:
            conn.close()
            raise LogUnreadable(self.path, "it is not an SQLite database")
        # Someone else's file we may still write (a shared folder) is used as it is.
        with contextlib.suppress(OSError):
            make_private(self.path, *(self.path.with_name(self.path.name + s) for s in _SIDES))
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # Read-only checks first: a file we will not use must not be changed at all
            # (switching to WAL rewrites the header).
            version = self._check_ours(conn)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            self._migrate(conn, version)
        except _NotOurs as exc:
            conn.close()
            raise LogUnreadable(self.path, str(exc)) from None
        except sqlite3.Error as exc:
            conn.close()
            # Locked, full or read-only is not damage: only SQLite's own "corrupt" or "not a
            # database" lets the user move the file aside.
            fault = fault_of_sqlite_error(exc, self.path)
            if fault is Fault.CORRUPT:
                raise LogUnreadable(self.path, str(exc)) from None
            raise LogUnavailable(self.path, fault) from None
        except BaseException:
            conn.close()
            raise
        return conn

    def _check_ours(self, conn: sqlite3.Connection) -> int:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > LATEST_VERSION:
            raise LogFromNewerVersion(
                f"The event log at {self.path} was written by a newer version of the console "
                f"(schema {version}). Update the console to open it."
            )
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if version == 0 and tables:
            raise _NotOurs("it is a database, but not a console event log")
        return version

    def _migrate(self, conn: sqlite3.Connection, version: int) -> None:
        for number in range(version + 1, LATEST_VERSION + 1):
            conn.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have migrated while we waited for the write lock.
                if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= number:
                    conn.execute("COMMIT")
                    continue
                for statement in MIGRATIONS[number - 1]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")
                conn.execute("COMMIT")
            except BaseException:
                # SQLite may have rolled back already (a full disk): keep the first error.
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> EventLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def forbid(self, *values: str) -> None:
        """Values (client secret, access token, raw email) no row may ever contain."""
        with self._lock:
            self._known.add(*values)

    def _check(self, fields: Mapping[str, Any], forbidden: Iterable[str] = ()) -> None:
        """The same leak rules for a send and an import (``core.redaction``)."""
        extra = [v for v in forbidden if v]
        known = Redactor([*self._known.values, *extra]) if extra else self._known
        check_fields(fields, known, names=_NAME_COLUMNS)

    # -- writing -------------------------------------------------------------------------

    def begin_attempt(
        self,
        *,
        profile: str,
        environment: str,
        advertiser_id: int | None,
        event_name: str | None,
        order_id: str | None,
        value: Decimal | str | None,
        currency: str | None,
        request_body: str | bytes | None,
        request_headers: Mapping[str, str] | None = None,
        request_url: str | None = None,
        identifier_coverage: str | None = None,
        coverage_score: int | None = None,
        token_step: str | None = None,
        scope_check: str | None = None,
        steps: list[Any] | None = None,
        app_version: str | None = None,
        forbidden: Iterable[str] = (),
        busy_timeout_ms: int | None = None,
        source: str = "console",
    ) -> int:
        """Record an attempt as ``pending`` and commit it; call before sending.

        ``busy_timeout_ms`` caps how long this write waits for another program's lock (the
        default is the connection's 5 s): a caller on a UI thread passes a short one and
        retries without blocking (sqlite3.OperationalError "database is locked").
        """
        if source not in SOURCES:
            raise ValueError(f"source must be one of {', '.join(SOURCES)}, not {source!r}")
        if isinstance(request_body, bytes):
            request_body = request_body.decode("utf-8")
        row: dict[str, Any] = {
            "uuid": _new_uuid(),
            "session_id": PROCESS_SESSION,
            "created_at": utc_now(),
            "state": "pending",
            "profile": profile,
            "environment": environment,
            "advertiser_id": advertiser_id,
            "event_name": event_name,
            "order_id": order_id,
            "value": None if value is None else str(value),
            "currency": currency,
            "identifier_coverage": identifier_coverage,
            "coverage_score": coverage_score,
            "token_step": token_step,
            "scope_check": scope_check,
            "request_body": request_body,
            "request_headers": json.dumps(redact_headers(request_headers or {})),
            "request_url": request_url,
            "steps": json.dumps(steps or []),
            # the installed version unless given; read here, not at import (start-up time)
            "app_version": criteo_console.__version__ if app_version is None else app_version,
            "attempt_count": 1,
            "source": source,
        }
        with self._lock:
            self._check(row, forbidden)
            names = ", ".join(row)
            marks = ", ".join("?" for _ in row)
            if busy_timeout_ms is not None:
                self._conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            try:
                cursor = self._conn.execute(
                    f"INSERT INTO attempts ({names}) VALUES ({marks})", list(row.values())
                )
            finally:
                if busy_timeout_ms is not None:
                    self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def complete_attempt(
        self,
        attempt_id: int,
        *,
        state: FinalState,
        reason: str | None = None,
        http_status: int | None = None,
        response_body: str | None = None,
        trace_id: str | None = None,
        latency_ms: int | None = None,
        attempt_count: int | None = None,
        error_explanation: str | None = None,
        token_step: str | None = None,
        scope_check: str | None = None,
        steps: list[Any] | None = None,
        forbidden: Iterable[str] = (),
    ) -> Attempt:
        """Record the outcome (also usable to settle an "outcome unknown" row)."""
        if state not in STATES[1:]:
            raise ValueError(f"state must be accepted, rejected or failed, not {state!r}")
        changes: dict[str, Any] = {
            "state": state,
            "completed_at": utc_now(),
            "reason": reason,
            "http_status": http_status,
            "response_body": response_body,
            "trace_id": trace_id,
            "latency_ms": latency_ms,
            "error_explanation": error_explanation,
        }
        optional = {
            "attempt_count": attempt_count,
            "token_step": token_step,
            "scope_check": scope_check,
            "steps": None if steps is None else json.dumps(steps),
        }
        changes.update({k: v for k, v in optional.items() if v is not None})
        with self._lock:
            self._check(changes, forbidden)
            sets = ", ".join(f"{name} = ?" for name in changes)
            cursor = self._conn.execute(
                f"UPDATE attempts SET {sets} WHERE id = ?", [*changes.values(), attempt_id]
            )
            if cursor.rowcount != 1:
                raise KeyError(f"no attempt with id {attempt_id}")
            found = self.get(attempt_id)
            assert found is not None
            return found

    def record_attempt(self, *, outcome: Mapping[str, Any], **attempt: Any) -> Attempt:
        """An attempt whose outcome is already known (the shop's own requests, seen by the
        capture endpoint), written in one transaction: one disk sync instead of two.
        ``attempt`` takes ``begin_attempt``'s arguments, ``outcome`` ``complete_attempt``'s;
        values forbidden in either are refused in both."""
        forbidden = [*attempt.get("forbidden", ()), *outcome.get("forbidden", ())]
        outcome = {**outcome, "forbidden": forbidden}
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                attempt_id = self.begin_attempt(**attempt)
                done = self.complete_attempt(attempt_id, **outcome)
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return done

    # -- reading -------------------------------------------------------------------------

    def get(self, attempt_id: int) -> Attempt | None:
        with self._lock:
            row = self._conn.execute(_SELECT + " WHERE id = ?", (attempt_id,)).fetchone()
        return None if row is None else row_to_attempt(row)

    def page(
        self, limit: int = 50, before_id: int | None = None, filters: LogFilter | None = None
    ) -> list[Attempt]:
        """Newest first. For the next page pass the last row's id as ``before_id``."""
        where, params = (filters or LogFilter()).where()
        if before_id is not None:
            where += (" AND " if where else " WHERE ") + "id < ?"
            params.append(before_id)
        sql = f"{_SELECT}{where} ORDER BY id DESC LIMIT ?"
        with self._lock:
            rows = self._conn.execute(sql, [*params, limit]).fetchall()
        return [row_to_attempt(r) for r in rows]

    def count(self, filters: LogFilter | None = None) -> int:
        where, params = (filters or LogFilter()).where()
        with self._lock:
            return int(
                self._conn.execute(f"SELECT count(*) FROM attempts{where}", params).fetchone()[0]
            )

    def already_accepted(self, advertiser_id: int, order_id: str) -> Attempt | None:
        """The latest accepted attempt for this order at this advertiser (duplicate warning)."""
        sql = (
            f"{_SELECT} WHERE advertiser_id = ? AND order_id = ? AND state = 'accepted' "
            "ORDER BY id DESC LIMIT 1"
        )
        with self._lock:
            row = self._conn.execute(sql, (advertiser_id, order_id)).fetchone()
        return None if row is None else row_to_attempt(row)

    def unresolved_attempts(self) -> list[Attempt]:
        """Attempts an earlier run left pending: their outcome is unknown."""
        sql = f"{_SELECT} WHERE state = 'pending' AND session_id != ? ORDER BY id DESC"
        with self._lock:
            rows = self._conn.execute(sql, (PROCESS_SESSION,)).fetchall()
        return [row_to_attempt(r) for r in rows]

    # -- bulk ----------------------------------------------------------------------------

    def iter_rows(self, filters: LogFilter | None = None) -> Iterator[tuple[Any, ...]]:
        """Stream raw rows oldest first on a private read connection (constant memory)."""
        where, params = (filters or LogFilter()).where()
        reader = sqlite3.connect(self.path, check_same_thread=False)
        try:
            reader.execute("PRAGMA query_only = ON")
            cursor = reader.execute(f"{_SELECT}{where} ORDER BY id", params)
            while batch := cursor.fetchmany(500):
                yield from batch
        finally:
            reader.close()

    def import_records(
        self, records: Iterable[Mapping[str, Any]], session_id: str = "imported"
    ) -> ImportResult:
        """Insert exported rows. A uuid already present is skipped, except that a local
        ``pending`` row is completed when the imported copy has an outcome (the send
        finished on the machine that exported it)."""
        from criteo_console.storage.log_export import normalise_record

        added = duplicates = updated = 0
        problems: list[str] = []
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                for number, record in enumerate(records, start=1):
                    row, problem = normalise_record(record, number)
                    if problem:
                        problems.append(problem)
                        continue
                    row["session_id"] = session_id
                    try:
                        self._check(row)
                    except LeakRefused as refused:
                        line = record.get("__line__", number)
                        problems.append(_refused_import(line, refused))
                        continue
                    found = self._conn.execute(
                        "SELECT state FROM attempts WHERE uuid = ?", (row["uuid"],)
                    ).fetchone()
                    try:
                        cursor = self._conn.execute(_upsert(row), list(row.values()))
                    except (sqlite3.Error, OverflowError) as exc:  # normalise_record missed it
                        line = record.get("__line__", number)
                        problems.append(f"Line {line} could not be stored ({exc}); skipped.")
                        continue
                    if found is None:
                        added += 1
                    elif cursor.rowcount == 1:
                        updated += 1
                    else:
                        duplicates += 1
                self._conn.execute("COMMIT")
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
        return ImportResult(added, duplicates, problems, updated)

    def export(
        self, out: IO[str], fmt: Literal["jsonl", "csv"], filters: LogFilter | None = None
    ) -> int:
        from criteo_console.storage.log_export import write_csv, write_jsonl

        writer = write_jsonl if fmt == "jsonl" else write_csv
        return writer(self.iter_rows(filters), out)

    def export_to_file(
        self, path: Path, fmt: Literal["jsonl", "csv"], filters: LogFilter | None = None
    ) -> int:
        """Write the export to ``path`` atomically (mode 0600): a kill or an error leaves the
        previous file, or none, never a partial one. Raises ``OSError``."""
        with atomic_writer(path, newline="") as out:
            return self.export(out, fmt, filters)

    def import_jsonl(self, source: IO[str]) -> ImportResult:
        from criteo_console.storage.log_export import read_jsonl

        problems: list[str] = []
        result = self.import_records(read_jsonl(source, problems))
        return ImportResult(
            result.added, result.duplicates, problems + result.problems, result.updated
        )


def _new_uuid() -> str:
    import uuid  # with the first attempt: it imports ``platform`` (~3 ms of start-up)

    return uuid.uuid4().hex
