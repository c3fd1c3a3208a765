"""JSON text with exact money: ``Decimal("149.90")`` is written ``149.90``, never ``149.9000001``.

The standard encoder cannot emit a Decimal as a bare number, so this is a small encoder for the
JSON-like values the payload uses (dict, list, str, int, Decimal, bool, None).
"""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from itertools import accumulate, repeat
from typing import Any

# Far deeper than any order or answer (an order is 3 levels deep, a Criteo envelope about 6),
# far shallower than Python's recursion limit: nothing that reads parsed JSON can overflow.
MAX_JSON_DEPTH = 64
# Integers longer than this are read as Decimal: Python refuses int("1" * 4301), and no id or
# amount is near this long, so the rules report "too large" instead of the parser failing.
_LONG_INTEGER_DIGITS = 1000


class JsonTooDeepError(json.JSONDecodeError):
    """Nesting beyond MAX_JSON_DEPTH; a JSONDecodeError so every reader already handles it."""

    def __init__(self, doc: str) -> None:
        super().__init__(f"nested more than {MAX_JSON_DEPTH} levels deep", doc, 0)


def dumps_json(value: Any, *, indent: int | None = None) -> str:
    """Serialise ``value``; with ``indent``, pretty-print like ``json.dumps(indent=...)``."""
    parts: list[str] = []
    _encode(value, parts, indent, 0)
    return "".join(parts)


def loads_json(text: str | bytes) -> Any:
    """Parse JSON keeping every non-integer number as an exact Decimal.

    Bounded for hostile text: nesting deeper than MAX_JSON_DEPTH raises JsonTooDeepError
    before parsing; a 100,000-digit integer, an exponent Decimal cannot hold, NaN and Infinity
    become Decimal values (huge, NaN or infinite) for the rules to refuse in plain words.
    """
    if isinstance(text, bytes | bytearray):
        text = text.decode(json.detect_encoding(text), "surrogatepass")
    if nesting_depth(text) > MAX_JSON_DEPTH:
        raise JsonTooDeepError(text)
    try:
        return json.loads(
            text,
            parse_float=_json_decimal,
            parse_int=_json_integer,
            parse_constant=Decimal,
        )
    except RecursionError:  # unreachable after the depth check; kept as a last guard
        raise JsonTooDeepError(text) from None


def nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON ``text``, in linear time and no recursion.

    Strings are removed first (escaped backslashes, then escaped quotes, then the text between
    quote pairs), so brackets inside strings do not count. Exact for valid JSON; for invalid
    JSON a fair estimate (the parser rejects it anyway).
    """
    unescaped = text.replace("\\\\", "").replace('\\"', "")
    outside_strings = "".join(unescaped.split('"')[::2])
    steps = map(_BRACKET_STEP.get, outside_strings, repeat(0))
    return max(accumulate(steps), default=0)


_BRACKET_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def _json_decimal(literal: str) -> Decimal:
    try:
        return Decimal(literal)
    except InvalidOperation:  # an exponent beyond Decimal's range, e.g. 1e99999999999999999999
        mantissa, _, exponent = literal.lower().partition("e")
        if not mantissa.strip("-0."):
            return Decimal(0)
        if exponent.startswith("-"):
            return Decimal("NaN")  # too small to hold: the rules call it "not a number"
        return Decimal("-Infinity" if mantissa.startswith("-") else "Infinity")


def _json_integer(literal: str) -> int | Decimal:
    if len(literal) > _LONG_INTEGER_DIGITS:
        return Decimal(literal)
    return int(literal)


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
    """Plain digits (``149.90``), or exponent form when plain digits would mostly be padding
    zeros (``1E+999999999999999999`` would otherwise be a string of 10^18 characters)."""
    if not number.is_finite():
        raise ValueError("JSON has no NaN or Infinity")
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    padding = exponent if exponent >= 0 else -exponent + 1 - len(digits)
    if padding > _MAX_PADDING_ZEROS:
        return str(number)
    text = format(number, "f")
    return "0" if text in ("-0", "") else text


_MAX_PADDING_ZEROS = 1000
