"""The Events API's three email forms, against digests computed here with hashlib."""

from __future__ import annotations

import hashlib
import unicodedata

import pytest

from criteo_console.core import email_ladder
from criteo_console.core.emailforms import EmailForms, email_forms, forms_of_address


def _expected(normalised: str) -> EmailForms:
    data = normalised.encode("utf-8")
    md5 = hashlib.md5(data).hexdigest()
    return EmailForms(
        sha256=hashlib.sha256(data).hexdigest(),
        md5=md5,
        sha256_md5=hashlib.sha256(md5.encode("ascii")).hexdigest(),
    )


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("  John.Doe@Example.COM \n", "john.doe@example.com"),
        # Gmail dots are kept: Criteo does not ask for their removal.
        ("J.o.h.n+promo@GMAIL.com", "j.o.h.n+promo@gmail.com"),
        # Non-ASCII, typed composed and decomposed: one address, one set of digests.
        ("Zoë.Ünal@Exämple.DE", "zoë.ünal@exämple.de"),
        (unicodedata.normalize("NFD", " Zoë.Ünal@Exämple.DE"), "zoë.ünal@exämple.de"),
        ("Ørsted@Ströme.dk", "ørsted@ströme.dk"),
    ],
)
def test_three_forms_of_a_typed_address(typed: str, normalised: str) -> None:
    ladder = email_ladder(typed)
    forms = email_forms(ladder, ladder.digest)

    assert forms == _expected(normalised)
    assert forms.sha256 == ladder.digest  # one normalisation for both destinations


def test_known_vector() -> None:
    forms = forms_of_address("john.doe@example.com")
    assert forms.md5 == "8eb1b522f60d11fa897de1dc6351b7e8"
    assert forms.sha256_md5 == hashlib.sha256(b"8eb1b522f60d11fa897de1dc6351b7e8").hexdigest()


def test_sha256_of_md5_hashes_the_lower_case_hex_text() -> None:
    forms = forms_of_address("a@b.co")
    md5_bytes = hashlib.md5(b"a@b.co").digest()
    assert forms.sha256_md5 != hashlib.sha256(md5_bytes).hexdigest()
    assert forms.sha256_md5 == hashlib.sha256(forms.md5.encode()).hexdigest()  # type: ignore[union-attr]


def test_a_given_sha256_gives_only_itself() -> None:
    digest = hashlib.sha256(b"john.doe@example.com").hexdigest()
    ladder = email_ladder(digest.upper())
    forms = email_forms(ladder, ladder.digest)

    assert forms == EmailForms(sha256=digest)
    assert forms.present() == {"sha256": digest}
    assert email_forms(None, None) is None


def test_forms_never_show_the_address() -> None:
    ladder = email_ladder("Jane.Secret@Example.com")
    forms = email_forms(ladder, ladder.digest)
    assert "jane" not in repr(forms).lower()
