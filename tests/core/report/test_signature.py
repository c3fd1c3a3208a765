"""The signed JSON: one changed digit, or a swapped key, and verify says it was altered."""

from __future__ import annotations

import json
from typing import Any

import pytest

from criteo_console.core.report.canonical import canonical_bytes, document_text
from criteo_console.core.report.document import build_document
from criteo_console.core.report.signing import (
    SigningKey,
    fingerprint,
    new_private_key,
    sign_document,
)
from criteo_console.core.report.verify import ALTERED, INTACT, UNREADABLE, verify_report
from tests.core.report.conftest import REQUEST, attempt

KEY = SigningKey(new_private_key(), "os-secret-store")


@pytest.fixture
def signed() -> dict[str, Any]:
    return sign_document(build_document([attempt("A-1"), attempt("A-2")], REQUEST), KEY)


def test_an_untouched_report_verifies_and_names_its_key(signed: dict[str, Any]) -> None:
    result = verify_report(document_text(signed).encode())

    assert result.code == INTACT
    assert fingerprint(KEY.public_raw) in result.line
    assert signed["signing_key"]["fingerprint"] == fingerprint(KEY.public_raw)


@pytest.mark.parametrize("old", ["149.90", "1234567", "2026-11-29T09:30:00Z"])
def test_one_changed_digit_anywhere_in_the_content_fails(signed: dict[str, Any], old: str) -> None:
    text = document_text(signed)
    assert old in text
    index = text.index(old) + len(old) - 2
    digit = "7" if text[index] != "7" else "8"
    tampered = text[:index] + digit + text[index + 1 :]

    result = verify_report(tampered.encode())

    assert result.code == ALTERED
    assert result.line.startswith("Altered")


def test_a_verdict_changed_and_re_signed_with_another_key_fails(signed: dict[str, Any]) -> None:
    forged = sign_document({**signed, "verdict": "signed-off"}, SigningKey(new_private_key(), "x"))
    forged["signing_key"] = signed["signing_key"]  # claim the original key's fingerprint

    assert verify_report(json.dumps(forged).encode()).code == ALTERED


def test_the_signature_covers_the_content_without_its_signature_block(
    signed: dict[str, Any],
) -> None:
    assert b'"signature"' not in canonical_bytes(signed)
    assert b'"signing_key"' in canonical_bytes(signed)


def test_a_report_without_signature_is_not_intact(signed: dict[str, Any]) -> None:
    unsigned = {k: v for k, v in signed.items() if k != "signature"}
    assert verify_report(json.dumps(unsigned).encode()).code == ALTERED


def test_a_report_whose_json_is_broken_is_altered_and_other_files_are_unreadable(
    signed: dict[str, Any],
) -> None:
    assert verify_report(document_text(signed)[:-40].encode()).code == ALTERED
    assert verify_report(b"hello, world").code == UNREADABLE
    assert verify_report(b'{"a": 1}').code == UNREADABLE
