"""The one redaction pass: what is masked before anything is shown, logged or stored.

Used by the client (every exchange, explanation and problem it hands back), the event log
(every row written or imported) and the console's log file and crash reports.

What is masked, by where it can appear:

* Known values (client secrets, every access token seen this run), as typed, JSON-escaped
  and URL-encoded, in any letter case, when at least ``MIN_FREE_TEXT`` characters long; and
  (emails aside) their first ``MIN_CUT_OFF`` or more characters at the very end of a text
  cut short. A shorter value cannot be told from ordinary text: masking "e" would turn
  "Criteo" into "Crit•••o" and the masks themselves would reveal the secret.
* Token-shaped fields whatever their value, also when the text is cut off before the
  value's closing quote: ``access_token``/``refresh_token``/``id_token``/``client_secret``
  as JSON, form or ``name=value`` fields, and ``Bearer``/``Basic`` credentials.
* Email addresses, found by a linear scan around each ``@`` (a regular expression would be
  quadratic on long runs of letters).

``find_leak`` answers, with the same rules, whether a text still holds something that must
not be stored; ``redact`` output never does.
"""

from __future__ import annotations

import json
import logging
import re
import string
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from urllib.parse import quote, quote_plus

MASK = "•••"
HEADER_MASK = "[redacted]"
EMAIL_MASK = f"{MASK}@{MASK}"
MIN_FREE_TEXT = 4
MIN_CUT_OFF = 8  # a text ending in this much of a known value was cut off inside it
SENSITIVE_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"}
)
_MASKED_VALUES = frozenset({"", MASK, HEADER_MASK})
_PUNCTUATION = frozenset(string.punctuation)
# An escape not itself escaped (an even run of backslashes before it).
_JSON_ESCAPE = re.compile(
    r"(?<!\\)((?:\\\\)*)\\(?:u([0-9a-fA-F]{4})(?:\\u([dD][c-fC-F][0-9a-fA-F]{2}))?|/)"
)
_ESCAPED_BULLET = re.compile(r"\\+u2022", re.IGNORECASE)  # the mask inside (nested) JSON

# A token-shaped field: its name, then the separator (quotes, possibly JSON-escaped, and
# ":" or "="), then the value up to its end, or to the end of the text when it is cut off.
# A JSON escape of a quote, a blank or a control character ends the value, as they would.
_TOKEN_FIELD = re.compile(
    r"(?i)(?<![\w-])((?:access|refresh|id)_token|client_secret)"
    r"((?:\\*[\"'])?\s*(?::\s*|=)(?:\\*[\"'])?)"
    r"((?:[^\"'\\&\s,;}<\]]|\\(?![\"'nrtbf\s\\]|u00[01])[\s\S])*)"
)
# A credential after an auth scheme (see _looks_like_credential: "the bearer authentication"
# is left alone).
_CREDENTIAL = re.compile(r"(?i)\b(bearer|basic)(\s+)([A-Za-z0-9\-._~+/]{12,}=*)")
_EMAIL_LOCAL_EXTRA = frozenset(".+-_%")
_AT_SIGN = re.compile(r"@|%40")
_EMAIL_DOMAIN_EXTRA = frozenset(".-_")


class LeakRefused(ValueError):
    """A row would have stored a secret, token or raw email; nothing was written.
    ``field`` names the column, ``what`` says what was found (never the value)."""

    def __init__(self, field: str, what: str) -> None:
        super().__init__(
            f"Refused to log this attempt: {field} contains {what}. Nothing was written."
        )
        self.field = field
        self.what = what


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


def spellings(value: str) -> list[str]:
    """How a secret can land in text: as typed, JSON-escaped, URL- and form-encoded."""
    if len(value) < MIN_FREE_TEXT:  # see the module docstring
        return []
    forms = [value, json.dumps(value)[1:-1], quote(value, safe=""), quote_plus(value)]
    return list(dict.fromkeys(forms))


class Redactor:
    """Masks the known values it is given (newest first) and everything shaped like a
    secret or an email. Callable: ``redactor(text)``."""

    def __init__(self, values: Iterable[str] = ()) -> None:
        self._values: list[str] = []
        self._needles: list[tuple[str, re.Pattern[str]]] = []
        self._cut_needles: list[str] = []
        self.add(*values)

    def add(self, *values: str) -> None:
        """Remember more values to mask (a secret, a token just issued)."""
        fresh = [v for v in values if v and v not in self._values]
        if not fresh:
            return
        self._values = [*fresh, *self._values]
        forms = {form for value in self._values for form in spellings(value)}
        # Longest first, so a value's encoded form is not half-masked by a shorter one.
        ordered = sorted(forms, key=len, reverse=True)
        self._needles = [(f.lower(), re.compile(re.escape(f), re.IGNORECASE)) for f in ordered]
        # A cut-off email is no longer an email (and "john.doe" may be a customer id).
        self._cut_needles = [n for n, _ in self._needles if "@" not in n and "%40" not in n]

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(self._values)

    def __call__(self, text: str) -> str:
        return redact(text, self)

    def known_value_in(self, text: str) -> bool:
        lowered = text.lower()
        return any(needle in lowered for needle, _ in self._needles) or bool(
            self._cut_off_at_end(lowered)
        )

    def mask_known(self, text: str) -> str:
        lowered = text.lower()
        for needle, pattern in self._needles:
            if needle in lowered:
                text = pattern.sub(MASK, text)
                lowered = text.lower()
        cut = self._cut_off_at_end(lowered)
        return text[: len(text) - cut] + MASK if cut else text

    def _cut_off_at_end(self, lowered: str) -> int:
        """How many final characters start a known value (an answer cut off inside it)."""
        longest = 0
        for needle in self._cut_needles:
            if needle[:MIN_CUT_OFF] not in lowered[-len(needle) :]:
                continue
            for size in range(min(len(needle) - 1, len(lowered)), MIN_CUT_OFF - 1, -1):
                if size <= longest:
                    break
                if lowered.endswith(needle[:size]):
                    longest = size
                    break
        return longest


_NO_VALUES = Redactor()


def redact(text: str, known: Redactor = _NO_VALUES) -> str:
    """``text`` with known values, token-shaped fields, credentials and emails masked."""
    text = known.mask_known(unescape_json(text))
    lowered = text.lower()
    if "_token" in lowered or "client_secret" in lowered:
        text = _TOKEN_FIELD.sub(_mask_field, text)
    if "bearer" in lowered or "basic" in lowered:
        text = _CREDENTIAL.sub(_mask_credential, text)
    return mask_emails(text)


def redact_text(text: str, secrets: Iterable[str]) -> str:
    """One-off: ``redact`` with these secret values (for crash reports and log lines)."""
    return redact(text, Redactor(secrets))


def find_leak(text: str, known: Redactor = _NO_VALUES) -> str | None:
    """What in ``text`` must not be stored, in plain words, or None. Never the value."""
    text = unescape_json(text)
    if known.known_value_in(text):
        return "a client secret or access token"
    for match in _TOKEN_FIELD.finditer(text):
        if not _is_masked(match.group(3)):
            return f"an unmasked {match.group(1).lower()}"
    for match in _CREDENTIAL.finditer(text):
        if _looks_like_credential(match.group(3)):
            return f"a {match.group(1).capitalize()} credential"
    if next(_email_spans(text), None) is not None:
        return "a raw email address"
    return None


def unescape_json(text: str) -> str:
    """JSON escapes (``\\u0040``, ``\\/``) written as the characters they stand for, where
    that keeps the JSON valid: an email or token spelled with escapes is then recognised."""
    if "\\" not in text:
        return text
    return _JSON_ESCAPE.sub(_unescape_one, text)


def _unescape_one(match: re.Match[str]) -> str:
    pairs, code, low = match.group(1), match.group(2), match.group(3)
    if code is None:
        return pairs + "/"
    point = int(code, 16)
    if 0xD800 <= point <= 0xDBFF and low is not None:  # a surrogate pair: one character
        return pairs + chr(0x10000 + ((point - 0xD800) << 10) + (int(low, 16) - 0xDC00))
    char = chr(point)
    if point < 0x20 or char in '"\\' or 0xD800 <= point <= 0xDFFF:
        return match.group(0)
    return pairs + char + (f"\\u{low}" if low else "")


def token_field_values(text: str) -> list[str]:
    """The values of token-shaped fields in ``text`` (also cut-off ones), to remember."""
    return [m.group(3) for m in _TOKEN_FIELD.finditer(text) if not _is_masked(m.group(3))]


def check_fields(
    fields: Mapping[str, object],
    known: Redactor = _NO_VALUES,
    *,
    names: Collection[str] = (),
) -> None:
    """Raise :class:`LeakRefused` naming the field (never the value) that holds a leak.
    Fields in ``names`` (names the user chose, such as a profile's) are checked for known
    values only: "client@agency.com" may be a profile's name."""
    for name, value in fields.items():
        if value is None or isinstance(value, int | float):
            continue
        text = (
            value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
        )
        what = (
            ("a client secret or access token" if known.known_value_in(text) else None)
            if name in names
            else find_leak(text, known)
        )
        if what is not None:
            raise LeakRefused(name, what)


def redact_headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    """Header values that carry credentials become ``[redacted]`` (an auth scheme is kept);
    other values go through ``redact``. Names keep their case."""
    items = headers.items() if isinstance(headers, Mapping) else headers
    out: dict[str, str] = {}
    for name, value in items:
        lower = name.lower()
        if lower in SENSITIVE_HEADERS:
            scheme, _, rest = value.partition(" ")
            out[name] = (
                f"{scheme} {HEADER_MASK}"
                if rest and lower.endswith("authorization")
                else HEADER_MASK
            )
        else:
            out[name] = redact(value)
    return out


def mask_emails(text: str) -> str:
    if "@" not in text and "%40" not in text:
        return text
    parts: list[str] = []
    last = 0
    for start, end in _email_spans(text):
        parts.append(text[last:start])
        parts.append(EMAIL_MASK)
        last = end
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


def _email_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each email address, "@" also URL-encoded; linear in ``len(text)``:
    each character is looked at from at most one "@" on each side (a local part or a domain
    never holds another "@", so no scan crosses one)."""
    # Not core.identifiers.contains_email: that one answers whether text is loosely
    # email-shaped (an input check); this one finds spans to mask, "%40" included.
    signs = [(m.start(), m.end()) for m in _AT_SIGN.finditer(text)]
    floor = 0  # no span may start before the end of the previous one
    for index, (at, after) in enumerate(signs):
        if at < floor:
            continue
        back_limit = max(floor, signs[index - 1][1] if index else 0)
        ahead_limit = signs[index + 1][0] if index + 1 < len(signs) else len(text)
        start = at
        while start > back_limit and _in(text[start - 1], _EMAIL_LOCAL_EXTRA):
            start -= 1
        if start > back_limit and text[start - 1] == "\\":
            # The local part begins inside a JSON escape (\n, \u001f): it starts after it.
            start += 5 if text[start] == "u" else 1
        end = after
        while end < ahead_limit and _in(text[end], _EMAIL_DOMAIN_EXTRA):
            end += 1
        domain = text[after:end].rstrip(".-")
        end = after + len(domain)
        local = text[start:at].strip(".")
        if local and "." in domain.strip(".") and not domain.startswith("."):
            yield start, end
            floor = end


def _in(char: str, extra: frozenset[str]) -> bool:
    return char.isalnum() or char in extra


def _is_masked(value: str) -> bool:
    """Masked already, or nothing that could be a secret (only punctuation or blanks)."""
    if all(c.isspace() or c in _PUNCTUATION for c in value):
        return True
    return value in _MASKED_VALUES or _ESCAPED_BULLET.sub("•", value) in _MASKED_VALUES


def _mask_field(match: re.Match[str]) -> str:
    if _is_masked(match.group(3)):
        return match.group(0)
    return f"{match.group(1)}{match.group(2)}{MASK}"


def _mask_credential(match: re.Match[str]) -> str:
    if not _looks_like_credential(match.group(3)):
        return match.group(0)
    return f"{match.group(1)}{match.group(2)}{MASK}"


def _looks_like_credential(value: str) -> bool:
    # Not an English word after "Bearer": a digit, a capital inside, or very long.
    return len(value) >= 24 or any(c.isdigit() or c.isupper() for c in value[1:])


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
