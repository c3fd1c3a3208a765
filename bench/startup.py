"""Start-up: process spawn → main window shown and idle, against a bare PySide6 QMainWindow
started the same way (same interpreter, same qasync Runner). Median of repeated subprocess
runs; target ratio ≤ 1.3×."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
CHILD = HERE / "_startup_child.py"
REPEATS = 7
TARGET = 1.3


def _once(kind: str, home: str) -> tuple[float, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CRITEO_CONSOLE_HOME=home)
    env.pop("CRITEO_CONSOLE_LOG", None)
    spawned = time.time()
    out = subprocess.run(
        [sys.executable, str(CHILD), kind],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    shown, ready = out.stdout.strip().splitlines()[-1].split()
    return float(shown) - spawned, float(ready) - spawned


def measure() -> dict[str, float]:
    times: dict[str, list[float]] = {"bare": [], "console": [], "ready": []}
    with tempfile.TemporaryDirectory() as home:
        _once("console", home)  # warm the OS file cache and create the settings once
        _once("bare", home)
        for _ in range(REPEATS):  # interleaved, so drift hits both alike
            times["bare"].append(_once("bare", home)[0])
            shown, ready = _once("console", home)
            times["console"].append(shown)
            times["ready"].append(ready)
    return {kind: statistics.median(values) for kind, values in times.items()}


def results() -> list[dict[str, Any]]:
    medians = measure()
    ratio = medians["console"] / medians["bare"]
    return [
        {
            "name": "startup: bare QMainWindow (median)",
            "value": medians["bare"] * 1000,
            "unit": "ms",
            "ratio": 1.0,
            "target": None,
        },
        {
            "name": "startup: console window shown (first paint, median)",
            "value": medians["console"] * 1000,
            "unit": "ms",
            "ratio": ratio,
            "target": f"≤ {TARGET}×",
        },
        {
            "name": "startup: profiles, secret store and log open (median)",
            "value": medians["ready"] * 1000,
            "unit": "ms",
            "ratio": medians["ready"] / medians["bare"],
            "target": None,
        },
    ]


def main() -> None:
    rows = results()
    print(f"{'benchmark':52} {'value':>10} {'ratio':>7}  target")
    for row in rows:
        target = row["target"] or ""
        print(f"{row['name']:52} {row['value']:8.0f} {row['unit']} {row['ratio']:6.2f}×  {target}")


if __name__ == "__main__":
    main()
