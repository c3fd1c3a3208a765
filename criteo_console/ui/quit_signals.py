"""Ctrl-C and SIGTERM close the console the way closing its window does.

Why ``loop.add_signal_handler``: under qasync on POSIX it is asyncio's self-pipe, the
well-known robust way to get signals into an event loop. ``signal.set_wakeup_fd`` makes the
C-level handler write the signal number to a socket that qasync watches with a
``QSocketNotifier``, so the signal wakes the Qt loop the moment it arrives, and our callback
then runs as an ordinary loop callback (not in the middle of whatever bytecode was executing).
A bare ``signal.signal`` handler runs only when Python next executes bytecode, which never
happens while Qt sits idle: that is why Ctrl-C used to be swallowed. The alternative, a no-op
``QTimer`` every N ms, wakes the process forever and still answers late; it is kept only as the
fallback where the loop has no signal support (Windows).

Exit codes: SIGTERM -> 0 (a requested stop carried out cleanly: service managers count 0 as a
clean stop and 143 as a failure); SIGINT -> 130 (the shell's "interrupted by the user", so
``criteo-console && next`` does not go on to ``next``). A second signal while the console is
closing quits at once with the same code (the escape hatch if a shutdown step hangs).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

EXIT_CODES: dict[signal.Signals, int] = {signal.SIGINT: 130, signal.SIGTERM: 0}
FALLBACK_POLL_MS = 200


def install_quit_signals(quit: Callable[[int], None]) -> Callable[[], None]:
    """Route SIGINT/SIGTERM to ``quit(exit_code)``; return a function that undoes it.

    Call with the (qasync) loop running, on the main thread."""
    loop = asyncio.get_running_loop()
    asked = False
    # A signal ignored when we started (e.g. SIGINT for a background job) stays ignored.
    handled = [s for s in EXIT_CODES if signal.getsignal(s) is not signal.SIG_IGN]

    def on_signal(signum: signal.Signals) -> None:
        nonlocal asked
        code = EXIT_CODES[signum]
        if asked:
            log.warning("%s received again while closing: quitting at once", signum.name)
            os._exit(code)
        asked = True
        log.info("%s received: closing the console", signum.name)
        hint = " (press Ctrl-C again to quit at once)" if signum is signal.SIGINT else ""
        print(f"Closing the console…{hint}", file=sys.stderr, flush=True)
        quit(code)

    try:
        for signum in handled:
            loop.add_signal_handler(signum, on_signal, signum)
    except NotImplementedError:
        return _install_fallback(loop, handled, on_signal)

    def remove() -> None:
        for signum in handled:
            loop.remove_signal_handler(signum)

    return remove


def _install_fallback(
    loop: asyncio.AbstractEventLoop,
    handled: list[signal.Signals],
    on_signal: Callable[[signal.Signals], None],
) -> Callable[[], None]:
    from PySide6.QtCore import QTimer

    previous: dict[signal.Signals, Any] = {}

    def handler(signum: int, _frame: object) -> None:
        loop.call_soon_threadsafe(on_signal, signal.Signals(signum))

    for signum in handled:
        previous[signum] = signal.getsignal(signum)
        signal.signal(signum, handler)
    wake = QTimer()
    wake.setInterval(FALLBACK_POLL_MS)
    wake.timeout.connect(lambda: None)  # lets the interpreter run the Python-level handler
    wake.start()

    def remove() -> None:
        wake.stop()
        for signum, old in previous.items():
            signal.signal(signum, old)

    return remove
