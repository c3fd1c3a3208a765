"""Export the event log as JSON Lines or CSV (streamed) and read a JSON Lines export back."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from criteo_console.storage.log_schema import COLUMNS, EXPORT_COLUMNS, JSON_COLUMNS, STATES

_INDEX = {name: i for i, name in enumerate(COLUMNS)}
_REQUIRED = ("uuid", "created_at", "state", "profile", "environment")
_INTEGER_COLUMNS = frozenset(
    {"advertiser_id", "coverage_score", "http_status", "latency_ms", "attempt_count"}
)


def _export_dict(row: tuple[Any, ...]) -> dict[str, Any]:
    record = {name: row[_INDEX[name]] for name in EXPORT_COLUMNS}
    for name in JSON_COLUMNS:
        record[name] = json.loads(record[name]) if record[name] else None
    return record


def write_jsonl(rows: Iterable[tuple[Any, ...]], out: IO[str]) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(_export_dict(row), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(rows: Iterable[tuple[Any, ...]], out: IO[str]) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow(["" if row[_INDEX[n]] is None else row[_INDEX[n]] for n in EXPORT_COLUMNS])
        count += 1
    return count


def read_jsonl(source: IO[str], problems: list[str]) -> Iterator[dict[str, Any]]:
    """One dict per line; unreadable lines are reported in ``problems`` and skipped."""
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            problems.append(f"Line {number} is not JSON; skipped.")
            continue
        if not isinstance(record, dict):
            problems.append(f"Line {number} is not a log row; skipped.")
            continue
        record["__line__"] = number
        yield record


def normalise_record(record: Mapping[str, Any], number: int) -> tuple[dict[str, Any], str | None]:
    """A row ready for INSERT, or a plain problem naming the line and the field."""
    line = record.get("__line__", number)
    missing = [name for name in _REQUIRED if not record.get(name)]
    if missing:
        return {}, f"Line {line} has no {', '.join(missing)}; skipped."
    if record["state"] not in STATES:
        return {}, f"Line {line} has an unknown state {record['state']!r}; skipped."
    row: dict[str, Any] = {}
    for name in EXPORT_COLUMNS:
        value = record.get(name)
        if name in JSON_COLUMNS and value is not None and not isinstance(value, str):
            value = json.dumps(value)
        elif name in _INTEGER_COLUMNS and value not in (None, ""):
            try:
                value = int(value)
            except (TypeError, ValueError):
                return {}, f"Line {line}: {name} is not a whole number; skipped."
        elif value == "":
            value = None
        row[name] = value
    if row["attempt_count"] is None:
        row["attempt_count"] = 1
    return row, None
