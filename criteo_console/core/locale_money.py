"""Money typed in the user's number format, read exactly or flagged — never guessed.

A French marketer types ``149,90`` and means 149.90; in German ``1.499,90`` means 1499.90.
A comma before exactly two final digits is a decimal mark in every locale (no group mark is
followed by two digits), so an American typing ``149,90`` means 149.90 too.
Entries with one meaning in one convention and another elsewhere (``1.499``, ``1,499``) are
flagged rather than read, and so are entries that fit no convention the user could mean.
Locale data (decimal and group symbols, locale names) comes from Babel's CLDR tables.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol

from criteo_console.core.issues import Level, error
from criteo_console.core.order import ProfileContext
from criteo_console.core.validation import OrderCheck, check_order

_SPACES = {" ", "\u00a0", "\u202f", "\u2009"}
_APOSTROPHES = {"'", "’"}
_PLAIN = re.compile(r"^\d+(?:\.\d+)?$")
_SIGNED_PLAIN = re.compile(r"^-?\d+(?:\.\d+)?$")
_THREE_AFTER_ONE = re.compile(r"^\d{1,3}[.,]\d{3}$")
# A group mark is always followed by three digits, so a lone comma before exactly two digits
# can only be a decimal mark, whatever the user's locale says (an en_US user typing 149,90).
_COMMA_CENTS = re.compile(r"^(\d+),(\d{2})$")


@dataclass(frozen=True, slots=True)
class NumberFormat:
    """How a locale writes numbers: ``fr_FR`` -> decimal ``,``, group narrow no-break space."""

    locale: str
    decimal: str
    group: str
    display_name: str

    def write(self, canonical: str) -> str:
        """``149.90`` -> ``149,90`` in French; no grouping, so it always reads back the same.

        Text that is not a plain dot-decimal number is returned unchanged.
        """
        if not _SIGNED_PLAIN.match(canonical.strip()):
            return canonical
        return canonical.strip().replace(".", self.decimal)


@cache
def number_format(locale: str) -> NumberFormat:
    """The number format of a locale name such as ``fr_FR``; unknown names read as en_US."""
    name = locale.split(".")[0].replace("-", "_")
    try:
        parsed = Locale.parse(name) if name not in ("", "C", "POSIX") else Locale("en", "US")
    except (UnknownLocaleError, ValueError, TypeError):
        parsed = Locale("en", "US")
    return NumberFormat(
        locale=str(parsed),
        decimal=get_decimal_symbol(parsed),
        group=get_group_symbol(parsed),
        display_name=parsed.get_display_name("en") or str(parsed),
    )


@dataclass(frozen=True, slots=True)
class AmountReading:
    """What an amount entry means: ``canonical`` (``149.90``) or a plain-words ``problem``."""

    text: str
    canonical: str | None
    problem: str | None

    @property
    def empty(self) -> bool:
        return self.canonical is None and self.problem is None

    @property
    def amount(self) -> Decimal | None:
        return None if self.canonical is None else Decimal(self.canonical)


def read_amount(text: str, locale: str) -> AmountReading:
    """Read ``text`` as typed by someone whose number format is ``locale``'s."""
    fmt = number_format(locale)
    stripped = text.strip()
    if not stripped:
        return AmountReading(text, None, None)
    sign = ""
    body = stripped
    if body[0] in "+-":
        sign, body = ("-" if body[0] == "-" else ""), body[1:].strip()
    body = _unify_group(body, fmt)
    if body.isdigit():
        return AmountReading(text, sign + body, None)
    if _THREE_AFTER_ONE.match(body):
        whole, part = body[:-4], body[-3:]
        return AmountReading(
            text,
            None,
            f"“{stripped}” could mean {sign}{whole}{part} or {sign}{whole}.{part}. "
            f"Write it without the thousands separator ({sign}{whole}{part}) or with the "
            f"decimals ({fmt.write(f'{sign}{whole}{part}.00')}).",
        )
    canonical = _read_in_format(body, fmt)
    cents = _COMMA_CENTS.match(body)
    if canonical is None and cents:
        canonical = f"{cents.group(1)}.{cents.group(2)}"
    if canonical is None and _PLAIN.match(body) and fmt.group != ".":
        canonical = body  # a dot decimal is unambiguous where the dot is not the group mark
    if canonical is None:
        example = fmt.write("149.90")
        return AmountReading(
            text,
            None,
            f"“{stripped}” is not a number the console can read in your number format "
            f"({fmt.display_name}). Type it like {example}.",
        )
    try:
        Decimal(canonical)
    except InvalidOperation:  # pragma: no cover - the patterns above only let digits through
        return AmountReading(text, None, f"“{stripped}” is not a number.")
    return AmountReading(text, sign + canonical, None)


def _unify_group(body: str, fmt: NumberFormat) -> str:
    """Spaces and apostrophes typed for a space or apostrophe group mark become that mark."""
    if fmt.group in _SPACES:
        for space in _SPACES:
            body = body.replace(space, fmt.group)
    elif fmt.group in _APOSTROPHES:
        for mark in _APOSTROPHES:
            body = body.replace(mark, fmt.group)
    return body


def _read_in_format(body: str, fmt: NumberFormat) -> str | None:
    decimal, group = re.escape(fmt.decimal), re.escape(fmt.group)
    pattern = rf"^(\d{{1,3}}(?:{group}\d{{3}})+|\d+)(?:{decimal}(\d+))?$"
    match = re.match(pattern, body)
    if not match:
        return None
    whole = match.group(1).replace(fmt.group, "")
    return whole if match.group(2) is None else f"{whole}.{match.group(2)}"


def check_form(
    order: Mapping[str, object],
    entry_problems: Mapping[str, str],
    context: ProfileContext,
    *,
    now: datetime | None = None,
) -> OrderCheck:
    """Check an order from a form where some entries could not be read.

    Each unreadable entry (keyed by its input field, e.g. ``items[2].price``) is left out of
    the order before the core reads it, so nothing is checked or sent under a guessed
    meaning; its own plain-words problem replaces what the core says about that field.
    """
    if not entry_problems:
        return check_order(dict(order), context, now=now)
    cleaned = _without(order, entry_problems)
    check = check_order(cleaned, context, now=now)
    own = [error(field, "entry-unreadable", message) for field, message in entry_problems.items()]
    kept = [issue for issue in check.issues if issue.field not in entry_problems]
    blocked = any(issue.level is Level.ERROR for issue in own)
    return replace(
        check,
        issues=own + kept,
        order=None if blocked else check.order,
        payload=None if blocked else check.payload,
    )


def _without(order: Mapping[str, object], fields: Mapping[str, str]) -> dict[str, object]:
    cleaned = dict(order)
    if "value" in fields:
        cleaned["value"] = None
    items = cleaned.get("items")
    if isinstance(items, list):
        copied: list[object] = []
        for index, item in enumerate(items):
            key = f"items[{index}].price"
            if key in fields and isinstance(item, Mapping):
                item = {**item, "price": None}
            copied.append(item)
        cleaned["items"] = copied
    return cleaned
