"""The one verdict: destination by address, warnings with codes, rehearsal never a sign-off."""

from __future__ import annotations

import pytest

from criteo_console.core.verdict import (
    Destination,
    Verdict,
    VersionSupport,
    classify_target,
    evaluate_attempt,
    overall_verdict,
    version_support,
    wording_for,
)
from tests.core.orders import GUIDE_ORDER
from tests.core.test_signoff import record


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.criteo.com/2025-10/conversions", Destination.CRITEO),
        ("https://API.Criteo.com", Destination.CRITEO),
        ("http://api.criteo.com", Destination.OTHER),  # never plain HTTP to Criteo
        ("http://127.0.0.1:8765/2023-07/conversions", Destination.LOCAL),
        ("http://[::1]:9/", Destination.LOCAL),
        ("http://localhost:1", Destination.LOCAL),
        ("https://api.criteo.com.evil.test", Destination.OTHER),
        ("https://staging.shop.example/criteo", Destination.OTHER),
        ("", Destination.OTHER),
        ("http://[bad", Destination.OTHER),
    ],
)
def test_destination_is_decided_by_address(url: str, expected: Destination) -> None:
    assert classify_target(url) is expected


def test_a_loopback_target_labelled_criteo_is_a_rehearsal_never_a_sign_off() -> None:
    logged = record(environment="criteo", request_url="http://127.0.0.1:40123/2025-10/conversions")
    evaluation = evaluate_attempt(logged)
    assert evaluation.destination is Destination.LOCAL
    assert evaluation.verdict is Verdict.REHEARSAL
    assert overall_verdict([evaluation])[0] is Verdict.REHEARSAL
    assert "not a sign-off" in evaluation.sentence


def test_criteo_target_with_all_checks_passing_is_signed_off() -> None:
    evaluation = evaluate_attempt(record(request_url="https://api.criteo.com/2025-10/conversions"))
    assert evaluation.verdict is Verdict.SIGNED_OFF, evaluation.warnings
    assert evaluation.warnings == ()


def test_value_differing_from_items_total_is_a_warning_on_the_sign_off() -> None:
    order = {**GUIDE_ORDER, "order_id": "WEB-88213", "value": "44.98"}
    order["items"] = [{"id": "A", "price": "22.52", "quantity": 2}]  # 45.04
    evaluation = evaluate_attempt(
        record(order, request_url="https://api.criteo.com/2025-10/conversions")
    )
    assert "value-mismatch" in [w.code for w in evaluation.warnings]
    assert evaluation.verdict is Verdict.SIGNED_OFF_WITH_WARNINGS


def test_out_of_support_version_warns_only_on_criteo() -> None:
    assert version_support("2023-07", "https://api.criteo.com")[0] is VersionSupport.OUT_OF_SUPPORT
    assert version_support("2023-07", "http://127.0.0.1:1")[0] is VersionSupport.NOT_APPLICABLE
    evaluation = evaluate_attempt(record(request_url="https://api.criteo.com/2023-07/conversions"))
    assert [w.code for w in evaluation.warnings] == ["api-version-out-of-support"]


def test_words_follow_the_destination() -> None:
    assert wording_for("http://127.0.0.1:1").send_button == "Send to the sandbox"
    assert wording_for("http://127.0.0.1:1").accepted == "The sandbox accepted"
    assert wording_for("https://api.criteo.com").send_button == "Send to Criteo"
    assert "staging.example" in wording_for("https://staging.example/x").accepted
