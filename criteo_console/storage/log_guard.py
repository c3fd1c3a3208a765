"""Keep secrets out of the event log: redact auth headers, refuse rows that contain them."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import quote, quote_plus

REDACTED = "[redacted]"
MASK = "•••"
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)


class LeakRefused(ValueError):
    """A row would have stored a secret, token or raw email; nothing was written."""


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Header values that carry credentials become ``[redacted]`` (the auth scheme is kept)."""
    out: dict[str, str] = {}
    for name, value in headers.items():
        if name.lower() in SENSITIVE_HEADERS:
            scheme, _, rest = value.partition(" ")
            out[name] = (
                f"{scheme} {REDACTED}"
                if rest and name.lower().endswith("authorization")
                else REDACTED
            )
        else:
            out[name] = value
    return out


def _spellings(value: str) -> set[str]:
    # A secret can land in text JSON-escaped or URL-encoded (a '+' in a form body).
    return {value, json.dumps(value)[1:-1], quote(value, safe=""), quote_plus(value)}


def check_no_forbidden(fields: Mapping[str, object], forbidden: Iterable[str]) -> None:
    """Raise :class:`LeakRefused` naming the field (never the value) that holds a forbidden
    value."""
    needles = [s for value in forbidden if value for s in _spellings(value)]
    if not needles:
        return
    for name, value in fields.items():
        if value is None:
            continue
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        lowered = text.lower()
        for needle in needles:
            if needle in text or needle.lower() in lowered:
                raise LeakRefused(
                    f"Refused to log this attempt: {name} contains a client secret, access "
                    "token or raw email. Nothing was written."
                )


def redact_text(text: str, secrets: Iterable[str]) -> str:
    """For crash reports and logs: mask known secrets (as typed, JSON-escaped or URL-encoded)
    and anything shaped like an email."""
    needles = {s for value in secrets if value and len(value) >= 4 for s in _spellings(value)}
    for needle in sorted(needles, key=len, reverse=True):
        text = text.replace(needle, MASK)
    return _EMAIL.sub(f"{MASK}@{MASK}", text)


class RedactingFilter(logging.Filter):
    """A handler filter that passes every record through ``redact`` (message, arguments,
    traceback and stack) before any formatter sees it. Records are never dropped."""

    def __init__(self, redact: Callable[[str], str]) -> None:
        super().__init__()
        self._redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: keep what there is, redacted
            message = f"{record.msg} {record.args}"
        record.msg = self._redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self._redact(record.stack_info)
        return True
