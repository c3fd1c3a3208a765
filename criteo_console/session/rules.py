"""Rules the console window and the CLI must apply the same way (no Qt, no I/O).

- Whether a send creates a real conversion: decided by where it goes, never by a label.
- What "Criteo answered" means for a logged attempt, for Compare and the sidebar alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from criteo_console.core import loads_json
from criteo_console.core.destinations import summarize_any_body
from criteo_console.core.hosts import is_loopback_host
from criteo_console.core.reconcile import OrderSummary


def sends_real_conversions(base_url: str) -> bool:
    """True unless the target is on this computer (the built-in or a local sandbox).

    A profile's environment is a label a person chose; the address is what decides whether
    a conversion is created at Criteo, so the live-send confirmation follows the address.
    """
    host = urlsplit(base_url).hostname or ""
    return not is_loopback_host(host)


ANSWER_ECHO = "Criteo's answer"
ANSWER_SANDBOX = "what the sandbox received"


def answered_summary(
    record: Mapping[str, Any], received: Sequence[Mapping[str, Any]] = ()
) -> tuple[OrderSummary | None, str]:
    """The "answered" side of Compare for one attempt, and where it came from.

    Criteo's echo in the response body comes first. Without one, a record the embedded
    sandbox kept counts only if it carries this attempt's trace id and the attempt was sent
    to this computer: another attempt's record must never stand in for this one.
    """
    echoed = summarize_any_body(_loads(record.get("response_body")))
    if echoed.order_id is not None:
        return echoed, ANSWER_ECHO
    trace_id = record.get("trace_id")
    url = str(record.get("request_url") or "")
    if trace_id and url and not sends_real_conversions(url):
        for entry in received:
            if entry.get("trace_id") == trace_id:
                kept = summarize_any_body(entry.get("body"))
                if kept.order_id is not None:
                    return kept, ANSWER_SANDBOX
    return None, ""


def _loads(text: object) -> Any:
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return loads_json(text)
    except ValueError:
        return None
