"""Preview recompute after one keystroke, with 10 / 100 / 1,000 item lines.

Run: .venv/bin/python bench/preview_recompute.py   (offscreen, about 20 s)
One "keystroke" is typing or deleting one character in the order id (the payload changes by
one line) or in the value (the value line and the value-vs-items warning change); the time is
from the key to the Compose form and the Preview being up to date (the recompute is
synchronous). Baseline, measured in the same run: the bare ``core.check_order`` on the same
order, i.e. what any preview must at least pay.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication

from criteo_console.core import ProfileContext, check_order
from criteo_console.ui.pages.compose import ComposeWorkspace

SIZES = (10, 100, 1000)
KEYSTROKES = 200
TARGETS_MS = {100: 8.0, 1000: 16.0}
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CONTEXT = ProfileContext(advertiser_id=1234567)


def _order(lines: int) -> dict[str, Any]:
    items = [{"id": f"SKU-{n:05d}", "price": "9.95", "quantity": 1 + n % 3} for n in range(lines)]
    return {
        "event": "purchase",
        "event_time": "2026-04-24T15:14:58+02:00",
        "order_id": "PS-10428",
        "currency": "EUR",
        "value": "149.90",
        "items": items,
        "email": "  John.Doe@Example.COM ",
        "customer_id": "cust_78421",
    }


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18]


def _measure(workspace: ComposeWorkspace, field: str) -> list[float]:
    line = workspace.order_id if field == "order_id" else workspace.value
    base = line.text()
    samples = []
    for n in range(KEYSTROKES):
        text = base + "7" if n % 2 == 0 else base  # type a character, then delete it
        start = time.perf_counter()
        line.setText(text)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _baseline(workspace: ComposeWorkspace) -> list[float]:
    order = workspace.current_order()
    samples = []
    for _ in range(KEYSTROKES):
        start = time.perf_counter()
        check_order(order, CONTEXT, now=NOW)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def results() -> list[dict[str, Any]]:
    app = QApplication.instance() or QApplication([])
    rows: list[dict[str, Any]] = []
    for lines in SIZES:
        workspace = ComposeWorkspace(CONTEXT, locale="en_US", now=lambda: NOW)
        workspace.resize(1280, 800)
        workspace.show()
        workspace.load_order(_order(lines))
        app.processEvents()
        bare = _p95(_baseline(workspace))
        for field in ("order_id", "value"):
            p95 = _p95(_measure(workspace, field))
            rows.append(
                {
                    "name": f"preview recompute p95, {lines} lines, {field} keystroke",
                    "value": round(p95, 2),
                    "unit": "ms",
                    "ratio": round(p95 / bare, 2),
                    "target": f"p95 < {TARGETS_MS[lines]} ms" if lines in TARGETS_MS else "",
                    "baseline_ms": round(bare, 2),
                }
            )
        workspace.close()
        workspace.deleteLater()
        app.processEvents()
    return rows


def main() -> None:
    rows = results()
    print(f"{'measure':<52} {'p95 ms':>8} {'check_order':>12} {'ratio':>6}  target")
    for row in rows:
        print(
            f"{row['name']:<52} {row['value']:>8.2f} {row['baseline_ms']:>12.2f} "
            f"{row['ratio']:>6.2f}  {row['target']}"
        )


if __name__ == "__main__":
    main()
