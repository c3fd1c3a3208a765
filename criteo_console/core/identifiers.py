"""Identifiers: email normalisation and hashing, MADID and customer id checks, coverage.

A raw email lives only in the caller's memory: nothing here returns or formats it except
``EmailLadder.raw``, which the UI masks. Every other output carries the digest alone.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

_SHA256_HEX = re.compile(r"^[0-9a-fA-F]{64}$")
_MD5_HEX = re.compile(r"^[0-9a-fA-F]{32}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# The email tests look for the loose shape "something@something.something":
#   looks_like_email  ^[^@\s]+@[^@\s]+\.[^@\s]+$  after trimming
#   contains_email    [^@\s<>"']+@[^@\s<>"']+\.[^@\s<>"']+  anywhere
# Written that way, a regex engine takes quadratic time: on "xxxx…" every start position
# rescans the run looking for an @ (80,000 characters: 15 s). Both are computed in linear
# time instead. For contains_email, the same truth value comes from needing only one
# character before the @ and one after the dot; a match attempt then goes past its first two
# characters only at an @, and scans just the run after that @ (it ends at the next @), so
# each character is examined a bounded number of times.
# Redaction keeps a detector of its own on purpose (core/redaction.py, ``_email_spans``): it
# must say WHERE each address is, to mask it, and catch "%40" and JSON escapes too, with a
# stricter character set ("a@[b].c" is email-shaped here, not an address to mask there).
# These two only say WHETHER text is email-shaped, loosely, for input checks; one detector
# for both would change what one of them promises.
_WHITESPACE = re.compile(r"\s")
_EMAIL_INSIDE = re.compile(r"[^@\s<>\"']@[^@\s<>\"']+\.[^@\s<>\"']")


def is_sha256_hex(text: str) -> bool:
    return bool(_SHA256_HEX.match(text))


def is_md5_hex(text: str) -> bool:
    return bool(_MD5_HEX.match(text))


def is_madid(text: str) -> bool:
    """Mobile advertising ids (IDFA, GAID) are UUIDs: 8-4-4-4-12 hexadecimal digits."""
    return bool(_UUID.match(text))


def looks_like_email(text: str) -> bool:
    """One @, something before it, a dotted domain after it, no spaces (deliberately loose)."""
    trimmed = text.strip()
    at = trimmed.find("@")
    return (
        at > 0
        and trimmed.find("@", at + 1) == -1
        and trimmed.find(".", at + 2, len(trimmed) - 1) != -1  # a character each side of it
        and not _WHITESPACE.search(trimmed)
    )


def contains_email(text: str) -> bool:
    """Whether an email-shaped run ("name@domain.tld") appears anywhere in ``text``."""
    return "@" in text and _EMAIL_INSIDE.search(text) is not None


def may_hold_email(text: str) -> bool:
    """The test applied before echoing anything the user typed (a value, a field name): any @
    and it is not shown, even when it is not email-shaped."""
    return "@" in text


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class EmailLadder:
    """Each normalisation step, so the UI can show how the digest was reached.

    ``already_hashed`` is True when the input was a 64-hex digest: it is lower-cased and used
    as is, never hashed twice.
    """

    raw: str
    trimmed: str
    lowered: str
    digest: str
    already_hashed: bool

    def __repr__(self) -> str:  # keep the raw email out of logs and tracebacks
        return f"EmailLadder(digest={self.digest!r}, already_hashed={self.already_hashed})"


def email_ladder(raw: str) -> EmailLadder:
    """raw -> trimmed -> lower-cased -> SHA-256 lowercase hex of the UTF-8 bytes.

    Unicode is NFC-normalised before hashing so the same address typed on different keyboards
    (composed vs decomposed accents) gives the same digest. Gmail dots are kept: Criteo does
    not ask for their removal.
    """
    trimmed = raw.strip()
    if is_sha256_hex(trimmed):
        lowered = trimmed.lower()
        return EmailLadder(raw, trimmed, lowered, lowered, already_hashed=True)
    lowered = unicodedata.normalize("NFC", trimmed).lower()
    return EmailLadder(raw, trimmed, lowered, sha256_hex(lowered), already_hashed=False)


def hash_email(raw: str) -> str:
    return email_ladder(raw).digest


IDENTIFIER_KINDS = ("email_sha256", "customer_id", "madid")
_KIND_NAMES = {
    "email_sha256": "hashed email",
    "customer_id": "customer id",
    "madid": "MADID",
    "gum_id": "GUM id",
}


@dataclass(frozen=True, slots=True)
class Coverage:
    """Which identifiers an event carries; more identifiers -> better matching at Criteo.

    ``kinds`` are those the destination can carry (the Events API: GUM id and hashed email).
    """

    email_sha256: bool
    customer_id: bool
    madid: bool
    gum_id: bool = False
    kinds: tuple[str, ...] = IDENTIFIER_KINDS

    @property
    def present(self) -> tuple[str, ...]:
        return tuple(kind for kind in self.kinds if getattr(self, kind))

    @property
    def score(self) -> int:
        return len(self.present)

    @property
    def out_of(self) -> int:
        return len(self.kinds)

    @property
    def label(self) -> str:
        if not self.score:
            return "No identifier: Criteo cannot match this sale to a shopper"
        listed = ", ".join(_KIND_NAMES[kind] for kind in self.present)
        return f"{self.score} of {self.out_of} identifiers ({listed})"

    def as_dict(self) -> dict[str, object]:
        return {"present": list(self.present), "score": self.score, "out_of": self.out_of}
