"""Order inputs shared by the core and CLI tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from criteo_console.core.examples import GUIDE_EMAIL_SHA256, guide_example_order

__all__ = ["DROP", "GUIDE_EMAIL_SHA256", "GUIDE_ORDER", "HOSTILE_SHAPES", "guide_order"]

GUIDE_ORDER: dict[str, Any] = guide_example_order()


class _Drop:
    pass


DROP: Any = _Drop()


def guide_order(**changes: Any) -> dict[str, Any]:
    """The guide's order with ``changes``; ``DROP`` removes a field, None sets JSON null."""
    order = guide_example_order()
    for key, value in changes.items():
        if value is DROP:
            order.pop(key, None)
        else:
            order[key] = value
    return order


# Long text in the shapes that made the former email patterns backtrack (80,000 "x": 15 s),
# and their neighbours; each builds about n characters.
HOSTILE_SHAPES: dict[str, Callable[[int], str]] = {
    "no at sign": lambda n: "x" * n,
    "one at sign in the middle": lambda n: "x" * (n // 2) + "@" + "x" * (n // 2),
    "dots between two at signs": lambda n: "a@" + "." * n + "@",
    "at signs only": lambda n: "@" * n,
    "a@ repeated": lambda n: "a@" * (n // 2),
    "@. repeated": lambda n: "@." * (n // 2),
    "words split by <": lambda n: "<a@b" * (n // 4),
    "trailing space after dots": lambda n: "a@" + ".x" * (n // 2) + " ",
}
