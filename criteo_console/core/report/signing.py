"""Ed25519 over the canonical document (and over a PDF's bytes): sign, check, fingerprint."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from criteo_console.core.report.canonical import SIGNATURE_KEY, canonical_bytes

ALGORITHM = "Ed25519"
# Domain separation: a signature over a document can never pass for one over a PDF.
DOCUMENT_CONTEXT = b"tracklayer-signoff-json-v1\x00"
PDF_CONTEXT = b"tracklayer-signoff-pdf-v1\x00"


@dataclass(frozen=True, slots=True)
class SigningKey:
    """A private key and where it is kept (the report says when it is for this session only)."""

    private: Ed25519PrivateKey
    kept: str  # "os-secret-store" or "session-only"
    note: str = ""

    @property
    def public_raw(self) -> bytes:
        return public_raw(self.private.public_key())


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_from_text(text: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))


def private_to_text(key: Ed25519PrivateKey) -> str:
    from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

    raw = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return base64.b64encode(raw).decode("ascii")


def public_raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def fingerprint(public: bytes) -> str:
    """SHA-256 of the public key, first 16 bytes, in groups of four hex digits."""
    digest = hashlib.sha256(public).hexdigest()[:32].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def key_facts(key: SigningKey) -> dict[str, str]:
    """What the document says about its key (inside the signed content)."""
    return {"fingerprint": fingerprint(key.public_raw), "kept": key.kept, "note": key.note}


def sign_document(document: Mapping[str, Any], key: SigningKey) -> dict[str, Any]:
    """The document with ``signing_key`` facts and a ``signature`` block over the rest."""
    signed = {k: v for k, v in document.items() if k != SIGNATURE_KEY}
    signed["signing_key"] = key_facts(key)
    value = key.private.sign(DOCUMENT_CONTEXT + canonical_bytes(signed))
    signed[SIGNATURE_KEY] = {
        "algorithm": ALGORITHM,
        "public_key": base64.b64encode(key.public_raw).decode("ascii"),
        "value": base64.b64encode(value).decode("ascii"),
    }
    return signed


def sign_pdf(pdf: bytes, key: SigningKey) -> bytes:
    return key.private.sign(PDF_CONTEXT + pdf)


def check(public: bytes, signature: bytes, message: bytes) -> bool:
    try:
        Ed25519PublicKey.from_public_bytes(public).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
