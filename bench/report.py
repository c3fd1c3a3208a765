"""The sign-off report: writing signoff.pdf/.html/.json for 3 and 50 orders.

Run: .venv/bin/python bench/report.py   (a few seconds; uses a temporary folder)
Baseline, measured in the same run: the same document built and rendered to HTML only, so the
ratio is what the signed PDF adds. The window writes the report in a worker thread: these
figures are how long the user waits for "Written to …", never a frozen window.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication

from criteo_console.core.report.document import build_document
from criteo_console.core.report.html import render_html
from criteo_console.session.report_files import write_signoff
from criteo_console.storage.secrets import SessionSecretStore
from criteo_console.ui.report_pdf import render_pdf
from tests.core.report.conftest import REQUEST, attempt

SIZES = (3, 50)
REPEAT = 5


def _median_ms(fn: Callable[[], object]) -> float:
    samples = []
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def results() -> list[dict[str, Any]]:
    QApplication.instance() or QApplication([])
    store = SessionSecretStore()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        write_signoff(
            [attempt("WARM-UP")], REQUEST, Path(tmp) / "warm", store, render_pdf
        )  # fonts, key
        for size in SIZES:
            records = [attempt(f"WEB-{i}", id=i) for i in range(size)]
            html_ms = _median_ms(lambda r=records: render_html(build_document(r, REQUEST)))
            write_ms = _median_ms(
                lambda r=records, s=size: write_signoff(
                    r, REQUEST, Path(tmp) / str(s), store, render_pdf
                )
            )
            rows.append(
                {
                    "name": f"sign-off report, {size} orders: write PDF + HTML + JSON",
                    "value": round(write_ms, 1),
                    "unit": "ms",
                    "ratio": round(write_ms / html_ms, 1),
                    "target": "PDF drawn on the window thread, rest in a worker",
                    "baseline_ms": round(html_ms, 1),
                }
            )
    return rows


def main() -> None:
    rows = results()
    print(f"{'measure':<58} {'ms':>8} {'html only':>10} {'ratio':>6}")
    for row in rows:
        print(f"{row['name']:<58} {row['value']:>8} {row['baseline_ms']:>10} {row['ratio']:>6}")


if __name__ == "__main__":
    main()
