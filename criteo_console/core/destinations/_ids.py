"""Reading an id a profile gives (an advertiser id, a partner account) as a whole number."""

from __future__ import annotations

from decimal import Decimal

MAX_ID_DIGITS = 18


def whole_id(raw: object) -> tuple[int | None, str]:
    """(the number, "") or (None, "missing" | "invalid"); "²" and "٣" are not digits here."""
    if raw is None or isinstance(raw, bool) or (isinstance(raw, str) and not raw.strip()):
        return None, "missing" if not isinstance(raw, bool) else "invalid"
    if isinstance(raw, Decimal) or not isinstance(raw, int | str):
        return None, "invalid"
    text = str(raw).strip()
    if not (text.isascii() and text.isdecimal()) or len(text) > MAX_ID_DIGITS or int(text) <= 0:
        return None, "invalid"
    return int(text), ""
