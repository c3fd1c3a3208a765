"""The three hashed forms of an email address that Criteo's Events API takes.

All three start from the same normalised address as the SHA-256 of ``identifiers`` (trimmed,
NFC, lower-cased, UTF-8): SHA-256 of it, MD5 of it, and SHA-256 of the MD5's lower-case hex
string. Only digests leave this module; the address itself is never kept.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from criteo_console.core.identifiers import EmailLadder

SHA256 = "sha256"
MD5 = "md5"
SHA256_MD5 = "sha256_md5"
FORM_NAMES = (SHA256, MD5, SHA256_MD5)
FORM_LABELS = {SHA256: "SHA-256", MD5: "MD5", SHA256_MD5: "SHA-256(MD5)"}


@dataclass(frozen=True, slots=True)
class EmailForms:
    """Each form as lower-case hex, or None when it cannot be computed (a hash was given)."""

    sha256: str | None
    md5: str | None = None
    sha256_md5: str | None = None

    def get(self, name: str) -> str | None:
        return {SHA256: self.sha256, MD5: self.md5, SHA256_MD5: self.sha256_md5}[name]

    def present(self, names: tuple[str, ...] = FORM_NAMES) -> dict[str, str]:
        """The computed forms among ``names``, in that order (the body's ``id.email``)."""
        out = {}
        for name in names:
            value = self.get(name)
            if value is not None:
                out[name] = value
        return out


def forms_of_address(normalised: str) -> EmailForms:
    """``normalised`` is the ladder's lower-cased NFC address (never a raw input)."""
    data = normalised.encode("utf-8")
    md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()
    return EmailForms(
        sha256=hashlib.sha256(data).hexdigest(),
        md5=md5,
        sha256_md5=hashlib.sha256(md5.encode("ascii")).hexdigest(),
    )


def email_forms(ladder: EmailLadder | None, digest: str | None) -> EmailForms | None:
    """The forms for what the order gave: an address gives all three; a SHA-256 alone gives
    only itself (MD5 cannot be recovered from it)."""
    if ladder is not None and not ladder.already_hashed and ladder.digest == digest:
        return forms_of_address(ladder.lowered)
    if digest is not None:
        return EmailForms(sha256=digest)
    return None
