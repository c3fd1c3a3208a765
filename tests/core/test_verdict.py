"""The one verdict: destination by address, warnings with codes, rehearsal never a sign-off."""

from __future__ import annotations

import pytest

from criteo_console.core.checklist import Check, CheckState
from criteo_console.core.verdict import (
    Destination,
    Evidence,
    Verdict,
    VersionSupport,
    Warning,
    classify_target,
    destination_key,
    evaluate_attempt,
    no_answer_text,
    overall_verdict,
    version_note,
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


CRITEO_URL = "https://api.criteo.com/2025-10/conversions"


def _web_88213() -> dict[str, object]:
    order = {**GUIDE_ORDER, "order_id": "WEB-88213", "value": "44.98"}
    order["items"] = [{"id": "A", "price": "22.52", "quantity": 2}]  # 45.04
    return order


def test_value_mismatch_is_a_transaction_data_warning_and_a_note_on_the_money_rows() -> None:
    # Reproduction 2: Compose warned, the report said check 5 "pass" and both money rows
    # "matches" with nothing else to read.
    evaluation = evaluate_attempt(record(_web_88213(), request_url=CRITEO_URL))
    check5 = evaluation.check(Check.TRANSACTION_DATA)
    assert check5.state is CheckState.WARNING
    assert "is not the sum of the items" in check5.detail
    rows = {row.label: row for row in evaluation.reconciliation.rows}
    assert rows["Value"].note and rows["Items total (price × qty)"].note
    clean, sentence = evaluation.comparison
    assert not clean and "not the items total" in sentence


def test_an_answer_that_echoes_nothing_reads_one_way_everywhere() -> None:
    # Reproduction 3: the check, the warning and the comparison say the same sentence.
    evaluation = evaluate_attempt(record(request_url=CRITEO_URL, response_body='{"errors": []}'))
    sentence = no_answer_text(wording_for(CRITEO_URL))
    assert evaluation.check(Check.SIGN_OFF).state is CheckState.WARNING
    assert evaluation.check(Check.SIGN_OFF).detail == sentence
    assert Warning("answer-not-echoed", sentence) in evaluation.warnings
    assert evaluation.comparison == (False, sentence)
    assert evaluation.verdict is Verdict.SIGNED_OFF_WITH_WARNINGS


def test_a_confirmed_resend_deprecation_headers_and_errors_in_200_are_warnings() -> None:
    steps = [
        *record()["steps"],
        {"step": "duplicate", "state": "warning", "message": "Sending again, as you confirmed."},
        {
            "step": "exchange",
            "url": CRITEO_URL,
            "status": 200,
            "response_headers": {"Deprecation": "true", "Sunset": "Wed, 01 Jul 2026 00:00:00 GMT"},
        },
    ]
    answer = '{"data": [], "errors": [{"code": "x", "detail": "bad"}], "warnings": []}'
    evaluation = evaluate_attempt(record(request_url=CRITEO_URL, steps=steps, response_body=answer))
    codes = [w.code for w in evaluation.warnings]
    assert {"resend", "api-version-deprecated", "errors-in-200", "answer-not-echoed"} <= set(
        codes
    ), codes
    assert "2025-10" in next(w.message for w in evaluation.warnings if "deprecated" in w.code)


def test_checks_carry_what_they_prove_and_their_evidence() -> None:
    evaluation = evaluate_attempt(record(request_url=CRITEO_URL, identifier_coverage="2 of 3"))
    assert all(result.proves for result in evaluation.checks)
    assert Evidence("Trace id", "trace-123") in evaluation.check(Check.SIGN_OFF).evidence
    assert Evidence("Hash coverage", "2 of 3") in evaluation.check(Check.IDENTIFIERS).evidence


def test_deprecation_headers_of_an_exchange_the_console_logged_are_a_warning() -> None:
    # The console logs an exchange under its endpoint ("conversions", with its method), not
    # under "exchange": the verdict and the report read the same exchanges.
    steps = [
        *record()["steps"],
        {
            "step": "conversions",
            "method": "POST",
            "url": CRITEO_URL,
            "status": 200,
            "response_headers": {"deprecation": "true"},
        },
    ]
    evaluation = evaluate_attempt(record(request_url=CRITEO_URL, steps=steps))
    assert "api-version-deprecated" in [w.code for w in evaluation.warnings]


def test_the_sandbox_words_its_own_acceptance() -> None:
    evaluation = evaluate_attempt(record(request_url="http://127.0.0.1:9/2026-01/conversions"))
    assert evaluation.check(Check.SIGN_OFF).detail.startswith("The sandbox accepted")
    assert evaluation.verdict is Verdict.REHEARSAL


def test_no_version_note_on_a_target_that_is_not_criteo() -> None:
    assert version_note("2023-07", "http://127.0.0.1:1") == ("", False)
    assert version_note("2023-07", "https://staging.example") == ("", False)
    text, warning = version_note("2023-07", "https://api.criteo.com")
    assert warning and "out of support" in text


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("http://127.0.0.1:1/2026-01/conversions", "http://127.0.0.1:2/2023-07/x", True),
        ("http://127.0.0.1:1/x", "https://api.criteo.com/2025-10/conversions", False),
        ("https://api.criteo.com/2023-07/c", "https://api.criteo.com/2025-10/c", True),
        ("https://a.example/x", "https://b.example/x", False),
    ],
)
def test_destination_key_separates_the_sandbox_from_criteo(a: str, b: str, same: bool) -> None:
    assert (destination_key(a) == destination_key(b)) is same


def test_every_warning_code_is_documented() -> None:
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    source = (root / "criteo_console/core/verdict.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'Warning\(\s*"([a-z0-9-]+)"', source))
    documented = set(
        re.findall(r"^\| `([a-z0-9-]+)` \|", (root / "docs/ARCHITECTURE.md").read_text(), re.M)
    )
    assert codes and sorted(codes - documented) == []


def test_a_shop_sent_difference_without_an_answer_is_said_not_hidden() -> None:
    """Compare and the report read one row status: a value changed between the shop's order
    and what was sent shows as "differs" even when nothing answered."""
    from criteo_console.core.reconcile import summarize_order_input
    from criteo_console.core.verdict import row_status

    logged = record(response_body=None, http_status=None, state="failed")
    shop = summarize_order_input({**GUIDE_ORDER, "value": "150.00"}).as_dict()
    logged["steps"] = [{"step": "order", "shop": shop}, *logged["steps"][1:]]
    evaluation = evaluate_attempt(logged)

    statuses = {row.label: row_status(row, evaluation) for row in evaluation.reconciliation.rows}
    assert statuses["Value"] == "differs"
    assert statuses["Order id"] == "no-answer"


@pytest.mark.parametrize("url", ["", "   ", "not a url"])
def test_no_address_yet_reads_as_the_server_not_a_server_at_another_server(url: str) -> None:
    """Before a profile is shown the Send page has no address: its words must still read
    ("The server's trace id appears here", "Send"), never "The server at another server's"."""
    wording = wording_for(url)
    assert wording.title == "The server" and wording.send_button == "Send"
    assert "another server" not in f"{wording.name} {wording.accepted}"
    assert wording.real_conversions  # an unknown place is never treated as the sandbox
