"""POST /{version}/conversions: Criteo's contract, its errors and what the sandbox keeps."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from criteo_console.sandbox import SandboxServer
from tests.sandbox.conftest import GUIDE_BODY, StartSandbox, get_token, guide_body

URL = "/2023-07/conversions"
TX = "/data/0/attributes/transaction_data"


def test_the_guides_body_is_accepted_and_echoed_with_an_id(
    client: httpx.Client, auth: dict[str, str]
) -> None:
    response = client.post(URL, json=GUIDE_BODY, headers=auth)

    assert response.status_code == 200
    body = response.json()
    assert body["errors"] == [] and body["warnings"] == []
    [conversion] = body["data"]
    assert conversion["type"] == "Conversion"
    assert conversion["id"]
    assert conversion["attributes"] == GUIDE_BODY["data"][0]["attributes"]


def test_received_keeps_what_criteo_got(
    sandbox: SandboxServer, client: httpx.Client, auth: dict[str, str]
) -> None:
    answer = client.post("/2026-07/conversions", json=GUIDE_BODY, headers=auth).json()

    [record] = sandbox.received()
    assert record.version == "2026-07"
    assert record.advertiser_id == 1234567
    assert record.order_id == "PS-10428"
    assert record.body == GUIDE_BODY
    assert record.status == 200
    assert record.accepted is True
    assert record.response == answer
    assert record.conversion_id == answer["data"][0]["id"]
    assert record.time.tzinfo is not None
    assert sandbox.find_received("PS-10428") == [record]
    assert sandbox.find_received("PS-99999") == []


def test_a_repeated_transaction_is_accepted_with_a_duplicate_warning(
    sandbox: SandboxServer, client: httpx.Client, auth: dict[str, str]
) -> None:
    first = client.post(URL, json=GUIDE_BODY, headers=auth).json()
    second = client.post(URL, json=GUIDE_BODY, headers=auth).json()
    other = client.post(URL, json=guide_body(transaction_data__id="PS-2"), headers=auth).json()

    assert first["warnings"] == []
    [warning] = second["warnings"]
    assert warning["code"] == "duplicate-transaction"
    assert "PS-10428" in warning["detail"]
    assert warning["traceId"]
    assert second["data"][0]["id"] != first["data"][0]["id"]
    assert other["warnings"] == []
    assert [r.accepted for r in sandbox.find_received("PS-10428")] == [True, True]


def test_out_of_scope_advertiser_is_403_insufficient_permissions(
    sandbox: SandboxServer, client: httpx.Client, auth: dict[str, str]
) -> None:
    response = client.post(URL, json=guide_body(advertiser_id=7654321), headers=auth)

    assert response.status_code == 403
    [err] = response.json()["errors"]
    assert err["code"] == "insufficient-advertisers-permissions"
    assert err["source"] == {"pointer": "/data/0/attributes/advertiser_id"}
    assert "7654321" in err["detail"]
    [record] = sandbox.received()
    assert record.accepted is False
    assert record.status == 403


def test_unknown_advertiser_is_also_403(client: httpx.Client, auth: dict[str, str]) -> None:
    response = client.post(URL, json=guide_body(advertiser_id=1111111), headers=auth)
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "insufficient-advertisers-permissions"


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer forged"}], ids=["missing", "unknown"]
)
def test_bad_bearer_is_401_and_recorded_as_not_accepted(
    sandbox: SandboxServer, client: httpx.Client, headers: dict[str, str]
) -> None:
    response = client.post(URL, json=GUIDE_BODY, headers=headers)

    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "authorization-token-invalid"
    [record] = sandbox.received()
    assert (record.status, record.accepted, record.order_id) == (401, False, "PS-10428")


def test_expired_token_on_conversions_is_401_expired(
    sandbox: SandboxServer, client: httpx.Client, auth: dict[str, str]
) -> None:
    sandbox.expire_tokens()
    response = client.post(URL, json=GUIDE_BODY, headers=auth)
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "authorization-token-expired"


HASH = "4a7d1ed414474e4033ac29ccb8653d9b2f4b1a6f6d8d1df9bca7eac191f85632"

CONTRACT_CASES: list[tuple[str, dict[str, Any], str, str]] = [
    ("no transaction_data", {"transaction_data": ...}, TX, "missing-field"),
    (
        "lower-case currency",
        {"transaction_data__currency": "eur"},
        f"{TX}/currency",
        "invalid-currency",
    ),
    (
        "made-up currency",
        {"transaction_data__currency": "EUX"},
        f"{TX}/currency",
        "invalid-currency",
    ),
    ("test currency", {"transaction_data__currency": "XXX"}, f"{TX}/currency", "invalid-currency"),
    ("no event_time", {"event_time": ...}, "/data/0/attributes/event_time", "missing-field"),
    (
        "event_time offset",
        {"event_time": "2026-04-24T15:14:58+02:00"},
        "/data/0/attributes/event_time",
        "invalid-event-time",
    ),
    (
        "event_time no zone",
        {"event_time": "2026-04-24T13:14:58"},
        "/data/0/attributes/event_time",
        "invalid-event-time",
    ),
    (
        "event_time month 13",
        {"event_time": "2026-13-24T13:14:58Z"},
        "/data/0/attributes/event_time",
        "invalid-event-time",
    ),
    ("no event_name", {"event_name": ...}, "/data/0/attributes/event_name", "missing-field"),
    (
        "near-miss event name",
        {"event_name": "Purchase"},
        "/data/0/attributes/event_name",
        "unknown-event-name",
    ),
    (
        "advertiser_id as text",
        {"advertiser_id": "1234567"},
        "/data/0/attributes/advertiser_id",
        "invalid-advertiser-id",
    ),
    (
        "advertiser_id float",
        {"advertiser_id": 1234567.5},
        "/data/0/attributes/advertiser_id",
        "invalid-advertiser-id",
    ),
    (
        "no advertiser_id",
        {"advertiser_id": ...},
        "/data/0/attributes/advertiser_id",
        "missing-field",
    ),
    (
        "raw email key",
        {"identifiers__email": "John.Doe@Example.com"},
        "/data/0/attributes/identifiers/email",
        "raw-email-not-allowed",
    ),
    (
        "email in customer_id",
        {"identifiers__customer_id": "john@example.com"},
        "/data/0/attributes/identifiers/customer_id",
        "raw-email-not-allowed",
    ),
    (
        "upper-case hash",
        {"identifiers__email_sha256": HASH.upper()},
        "/data/0/attributes/identifiers/email_sha256",
        "invalid-email-sha256",
    ),
    (
        "short hash",
        {"identifiers__email_sha256": HASH[:40]},
        "/data/0/attributes/identifiers/email_sha256",
        "invalid-email-sha256",
    ),
    (
        "madid not a uuid",
        {"identifiers__madid": "AEBE52E7"},
        "/data/0/attributes/identifiers/madid",
        "invalid-madid",
    ),
    (
        "empty identifiers",
        {"identifiers": {}},
        "/data/0/attributes/identifiers",
        "missing-identifier",
    ),
    (
        "unknown identifier",
        {"identifiers__gclid": "abc"},
        "/data/0/attributes/identifiers/gclid",
        "unknown-field",
    ),
    ("value as text", {"transaction_data__value": "149.90"}, f"{TX}/value", "invalid-value"),
    ("negative value", {"transaction_data__value": -1}, f"{TX}/value", "invalid-value"),
    ("3 decimals in EUR", {"transaction_data__value": 149.905}, f"{TX}/value", "invalid-value"),
    ("no order id", {"transaction_data__id": ...}, f"{TX}/id", "missing-field"),
    ("empty order id", {"transaction_data__id": " "}, f"{TX}/id", "invalid-transaction-id"),
    ("no items", {"transaction_data__item": ...}, f"{TX}/item", "missing-field"),
    ("empty items", {"transaction_data__item": []}, f"{TX}/item", "empty-item"),
    (
        "quantity zero",
        {"transaction_data__item__1__quantity": 0},
        f"{TX}/item/1/quantity",
        "invalid-quantity",
    ),
    (
        "quantity fraction",
        {"transaction_data__item__0__quantity": 1.5},
        f"{TX}/item/0/quantity",
        "invalid-quantity",
    ),
    (
        "quantity true",
        {"transaction_data__item__0__quantity": True},
        f"{TX}/item/0/quantity",
        "invalid-quantity",
    ),
    (
        "price as text",
        {"transaction_data__item__1__price": "69.95"},
        f"{TX}/item/1/price",
        "invalid-price",
    ),
    ("no item id", {"transaction_data__item__0__id": ...}, f"{TX}/item/0/id", "missing-field"),
    (
        "misspelt key",
        {"transaction_data__currencyCode": "EUR"},
        f"{TX}/currencyCode",
        "unknown-field",
    ),
]


@pytest.mark.parametrize(
    ("changes", "pointer", "code"),
    [case[1:] for case in CONTRACT_CASES],
    ids=[case[0] for case in CONTRACT_CASES],
)
def test_each_contract_break_is_a_400_pointing_at_the_field(
    sandbox: SandboxServer,
    client: httpx.Client,
    auth: dict[str, str],
    changes: dict[str, Any],
    pointer: str,
    code: str,
) -> None:
    response = client.post(URL, json=guide_body(**changes), headers=auth)

    assert response.status_code == 400
    body = response.json()
    assert [(e["source"]["pointer"], e["code"]) for e in body["errors"]] == [(pointer, code)]
    [err] = body["errors"]
    assert err["type"] == "validation"
    assert err["title"] and err["detail"]
    assert err["traceId"] == response.headers["x-criteo-trace-id"]
    assert sandbox.received()[0].accepted is False


def test_a_raw_email_is_never_echoed_back(client: httpx.Client, auth: dict[str, str]) -> None:
    body = guide_body(identifiers__customer_id="john.doe@example.com")
    response = client.post(URL, json=body, headers=auth)
    assert "john.doe@example.com" not in response.text


def test_every_problem_is_reported_at_once(client: httpx.Client, auth: dict[str, str]) -> None:
    body = guide_body(
        event_time=...,
        transaction_data__currency="euro",
        transaction_data__item__0__quantity=0,
    )
    response = client.post(URL, json=body, headers=auth)

    assert response.status_code == 400
    assert {e["source"]["pointer"] for e in response.json()["errors"]} == {
        "/data/0/attributes/event_time",
        f"{TX}/currency",
        f"{TX}/item/0/quantity",
    }


def test_zero_decimal_currency_rejects_cents(client: httpx.Client, auth: dict[str, str]) -> None:
    body = guide_body(
        transaction_data__currency="JPY",
        transaction_data__value=1500.5,
        transaction_data__item=[{"id": "A", "price": 1500, "quantity": 1}],
    )
    [err] = client.post(URL, json=body, headers=auth).json()["errors"]
    assert err["source"]["pointer"] == f"{TX}/value"


def test_a_non_purchase_event_needs_no_transaction_data(
    client: httpx.Client, auth: dict[str, str]
) -> None:
    body = guide_body(event_name="add_to_cart", transaction_data=...)
    assert client.post(URL, json=body, headers=auth).status_code == 200


def test_wrong_resource_type_points_at_type(client: httpx.Client, auth: dict[str, str]) -> None:
    body = guide_body()
    body["data"][0]["type"] = "conversion"
    [err] = client.post(URL, json=body, headers=auth).json()["errors"]
    assert err["source"]["pointer"] == "/data/0/type"


def test_every_conversion_in_a_batch_is_checked(client: httpx.Client, auth: dict[str, str]) -> None:
    good = GUIDE_BODY["data"][0]
    bad = guide_body(transaction_data__currency="eur")["data"][0]
    response = client.post(URL, json={"data": [good, bad]}, headers=auth)
    assert [e["source"]["pointer"] for e in response.json()["errors"]] == [
        f"/data/1{TX[7:]}/currency"
    ]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"not json", "invalid-json"),
        (b'{"data": [NaN]}', "invalid-json"),
        (b"[]", "invalid-type"),
        (b"{}", "missing-field"),
        (b'{"data": []}', "empty-data"),
    ],
)
def test_a_body_that_is_not_a_conversions_document_is_400(
    client: httpx.Client, auth: dict[str, str], content: bytes, code: str
) -> None:
    headers = {**auth, "Content-Type": "application/json"}
    response = client.post(URL, content=content, headers=headers)
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == code


def test_a_body_over_the_limit_is_413(start_sandbox: StartSandbox) -> None:
    server = start_sandbox(max_body_bytes=1000)
    with httpx.Client(base_url=server.base_url) as c:
        headers = {"Authorization": f"Bearer {get_token(c)}"}
        big = guide_body(identifiers__customer_id="x" * 2000)
        response = c.post(URL, json=big, headers=headers)
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "payload-too-large"


def test_form_encoding_instead_of_json_is_415(client: httpx.Client, auth: dict[str, str]) -> None:
    response = client.post(URL, data={"data": "x"}, headers=auth)
    assert response.status_code == 415


def test_get_is_not_allowed(client: httpx.Client, auth: dict[str, str]) -> None:
    response = client.get(URL, headers=auth)
    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"


def test_reset_forgets_received_counts_and_seen_transactions(
    sandbox: SandboxServer, client: httpx.Client, auth: dict[str, str]
) -> None:
    client.post(URL, json=GUIDE_BODY, headers=auth)
    sandbox.reset()

    assert sandbox.received() == []
    assert sandbox.request_count("conversions") == 0
    assert sandbox.request_count("token") == 0
    again = client.post(URL, json=GUIDE_BODY, headers=auth).json()
    assert again["warnings"] == []  # not a duplicate any more
    assert client.get("/2026-07/advertisers/me", headers=auth).status_code == 200  # token kept


def test_admin_endpoints_read_and_reset_from_another_process(
    sandbox: SandboxServer, client: httpx.Client, auth: dict[str, str]
) -> None:
    client.post(URL, json=GUIDE_BODY, headers=auth)

    received = client.get("/_sandbox/received")
    assert received.status_code == 200
    [record] = received.json()
    assert record["order_id"] == "PS-10428"
    assert record["accepted"] is True
    assert record["body"] == json.loads(json.dumps(GUIDE_BODY))
    assert record["time"].endswith("Z")

    assert client.post("/_sandbox/reset").status_code == 200
    assert client.get("/_sandbox/received").json() == []
    assert sandbox.request_count("conversions") == 0  # admin calls are not counted


def test_received_keeps_only_the_most_recent(
    start_sandbox: StartSandbox,
) -> None:
    server = start_sandbox(max_received=2)
    with httpx.Client(base_url=server.base_url) as c:
        headers = {"Authorization": f"Bearer {get_token(c)}"}
        for order in ("A-1", "A-2", "A-3"):
            c.post(URL, json=guide_body(transaction_data__id=order), headers=headers)
    assert [r.order_id for r in server.received()] == ["A-2", "A-3"]
