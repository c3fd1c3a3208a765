"""Child process for bench/startup.py: start, show the main window, wait for idle, print the
wall-clock time (time.time()) at that moment, then shut down. Argument: "console" or "bare"."""

from __future__ import annotations

import asyncio
import sys
import time


async def _idle() -> None:
    # Two turns of the loop with nothing else queued: the first paint has happened.
    await asyncio.sleep(0)
    await asyncio.sleep(0.001)


async def console(app: object) -> tuple[float, float]:
    from criteo_console.ui.app import start_console, stop_console

    started = await start_console(app, install_crash_handler=False)  # type: ignore[arg-type]
    if started.service.profile is None:  # wait until the profiles and the log are open
        selected = asyncio.get_running_loop().create_future()
        started.service.profile_selected.connect(
            lambda _p: None if selected.done() else selected.set_result(True)
        )
        await selected
    await _idle()
    ready = time.time()
    await stop_console(started)
    return started.shown_at, ready


async def bare(app: object) -> tuple[float, float]:
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    window.setWindowTitle("bare")
    window.resize(1280, 800)
    window.show()
    await _idle()
    shown = time.time()
    window.close()
    return shown, shown


def main() -> int:
    import qasync
    from PySide6.QtWidgets import QApplication

    if sys.argv[1] == "console":
        from criteo_console.ui.app import make_qapp  # the app's own QApplication and theme

        which, app = console, make_qapp()
    else:
        which, app = bare, QApplication([sys.argv[0]])
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        shown, ready = runner.run(which(app))
    print(f"{shown:.6f} {ready:.6f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
