"""A stand-in for a shop's own Criteo integration, with the mistakes real ones make.

Plain httpx, as a staging integration would be: it gets a token, may check the advertiser
scope, and posts conversions built the way a (sometimes wrong) developer builds them.
"""

from __future__ import annotations

import hashlib
import unicodedata
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

CHECKOUT_EMAIL = "  Jane.Doe@Example.COM "
CANONICAL = "jane.doe@example.com"
VERSION = "2026-01"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


# How a shop might fill identifiers.email_sha256, keyed by the email_match code it earns.
EMAIL_MISTAKES: dict[str, str | None] = {
    "match": sha256(CANONICAL),
    "not-trimmed": sha256(CANONICAL + " "),
    "not-lowercased": sha256(CHECKOUT_EMAIL.strip()),
    "not-normalised": sha256(CHECKOUT_EMAIL),
    "md5": md5(CANONICAL),
    "sha1": hashlib.sha1(CANONICAL.encode()).hexdigest(),
    "sha256-of-md5": sha256(md5(CANONICAL)),
    "uppercase-hex": sha256(CANONICAL).upper(),
    "double-hashed": sha256(sha256(CANONICAL)),
    "raw-email": CANONICAL,
    "other-address": sha256("someone.else@example.com"),
    "missing": None,
}
assert unicodedata.is_normalized("NFC", CANONICAL)


def conversion(
    order_id: str = "SHOP-1",
    *,
    email_sha256: str | None = EMAIL_MISTAKES["match"],
    currency: str = "EUR",
    value: Any = 149.9,
    items: list[dict[str, Any]] | None = None,
    transaction_data: bool = True,
    advertiser_id: int = 1234567,
) -> dict[str, Any]:
    attributes: dict[str, Any] = {
        "advertiser_id": advertiser_id,
        "event_name": "purchase",
        "event_time": "2026-04-24T13:14:58Z",
        "identifiers": {"customer_id": "cust-1"},
    }
    if email_sha256 is not None:
        attributes["identifiers"]["email_sha256"] = email_sha256
    if transaction_data:
        attributes["transaction_data"] = {
            "id": order_id,
            "currency": currency,
            "value": value,
            "item": items
            if items is not None
            else [{"id": "SKU-1", "price": value, "quantity": 1}],
        }
    return {"data": [{"type": "Conversion", "attributes": attributes}]}


def now_timestamp(minutes_ago: float = 0) -> str:
    """An Events API timestamp (UTC, milliseconds, Z), ``minutes_ago`` before now."""
    moment = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def event(
    order_id: str = "EV-1",
    *,
    email_sha256: str | None = EMAIL_MISTAKES["match"],
    md5_form: bool = True,
    currency: str = "EUR",
    price: Any = 79.95,
    timestamp: str | None = None,
    account: str = "12345",
    mapping_key: str = "shop-caller",
) -> dict[str, Any]:
    """An Events API body (``POST /m/event?version=s2s_v0``) as a shop's server builds it."""
    email: dict[str, str] = {}
    if email_sha256 is not None:
        email["sha256"] = email_sha256
    if md5_form:
        email["md5"] = md5(CANONICAL)
    identity: dict[str, Any] = {"mapping_key": mapping_key}
    if email:
        identity["email"] = email
    return {
        "account": account,
        "site_type": "d",
        "id": identity,
        "ip": "203.0.113.7",
        "events": [
            {
                "event": "trackTransaction",
                "id": order_id,
                "currency": currency,
                "timestamp": timestamp or now_timestamp(),
                "item": [{"id": "SKU-1", "price": price, "quantity": 1}],
            }
        ],
    }


class StandInShop:
    """``token_per_request``: the classic mistake of asking for a token for every order."""

    def __init__(
        self, base_url: str, *, client_id: str = "shop-id", client_secret: str = "shop-secret-1"
    ) -> None:
        self.http = httpx.Client(base_url=base_url.rstrip("/") + "/", timeout=10)
        self.client_id = client_id
        self.client_secret = client_secret
        self.token: str | None = None

    def close(self) -> None:
        self.http.close()

    def get_token(self) -> httpx.Response:
        answer = self.http.post(
            "oauth2/token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret,
            },
        )
        if answer.status_code == 200:
            self.token = answer.json()["access_token"]
        return answer

    def check_scope(self) -> httpx.Response:
        return self.http.get(f"{VERSION}/advertisers/me", headers=self._auth())

    def send(self, body: dict[str, Any], *, new_token: bool = False) -> httpx.Response:
        if new_token or self.token is None:
            self.get_token()
        return self.http.post(f"{VERSION}/conversions", json=body, headers=self._auth())

    def send_event(
        self, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> httpx.Response:
        """The Events API: no token, the account and caller id are in the body."""
        return self.http.post("m/event?version=s2s_v0", json=body, headers=headers)

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


def drained(capture: Any) -> list[Any]:
    """The requests a capture server has recorded and reported, once it has caught up."""
    capture.drain()
    return list(capture.requests())
