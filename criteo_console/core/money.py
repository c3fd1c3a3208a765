"""Money as Decimal, checked against ISO 4217 minor units (from the ``iso4217`` package)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

# Far above any real order, and well inside Decimal's 28-digit precision for quantizing.
MAX_AMOUNT = Decimal(10) ** 12
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


@dataclass(frozen=True, slots=True)
class CurrencyInfo:
    code: str
    name: str
    minor_units: int  # digits after the decimal point ISO allows, e.g. EUR 2, JPY 0, KWD 3


@cache
def _currencies() -> dict[str, CurrencyInfo]:
    import iso4217  # its table is read at import (~15 ms): on first use, not at start-up

    table: dict[str, CurrencyInfo] = {}
    for currency in iso4217.Currency:
        exponent = currency.exponent
        if exponent is None:  # funds and precious metals (XAU, XDR...) are not shop currencies
            continue
        code = currency.code.upper()
        table[code] = CurrencyInfo(code, currency.currency_name, int(exponent))
    return table


def currency_info(code: str) -> CurrencyInfo | None:
    return _currencies().get(code.upper())


# Funds and units of account that share a name with an everyday currency ("WIR Euro",
# "US Dollar (Next day)"): never suggested for a typo.
_NOT_FOR_SHOPS = frozenset(
    {"BOV", "CHE", "CHW", "CLF", "COU", "MXV", "USN", "UYI", "UYW", "XSU", "XUA"}
)


_COMMON = ("EUR", "USD", "GBP", "JPY", "CHF", "CAD", "AUD", "SEK", "NOK", "DKK", "PLN", "CZK",
           "HUF", "RON", "BGN", "TRY", "BRL", "MXN", "INR", "CNY", "KRW", "SGD", "HKD", "NZD",
           "ZAR", "AED", "SAR", "ILS")  # fmt: skip


def suggest_currency(typed: str) -> CurrencyInfo | None:
    """The currency a near-miss most likely meant: a name ("euro" -> EUR) or a code typo
    ("EUE" -> EUR); None when nothing is close enough to say so."""
    text = typed.strip()
    if not text:
        return None
    shops = [c for c in _currencies().values() if c.code not in _NOT_FOR_SHOPS]
    folded = text.casefold()
    named = [c for c in shops if c.name.casefold() == folded]
    if len(named) == 1:
        return named[0]
    word = text.upper()
    if len(word) not in (3, 4) or not word.isalpha():
        return None  # a code typo is three or four letters; anything else is not a near-miss
    ranked = [*_COMMON, *sorted(c.code for c in shops if c.code not in _COMMON)]
    swapped = [code for code in ranked if sorted(code) == sorted(word[:3])]
    if len(word) == 3 and swapped:
        return _currencies()[swapped[0]]  # "GPB" -> GBP
    import difflib

    best, best_score = None, 0.6
    for code in ranked:  # common currencies first, so they win ties
        score = difflib.SequenceMatcher(a=word, b=code).ratio()
        if score > best_score:
            best, best_score = code, score
    return _currencies()[best] if best else None


def all_currencies() -> list[CurrencyInfo]:
    return sorted(_currencies().values(), key=lambda c: c.code)


class MoneyError(ValueError):
    """The text is not a plain number; ``reason`` is a kebab-case code."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def parse_amount(raw: object) -> Decimal:
    """Read a JSON number or numeric string as an exact Decimal.

    Floats are read through their shortest repr (``149.9`` -> ``Decimal("149.9")``), so a value
    that came through a float never gains noise digits. Comma decimals (``149,90``) are refused
    here on purpose: only the UI knows the user's locale and can read them safely.
    """
    if isinstance(raw, bool) or raw is None:
        raise MoneyError("not-a-number")
    if isinstance(raw, Decimal):
        number = raw
    elif isinstance(raw, int):
        if abs(raw) >= MAX_AMOUNT:  # before converting: a 100,000-digit int converts slowly
            raise MoneyError("too-large")
        number = Decimal(raw)
    elif isinstance(raw, float):
        number = Decimal(repr(raw))
    elif isinstance(raw, str):
        text = raw.strip()
        if "," in text and _PLAIN_NUMBER.match(text.replace(",", ".")):
            raise MoneyError("comma-decimal")
        if not _PLAIN_NUMBER.match(text):
            raise MoneyError("not-a-number")
        try:
            number = Decimal(text)
        except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
            raise MoneyError("not-a-number") from exc
    else:
        raise MoneyError("not-a-number")
    if number.is_nan():
        raise MoneyError("not-a-number")
    # copy_abs, not abs(): abs() rounds to the context and overflows on 1E+999999999.
    if number.is_infinite() or number.copy_abs() >= MAX_AMOUNT:
        raise MoneyError("too-large")
    return abs(number) if number.is_zero() else number  # no "-0.00" in a payload


def decimal_places(number: Decimal) -> int:
    """Significant digits after the point: ``149.90`` -> 1, ``149.95`` -> 2, ``150`` -> 0."""
    normalized = number.normalize()
    exponent = normalized.as_tuple().exponent
    assert isinstance(exponent, int)  # finite numbers only
    return max(0, -exponent)


def quantize_for(number: Decimal, minor_units: int) -> Decimal:
    """``Decimal("149.9")`` in EUR -> ``Decimal("149.90")``; never rounds (callers check first)."""
    return number.quantize(Decimal(1).scaleb(-minor_units))
