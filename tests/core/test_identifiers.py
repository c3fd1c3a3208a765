"""Email normalisation vectors, pre-hashed input, MADID shapes, coverage."""

from __future__ import annotations

import hashlib

import pytest

from criteo_console.core import email_ladder, hash_email
from criteo_console.core.identifiers import Coverage, is_madid


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("john.doe@example.com", "john.doe@example.com"),
        ("  John.Doe@Example.COM ", "john.doe@example.com"),
        ("\tJOHN@EXAMPLE.COM\n", "john@example.com"),
        ("Jöhn.Dœ@Exämple.de", "jöhn.dœ@exämple.de"),
        ("ÉLODIE@EXAMPLE.FR", "élodie@example.fr"),
        ("first.last+tag@gmail.com", "first.last+tag@gmail.com"),  # no Gmail dot removal
    ],
)
def test_email_is_trimmed_lowercased_and_sha256_hashed(raw: str, normalized: str) -> None:
    ladder = email_ladder(raw)

    assert ladder.trimmed == raw.strip()
    assert ladder.lowered == normalized
    assert ladder.digest == _sha(normalized)
    assert not ladder.already_hashed


def test_known_vector() -> None:
    assert hash_email("  John.Doe@Example.COM ") == (
        "836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f"
    )


def test_decomposed_accents_hash_like_composed_ones() -> None:
    composed = "\u00e9lodie@example.fr"
    decomposed = "e\u0301lodie@example.fr"

    assert hash_email(decomposed) == hash_email(composed)


def test_prehashed_input_is_lowercased_not_hashed_twice() -> None:
    digest = _sha("john.doe@example.com")
    ladder = email_ladder("  " + digest.upper() + " ")

    assert ladder.already_hashed
    assert ladder.digest == digest


def test_ladder_repr_never_shows_the_raw_email() -> None:
    ladder = email_ladder("Secret.Person@Example.com")

    assert "Secret" not in repr(ladder)
    assert "example.com" not in repr(ladder).lower()


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("AEBE52E7-03EE-455A-B3C4-E57283966239", True),
        ("aebe52e7-03ee-455a-b3c4-e57283966239", True),
        ("AEBE52E703EE455AB3C4E57283966239", False),
        ("AEBE52E7-03EE-455A-B3C4-E5728396623", False),
        ("not-a-device-id", False),
    ],
)
def test_madid_must_be_uuid_shaped(text: str, ok: bool) -> None:
    assert is_madid(text) is ok


def test_coverage_counts_and_names_identifiers() -> None:
    assert Coverage(True, True, False).score == 2
    assert Coverage(True, True, False).label == "2 of 3 identifiers (hashed email, customer id)"
    assert "cannot match" in Coverage(False, False, False).label
