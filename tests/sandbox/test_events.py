"""The sandbox's Events API: POST /m/event?version=s2s_v0, errors inside a 200, a 307 to a
regional path, and its faults, over real loopback with plain httpx."""

from __future__ import annotations

import copy
import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from criteo_console.sandbox import FAULT_HEADER, SandboxServer

URL = "/m/event?version=s2s_v0"
MD5 = hashlib.md5(b"john.doe@example.com").hexdigest()


def _now(minutes_ago: float = 0) -> str:
    moment = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


BODY: dict[str, Any] = {
    "account": "12345",
    "site_type": "d",
    "id": {
        "mapping_key": "sandbox-caller",
        "mapped_user_id": "d0f3a1c2e4b5",
        "email": {
            "sha256": hashlib.sha256(b"john.doe@example.com").hexdigest(),
            "md5": MD5,
            "sha256_md5": hashlib.sha256(MD5.encode()).hexdigest(),
        },
    },
    "ip": "81.2.69.160",
    "useragent": "Mozilla/5.0",
    "full_url": "https://shop.example/thanks",
    "events": [
        {
            "event": "trackTransaction",
            "id": "PS-10428",
            "currency": "EUR",
            "timestamp": "",
            "item": [{"id": "SKU-BLK-42", "price": 79.95, "quantity": 1}],
        }
    ],
}


def body(**changes: Any) -> dict[str, Any]:
    """BODY with a fresh timestamp; ``a__b=...`` changes a nested key, ``...`` removes it."""
    out = copy.deepcopy(BODY)
    out["events"][0]["timestamp"] = _now()
    for dotted, value in changes.items():
        *parents, last = dotted.split("__")
        target: Any = out
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target[part]
        if value is ...:
            del target[last]
        else:
            target[last] = value
    return out


def codes(response: httpx.Response, kind: str = "errors") -> set[tuple[str, str]]:
    return {(e["code"], e.get("source", {}).get("pointer", "")) for e in response.json()[kind]}


def test_a_good_event_is_taken_and_kept(client: httpx.Client, sandbox: SandboxServer) -> None:
    response = client.post(URL, json=body())

    assert response.status_code == 200
    assert response.json() == {"errors": [], "warnings": []}
    assert sandbox.request_count("events") == 1
    kept = sandbox.find_received("PS-10428")
    assert len(kept) == 1 and kept[0].accepted and kept[0].endpoint == "events"
    assert kept[0].advertiser_id == 12345 and kept[0].version == "s2s_v0"


@pytest.mark.parametrize(
    ("changes", "code", "where"),
    [
        ({"account": "999"}, "unknown-account", "/account"),
        ({"account": ...}, "missing-field", "/account"),
        ({"site_type": "desktop"}, "invalid-site-type", "/site_type"),
        ({"id__mapping_key": "someone-else"}, "unknown-mapping-key", "/id/mapping_key"),
        ({"id__mapping_key": ...}, "missing-mapping-key", "/id/mapping_key"),
        ({"id__mapped_user_id": ..., "id__email": ...}, "user-identifier-missing", "/id"),
        ({"id__email__md5": "John@x.com"}, "raw-email-not-allowed", "/id/email/md5"),
        ({"id__email__sha256": "ABC"}, "invalid-hash", "/id/email/sha256"),
        ({"ip": "not-an-ip"}, "invalid-ip", "/ip"),
        ({"events__0__event": "purchase"}, "unknown-event", "/events/0/event"),
        ({"events__0__timestamp": "2026-04-24 13:14"}, "invalid-timestamp", "/events/0/timestamp"),
        ({"events__0__currency": "EURO"}, "invalid-currency", "/events/0/currency"),
        ({"events__0__item__0__quantity": 0}, "invalid-quantity", "/events/0/item/0/quantity"),
        ({"events__0__item__0__price": 1.234}, "invalid-price", "/events/0/item/0/price"),
        ({"advertiser_id": 1}, "unknown-field", "/advertiser_id"),
    ],
)
def test_each_broken_rule_is_an_error_inside_a_200(
    client: httpx.Client, sandbox: SandboxServer, changes: dict[str, Any], code: str, where: str
) -> None:
    response = client.post(URL, json=body(**changes))

    assert response.status_code == 200  # a 200 is not proof: the body says it was refused
    assert (code, where) in codes(response)
    assert not sandbox.received()[-1].accepted
    assert "John@x.com" not in response.text


def test_an_old_event_or_a_lone_sha256_is_taken_with_a_warning(client: httpx.Client) -> None:
    old = body(events__0__timestamp=_now(minutes_ago=60), id__email__md5=...)
    response = client.post(URL, json={**old, "id": {**old["id"], "email": {"sha256": "a" * 64}}})

    assert response.status_code == 200 and response.json()["errors"] == []
    assert {c for c, _ in codes(response, "warnings")} == {"event-too-old", "email-md5-missing"}


def test_the_version_and_method_are_checked(client: httpx.Client) -> None:
    assert client.post("/m/event?version=s2s_v9", json=body()).status_code == 400
    assert client.get(URL).status_code == 405
    assert (
        client.post(URL, content=b"{", headers={"Content-Type": "application/json"}).json()[
            "errors"
        ][0]["code"]
        == "invalid-json"
    )


def test_redirect_fault_sends_a_307_to_a_regional_path_on_the_same_sandbox(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    first = client.post(URL, json=body(), headers={FAULT_HEADER: "redirect"})

    assert first.status_code == 307
    location = first.headers["location"]
    assert location == f"{sandbox.base_url}/eu/m/event?version=s2s_v0"
    assert sandbox.received() == []  # a redirect is not a reception

    second = client.post(location, json=body(), headers={FAULT_HEADER: "redirect"})
    assert second.status_code == 200 and second.json()["errors"] == []
    assert sandbox.received()[-1].accepted


def test_redirect_applies_to_the_events_api_only(client: httpx.Client) -> None:
    response = client.post("/2026-01/conversions", json={}, headers={FAULT_HEADER: "redirect"})
    assert response.status_code != 307


@pytest.mark.parametrize(("fault", "status"), [("errors-in-200", 200), ("server-error", 503)])
def test_faults_answer_the_events_api(
    client: httpx.Client, sandbox: SandboxServer, fault: str, status: int
) -> None:
    response = client.post(URL, json=body(), headers={FAULT_HEADER: fault})

    assert response.status_code == status
    assert response.json()["errors"]
    assert not sandbox.received()[-1].accepted


def test_drop_fault_cuts_the_connection(client: httpx.Client, sandbox: SandboxServer) -> None:
    with pytest.raises(httpx.RemoteProtocolError):
        client.post(URL, json=body(), headers={FAULT_HEADER: "drop-connection"})
    assert sandbox.received()[-1].status is None


def test_queued_faults_reach_the_events_endpoint(
    client: httpx.Client, sandbox: SandboxServer
) -> None:
    sandbox.queue_fault("redirect", endpoint="events")
    assert client.post(URL, json=body()).status_code == 307
    assert client.post(URL, json=body()).status_code == 200
