"""Start-up of the real entry point: ``criteo-console`` spawned as the installed script runs it
(``criteo_console.cli:main``), timed until it prints that the window is shown (first paint) and
that it is usable ("ready": profiles, secret store and event log open, the first profile shown
and painted), against a bare PySide6 QMainWindow started the same way (same interpreter, same
qasync Runner, its own line once painted). Each child says when it got there on stderr
(``CRITEO_CONSOLE_ANNOUNCE_READY=1``); the time is taken when the line arrives, from the
spawn. A fresh user's folders: the platform's default places (XDG) under a temp folder, so the
folder lookup (platformdirs) is measured too. Median of repeated runs; targets: first paint
≤ 1.3×, ready ≤ 2×.

With ``dbus-run-session`` and ``gnome-keyring-daemon`` installed (and no D-Bus session in this
run), the same rows are measured again with the real OS secret store, as on a Linux desktop:
keyring then imports its Secret Service backend (secretstorage, jeepney, cryptography) and
asks the store over D-Bus, ~20 ms more.

Bytecode: an installed console runs from compiled bytecode (pip compiles a wheel's modules at
install, PyInstaller bundles ``.pyc``), and so does everything the bare window imports (the
standard library, PySide6, qasync). A development checkout under ``PYTHONDONTWRITEBYTECODE=1``
recompiles ``criteo_console`` from source on every start, which the bare window never pays. So
the main figures run both children from one bytecode cache (``PYTHONPYCACHEPREFIX`` in a temp
folder, filled by the warm-up runs); the "compiled from source" row is for reference.

The entry point pauses Python's cyclic garbage collector until the console is usable
(``criteo_console/startup_gc.py``); the bare window runs with the collector on, as any script.

Measured on the 2-core build machine (session 3), median of 9 per run, several runs: first paint
1.26–1.28× while the machine was quiet and 1.29–1.33× later under other work (before:
1.29–1.32×, timed with a longer wait for the bare window); ready 1.88–1.99× (before: 2.27× from
``start_console`` called by a script, more from the real entry point); with the Secret Service
2.00–2.12×, above the 2× target. The old bench timed ``start_console`` called from a script and
missed the entry point's own cost: building the command parser imported every command module
(~50 ms on every window start; the window path now skips it). What changed, each measured in the
same command against the one before: the collector paused (~10 ms), the sidebar's text measured
once per font and width instead of at every layout (~15 ms), its first words painted at once so
the first profile changes nothing there, the Help menu part of the first layout (it moved every
page down when added later), the order rules (``core.order``) loaded with Compose rather than
with the first profile (~8 ms), the Conversions API profile showing no Events API fields (a box
of three fewer rows to polish and lay out: ~10 ms), the focus style sheet applied after ready
(~6 ms), ``uuid``, ``decimal``, the session package and the identifier rules loaded on first
use. What "ready" still waits for, GIL-bound (a worker thread's imports and the window's
painting share one core's worth of Python: threads did not help, and starting the stores before
the first paint slowed it to 1.6×): keyring's own imports (jaraco.context pulls in
urllib.request, http.client and the email parser; importlib_metadata; more_itertools: ~40 ms,
the bulk of what is left; its Secret Service backend another ~15 ms), the event log (SQLite,
platformdirs, the redaction rules: ~20 ms) and the Connect page's layout for the profile (~10
ms). Before the first paint the console pays what a bare window does not: Qt's namespace of ~90
Python enums (~18 ms the first time any ``Qt.`` flag is read) and the sidebar's item-view
classes. The one lever left for "ready" is a product decision: not waiting for the secret store
when the first profile keeps no secret (the sandbox), ~40–60 ms.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from criteo_console.announce import ANNOUNCE_READY_ENV, READY_LINE, SHOWN_LINE

HERE = Path(__file__).resolve().parent
CHILD = HERE / "_startup_child.py"
# Exactly what the installed ``criteo-console`` script runs (pyproject: criteo_console.cli:main).
ENTRY = "import sys; from criteo_console.cli import main; sys.exit(main())"
BARE_LINE = "bare: shown"
REPEATS = 9
TARGET = 1.3
READY_TARGET = 2.0  # usable (profiles, secret store, event log open) within 2× a bare window


def _env(home: str, pycache: str | None, *, write: bool) -> dict[str, str]:
    """A fresh user's folders (the platform's default places, under a temp folder), offscreen,
    bytecode from ``pycache`` (see the docstring)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **{ANNOUNCE_READY_ENV: "1"})
    for name in ("CRITEO_CONSOLE_HOME", "CRITEO_CONSOLE_LOG", "PYTHONPYCACHEPREFIX"):
        env.pop(name, None)
    env["XDG_CONFIG_HOME"] = str(Path(home) / "config")
    env["XDG_DATA_HOME"] = str(Path(home) / "data")
    if pycache is not None:
        env["PYTHONPYCACHEPREFIX"] = pycache
    if write:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _timed_lines(command: list[str], env: dict[str, str], wanted: list[str]) -> list[float]:
    """Seconds from spawning ``command`` until each of the ``wanted`` lines arrives on its
    stderr; the process is then asked to stop (SIGTERM, as a desktop session would)."""
    spawned = time.time()
    proc = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    arrived: dict[str, float] = {}
    # A child that never gets there (start-up failed) is ended, so the bench cannot hang.
    watchdog = threading.Timer(60, proc.kill)
    watchdog.start()
    try:
        assert proc.stderr is not None
        for line in proc.stderr:
            if line.strip() in wanted and line.strip() not in arrived:
                arrived[line.strip()] = time.time() - spawned
                if len(arrived) == len(wanted):
                    break
        if len(arrived) != len(wanted):
            raise RuntimeError(f"{command[-1]!r} ended before printing {wanted}")
    finally:
        watchdog.cancel()
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stderr is not None:
            proc.stderr.close()
    return [arrived[line] for line in wanted]


def _console(home: str, pycache: str | None, *, write: bool = False) -> tuple[float, float]:
    shown, ready = _timed_lines(
        [sys.executable, "-c", ENTRY], _env(home, pycache, write=write), [SHOWN_LINE, READY_LINE]
    )
    return shown, ready


def _bare(home: str, pycache: str | None, *, write: bool = False) -> float:
    return _timed_lines(
        [sys.executable, str(CHILD)], _env(home, pycache, write=write), [BARE_LINE]
    )[0]


def measure() -> dict[str, float]:
    times: dict[str, list[float]] = {"bare": [], "console": [], "ready": [], "source": []}
    with tempfile.TemporaryDirectory() as home, tempfile.TemporaryDirectory() as pycache:
        # Warm the OS file cache, create the settings once and fill the bytecode cache with
        # every module either child imports (the console's post-paint imports included).
        _console(home, pycache, write=True)
        _bare(home, pycache, write=True)
        _console(home, None)
        for _ in range(REPEATS):  # interleaved, so drift hits all alike
            times["bare"].append(_bare(home, pycache))
            shown, ready = _console(home, pycache)
            times["console"].append(shown)
            times["ready"].append(ready)
            times["source"].append(_console(home, None)[0])
    return {kind: statistics.median(values) for kind, values in times.items()}


def _measure_with_secret_service() -> dict[str, float] | None:
    """The same measurement with a real OS secret store, as on a Linux desktop: this script
    again under a private D-Bus session with an unlocked gnome-keyring (keyring then imports
    its Secret Service backend and asks the store over D-Bus). None where the tools are
    missing, or when this run already has a D-Bus session (then the main rows are that case)."""
    if os.environ.get("DBUS_SESSION_BUS_ADDRESS") or not (
        shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")
    ):
        return None
    with tempfile.TemporaryDirectory() as keyrings:
        script = (
            "export $(printf bench | gnome-keyring-daemon --unlock --components=secrets) && "
            f'exec "{sys.executable}" "{Path(__file__).resolve()}" --json'
        )
        done = subprocess.run(
            ["dbus-run-session", "--", "sh", "-c", script],
            env=dict(os.environ, XDG_DATA_HOME=keyrings),
            capture_output=True,
            text=True,
            timeout=600,
        )
    if done.returncode != 0:
        print(f"startup: the Secret Service run failed: {done.stderr[-500:]}", file=sys.stderr)
        return None
    medians: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return medians


def _rows(medians: dict[str, float], where: str = "") -> list[dict[str, Any]]:
    bare = medians["bare"]
    rows = [
        {
            "name": f"startup{where}: bare QMainWindow (median)",
            "value": bare * 1000,
            "unit": "ms",
            "ratio": 1.0,
            "target": None,
        },
        {
            "name": f"startup{where}: console window shown (first paint, median)",
            "value": medians["console"] * 1000,
            "unit": "ms",
            "ratio": medians["console"] / bare,
            "target": f"≤ {TARGET}×",
        },
        {
            "name": f"startup{where}: ready — profiles, secret store, log open (median)",
            "value": medians["ready"] * 1000,
            "unit": "ms",
            "ratio": medians["ready"] / bare,
            "target": f"≤ {READY_TARGET}×",
        },
    ]
    if not where:
        rows.append(
            {
                "name": "startup: first paint, package compiled from source",
                "value": medians["source"] * 1000,
                "unit": "ms",
                "ratio": medians["source"] / bare,
                "target": None,
            }
        )
    return rows


def results() -> list[dict[str, Any]]:
    rows = _rows(measure())
    desktop = _measure_with_secret_service()
    if desktop is not None:
        rows += _rows(desktop, " (OS secret store: Secret Service over D-Bus)")
    return rows


def main() -> None:
    if "--json" in sys.argv:  # the Secret Service run's child: medians only
        print(json.dumps(measure()))
        return
    rows = results()
    width = max(len(row["name"]) for row in rows)
    print(f"{'benchmark':{width}} {'value':>10} {'ratio':>7}  target")
    for row in rows:
        target = row["target"] or ""
        value = f"{row['value']:8.0f} {row['unit']}"
        print(f"{row['name']:{width}} {value} {row['ratio']:6.2f}×  {target}")


if __name__ == "__main__":
    main()
