"""The exact bytes a signature covers: the document without its signature block.

Keys sorted, no spaces, UTF-8. The document holds text, whole numbers, booleans and nulls
only, so every reader that parses the JSON back gets the same bytes again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

SIGNATURE_KEY = "signature"


def canonical_bytes(document: Mapping[str, Any]) -> bytes:
    unsigned = {k: v for k, v in document.items() if k != SIGNATURE_KEY}
    _refuse_floats(unsigned)
    return json.dumps(
        unsigned, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def _refuse_floats(value: Any) -> None:
    # 149.9 and 149.90 are one float: a float could re-read as other bytes. Money is text here.
    if isinstance(value, float):
        raise TypeError("a sign-off document holds no floating-point numbers")
    if isinstance(value, Mapping):
        for item in value.values():
            _refuse_floats(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_floats(item)


def document_text(document: Mapping[str, Any]) -> str:
    """``signoff.json`` as written: readable, keys in the document's own order."""
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
