"""What each of the six checks proves, in one plain line a client can read on the report."""

from __future__ import annotations

from criteo_console.core.checklist import Check

PROVES = {
    Check.TOKEN: "The advertiser's API credentials are valid: the server issued an access token.",
    Check.ADVERTISER_SCOPE: "These credentials may send conversions for this advertiser.",
    Check.EVENT_NAMING: "Each conversion carries the purchase event name and time Criteo expects.",
    Check.IDENTIFIERS: "Shoppers can be matched, and emails left this computer only as SHA-256.",
    Check.TRANSACTION_DATA: "Order id, value, currency and items are complete and well formed.",
    Check.SIGN_OFF: "The server accepted each order, and its answer agrees with the shop's order.",
}


def proves(check: Check) -> str:
    return PROVES[check]
