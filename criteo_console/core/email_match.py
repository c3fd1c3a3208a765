"""Does the hashed email a shop sent belong to the address used at the test checkout?

The checkout address lives only in the caller's memory; nothing here returns or formats it.
When the digest does not match, the usual hashing mistakes are tried one by one so the
marketer can tell the developer which one the shop makes.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum

from criteo_console.core.identifiers import contains_email


class EmailMatchCode(StrEnum):
    MATCH = "match"
    NOT_TRIMMED = "not-trimmed"
    NOT_LOWERCASED = "not-lowercased"
    NOT_NORMALISED = "not-normalised"
    MD5 = "md5"
    SHA1 = "sha1"
    SHA256_OF_MD5 = "sha256-of-md5"
    UPPERCASE_HEX = "uppercase-hex"
    DOUBLE_HASHED = "double-hashed"
    RAW_EMAIL = "raw-email"
    OTHER_ADDRESS = "other-address"
    MISSING = "missing"


_RIGHT_WAY = "the SHA-256 of the address trimmed and lower-cased, as 64 lower-case hex characters"

EMAIL_MATCH_MESSAGES: dict[EmailMatchCode, str] = {
    EmailMatchCode.MATCH: (
        "The hashed email matches the checkout address: the shop trims, lower-cases and "
        "hashes it exactly as Criteo expects."
    ),
    EmailMatchCode.NOT_TRIMMED: (
        "The shop hashes the address without removing the spaces around it. Trim the address "
        f"before hashing: send {_RIGHT_WAY}."
    ),
    EmailMatchCode.NOT_LOWERCASED: (
        "The shop hashes the address before lower-casing it. Lower-case the address before "
        f"hashing: send {_RIGHT_WAY}."
    ),
    EmailMatchCode.NOT_NORMALISED: (
        "The shop hashes the address exactly as typed: neither trimmed nor lower-cased (or "
        f"with accents left decomposed). Send {_RIGHT_WAY}."
    ),
    EmailMatchCode.MD5: (
        f"The shop sends an MD5 hash of the address. Criteo needs SHA-256: send {_RIGHT_WAY}."
    ),
    EmailMatchCode.SHA1: (
        f"The shop sends a SHA-1 hash of the address. Criteo needs SHA-256: send {_RIGHT_WAY}."
    ),
    EmailMatchCode.SHA256_OF_MD5: (
        "The shop hashes the address twice: first with MD5, then the MD5 with SHA-256. Hash it "
        f"once: send {_RIGHT_WAY}."
    ),
    EmailMatchCode.UPPERCASE_HEX: (
        "The shop writes the SHA-256 hash in capital letters. Send the same hash in lower-case "
        "(0-9 and a-f)."
    ),
    EmailMatchCode.DOUBLE_HASHED: (
        "The shop hashes the address with SHA-256 twice (the hash of the hash). Hash it once: "
        f"send {_RIGHT_WAY}."
    ),
    EmailMatchCode.RAW_EMAIL: (
        "The shop sends the email address itself instead of its hash, which exposes personal "
        f"data. Never send it unhashed: send {_RIGHT_WAY}."
    ),
    EmailMatchCode.OTHER_ADDRESS: (
        "The hashed email does not belong to the checkout address, and no usual hashing "
        "mistake explains it. Check the address typed here, and whether the shop hashes "
        "another address (the account's instead of the order's, for example)."
    ),
    EmailMatchCode.MISSING: (
        "The shop sends no hashed email, so Criteo can match the sale to fewer shoppers. Add "
        f"identifiers.email_sha256: {_RIGHT_WAY}."
    ),
}


@dataclass(frozen=True, slots=True)
class EmailMatch:
    code: EmailMatchCode
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code.value, "message": self.message}


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


# Whitespace a form or a template commonly leaves around an address.
_PADDINGS = ("", " ", "\n", "\r\n", "\t")


def _case_and_form(address: str) -> Iterator[tuple[str, bool, bool]]:
    """(text, lower-cased?, NFC?) for the address as typed and its usual spellings."""
    for form in ("NFC", "NFD"):
        shaped = unicodedata.normalize(form, address)
        yield shaped.lower(), True, form == "NFC"
        yield shaped, False, form == "NFC"


def _untrimmed(typed: str, trimmed: str) -> Iterator[str]:
    if typed != trimmed:
        yield typed
    for before in _PADDINGS:
        for after in _PADDINGS:
            if before or after:
                yield before + trimmed + after


def _spelling_mistake(checkout_email: str, digest: str) -> EmailMatchCode | None:
    """Which normalisation step the shop skipped, if hashing a variant gives ``digest``."""
    trimmed = checkout_email.strip()
    for text, lowered, composed in _case_and_form(trimmed):
        if _sha256(text) == digest and not (lowered and composed):
            return EmailMatchCode.NOT_LOWERCASED if composed else EmailMatchCode.NOT_NORMALISED
    for padded in _untrimmed(checkout_email, trimmed):
        for text, lowered, composed in _case_and_form(padded):
            if _sha256(text) == digest:
                return (
                    EmailMatchCode.NOT_TRIMMED
                    if lowered and composed
                    else EmailMatchCode.NOT_NORMALISED
                )
    return None


def _hash_mistake(canonical: str, value: str) -> EmailMatchCode | None:
    checks: tuple[tuple[EmailMatchCode, Callable[[str], str]], ...] = (
        (EmailMatchCode.MD5, _md5),
        (EmailMatchCode.SHA1, _sha1),
        (EmailMatchCode.SHA256_OF_MD5, lambda text: _sha256(_md5(text))),
        (EmailMatchCode.DOUBLE_HASHED, lambda text: _sha256(_sha256(text))),
    )
    for code, digest_of in checks:
        if digest_of(canonical) == value:
            return code
    return None


def match_email(checkout_email: str, captured: object) -> EmailMatch:
    """Judge a captured ``email_sha256`` against the checkout address (in memory only)."""
    code = _classify(checkout_email, captured)
    return EmailMatch(code, EMAIL_MATCH_MESSAGES[code])


def _classify(checkout_email: str, captured: object) -> EmailMatchCode:
    if captured is None or (isinstance(captured, str) and not captured.strip()):
        return EmailMatchCode.MISSING
    if not isinstance(captured, str):
        return EmailMatchCode.OTHER_ADDRESS
    if contains_email(captured):
        return EmailMatchCode.RAW_EMAIL
    canonical = unicodedata.normalize("NFC", checkout_email.strip()).lower()
    expected = _sha256(canonical)
    value = captured.strip()  # validation reads the digest trimmed too
    if value == expected:
        return EmailMatchCode.MATCH
    if value.lower() == expected:
        return EmailMatchCode.UPPERCASE_HEX
    # A second mistake (capitals on top of MD5, say) is named by the graver one.
    value = value.lower()
    return (
        _hash_mistake(canonical, value)
        or _spelling_mistake(checkout_email, value)
        or EmailMatchCode.OTHER_ADDRESS
    )
