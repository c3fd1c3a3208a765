"""One scripted staging checkout with every deliberate mistake, in inspect and forward mode.

The stand-in shop asks for a token per order, sends each email_match mistake, leaves out
transaction_data once, sends JPY with decimals and carries on with an expired token; the
console must name each one the same way whether it answers or Criteo (the sandbox) does.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from criteo_console.capture import CaptureConfig, CaptureMode, CaptureServer
from criteo_console.sandbox import SandboxConfig, SandboxServer
from criteo_console.storage.event_log import EventLog, LogFilter
from tests.capture.shop import (
    CHECKOUT_EMAIL,
    EMAIL_MISTAKES,
    StandInShop,
    conversion,
    drained,
)


@pytest.fixture(params=["inspect", "forward"])
def setup(
    request: pytest.FixtureRequest, event_log: EventLog
) -> Iterator[tuple[CaptureServer, StandInShop, SandboxServer | None]]:
    if request.param == "inspect":
        with CaptureServer(
            CaptureConfig(), event_log=event_log, checkout_email=CHECKOUT_EMAIL
        ) as c:
            shop = StandInShop(c.base_url)
            yield c, shop, None
            shop.close()
        return
    with SandboxServer(SandboxConfig()) as sandbox:
        config = CaptureConfig(mode=CaptureMode.FORWARD, forward_url=sandbox.base_url)
        with CaptureServer(config, event_log=event_log, checkout_email=CHECKOUT_EMAIL) as c:
            shop = StandInShop(c.base_url, client_id="sandbox-client",
                               client_secret=SandboxConfig().client_secret)  # fmt: skip
            yield c, shop, sandbox
            shop.close()


def test_every_deliberate_mistake_is_named(
    setup: tuple[CaptureServer, StandInShop, SandboxServer | None], event_log: EventLog
) -> None:
    capture, shop, sandbox = setup
    for number, digest in enumerate(EMAIL_MISTAKES.values()):
        shop.send(conversion(f"E-{number}", email_sha256=digest), new_token=True)
    shop.send(conversion("NO-TX", transaction_data=False), new_token=True)
    shop.send(conversion("JP-1", currency="JPY", value=1500.5), new_token=True)
    if sandbox is None:
        capture.expire_tokens()
    else:
        sandbox.expire_tokens()
    expired = shop.send(conversion("LATE"))

    conversions = [r for r in drained(capture) if r.kind == "conversion"]
    by_order = {r.order_id: r for r in conversions}
    by_order["NO-TX"] = conversions[len(EMAIL_MISTAKES)]  # no transaction_data: no order id
    for number, code in enumerate(EMAIL_MISTAKES):
        seen = by_order[f"E-{number}"]
        assert seen.email_match is not None and seen.email_match.code.value == code
    assert [i.code for i in by_order["NO-TX"].issues] == ["transaction-data-missing"]
    assert by_order["NO-TX"].status == 400
    jpy = [i.code for i in by_order["JP-1"].issues]
    assert jpy == ["value-too-many-decimals", "item-price-too-many-decimals"]
    assert by_order["JP-1"].status == 400
    assert expired.status_code == 401
    assert "expired token" in str(by_order["LATE"].token_note)
    assert any("A new token for every conversion" in str(r.token_note) for r in conversions)
    raw = by_order["E-9"]  # raw-email: refused here, whichever the mode
    assert raw.status == 400 and not raw.forwarded
    if sandbox is not None:
        assert "E-9" not in {r.order_id for r in sandbox.received()}
        assert "E-0" in {r.order_id for r in sandbox.received()}
    recorded = event_log.page(limit=100, filters=LogFilter(source="shop"))
    assert len(recorded) == len(conversions) == len(EMAIL_MISTAKES) + 3
    assert {a.order_id for a in recorded} == {r.order_id for r in conversions}
