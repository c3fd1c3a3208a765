"""The bare window for bench/startup.py: a PySide6 QMainWindow under the same qasync Runner
the console uses. It prints a line on stderr once it is shown and idle (the first paint has
happened), exactly as the console does with ``CRITEO_CONSOLE_ANNOUNCE_READY=1``, and exits."""

from __future__ import annotations

import asyncio
import sys

SHOWN_LINE = "bare: shown"


async def _idle() -> None:
    # Two turns of the loop with nothing else queued: the first paint has happened.
    await asyncio.sleep(0)
    await asyncio.sleep(0.001)


async def bare() -> None:
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(1280, 800)
    window.show()
    await _idle()
    print(SHOWN_LINE, file=sys.stderr, flush=True)
    window.close()


def main() -> int:
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        runner.run(bare())
    return 0


if __name__ == "__main__":
    sys.exit(main())
