"""Order inputs shared by the core and CLI tests."""

from __future__ import annotations

from typing import Any

from criteo_console.core.examples import GUIDE_EMAIL_SHA256, guide_example_order

__all__ = ["DROP", "GUIDE_EMAIL_SHA256", "GUIDE_ORDER", "guide_order"]

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
