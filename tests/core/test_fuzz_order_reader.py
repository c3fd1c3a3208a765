"""Fuzzing the order reader (issue 9): the bytes of an order file through the CLI's parser and
``check_order``, and hostile Python objects straight into ``check_order``.

For every case: no exception escapes (a refused file is a UsageError, a one-line message),
everything the commands would print encodes as UTF-8, each issue's field and message is
printable (no control characters), no planted email address appears in any output (issues,
fields, messages, summary, ``--json``, payload), and each case finishes within the hypothesis
deadline (the former quadratic email scan took 15 s on 80,000 characters).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteo_console.cli import UsageError
from criteo_console.commands._order_input import format_issues, parse_order
from criteo_console.commands.validate import _summary
from criteo_console.core import ProfileContext, check_order, dumps_json
from criteo_console.core.order import ITEM_FIELDS, ORDER_FIELDS
from tests.core.orders import GUIDE_ORDER, HOSTILE_SHAPES

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
FUZZ = settings(
    max_examples=250,
    deadline=timedelta(seconds=2),  # cases take milliseconds; the old scan took seconds
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

emails = st.builds(
    lambda local, domain, tld: f"{local}@{domain}.{tld}",
    st.from_regex(r"[a-z0-9][a-z0-9._+-]{0,10}", fullmatch=True),
    st.from_regex(r"[a-z][a-z0-9-]{1,10}", fullmatch=True),
    st.sampled_from(["com", "de", "fr", "co.uk", "io"]),
)

# Long text in the shapes that made the former patterns backtrack, sometimes with an address.
long_text = st.builds(
    lambda shape, length, email, planted: HOSTILE_SHAPES[shape](length) + planted * f" {email}",
    st.sampled_from(sorted(HOSTILE_SHAPES)),
    st.sampled_from([1_000, 80_000]),  # 80,000: the length that took the old scan 15 s
    emails,
    st.booleans(),
)

# Any code point, lone surrogates included (they arrive as \ud800 escapes in JSON).
any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=16)

HUGE_LITERALS = [
    "9" * 100_000,
    "0." + "1" * 50_000,
    "1e99999999999999999999",
    "-1e99999999999999999999",
    "1e-99999999999999999999",
    "1E+999999999999999999",
    "NaN",
    "Infinity",
    "-Infinity",
]
SCANNED_FIELDS = ["order_id", "customer_id", "madid", "email", "email_sha256", "currency", "event"]
NUMBER_MARK = "\u0000number:"  # a string leaf replaced by a raw literal once the JSON is written
number_marks = st.sampled_from([f"{NUMBER_MARK}{i}" for i in range(len(HUGE_LITERALS))])


def _text_with(email: str) -> st.SearchStrategy[str]:
    """Text that sometimes carries the planted address, pasted into other text."""
    return st.one_of(
        any_text,
        long_text,
        st.builds(lambda a, b: f"{a}{email}{b}", st.sampled_from(["", " ", "x", "<"]), any_text),
    )


def _values(email: str) -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(min_value=10**30, max_value=10**60),
        _text_with(email),
        number_marks,
        st.sampled_from(["149.90", "79.95", "1", "EUR", "purchase", "2026-04-24T15:14:58+02:00"]),
    )
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.one_of(any_text, _text_with(email)), children, max_size=3)
        ),
        max_leaves=10,
    )


def _deep(value: Any, depth: int) -> Any:
    for _ in range(depth):
        value = [value]
    return value


@st.composite
def hostile_orders(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """The guide's order with some fields replaced, added or nested; and the planted email."""
    email = draw(emails)
    values = _values(email)
    order: dict[str, Any] = dict(GUIDE_ORDER)
    order["items"] = [dict(item) for item in GUIDE_ORDER["items"]]
    for name in draw(st.lists(st.sampled_from(ORDER_FIELDS), max_size=4, unique=True)):
        order[name] = draw(values)
    if isinstance(order.get("items"), list) and order["items"]:
        line = order["items"][0]
        if isinstance(line, dict):
            for name in draw(st.lists(st.sampled_from(ITEM_FIELDS), max_size=3, unique=True)):
                line[name] = draw(values)
            for key in draw(st.lists(st.one_of(_text_with(email), any_text), max_size=2)):
                line[key] = draw(values)
    for key in draw(st.lists(st.one_of(_text_with(email), any_text), max_size=3)):
        order[key] = draw(values)
    if draw(st.booleans()):  # a long hostile text where the rules scan for addresses
        order[draw(st.sampled_from(SCANNED_FIELDS))] = draw(long_text)
    depth = draw(st.sampled_from([0, 0, 0, 10, 63, 64, 65, 300]))
    if depth:
        field = draw(st.sampled_from(["items", "value", "extra"]))
        order[field] = _deep(order.get(field), depth)
    return order, email


def _context(email: str, event_name: str) -> ProfileContext:
    names = {"plain": "purchase", "email": email, "padded": f"buy {email}"}
    return ProfileContext(advertiser_id=1234567, event_names={"purchase": names[event_name]})


def _everything_printed(raw: Any, context: ProfileContext) -> str:
    result = check_order(raw, context, now=NOW)
    for issue in result.issues:  # one line each, no terminal escapes
        assert (issue.field + issue.message).isprintable(), issue
    printed = [
        _summary(result),
        format_issues(result.issues),
        dumps_json(result.as_dict(), indent=2),
        repr(result),
        *(issue.field for issue in result.issues),
    ]
    if result.payload is not None:
        printed.append(dumps_json(result.payload, indent=2))
    return "\n".join(printed)


def _assert_safe(output: str, email: str) -> None:
    output.encode("utf-8")  # printing it cannot raise UnicodeEncodeError
    assert email.lower() not in output.lower()


def _order_bytes(order: dict[str, Any], mangle: str, cut: int) -> bytes:
    text = json.dumps(order)  # ASCII: lone surrogates become \ud800 escapes, as in real files
    for index, literal in enumerate(HUGE_LITERALS):
        text = text.replace(json.dumps(f"{NUMBER_MARK}{index}"), literal)
    if mangle == "truncated":
        text = text[: cut % (len(text) + 1)]
    elif mangle == "latin-1":
        return text.replace("a", "\u00e9").encode("latin-1", "replace")
    elif mangle == "surrogate bytes":
        return text.encode("utf-8").replace(b"x", b"\xed\xa0\x80")
    return text.encode("utf-8")


@FUZZ
@given(
    case=hostile_orders(),
    mangle=st.sampled_from(["as is", "as is", "truncated", "latin-1", "surrogate bytes"]),
    cut=st.integers(min_value=0),
    event_name=st.sampled_from(["plain", "plain", "email", "padded"]),
)
def test_any_order_file_yields_a_verdict_or_one_plain_line(
    case: tuple[dict[str, Any], str], mangle: str, cut: int, event_name: str
) -> None:
    order, email = case
    context = _context(email, event_name)

    try:
        raw = parse_order("order.json", _order_bytes(order, mangle, cut))
    except UsageError as refused:
        message = str(refused)
        assert "\n" not in message
        _assert_safe(message, email)
        return
    _assert_safe(_everything_printed(raw, context), email)


@FUZZ
@given(
    case=hostile_orders(),
    odd=st.sampled_from(
        [
            Decimal("NaN"),
            Decimal("-Infinity"),
            Decimal("1E+999999999999999999"),
            Decimal("1E-999999999999999999"),
            float("nan"),
            float("inf"),
            10**5000,
            -(10**5000),
        ]
    ),
    where=st.sampled_from(["value", "order_id", "customer_id", "madid", "email", "items"]),
    event_name=st.sampled_from(["plain", "email", "padded"]),
)
def test_any_python_order_yields_issues_never_a_traceback(
    case: tuple[dict[str, Any], str], odd: Any, where: str, event_name: str
) -> None:
    order, email = case
    if where == "items":
        order["items"] = [{"id": odd, "price": odd, "quantity": odd}]
    else:
        order[where] = odd

    _assert_safe(_everything_printed(order, _context(email, event_name)), email)
