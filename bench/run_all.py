"""`make bench`: run every benchmark script in this folder and print one table.

Each script exposes ``results() -> list[dict]`` with keys name, value, unit, and optionally
ratio (against a baseline measured in the same run) and target. Figures are for reading,
not for asserting: wall-clock times depend on the machine.
"""

from __future__ import annotations

import importlib.util
import sys
import time
import traceback
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _load(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location(f"bench_{path.stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"
    return "" if value is None else str(value)


def main(argv: list[str]) -> int:
    scripts = sorted(
        p for p in HERE.glob("*.py") if p.name != "run_all.py" and not p.name.startswith("_")
    )
    if argv:
        scripts = [p for p in scripts if p.stem in argv]
    rows: list[dict[str, Any]] = []
    failed = []
    for script in scripts:
        started = time.perf_counter()
        print(f"… {script.name}", file=sys.stderr, flush=True)
        try:
            module = _load(script)
            for row in module.results():
                rows.append({"script": script.stem, **row})
        except Exception:
            traceback.print_exc()
            failed.append(script.name)
        print(f"  {script.name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)

    headers = ["script", "name", "value", "unit", "ratio", "target"]
    table = [[_fmt(row.get(h)) for h in headers] for row in rows]
    widths = [
        max(len(h), *(len(r[i]) for r in table)) if table else len(h) for i, h in enumerate(headers)
    ]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
    print("  ".join("-" * w for w in widths))
    for r in table:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
    if failed:
        print(f"\nFAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
