"""Email and identifier scans take linear time (issue 9, item 10) and keep their meaning.

No wall-clock limits: each scan is timed against a linear baseline (one pass of plain string
methods over the same text) measured in the same process, with a generous ratio. A linear scan
costs a small multiple of the baseline at any size; the former quadratic pattern cost about
200,000 times it on 80,000 characters (15 s), so the bound separates them by orders of
magnitude and does not depend on how fast or busy the machine is.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from criteo_console.core import ProfileContext, check_order
from criteo_console.core.identifiers import contains_email, looks_like_email
from tests.core.orders import HOSTILE_SHAPES, guide_order

# What the scans mean, as the patterns they used to be (fine on short text).
CONTAINS_EMAIL_MEANING = re.compile(r"[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+")
EMAIL_SHAPE_MEANING = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Characters that matter to the patterns, including Unicode spaces and line separators.
tricky_text = st.text(alphabet="ab@.<>\"' \t\n\u00a0\u2028\u3000é", max_size=24)


@settings(max_examples=2000)
@given(text=tricky_text)
def test_contains_email_means_what_its_pattern_says(text: str) -> None:
    assert contains_email(text) == bool(CONTAINS_EMAIL_MEANING.search(text))


@settings(max_examples=2000)
@given(text=tricky_text)
def test_looks_like_email_means_what_its_pattern_says(text: str) -> None:
    assert looks_like_email(text) == bool(EMAIL_SHAPE_MEANING.match(text.strip()))


N = 80_000  # the order id length that took 15 s


def _best_time(work: Callable[[], object], repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def _one_linear_pass(text: str) -> None:
    text.split("@")
    text.encode("utf-8")
    text.lower()


LINEAR_RATIO = 500  # linear scans measure 0-50 here; the former quadratic ones ~200,000


@pytest.mark.parametrize("shape", HOSTILE_SHAPES)
@pytest.mark.parametrize("scan", [contains_email, looks_like_email], ids=lambda f: f.__name__)
def test_scan_costs_a_small_multiple_of_one_pass_over_the_text(
    scan: Callable[[str], bool], shape: str
) -> None:
    text = HOSTILE_SHAPES[shape](N)

    baseline = _best_time(lambda: _one_linear_pass(text))
    cost = _best_time(lambda: scan(text), repeats=3)

    assert cost / baseline < LINEAR_RATIO


NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("shape", ["no at sign", "dots between two at signs"])
@pytest.mark.parametrize(
    "field", ["order_id", "customer_id", "madid", "email", "email_sha256", "currency", "event"]
)
def test_a_whole_order_with_one_hostile_field_grows_linearly(field: str, shape: str) -> None:
    """10x the field's length costs about 10x (not 100x) the time, for the whole check."""
    context = ProfileContext(advertiser_id=1234567)

    def check(length: int) -> float:
        order = guide_order(**{field: HOSTILE_SHAPES[shape](length)})
        return _best_time(lambda: check_order(order, context, now=NOW), repeats=3)

    small, large = check(N // 10), check(N)

    assert large / small < 40  # linear: 10 or less (fixed costs); quadratic: 100


def test_a_5_mb_field_is_judged_in_a_few_linear_passes() -> None:
    text = HOSTILE_SHAPES["one at sign in the middle"](5_000_000)
    order = guide_order(order_id=text, customer_id=text, email=text, madid=text)

    cost = _best_time(
        lambda: check_order(order, ProfileContext(advertiser_id=1), now=NOW), repeats=1
    )

    assert cost / _best_time(lambda: _one_linear_pass(text)) < LINEAR_RATIO


REDACTION_SHAPES = {
    "url-encoded at signs": lambda n: "a%40" * (n // 4),
    "bare at signs": lambda n: "@a" * (n // 2),
    "dotted local parts": lambda n: "a.b@" * (n // 4),
}


@pytest.mark.parametrize("shape", REDACTION_SHAPES)
def test_redaction_of_hostile_text_grows_linearly(shape: str) -> None:
    """The email mask in core/redaction.py runs over every answer and log line: 10x the text
    costs about 10x the time (the backward scan once crossed every earlier at sign)."""
    from criteo_console.core.redaction import redact

    def cost(length: int) -> float:
        text = REDACTION_SHAPES[shape](length)
        return _best_time(lambda: redact(text), repeats=3)

    small, large = cost(4_000), cost(40_000)

    assert large / small < 40  # linear: about 10; quadratic: about 100
