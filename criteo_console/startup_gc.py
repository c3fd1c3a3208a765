"""Python's cyclic garbage collector, paused while the window starts and resumed once it is
usable.

Start-up makes tens of thousands of objects (the modules, Qt's enums, the pages) that live as
long as the window. The collector scanning them again and again while they are being made cost
~20 ms of start-up (about a sixth of the time between the first paint and "ready", measured by
``bench/startup.py``). When the console is usable they are moved to the permanent generation
(``gc.freeze``), so the collections that run while the user works do not walk them either, and
collection resumes. The few hundred unreachable objects start-up leaves (≈500, measured) stay
in memory for the session: cheaper than a full collection (~15 ms) at the moment the window
becomes usable.

No Qt here: the entry point pauses collection before it imports the window's modules.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> bool:
    """Stop automatic collection until :func:`resume`; False (and nothing changed) when the
    collector was already off, so that whoever turned it off keeps control of it."""
    global _paused
    if _paused or not gc.isenabled():
        return False
    gc.disable()
    _paused = True
    return True


def resume() -> None:
    """Freeze what start-up made and turn collection back on (only if :func:`pause` turned it
    off; calling it again does nothing)."""
    global _paused
    if not _paused:
        return
    _paused = False
    gc.freeze()
    gc.enable()


def paused() -> bool:
    return _paused
