"""Properties: the raw email never leaks, and any input validates or yields issues."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteo_console.core import ProfileContext, check_order, dumps_json
from criteo_console.core.order import ORDER_FIELDS
from tests.core.orders import DROP, guide_order

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)

local_parts = st.text(
    alphabet=st.characters(whitelist_categories=("Ll", "Lu", "Nd"), whitelist_characters="._+-"),
    min_size=3,
    max_size=20,
)
domains = st.from_regex(r"[a-zA-Z]{3,12}\.(com|de|fr|co\.uk)", fullmatch=True)
emails = st.builds(
    lambda local, domain, pad: f"{pad}{local}@{domain}{pad}",
    local_parts,
    domains,
    st.sampled_from(["", " ", "\t"]),
)

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=10)
    | st.floats(allow_nan=False, allow_infinity=False)
)
json_values = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


def _all_output(result: Any) -> str:
    from criteo_console.commands.validate import _summary

    return dumps_json(result.as_dict()) + _summary(result) + repr(result) + repr(result.issues)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    email=emails,
    where=st.sampled_from(
        ["email", "customer_id", "madid", "email_sha256", "order_id", "currency", "event", "value"]
    ),
)
def test_raw_email_never_appears_in_any_output(email: str, where: str) -> None:
    order = guide_order(email_sha256=DROP)
    order[where] = email

    result = check_order(order, ProfileContext(advertiser_id=1234567), now=NOW)

    output = _all_output(result)
    assert email.strip() not in output
    assert email.strip().lower() not in output


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    field=st.sampled_from(ORDER_FIELDS),
    value=json_values,
    advertiser=json_scalars,
)
def test_any_input_validates_or_yields_issues_never_a_traceback(
    field: str, value: Any, advertiser: Any
) -> None:
    order = guide_order()
    order[field] = value

    result = check_order(order, ProfileContext(advertiser_id=advertiser), now=NOW)

    assert result.ok == (result.payload is not None)
    if not result.ok:
        assert result.errors
    json.loads(dumps_json(result.as_dict()))  # always serialisable


@settings(max_examples=100)
@given(value=json_values)
def test_any_top_level_json_is_handled(value: Any) -> None:
    result = check_order(value, ProfileContext(advertiser_id=1), now=NOW)
    assert result.ok == (result.payload is not None)


@settings(max_examples=100)
@given(
    item=st.dictionaries(
        st.sampled_from(["id", "price", "quantity", "x"]), json_scalars, max_size=4
    )
)
def test_any_item_shape_is_handled(item: dict[str, Any]) -> None:
    result = check_order(guide_order(items=[item]), ProfileContext(advertiser_id=1), now=NOW)
    assert result.ok == (result.payload is not None)


@settings(max_examples=100)
@given(email=emails)
def test_raw_email_as_a_field_name_is_never_echoed(email: str) -> None:
    order = guide_order()
    order[email] = "x"

    result = check_order(order, ProfileContext(advertiser_id=1), now=NOW)

    assert email.strip() not in _all_output(result)
