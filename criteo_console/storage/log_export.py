"""Export the event log as JSON Lines or CSV (streamed) and read a JSON Lines export back."""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

from criteo_console.storage.log_schema import (
    COLUMNS,
    EXPORT_COLUMNS,
    JSON_COLUMNS,
    SOURCES,
    STATES,
)

_INDEX = {name: i for i, name in enumerate(COLUMNS)}
_REQUIRED = ("uuid", "created_at", "state", "profile", "environment")
_INTEGER_COLUMNS = frozenset(
    {"advertiser_id", "coverage_score", "http_status", "latency_ms", "attempt_count"}
)
_JSON_SHAPES: dict[str, type] = {"request_headers": dict, "steps": list}
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


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


# A spreadsheet reads a cell starting with one of these as a formula (=HYPERLINK(...) runs
# when the file is opened): OWASP's CSV-injection advice is to make it text with a leading
# apostrophe, which spreadsheets show as a plain value.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """One exported cell, safe to open in a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(rows: Iterable[tuple[Any, ...]], out: IO[str]) -> int:
    # CRLF (RFC 4180): the csv module quotes a cell holding any line-ending character only
    # when it is part of the terminator, and an unquoted CR splits the row in a spreadsheet.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for row in rows:
        writer.writerow([csv_cell(row[_INDEX[n]]) for n in EXPORT_COLUMNS])
        count += 1
    return count


def read_jsonl(source: IO[str], problems: list[str]) -> Iterator[dict[str, Any]]:
    """One dict per line; unreadable lines are reported in ``problems`` and skipped.

    Open the file with ``errors="surrogateescape"`` so one line that is not UTF-8 is skipped
    on its own; with a strict stream, the first such line ends the reading (reported too).
    """
    lines = iter(source)
    number = 0
    while True:
        try:
            line = next(lines)
        except StopIteration:
            return
        except UnicodeDecodeError:
            where = f"reading stopped after line {number}" if number else "nothing was read"
            problems.append(f"The file is not UTF-8 text; {where}.")
            return
        number += 1
        if not line.strip():
            continue
        try:
            line.encode("utf-8")
        except UnicodeEncodeError:
            problems.append(f"Line {number} is not UTF-8 text; skipped.")
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


def _integer(value: Any) -> int | None:
    """A whole number SQLite can store, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None
        value = int(value)
    elif isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            return None
    if not isinstance(value, int) or not _INT64_MIN <= value <= _INT64_MAX:
        return None
    return value


def _column(name: str, value: Any) -> tuple[Any, str | None]:
    """The value to store for ``name``, or a plain reason the record cannot be used."""
    if value is None or value == "":
        return None, None
    if name in _INTEGER_COLUMNS:
        number = _integer(value)
        if number is None:
            return None, f"{name} is not a whole number between -2^63 and 2^63"
        return number, None
    if name in JSON_COLUMNS:
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                return None, f"{name} is not JSON"
        wanted = _JSON_SHAPES[name]
        if not isinstance(value, wanted):
            return None, f"{name} is not a JSON {wanted.__name__.replace('dict', 'object')}"
        return json.dumps(value, ensure_ascii=False), None
    if isinstance(value, str):
        return value, None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value), None  # a hand-edited order id written as a number
    return None, f"{name} is {type(value).__name__}, not text"


def normalise_record(record: Mapping[str, Any], number: int) -> tuple[dict[str, Any], str | None]:
    """A row ready for INSERT, or a plain problem naming the line and the field."""
    line = record.get("__line__", number)
    missing = [name for name in _REQUIRED if not record.get(name)]
    if missing:
        return {}, f"Line {line} has no {', '.join(missing)}; skipped."
    state = record["state"]
    if not isinstance(state, str) or state not in STATES:
        return {}, f"Line {line} has an unknown state {state!r:.40}; skipped."
    row: dict[str, Any] = {}
    for name in EXPORT_COLUMNS:
        value, problem = _column(name, record.get(name))
        if problem:
            return {}, f"Line {line}: {problem}; skipped."
        row[name] = value
    if row["attempt_count"] is None:
        row["attempt_count"] = 1
    if row["source"] is None:  # exported before the log knew where attempts came from
        row["source"] = "console"
    elif row["source"] not in SOURCES:
        return {}, f"Line {line} has an unknown source {row['source']!r:.40}; skipped."
    return row, None
