"""JSON text with exact money: ``Decimal("149.90")`` is written ``149.90``, never ``149.9000001``.

The standard encoder cannot emit a Decimal as a bare number, so this is a small encoder for the
JSON-like values the payload uses (dict, list, str, int, Decimal, bool, None).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any


def dumps_json(value: Any, *, indent: int | None = None) -> str:
    """Serialise ``value``; with ``indent``, pretty-print like ``json.dumps(indent=...)``."""
    parts: list[str] = []
    _encode(value, parts, indent, 0)
    return "".join(parts)


def loads_json(text: str | bytes) -> Any:
    """Parse JSON keeping every non-integer number as an exact Decimal."""
    return json.loads(text, parse_float=Decimal)


def _encode(value: Any, out: list[str], indent: int | None, depth: int) -> None:
    if isinstance(value, Decimal):
        out.append(_decimal_literal(value))
    elif isinstance(value, bool) or value is None or isinstance(value, int | str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, float):
        out.append(_decimal_literal(Decimal(repr(value))))
    elif isinstance(value, dict):
        _encode_container(
            [(json.dumps(str(k), ensure_ascii=False), v) for k, v in value.items()],
            "{}",
            out,
            indent,
            depth,
        )
    elif isinstance(value, list | tuple):
        _encode_container([(None, v) for v in value], "[]", out, indent, depth)
    else:
        raise TypeError(f"cannot write a {type(value).__name__} as JSON")


def _encode_container(
    entries: list[tuple[str | None, Any]],
    brackets: str,
    out: list[str],
    indent: int | None,
    depth: int,
) -> None:
    if not entries:
        out.append(brackets)
        return
    out.append(brackets[0])
    pad = "" if indent is None else "\n" + " " * (indent * (depth + 1))
    separator = ", " if indent is None else ","
    key_separator = ": "
    for position, (key, item) in enumerate(entries):
        if position:
            out.append(separator)
        out.append(pad)
        if key is not None:
            out.append(key + key_separator)
        _encode(item, out, indent, depth + 1)
    if indent is not None:
        out.append("\n" + " " * (indent * depth))
    out.append(brackets[1])


def _decimal_literal(number: Decimal) -> str:
    if not number.is_finite():
        raise ValueError("JSON has no NaN or Infinity")
    text = format(number, "f")
    return "0" if text in ("-0", "") else text
