"""Check the frozen one-folder app the way a user would run it; print size and start-up times.

    python packaging/dist_check.py [dist/criteo-console]

Checks, each printed with its result: size within the budget; `--version` matches
pyproject (metadata bundled); `validate` on the integration guide's example order (ISO 4217
table bundled); on Linux no bundled library misses a Qt library; the OS secret store is found
(inside a private D-Bus session with gnome-keyring when available: keyring backends can vanish
when frozen); `--self-test` exits 0. Exit 1 if any check fails. With CI=true a check that cannot
run here (no D-Bus/gnome-keyring) fails instead of being skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from criteo_console.core.examples import guide_example_order

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MB = 160.0
SELF_TEST_TIMEOUT_S = 180

GUIDE_ORDER = guide_example_order()


class Report:
    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []
        self.failed = False

    def add(self, name: str, ok: bool | None, detail: str) -> None:
        status = {True: "ok", False: "FAIL", None: "skipped"}[ok]
        self.failed |= ok is False
        self.rows.append((name, status, detail))
        print(f"{status:8} {name}: {detail}", flush=True)


def bundle_size_mb(folder: Path) -> float:
    total = sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 1_000_000


def project_version() -> str:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r'^version\s*=\s*"([^"]+)"', text, re.MULTILINE)
    return match.group(1) if match else "?"


def run(cmd: Sequence[str], env: dict[str, str], timeout: float = 60) -> tuple[int, str, float]:
    started = time.perf_counter()
    proc = subprocess.run(
        list(cmd), env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    return proc.returncode, proc.stdout + proc.stderr, time.perf_counter() - started


def keyring_session_prefix() -> list[str] | None:
    """Command prefix running a child in a private D-Bus session with an unlocked keyring."""
    if not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")):
        return None
    # gnome-keyring prints the variables to export; the child then execs the real command.
    script = (
        'eval "$(printf dist-check | gnome-keyring-daemon --unlock --components=secrets'
        ' | sed \'s/^/export /\')"; exec "$@"'
    )
    return ["dbus-run-session", "--", "sh", "-c", script, "sh"]


def missing_qt_libraries(folder: Path) -> tuple[list[str], list[str]]:
    """(missing Qt/PySide libraries, missing system libraries) over every bundled ELF file."""
    qt_missing: set[str] = set()
    system_missing: set[str] = set()
    for path in folder.rglob("*.so*"):
        if not path.is_file() or path.is_symlink():
            continue
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=False)
        for line in out.stdout.splitlines():
            if "not found" in line:
                lib = line.split("=>")[0].strip()
                qt = lib.startswith(("libQt6", "libicu", "libpyside6", "libshiboken6"))
                (qt_missing if qt else system_missing).add(f"{lib} (for {path.name})")
    return sorted(qt_missing), sorted(system_missing)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0] if args else ROOT / "dist" / "criteo-console").resolve()
    exe = folder / ("criteo-console.exe" if os.name == "nt" else "criteo-console")
    if not exe.is_file():
        print(f"no frozen app at {exe}: run `make dist` first", file=sys.stderr)
        return 1
    in_ci = os.environ.get("CI", "").lower() == "true"
    report = Report()
    home = Path(tempfile.mkdtemp(prefix="criteo-console-dist-check-"))
    env = {
        **os.environ,
        "CRITEO_CONSOLE_HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        # A fresh keyring for the private gnome-keyring, not the user's (other password).
        "XDG_DATA_HOME": str(home / "xdg-data"),
    }
    try:
        size = bundle_size_mb(folder)
        report.add("size", size <= BUDGET_MB, f"{size:.1f} MB (budget {BUDGET_MB:.0f} MB)")

        times = []
        out = ""
        for _ in range(5):
            code, out, elapsed = run([str(exe), "--version"], env)
            times.append(elapsed)
        version = project_version()
        report.add(
            "--version",
            code == 0 and out.strip().endswith(version),
            f"{out.strip()!r}; median start-up {statistics.median(times) * 1000:.0f} ms",
        )

        order = home / "guide-order.json"
        order.write_text(json.dumps(GUIDE_ORDER), encoding="utf-8")
        cmd = [str(exe), "validate", str(order), "--advertiser-id", "1234567", "--json"]
        code, out, elapsed = run(cmd, env)
        try:
            ok = code == 0 and json.loads(out)["ok"] is True
        except (ValueError, KeyError):
            ok = False
        report.add("validate guide order", ok, f"exit {code} in {elapsed * 1000:.0f} ms")

        if sys.platform.startswith("linux") and shutil.which("ldd"):
            qt_missing, system_missing = missing_qt_libraries(folder)
            report.add(
                "Qt libraries complete",
                not qt_missing,
                "; ".join(qt_missing) or "every bundled Qt library resolves",
            )
            if system_missing:
                print(
                    "note     system libraries missing on this build machine (not bundled, "
                    "so the user's system must have them): " + "; ".join(system_missing)
                )

        prefix = keyring_session_prefix()
        if prefix is None:
            report.add(
                "OS secret store",
                False if in_ci else None,
                "needs dbus-run-session and gnome-keyring-daemon (apt: dbus gnome-keyring)",
            )
            prefix = []
        else:
            code, out, _ = run([*prefix, str(exe), "profile", "list"], env)
            store = next((ln for ln in out.splitlines() if ln.startswith("Secret store:")), out)
            saved = "SecretService" in store and "Secrets are saved in" in store
            report.add("OS secret store", code == 0 and saved, store.strip())

        code, out, elapsed = run(
            [*prefix, str(exe), "--self-test"], env, timeout=SELF_TEST_TIMEOUT_S
        )
        lines = [ln for ln in out.strip().splitlines() if not ln.startswith("dbus-daemon[")]
        tail = " | ".join(lines[-6:])
        report.add("--self-test", code == 0, f"exit {code} in {elapsed:.2f} s: {tail}")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return 1 if report.failed else 0


if __name__ == "__main__":
    sys.exit(main())
