"""signoff.json: one document for a set of orders, read from the one verdict model."""

from __future__ import annotations

from dataclasses import replace

from criteo_console.core.report.canonical import canonical_bytes
from criteo_console.core.report.document import build_document
from tests.core.report.conftest import REQUEST, SANDBOX_URL, attempt

SIX = ["Token", "Advertiser scope", "Event naming", "Identifiers", "Transaction data",
       "Send & sign-off"]  # fmt: skip


def test_three_orders_to_criteo_are_signed_off_with_every_cover_fact() -> None:
    doc = build_document([attempt("A-1"), attempt("A-2"), attempt("A-3")], REQUEST)

    assert doc["verdict"] == "signed-off"
    assert doc["verdict_sentence"].startswith("All six checks pass")
    assert doc["destination"]["kind"] == "criteo"
    assert doc["destination"]["address"] == "https://api.criteo.com"
    assert doc["api"] == {
        "version": "2025-10",
        "support": "supported",
        "note": "Criteo supports each API version for about 12 months.",
    }
    assert doc["advertiser"] == {"id": "1234567", "name": "Maison Lune FR"}
    assert (doc["reviewer"], doc["client"], doc["agency"]) == (
        "Ana Silva",
        "Maison Lune",
        "Northwind Digital",
    )
    assert doc["created_at"] == "2026-11-29T09:30:00Z"
    assert [c["title"] for c in doc["checks"]] == SIX
    assert all(c["proves"] and c["orders"]["ok"] == 3 for c in doc["checks"])
    assert [o["order_id"] for o in doc["orders"]] == ["A-1", "A-2", "A-3"]


def test_a_loopback_target_named_criteo_is_a_rehearsal_whatever_the_profile() -> None:
    doc = build_document(
        [attempt("A-1"), attempt("A-2", SANDBOX_URL, environment="criteo")], REQUEST
    )

    assert doc["verdict"] == "rehearsal"
    assert doc["title"] == "Rehearsal — not a sign-off"
    assert doc["destination"]["kind"] == "local"
    assert "http://127.0.0.1:40123" in doc["destination"]["address"]


def test_value_differing_from_items_total_is_a_coded_warning_on_the_order_and_the_report() -> None:
    mismatch = attempt(
        "WEB-88213",
        order={"value": "44.98", "items": [{"id": "A", "price": "22.52", "quantity": 2}]},
    )
    doc = build_document([attempt("A-1"), mismatch], REQUEST)

    order = doc["orders"][1]
    assert doc["verdict"] == "signed-off-with-warnings"
    assert {"code": "value-mismatch", "message": order["warnings"][0]["message"]} in order[
        "warnings"
    ]
    assert doc["warnings"][0]["order_id"] == "WEB-88213"
    assert doc["warnings"][0]["code"] == "value-mismatch"
    assert order["items"]["total"] == "45.04" and order["items"]["order_value"] == "44.98"
    assert order["items"]["rows"][0]["line_total"] == "45.04"


def test_every_mismatch_between_shop_sent_and_answered_is_listed() -> None:
    logged = attempt("A-1")
    logged["response_body"] = logged["response_body"].replace('"EUR"', '"USD"')
    doc = build_document([logged], REQUEST)

    order = doc["orders"][0]
    assert order["mismatches"] == ["Currency"]
    row = next(r for r in order["comparison"]["rows"] if r["field"] == "Currency")
    assert (row["shop"], row["sent"], row["answered"], row["match"]) == ("EUR", "EUR", "USD", False)


def test_checks_carry_what_they_prove_and_their_evidence() -> None:
    doc = build_document([attempt("A-1")], REQUEST)

    checks = {c["title"]: c for c in doc["orders"][0]["checks"]}
    assert checks["Advertiser scope"]["evidence"] == [
        {"label": "Trace id (HTTP 200)", "value": "trace-adv-1"}
    ]
    assert checks["Send & sign-off"]["evidence"] == [{"label": "Trace id", "value": "trace-123"}]
    coverage = checks["Identifiers"]["evidence"][0]
    assert coverage["label"] == "Hash coverage"
    assert checks["Identifiers"]["proves"] == doc["checks"][3]["proves"] != ""


def test_bodies_are_kept_exactly_and_redacted_once_more() -> None:
    logged = attempt("A-1")
    logged["response_body"] = logged["response_body"].replace(
        '"warnings": []', '"warnings": [{"detail": "from jane.doe@example.com"}]'
    )
    doc = build_document(
        [logged], REQUEST, redact=lambda text: text.replace("jane.doe@example.com", "•••")
    )

    exchange = next(e for e in doc["orders"][0]["exchanges"] if e["step"] == "conversions")
    assert exchange["request_body"] == logged["request_body"]  # exact, 149.90 stays 149.90
    assert "jane.doe" not in exchange["response_body"] and "•••" in exchange["response_body"]


def test_the_same_attempts_give_the_same_bytes_in_a_fixed_key_order() -> None:
    records = [attempt("A-2", id=2), attempt("A-1", id=1)]
    first, second = build_document(records, REQUEST), build_document(records[::-1], REQUEST)

    assert canonical_bytes(first) == canonical_bytes(second)
    assert list(first)[:6] == [
        "format",
        "format_version",
        "title",
        "verdict",
        "verdict_sentence",
        "created_at",
    ]
    assert canonical_bytes(
        build_document(records, replace(REQUEST, reviewer="Bo"))
    ) != canonical_bytes(first)
