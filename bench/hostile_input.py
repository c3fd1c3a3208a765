"""Hostile order input: the email scans, the whole order check and the JSON depth check grow
linearly with the input (issue 9, item 10).

Run: .venv/bin/python bench/hostile_input.py   (about 10 s)
For each measure, the same work on an input 10x longer: the ratio is time(10n) / time(n), so
about 10 means linear and about 100 quadratic, whatever the machine. The first row runs the
former email pattern on small inputs to show what quadratic looks like here. Rows under a
millisecond (looks_like_email is a few memchr-speed str.find calls) can read 20-40: 500 KB
stays in the CPU cache and 5 MB does not; quadratic would mean seconds, not 0.3 ms.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from criteo_console.core import ProfileContext, check_order
from criteo_console.core.examples import guide_example_order
from criteo_console.core.identifiers import contains_email, looks_like_email
from criteo_console.core.jsonfmt import nesting_depth

SMALL, LARGE = 500_000, 5_000_000
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CONTEXT = ProfileContext(advertiser_id=1234567)
FORMER_CONTAINS_EMAIL = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+")

# The inputs that made the former patterns backtrack (and cost each scan the most now).
SHAPES: dict[str, Callable[[int], str]] = {
    "x…x@x…x": lambda n: "x" * (n // 2) + "@" + "x" * (n // 2),
    "a@ repeated": lambda n: "a@" * (n // 2),
    "a@…………@": lambda n: "a@" + "." * n + "@",
    "a@.x.x.x… ": lambda n: "a@" + ".x" * (n // 2) + " ",
}


def _best_ms(work: Callable[[], object], repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def _row(
    name: str, make: Callable[[int], Any], work: Callable[[Any], object], small: int, large: int
) -> dict[str, Any]:
    """Time ``work`` on ``make(small)`` and ``make(large)``; the input is built untimed."""
    inputs = make(small), make(large)
    repeats = 1 if work is _FORMER_SCAN else 5
    at_small, at_large = (_best_ms(lambda x=x: work(x), repeats) for x in inputs)
    return {
        "name": f"{name}: {large:,} vs {small:,} chars",
        "value": round(at_large, 2),
        "unit": "ms",
        "ratio": round(at_large / at_small, 1),
        "target": "ratio ~10 (linear)",
    }


def _order_with(field: str, text: str) -> dict[str, Any]:
    order = guide_example_order()
    order[field] = text
    return order


def _json_of_depth(length: int) -> str:
    return '{"items": [' + ", ".join(['{"id": "[[[", "price": 1}'] * (length // 26)) + "]}"


def _FORMER_SCAN(text: str) -> object:
    return FORMER_CONTAINS_EMAIL.search(text)


def _check(order: dict[str, Any]) -> object:
    return check_order(order, CONTEXT, now=NOW)


def results() -> list[dict[str, Any]]:
    former = _row(
        "former email pattern (quadratic, for comparison), x…x",
        lambda n: "x" * n,
        _FORMER_SCAN,
        3_000,
        30_000,
    )
    former["target"] = "ratio ~100 (quadratic)"
    rows = [former]
    for shape, make in SHAPES.items():
        for scan in (contains_email, looks_like_email):
            rows.append(_row(f"{scan.__name__}, {shape}", make, scan, SMALL, LARGE))
    for field in ("order_id", "email", "currency", "event"):
        rows.append(
            _row(
                f"check_order, {field} = x…x@x…x",
                lambda n, field=field: _order_with(field, SHAPES["x…x@x…x"](n)),
                _check,
                SMALL,
                LARGE,
            )
        )
    rows.append(
        _row(
            "JSON nesting check, brackets inside strings",
            _json_of_depth,
            nesting_depth,
            SMALL // 5,
            LARGE // 5,
        )
    )
    return rows


def main() -> None:
    print(f"{'measure':<66} {'ms':>9} {'ratio':>6}  target")
    for row in results():
        print(f"{row['name']:<66} {row['value']:>9.2f} {row['ratio']:>6.1f}  {row['target']}")


if __name__ == "__main__":
    main()
