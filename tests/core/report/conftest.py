"""Logged attempts as EventLog keeps them, for the report's builder, signer and renderer."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from criteo_console.core.report.document import ReportRequest
from tests.core.orders import GUIDE_ORDER
from tests.core.test_signoff import record

CRITEO_URL = "https://api.criteo.com/2025-10/conversions"
SANDBOX_URL = "http://127.0.0.1:40123/2025-10/conversions"
WHEN = datetime(2026, 11, 29, 9, 30, tzinfo=UTC)
REQUEST = ReportRequest(
    reviewer="Ana Silva",
    client="Maison Lune",
    agency="Northwind Digital",
    console_version="0.1.0",
    created_at=WHEN,
)


def advertisers_exchange(url: str, name: str = "Maison Lune FR") -> dict[str, Any]:
    return {
        "step": "advertisers",
        "method": "GET",
        "url": url.rsplit("/", 1)[0] + "/advertisers/me",
        "status": 200,
        "response_headers": {"x-criteo-trace-id": "trace-adv-1"},
        "request_body": "",
        "response_body": '{"data": [{"type": "advertiser", "id": "1234567", "attributes": '
        f'{{"advertiserName": "{name}"}}}}], "errors": [], "warnings": []}}',
    }


def attempt(order_id: str, url: str = CRITEO_URL, **changes: Any) -> dict[str, Any]:
    order = {**GUIDE_ORDER, "order_id": order_id, **changes.pop("order", {})}
    changes.setdefault("identifier_coverage", "2 of 3 identifiers (hashed email, customer id)")
    logged = record(order, request_url=url, order_id=order_id, **changes)
    logged["steps"] = [*logged["steps"], advertisers_exchange(url)]
    return logged
