"""Write a sign-off report: ``signoff.json`` (signed), ``signoff.html`` and ``signoff.pdf``.

Used by ``criteo-console report`` and the Event log page alike. Builds the document from
logged attempts, masks secrets and emails once more, refuses to write anything that still
holds one, signs the JSON, has the PDF drawn with the JSON attached, then signs the PDF's
bytes (docs/report.md). No Qt here: the PDF renderer (``ui/report_pdf.py``) is handed in, by
the window or, for the command, by the entry point. Each file is written privately (0600) to
a temporary name, synced, and renamed into place: never half a report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from criteo_console.core.report.canonical import document_text
from criteo_console.core.report.document import ReportRequest, build_document
from criteo_console.core.report.html import render_html
from criteo_console.core.report.signing import sign_document, sign_pdf
from criteo_console.core.report.verify import pdf_signature_line
from criteo_console.storage.files import write_atomically
from criteo_console.storage.report_key import signing_key
from criteo_console.storage.secrets import SecretStore

FILE_NAMES = ("signoff.pdf", "signoff.html", "signoff.json")
# The signed document and its JSON bytes -> the PDF with those bytes attached.
PdfRenderer = Callable[[Mapping[str, Any], bytes], bytes]


class NothingToReport(Exception):
    """No logged attempt matched: there is nothing to sign off."""


class ReportRefused(Exception):
    """The report would have held a secret or a token; nothing was written."""


@dataclass(frozen=True, slots=True)
class WrittenReport:
    folder: Path
    verdict: str
    sentence: str
    fingerprint: str
    key_note: str
    orders: int

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(self.folder / name for name in FILE_NAMES)


def write_signoff(
    records: Iterable[Mapping[str, Any]],
    request: ReportRequest,
    folder: Path,
    store: SecretStore,
    render_pdf: PdfRenderer,
    secrets: Iterable[str] = (),
) -> WrittenReport:
    records = list(records)
    if not records:
        raise NothingToReport("There is nothing to report: no logged attempt matched.")
    forbidden = [s for s in secrets if s]
    document = build_document(records, request, redactor(forbidden))
    key = signing_key(store)
    signed = sign_document(document, key)
    text = document_text(signed)
    _refuse_leaks(text, forbidden)
    page = render_html(signed)
    pdf = render_pdf(signed, text.encode("utf-8"))
    pdf += pdf_signature_line(sign_pdf(pdf, key))
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in zip(
        FILE_NAMES, (pdf, page.encode("utf-8"), text.encode("utf-8")), strict=True
    ):
        write_atomically(folder / name, data)  # 0600, synced, renamed into place
    facts = signed["signing_key"]
    return WrittenReport(
        folder=folder,
        verdict=str(signed["verdict"]),
        sentence=str(signed["verdict_sentence"]),
        fingerprint=str(facts["fingerprint"]),
        key_note=str(facts["note"]),
        orders=len(signed["orders"]),
    )


def redactor(secrets: Iterable[str]) -> Callable[[str], str]:
    """The project's redaction (core/redaction.py): known secrets, token-shaped fields,
    credentials and email-shaped text."""
    from criteo_console.core.redaction import Redactor

    return Redactor(secrets)


def _refuse_leaks(text: str, secrets: Iterable[str]) -> None:
    """The event log's own guard, over the whole report: a secret left anywhere stops it."""
    from criteo_console.core.redaction import LeakRefused, Redactor, check_fields

    try:
        # Known values only: the bodies inside were redacted by the same rules already.
        check_fields({"signoff.json": text}, Redactor(secrets), names=("signoff.json",))
    except LeakRefused:
        raise ReportRefused(
            "The report was not written: it would have contained a client secret or token."
        ) from None
