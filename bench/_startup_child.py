"""The bare window for bench/startup.py: a PySide6 QMainWindow under the same qasync Runner
the console uses. It prints a line on stderr after the same wait the console makes before its
``SHOWN_LINE`` (``show()``, then one turn of the loop, in which the first paint happens), and
exits."""

from __future__ import annotations

import asyncio
import sys

SHOWN_LINE = "bare: shown"


async def bare() -> None:
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(1280, 800)
    window.show()
    await asyncio.sleep(0)  # the first paint happens here (criteo_console.ui.app.start_console)
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
