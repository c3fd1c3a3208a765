"""Event log at 100,000 attempts: open + first page, order-id filter, search, export, memory.

Run: .venv/bin/python bench/event_log.py   (about 20 s; uses a temporary folder)
Baselines, measured in the same run: a bare ``SELECT 1`` on a fresh connection for "open +
first page", and the same order-id query forced past the indexes (``NOT INDEXED``).
"""

from __future__ import annotations

import io
import json
import statistics
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from criteo_console.storage import EventLog, LogFilter

ROWS = 100_000
SMALL = 10_000
REPEAT = 15


def _records(count: int) -> Iterator[dict[str, Any]]:
    headers = json.dumps({"Authorization": "Bearer [redacted]", "Content-Type": "application/json"})
    for i in range(count):
        order = f"PS-{i:07d}"
        body = json.dumps(
            {
                "data": [
                    {
                        "type": "Conversion",
                        "attributes": {
                            "advertiser_id": 1234567,
                            "event_name": "purchase",
                            "identifiers": {"email_sha256": f"{i:064x}"},
                            "transaction_data": {"id": order, "currency": "EUR", "value": 149.9},
                        },
                    }
                ]
            }
        )
        yield {
            "uuid": uuid.uuid4().hex,
            "created_at": f"2026-{1 + i // 9000 % 12:02d}-01T00:00:{i % 60:02d}.000000Z",
            "state": ("accepted", "rejected", "failed")[i % 3],
            "profile": f"Advertiser {i % 25}",
            "environment": "criteo",
            "advertiser_id": 1234567,
            "event_name": "purchase",
            "order_id": order,
            "value": "149.90",
            "currency": "EUR",
            "identifier_coverage": "email,customer_id",
            "coverage_score": 80,
            "request_body": body,
            "request_headers": headers,
            "http_status": 200,
            "response_body": '{"data":[],"errors":[],"warnings":[]}',
            "trace_id": f"trace-{i:08x}",
            "latency_ms": 120,
        }


def _fill(path: Path, count: int) -> float:
    start = time.perf_counter()
    with EventLog(path) as log:
        log.import_records(_records(count))
    return time.perf_counter() - start


def _median_ms(fn: Callable[[], object]) -> float:
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


class _Sink(io.TextIOBase):
    """Counts characters and drops them, so memory figures are the exporter's own."""

    def __init__(self) -> None:
        self.chars = 0

    def write(self, text: str) -> int:
        self.chars += len(text)
        return len(text)


def _export_peak_kib(path: Path) -> float:
    with EventLog(path) as log:
        tracemalloc.start()
        log.export(_Sink(), "jsonl")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak / 1024


def _measure() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "big.sqlite3", Path(tmp) / "small.sqlite3"
        insert_s = _fill(big, ROWS)
        _fill(small, SMALL)
        import sqlite3

        def bare() -> None:
            conn = sqlite3.connect(big)
            conn.execute("SELECT 1").fetchone()
            conn.close()

        def open_first_page() -> None:
            with EventLog(big) as log:
                log.page(limit=50)

        target_order = f"PS-{ROWS // 2:07d}"
        with EventLog(big) as log:
            filter_ms = _median_ms(lambda: log.page(filters=LogFilter(order_id=target_order)))
            unindexed_ms = _median_ms(
                lambda: log._conn.execute(
                    "SELECT * FROM attempts NOT INDEXED WHERE order_id = ? "
                    "ORDER BY id DESC LIMIT 50",
                    (target_order,),
                ).fetchall()
            )
            duplicate_ms = _median_ms(lambda: log.already_accepted(1234567, target_order))
            search_ms = _median_ms(lambda: log.page(filters=LogFilter(text="0004e2")))
            count_ms = _median_ms(lambda: log.count(LogFilter(profile="Advertiser 3")))
            start = time.perf_counter()
            exported = log.export(_Sink(), "jsonl")
            export_s = time.perf_counter() - start
            assert exported == ROWS
        return {
            "insert_s": insert_s,
            "open_page_ms": _median_ms(open_first_page),
            "bare_ms": _median_ms(bare),
            "filter_ms": filter_ms,
            "unindexed_ms": unindexed_ms,
            "duplicate_ms": duplicate_ms,
            "search_ms": search_ms,
            "count_ms": count_ms,
            "export_s": export_s,
            "peak_small_kib": _export_peak_kib(small),
            "peak_big_kib": _export_peak_kib(big),
        }


_CACHE: dict[str, float] = {}


def _figures() -> dict[str, float]:
    if not _CACHE:
        _CACHE.update(_measure())
    return _CACHE


def results() -> list[dict[str, Any]]:
    f = _figures()
    return [
        {
            "name": f"event log: open + first page at {ROWS:,} rows",
            "value": round(f["open_page_ms"], 2),
            "unit": "ms",
            "ratio": round(f["open_page_ms"] / f["bare_ms"], 1),
            "target": "< 50 ms",
            "baseline": f"bare connect + SELECT 1: {f['bare_ms']:.2f} ms",
        },
        {
            "name": f"event log: filter by order id at {ROWS:,} rows",
            "value": round(f["filter_ms"], 3),
            "unit": "ms",
            "ratio": round(f["filter_ms"] / f["unindexed_ms"], 4),
            "target": "< 100 ms",
            "baseline": f"same query NOT INDEXED: {f['unindexed_ms']:.1f} ms",
        },
        {
            "name": "event log: duplicate check (already accepted?)",
            "value": round(f["duplicate_ms"], 3),
            "unit": "ms",
            "ratio": round(f["duplicate_ms"] / f["unindexed_ms"], 4),
            "target": "< 100 ms",
            "baseline": "order-id query NOT INDEXED",
        },
        {
            "name": "event log: free-text search (substring, full scan)",
            "value": round(f["search_ms"], 1),
            "unit": "ms",
            "ratio": round(f["search_ms"] / f["unindexed_ms"], 2),
            "target": "(none; informative)",
            "baseline": "order-id query NOT INDEXED",
        },
        {
            "name": "event log: count one profile",
            "value": round(f["count_ms"], 2),
            "unit": "ms",
            "ratio": round(f["count_ms"] / f["unindexed_ms"], 3),
            "target": "(none; informative)",
            "baseline": "order-id query NOT INDEXED",
        },
        {
            "name": f"event log: export all {ROWS:,} rows as JSON Lines",
            "value": round(f["export_s"], 2),
            "unit": "s",
            "ratio": round(f["export_s"] / f["insert_s"], 2),
            "target": "(none; streamed)",
            "baseline": f"bulk insert of the same rows: {f['insert_s']:.1f} s",
        },
        {
            "name": "event log: export peak memory 100k rows vs 10k rows",
            "value": round(f["peak_big_kib"], 1),
            "unit": "KiB",
            "ratio": round(f["peak_big_kib"] / f["peak_small_kib"], 2),
            "target": "ratio ~1 (independent of row count)",
            "baseline": f"10k rows: {f['peak_small_kib']:.1f} KiB",
        },
    ]


def main() -> None:
    rows = results()
    width = max(len(r["name"]) for r in rows)
    print(f"{'measure'.ljust(width)}  {'value':>10}  unit  {'ratio':>8}  target / baseline")
    for r in rows:
        print(
            f"{r['name'].ljust(width)}  {r['value']:>10}  {r['unit']:<4}  {r['ratio']:>8}  "
            f"{r['target']} / {r['baseline']}"
        )


if __name__ == "__main__":
    main()
