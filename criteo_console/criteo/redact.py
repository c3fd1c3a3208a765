"""Keep the client secret and access tokens out of everything the client hands back or logs.

The rule, by where a secret can appear:

* Known fields are masked whatever their value, even one character: the ``client_secret``
  form field and JSON field, the ``access_token``/``refresh_token``/``id_token`` JSON fields,
  and the Authorization, Proxy-Authorization, Cookie and Set-Cookie headers.
* Anywhere else (free text: an error message echoing what it was sent) a secret is masked
  raw and form-encoded when it is at least ``MIN_FREE_TEXT`` characters long. A shorter one
  cannot be told from ordinary text: masking "e" would turn "Criteo" into "Crit•••o" and
  the masks themselves would reveal the secret.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import quote_plus

MASK = "•••"
MIN_FREE_TEXT = 4

# Token-shaped fields a response or form may carry, whatever their value.
_SECRET_JSON_FIELD = re.compile(
    r'("(?:access_token|refresh_token|id_token|client_secret)"\s*:\s*)"(?:[^"\\]|\\.)*"'
)
_SECRET_FORM_FIELD = re.compile(r"((?:^|&)client_secret=)[^&]*")
_SENSITIVE_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})


class Secret:
    """A string that refuses to show itself in repr/str/format (tracebacks, f-strings, logs)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK})"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


def expand_secrets(values: Iterable[str]) -> tuple[str, ...]:
    """Each secret as it may appear: raw and form-encoded (computed once, used per request)."""
    out: list[str] = []
    for value in values:
        if len(value) < MIN_FREE_TEXT:  # see the module docstring
            continue
        out.append(value)
        encoded = quote_plus(value)
        if encoded != value:
            out.append(encoded)
    return tuple(out)


def mask_text(text: str, expanded: tuple[str, ...]) -> str:
    """Mask secrets prepared by ``expand_secrets`` and token-shaped JSON/form fields."""
    for value in expanded:
        if value in text:
            text = text.replace(value, MASK)
    if '_token"' in text or 'client_secret"' in text:
        text = _SECRET_JSON_FIELD.sub(rf'\1"{MASK}"', text)
    if "client_secret=" in text:
        text = _SECRET_FORM_FIELD.sub(rf"\1{MASK}", text)
    return text


def redact_text(text: str, secrets: Iterable[str]) -> str:
    """Mask every known secret value (raw and form-encoded) and token-shaped fields."""
    return mask_text(text, expand_secrets(secrets))


def redact_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    out: dict[str, str] = {}
    for name, value in items:
        lower = name.lower()
        if lower in _SENSITIVE_HEADERS:
            scheme = value.split(" ", 1)[0] if " " in value else ""
            out[lower] = f"{scheme} {MASK}" if scheme else MASK
        else:
            out[lower] = value
    return out
