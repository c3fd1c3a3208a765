"""Start-up: process spawn → main window shown and idle (first paint), and → usable ("ready":
profiles, secret store and event log open, a profile shown), against a bare PySide6
QMainWindow started the same way (same interpreter, same qasync Runner). Median of repeated
subprocess runs; targets: first paint ≤ 1.3×, ready ≤ 2×.

Bytecode: an installed console runs from compiled bytecode (pip compiles a wheel's modules at
install, PyInstaller bundles ``.pyc``), and so does everything the bare window imports (the
standard library, PySide6, qasync). A development checkout under ``PYTHONDONTWRITEBYTECODE=1``
recompiles ``criteo_console`` from source on every start, which the bare window never pays. So
the main figures run both children from one bytecode cache (``PYTHONPYCACHEPREFIX`` in a temp
folder, filled by the warm-up runs); the last row shows the console compiled from source each
time, for reference.

Measured on the shared 2-core build machine (busy: every figure ran higher than the last
round's), median of 5 bench runs alternating with the previous start sequence (each run itself
a median of 7): ready 2.32× (before 2.38× on the same machine in the same command; the rounds
before measured 2.81× → 2.32× and 3.14× → 2.74×), first paint 1.32× (before 1.32×). Ready is
not yet within 2×. The profile model reads profiles.json and the Connect page shows a profile
from ``core.destination_settings`` (names, default, labels, addresses, the send path) without
the destinations' rules; the run state classifies and words its target from ``core.targets``
and imports ``core.verdict`` with the first attempt it evaluates; the stores' worker threads
start right after the first paint, before the page shortcuts and the focus style's re-polish,
not on the loop's next turn. What "ready" still waits for, in the worker thread that opens the
secret store and the profiles: keyring's own imports (jaraco.context pulls in urllib.request,
http.client and ssl, the email parser, importlib_metadata and more_itertools: ~35–50 ms, the
bulk of what is left), the event log's SQLite (~20 ms, in the other thread) and the profile's
paint (~25 ms). Choosing the keyring backend after ready would change what "ready" promises
(the store's status is shown with the first profile).
"""

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
READY_TARGET = 2.0  # usable (profiles, secret store, event log open) within 2× a bare window


def _once(kind: str, home: str, pycache: str | None, *, write: bool = False) -> tuple[float, float]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CRITEO_CONSOLE_HOME=home)
    env.pop("CRITEO_CONSOLE_LOG", None)
    env.pop("PYTHONPYCACHEPREFIX", None)
    if pycache is not None:
        env["PYTHONPYCACHEPREFIX"] = pycache
    if write:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
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
    times: dict[str, list[float]] = {"bare": [], "console": [], "ready": [], "source": []}
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as pycache:
        # Warm the OS file cache, create the settings once and fill the bytecode cache with
        # every module either child imports (the console's post-paint imports included).
        _once("console", home, pycache, write=True)
        _once("bare", home, pycache, write=True)
        _once("console", home, None)
        for _ in range(REPEATS):  # interleaved, so drift hits all alike
            times["bare"].append(_once("bare", home, pycache)[0])
            shown, ready = _once("console", home, pycache)
            times["console"].append(shown)
            times["ready"].append(ready)
            times["source"].append(_once("console", home, None)[0])
    return {kind: statistics.median(values) for kind, values in times.items()}


def results() -> list[dict[str, Any]]:
    medians = measure()
    bare = medians["bare"]
    return [
        {
            "name": "startup: bare QMainWindow (median)",
            "value": bare * 1000,
            "unit": "ms",
            "ratio": 1.0,
            "target": None,
        },
        {
            "name": "startup: console window shown (first paint, median)",
            "value": medians["console"] * 1000,
            "unit": "ms",
            "ratio": medians["console"] / bare,
            "target": f"≤ {TARGET}×",
        },
        {
            "name": "startup: ready — profiles, secret store, log open (median)",
            "value": medians["ready"] * 1000,
            "unit": "ms",
            "ratio": medians["ready"] / bare,
            "target": f"≤ {READY_TARGET}×",
        },
        {
            "name": "startup: first paint, package compiled from source",
            "value": medians["source"] * 1000,
            "unit": "ms",
            "ratio": medians["source"] / bare,
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
