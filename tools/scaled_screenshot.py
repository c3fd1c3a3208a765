"""Render scenes at 1280×800 under a Qt scale factor, to check nothing is cut off:

    QT_SCALE_FACTOR=2 .venv/bin/python tools/scaled_screenshot.py /tmp/scaled-2

Writes <folder>/<scene>-light.png for the first-run, valid-order and successful-send scenes.
"""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools import screenshots


async def shoot(app: object, out: Path) -> None:
    screenshots.OUT = out
    for name, act in (
        ("first-run", screenshots.first_run),
        ("valid-order", screenshots.valid_order),
        ("successful-send", screenshots.successful_send),
    ):
        print(await screenshots.scene(app, name, False, act))


def main() -> int:
    import qasync

    from criteo_console.ui.app import make_qapp

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/scaled")
    out.mkdir(parents=True, exist_ok=True)
    app = make_qapp()
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        runner.run(shoot(app, out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
