"""Inspect mode: the stand-in shop's requests are answered as Criteo would, judged, recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from criteo_console.capture import CaptureServer
from criteo_console.core.signoff import evaluate_signoff
from criteo_console.storage.event_log import EventLog, LogFilter
from tests.capture.shop import (
    CANONICAL,
    CHECKOUT_EMAIL,
    EMAIL_MISTAKES,
    StandInShop,
    conversion,
    drained,
)


def last(capture: CaptureServer) -> dict[str, object]:
    return drained(capture)[-1].as_json()


@pytest.mark.parametrize("code", list(EMAIL_MISTAKES))
def test_each_email_mistake_is_named(
    code: str, capture: CaptureServer, shop: StandInShop, event_log: EventLog
) -> None:
    answer = shop.send(conversion(email_sha256=EMAIL_MISTAKES[code]))
    seen = last(capture)
    assert seen["kind"] == "conversion"
    assert seen["email_match"] == code
    assert seen["status"] == answer.status_code
    if code in ("match", "missing"):
        assert answer.status_code == 200
    if code == "match":
        assert seen["verdict"] == "ok"
    else:
        assert seen["verdict"] in ("warning", "error")


def test_a_correct_checkout_is_accepted_recorded_as_the_shops_and_signs_off(
    capture: CaptureServer, shop: StandInShop, event_log: EventLog
) -> None:
    capture.set_checkout_order(
        {"order_id": "SHOP-1", "value": "149.90", "currency": "EUR",
         "items": [{"id": "SKU-1", "price": "149.90", "quantity": 1}]}
    )  # fmt: skip
    assert shop.get_token().status_code == 200
    assert shop.check_scope().status_code == 200
    answer = shop.send(conversion())
    assert answer.status_code == 200
    assert answer.json()["data"][0]["attributes"]["transaction_data"]["id"] == "SHOP-1"
    kinds = [r.kind for r in drained(capture)]
    assert kinds == ["token", "scope", "conversion"]
    seen = last(capture)
    assert (seen["verdict"], seen["issues"], seen["order_id"]) == ("ok", [], "SHOP-1")

    (attempt,) = event_log.page(filters=LogFilter(source="shop"))
    assert attempt.id == seen["attempt_id"]
    assert (attempt.state, attempt.http_status, attempt.order_id) == ("accepted", 200, "SHOP-1")
    signoff = evaluate_signoff(attempt.to_dict())
    assert signoff.passed, [line.detail for line in signoff.lines]
    assert signoff.reconciliation.all_match
    assert event_log.count(LogFilter(source="console")) == 0


def test_missing_transaction_data_and_jpy_decimals_get_the_cores_codes(
    capture: CaptureServer, shop: StandInShop
) -> None:
    answer = shop.send(conversion(transaction_data=False))
    assert answer.status_code == 400  # answered as Criteo would
    assert [i["code"] for i in last(capture)["issues"]] == ["transaction-data-missing"]  # type: ignore[index]

    shop.send(conversion("JP-1", currency="JPY", value=1500.5))
    codes = [i["code"] for i in last(capture)["issues"]]  # type: ignore[index]
    assert codes == ["value-too-many-decimals", "item-price-too-many-decimals"]
    assert last(capture)["verdict"] == "error"


def test_a_token_per_conversion_is_called_out(capture: CaptureServer, shop: StandInShop) -> None:
    shop.send(conversion("A"), new_token=True)
    assert "A new token for every" not in str(last(capture)["token"])
    shop.send(conversion("B"), new_token=True)
    note = str(last(capture)["token"])
    assert "A new token for every conversion" in note
    assert last(capture)["verdict"] == "warning"
    shop.send(conversion("C"))  # now the token is kept: no warning
    assert "use 2" in str(last(capture)["token"])


def test_an_expired_token_then_a_refresh(capture: CaptureServer, shop: StandInShop) -> None:
    shop.send(conversion("A"))
    capture.expire_tokens()
    answer = shop.send(conversion("B"))
    assert answer.status_code == 401
    seen = last(capture)
    assert "expired token" in str(seen["token"]) and seen["verdict"] == "error"
    assert shop.get_token().status_code == 200
    assert "refresh seen" in str(last(capture)["summary"])
    assert shop.send(conversion("B")).status_code == 200
    assert "refresh works" in str(last(capture)["token"])


def test_a_raw_email_is_refused_not_forwarded_and_stored_redacted(
    capture: CaptureServer, shop: StandInShop, event_log: EventLog
) -> None:
    body = conversion()
    body["data"][0]["attributes"]["identifiers"]["customer_id"] = "Jane.Doe@Example.COM"
    answer = shop.send(body)
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["code"] == "personal-data-in-clear"
    assert "@" not in answer.text  # the value is never echoed
    assert capture.sandbox is not None and capture.sandbox.received() == []
    attempt = event_log.get(int(last(capture)["attempt_id"]))  # type: ignore[arg-type]
    assert attempt is not None and attempt.state == "rejected"
    assert "[email removed]" in (attempt.request_body or "")
    event_log.close()
    stored = b"".join(p.read_bytes() for p in Path(event_log.path).parent.glob("log.sqlite3*"))
    for secret in (CANONICAL, CHECKOUT_EMAIL.strip(), "Jane.Doe@Example.COM", "shop-secret-1"):
        assert secret.encode() not in stored
    assert shop.token is not None and shop.token.encode() not in stored


def test_bad_input_gets_a_4xx_and_the_endpoint_keeps_working(
    capture: CaptureServer, shop: StandInShop
) -> None:
    http = shop.http
    shop.get_token()
    http.headers["Authorization"] = f"Bearer {shop.token}"
    json_type = {"Content-Type": "application/json"}

    def client_error(status: int) -> bool:
        return 400 <= status < 500

    assert client_error(
        http.post("2026-01/conversions", content=b"{not json", headers=json_type).status_code
    )
    assert last(capture)["issues"][0]["code"] == "body-not-json"  # type: ignore[index]
    assert client_error(http.post("2026-01/conversions", content=b"\xff\xfe\x00").status_code)
    big = b"{" + b" " * (capture.config.max_body_bytes + 1) + b"}"
    assert http.post("2026-01/conversions", content=big).status_code == 413
    assert http.get("wp-admin").status_code == 404
    assert last(capture)["kind"] == "other"
    assert http.post("oauth2/token", content=b"grant_type=password").status_code == 400
    assert client_error(http.request("DELETE", "2026-01/conversions").status_code)
    assert client_error(http.post("2026-01/conversions", json=[[[[[[1]]]]]] * 3).status_code)
    deep = b"[" * 100_000 + b"]" * 100_000
    assert client_error(
        http.post("2026-01/conversions", content=deep, headers=json_type).status_code
    )
    chunks = iter([b'{"data": ', b"[]}"])
    assert client_error(http.post("2026-01/conversions", content=chunks).status_code)
    assert all(r.status >= 400 for r in drained(capture)[1:])
    assert shop.send(conversion()).status_code == 200  # still serving


def test_requests_beyond_the_rate_limit_get_429(event_log: EventLog) -> None:
    from criteo_console.capture import CaptureConfig

    with CaptureServer(CaptureConfig(rate_limit=3)) as capture:
        shop = StandInShop(capture.base_url)
        statuses = [shop.http.get("2026-01/advertisers/me").status_code for _ in range(5)]
        shop.close()
    assert statuses[:3] == [401, 401, 401] and statuses[3:] == [429, 429]


def test_beyond_this_computer_every_path_needs_the_key() -> None:
    from criteo_console.capture import CaptureConfig

    assert CaptureServer(CaptureConfig(host="192.0.2.10")).key is not None
    assert CaptureServer(CaptureConfig(host="127.0.0.1")).key is None
    with CaptureServer(CaptureConfig(require_key=True)) as capture:
        assert capture.key and capture.base_url.endswith(f"/{capture.key}/")
        root = capture.base_url.split(capture.key)[0]
        shop = StandInShop(root)
        assert shop.get_token().status_code == 404
        assert drained(capture) == []  # not recorded
        keyed = StandInShop(capture.base_url)
        assert keyed.get_token().status_code == 200
        assert keyed.send(conversion()).status_code == 200
        shop.close()
        keyed.close()
    assert [r.kind for r in drained(capture)] == ["token", "conversion"]


def test_a_body_nested_just_below_the_parsers_limit_is_a_4xx(
    capture: CaptureServer, shop: StandInShop
) -> None:
    shop.get_token()
    nested = b'{"data": ' + b"[" * 900 + b"]" * 900 + b"}"
    answer = shop.http.post(
        "2026-01/conversions",
        content=nested,
        headers={"Authorization": f"Bearer {shop.token}", "Content-Type": "application/json"},
    )
    assert 400 <= answer.status_code < 500


def test_an_email_written_with_json_escapes_is_still_refused_and_never_stored(
    capture: CaptureServer, shop: StandInShop, event_log: EventLog
) -> None:
    shop.get_token()
    escaped = conversion("ESC-1")
    text = json.dumps(escaped).replace('"cust-1"', '"jane.doe\\u0040example.com"')
    answer = shop.http.post(
        "2026-01/conversions",
        content=text.encode(),
        headers={"Authorization": f"Bearer {shop.token}", "Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    attempt = event_log.get(int(last(capture)["attempt_id"]))  # type: ignore[arg-type]
    assert attempt is not None and "[email removed]" in (attempt.request_body or "")
    assert "u0040example" not in (attempt.request_body or "")
