"""The one redaction pass (core/redaction.py): what it masks, and that what it hands back is
always accepted by the same rules the event log applies."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from criteo_console.core.redaction import (
    LeakRefused,
    Redactor,
    check_fields,
    find_leak,
    redact,
    redact_headers,
)

TOKEN = "eyJhbGciOiJIUzI1NiJ9.PROP-token-8e2b"
SECRET = "PROP-secret&9+x"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ('{"access_token": "eyJhbGciOi.abc', '{"access_token": "•••'),  # cut off
        ('{\\"access_token\\": \\"abc\\"}', '{\\"access_token\\": \\"•••\\"}'),  # nested
        ("grant_type=x&client_secret=abc&y=1", "grant_type=x&client_secret=•••&y=1"),
        ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9", "Authorization: Bearer •••"),
        ("the bearer authentication failed", "the bearer authentication failed"),
        ("mail Jane.Doe+x@Example.com now", "mail •••@••• now"),
        ("mail jane\\u0040example.com", "mail •••@•••"),
        ("mail jane%40example.com", "mail •••@•••"),
        ("not an email: user@localhost, @decorator", "not an email: user@localhost, @decorator"),
        ("the client_secret is invalid", "the client_secret is invalid"),
    ],
)
def test_shapes_are_masked_whatever_their_value(text: str, shown: str) -> None:
    assert redact(text) == shown
    assert find_leak(shown) is None


def test_known_values_are_masked_in_every_spelling_and_when_cut_off() -> None:
    known = Redactor([TOKEN, SECRET])
    for spelling in (TOKEN, TOKEN.upper(), quote(SECRET, safe=""), json.dumps(SECRET)[1:-1]):
        assert redact(f"echo {spelling} end", known) == "echo ••• end"
    assert redact(f"answer cut off: {TOKEN[:15]}", known) == "answer cut off: •••"
    assert redact("ordinary words stay", known) == "ordinary words stay"


def test_headers_keep_the_auth_scheme_only() -> None:
    assert redact_headers({"Authorization": "Bearer abc", "Cookie": "s=1", "X-Echo": TOKEN}) == {
        "Authorization": "Bearer [redacted]",
        "Cookie": "[redacted]",
        "X-Echo": TOKEN,  # a value only known values or shapes can catch (see Redactor)
    }


def test_the_guard_names_the_field_and_what_it_found_never_the_value() -> None:
    with pytest.raises(LeakRefused) as refused:
        check_fields({"order_id": "A1", "response_body": f"x {TOKEN}"}, Redactor([TOKEN]))
    assert refused.value.field == "response_body"
    assert TOKEN not in str(refused.value)
    # A name the user chose may look like an email; only known values are refused there.
    check_fields({"profile": "client@agency.com"}, Redactor([TOKEN]), names=("profile",))


PIECES = st.sampled_from(
    [
        TOKEN,
        TOKEN.upper(),
        SECRET,
        quote(SECRET, safe=""),
        '{"access_token": "',
        "client_secret=",
        "Bearer ",
        "@",
        "%40",
        "\\u0040",
        "\\",
        '"',
        ".com",
        " ",
    ]
)


@settings(max_examples=500, deadline=timedelta(seconds=1))
@given(st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=16))
def test_what_redact_hands_back_passes_the_guard_and_stays_as_it_is(parts: list[str]) -> None:
    known = Redactor([TOKEN, SECRET])
    text = "".join(parts)
    shown = redact(text, known)
    assert find_leak(shown, known) is None
    assert redact(shown, known) == shown
    # Stored as JSON (the steps column), it passes too.
    check_fields({"steps": json.dumps([{"body": shown}])}, known)


def test_a_known_email_cut_short_is_ordinary_text() -> None:
    # The log forbids each order's raw email; a customer id "john.doe" is not a leak of it.
    known = Redactor(["john.doe@example.com"])
    check_fields({"order_id": "john.doe"}, known)
    assert redact("mail John.Doe@Example.com", known) == "mail •••"
