"""email_match: each hashing mistake a shop makes is named, from independently computed digests."""

from __future__ import annotations

import hashlib
import unicodedata

import pytest

from criteo_console.core.email_match import EMAIL_MATCH_MESSAGES, EmailMatchCode, match_email


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


TYPED = "  Jane.Doe@Example.COM "
CANON = "jane.doe@example.com"
# "Zoë Müller" with the accents composed; the shop's form may keep them decomposed (NFD).
ACCENTED = "Zoë.Müller@Exämple.de"
ACCENTED_CANON = unicodedata.normalize("NFC", ACCENTED).lower()


def test_known_vector_is_the_sha256_of_the_canonical_address() -> None:
    # Published digest of "jane.doe@example.com", so the ladder is not only checked against itself.
    assert sha256(CANON) == hashlib.sha256(b"jane.doe@example.com").hexdigest()
    assert match_email(TYPED, sha256(CANON)).code is EmailMatchCode.MATCH


@pytest.mark.parametrize(
    ("captured", "code"),
    [
        (sha256(CANON), "match"),
        (sha256(" " + CANON + " "), "not-trimmed"),
        (sha256(CANON + "\n"), "not-trimmed"),
        (sha256(TYPED.lower()), "not-trimmed"),
        (sha256("Jane.Doe@Example.COM"), "not-lowercased"),
        (sha256(TYPED), "not-normalised"),
        (md5(CANON), "md5"),
        (md5(CANON).upper(), "md5"),
        (sha1(CANON), "sha1"),
        (sha256(md5(CANON)), "sha256-of-md5"),
        (sha256(CANON).upper(), "uppercase-hex"),
        (sha256(sha256(CANON)), "double-hashed"),
        ("Jane.Doe@Example.COM", "raw-email"),
        (sha256("john.doe@example.com"), "other-address"),
        ("not a hash", "other-address"),
        (None, "missing"),
        ("   ", "missing"),
    ],
)
def test_ascii_address(captured: str | None, code: str) -> None:
    result = match_email(TYPED, captured)
    assert result.code == code
    assert result.message == EMAIL_MATCH_MESSAGES[EmailMatchCode(code)]


@pytest.mark.parametrize(
    ("captured", "code"),
    [
        (sha256(ACCENTED_CANON), "match"),
        (sha256(unicodedata.normalize("NFD", ACCENTED_CANON)), "not-normalised"),
        (sha256(unicodedata.normalize("NFC", ACCENTED)), "not-lowercased"),
        (sha256(" " + ACCENTED_CANON), "not-trimmed"),
        (md5(ACCENTED_CANON), "md5"),
        (sha256(sha256(ACCENTED_CANON)), "double-hashed"),
        (sha256(md5(ACCENTED_CANON)), "sha256-of-md5"),
        (sha256("zoe.muller@example.de"), "other-address"),
    ],
)
def test_non_ascii_address(captured: str, code: str) -> None:
    # The marketer types the address with decomposed accents: still the same address.
    typed = unicodedata.normalize("NFD", ACCENTED)
    assert match_email(typed, captured).code == code


def test_every_code_has_a_sentence_to_forward() -> None:
    assert set(EMAIL_MATCH_MESSAGES) == set(EmailMatchCode)
    assert len(EmailMatchCode) == 12
    assert "before lower-casing" in EMAIL_MATCH_MESSAGES[EmailMatchCode.NOT_LOWERCASED]


def test_the_address_is_never_in_the_result() -> None:
    result = match_email(TYPED, "Jane.Doe@Example.COM")
    assert "@" not in repr(result) and "@" not in result.message
