"""Check a sign-off report, JSON or PDF, against its own signatures (docs/report.md).

- JSON: the Ed25519 signature in ``signature`` must hold over the canonical document, and the
  ``signing_key`` fingerprint must be the signature's key.
- PDF: the JSON embedded as ``signoff.json`` must pass the check above, AND the PDF bytes up
  to the signature line appended after ``%%EOF`` must carry a signature by that same key, so
  one changed byte anywhere in the file (page text, attachment, signature) fails.

Pure: bytes in, a verdict out. Exit codes: 0 intact, 1 altered or not signed, 2 unreadable.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from criteo_console.core.report.canonical import SIGNATURE_KEY, canonical_bytes
from criteo_console.core.report.document import FORMAT
from criteo_console.core.report.signing import (
    ALGORITHM,
    DOCUMENT_CONTEXT,
    PDF_CONTEXT,
    check,
    fingerprint,
)

INTACT, ALTERED, UNREADABLE = 0, 1, 2
PDF_SIGNATURE_MARK = b"%TrackLayer-Signature Ed25519 "
ATTACHMENT_NAME = "signoff.json"


@dataclass(frozen=True, slots=True)
class Verification:
    code: int
    line: str
    document: Mapping[str, Any] | None = None


def pdf_signature_line(signature: bytes) -> bytes:
    """What is appended after a PDF's ``%%EOF``: a PDF comment readers skip."""
    return PDF_SIGNATURE_MARK + base64.b64encode(signature) + b"\n"


def verify_report(data: bytes) -> Verification:
    if data.startswith(b"%PDF") or PDF_SIGNATURE_MARK in data:
        return _verify_pdf(data)
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        if FORMAT.encode() in data:  # our report, with its JSON broken: it was altered
            return Verification(ALTERED, "Altered: this sign-off report is no longer valid JSON.")
        return Verification(
            UNREADABLE, "Not a sign-off report: the file is neither its PDF nor its JSON."
        )
    return verify_document(document)


def verify_document(document: object) -> Verification:
    if not isinstance(document, Mapping) or document.get("format") != FORMAT:
        return Verification(UNREADABLE, "Not a sign-off report: its format is not recognised.")
    block = document.get(SIGNATURE_KEY)
    if not isinstance(block, Mapping) or block.get("algorithm") != ALGORITHM:
        return Verification(ALTERED, "Not signed: the report carries no Ed25519 signature.")
    try:
        public = base64.b64decode(str(block.get("public_key")), validate=True)
        signature = base64.b64decode(str(block.get("value")), validate=True)
        message = DOCUMENT_CONTEXT + canonical_bytes(document)
    except (binascii.Error, TypeError, ValueError):
        return Verification(ALTERED, "Altered: the signature block is damaged.")
    facts = document.get("signing_key")
    stated = facts.get("fingerprint") if isinstance(facts, Mapping) else None
    if stated != fingerprint(public) or not check(public, signature, message):
        return Verification(
            ALTERED,
            "Altered: the signature does not match the content — the report was changed after "
            "it was signed.",
        )
    return Verification(INTACT, _intact("content and signature hold", document), document)


def _intact(what: str, document: Mapping[str, Any]) -> str:
    key = (document.get("signing_key") or {}).get("fingerprint")
    return (
        f"Intact: {what} (key {key}; verdict {document.get('verdict')}, "
        f"{len(document.get('orders') or [])} order(s), created {document.get('created_at')})."
    )


def _verify_pdf(data: bytes) -> Verification:
    at = data.rfind(b"\n" + PDF_SIGNATURE_MARK)
    if at < 0:
        return Verification(ALTERED, "Not signed: this PDF carries no sign-off signature.")
    signed_part, line = data[: at + 1], data[at + 1 :]
    encoded = line[len(PDF_SIGNATURE_MARK) :]
    if not encoded.endswith(b"\n") or b"\n" in encoded[:-1]:
        return Verification(ALTERED, "Altered: bytes were added after the PDF's signature.")
    try:
        pdf_signature = base64.b64decode(encoded[:-1], validate=True)
    except binascii.Error:
        return Verification(ALTERED, "Altered: the PDF's signature is damaged.")
    embedded = embedded_json(signed_part)
    if embedded is None:
        return Verification(ALTERED, "Altered: the PDF's embedded signoff.json cannot be read.")
    try:
        document = json.loads(embedded.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return Verification(ALTERED, "Altered: the PDF's embedded signoff.json is not valid JSON.")
    inner = verify_document(document)
    if inner.code != INTACT or inner.document is None:
        return Verification(ALTERED, inner.line.replace("the report", "the embedded report"))
    public = base64.b64decode(str(inner.document[SIGNATURE_KEY]["public_key"]))
    if not check(public, pdf_signature, PDF_CONTEXT + signed_part):
        return Verification(
            ALTERED,
            "Altered: the PDF was changed after it was signed (its embedded JSON still holds).",
        )
    return Verification(
        INTACT,
        _intact("the PDF and its embedded signoff.json are unaltered and signed", inner.document),
        inner.document,
    )


_FILESPEC = re.compile(rb"/EF\s*<<\s*/F\s+(\d+)\s+0\s+R\s*>>")


def embedded_json(pdf: bytes) -> bytes | None:
    """The bytes of the PDF's one embedded file (``QPdfWriter.addFileAttachment``), or None."""
    specs = _FILESPEC.findall(pdf)
    if len(specs) != 1:
        return None
    header = re.search(
        rb"(?:^|[\r\n])" + specs[0] + rb"\s+0\s+obj\s*<<(.*?)>>\s*stream\r?\n", pdf, re.S
    )
    if header is None:
        return None
    stream = pdf[header.end() :]
    if b"/FlateDecode" not in header.group(1):
        length = re.search(rb"/Length\s+(\d+)(?!\s+0\s+R)", header.group(1))
        return stream[: int(length.group(1))] if length else None
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(stream, 16 * 1024 * 1024)
    except zlib.error:
        return None
    return out if inflater.eof else None
