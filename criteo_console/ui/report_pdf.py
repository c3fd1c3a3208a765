"""``signoff.pdf`` from ``signoff.json``, drawn by Qt (QTextDocument on a QPdfWriter).

Every page carries a header, a footer with the page number and the key's fingerprint, and —
for a rehearsal — a REHEARSAL watermark. The JSON it was drawn from is attached to the PDF.
Drawn on the thread that owns the QApplication (the window hands it there: text layout in a
worker thread is unsupported without threaded font rendering); the command draws headless.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from criteo_console.core.report.html import render_html

RESOLUTION = 300  # dots per inch of the layout; text and lines stay vector
MARGINS_MM = QMarginsF(16, 14, 16, 14)
BAND_MM = 9.0  # the header and the footer band
ATTACHMENT_NAME = "signoff.json"
WATERMARK = "REHEARSAL"
_APP_LOCK = threading.Lock()
_APP: list[QGuiApplication] = []  # the command's own application, kept alive once made


def render_pdf_headless(document: Mapping[str, Any], attachment: bytes) -> bytes:
    """``render_pdf`` for ``criteo-console report``: Qt draws text only inside an application,
    and a command has none, so one is made (offscreen when there is no display)."""
    with _APP_LOCK:
        if QGuiApplication.instance() is None:
            if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
                os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            _APP.append(QGuiApplication([]))
    return render_pdf(document, attachment)


def render_pdf(document: Mapping[str, Any], attachment: bytes) -> bytes:
    """The report as PDF bytes, with ``attachment`` (the signed JSON) embedded as a file."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            MARGINS_MM,
            QPageLayout.Unit.Millimeter,
        )
    )
    writer.setTitle(str(document.get("title") or "Sign-off report"))
    writer.setCreator("TrackLayer Criteo Console")
    writer.setAuthor(str(document.get("reviewer") or ""))
    writer.addFileAttachment(ATTACHMENT_NAME, QByteArray(attachment), "application/json")

    text = QTextDocument()
    text.documentLayout().setPaintDevice(writer)
    text.setDefaultFont(QFont("DejaVu Sans", 9))
    text.setDocumentMargin(0)
    text.setHtml(render_html(document, for_qt=True))
    page = writer.pageLayout().paintRectPixels(RESOLUTION)
    band = _px(BAND_MM)
    body = QSizeF(page.width(), page.height() - 2 * band)
    text.setPageSize(body)
    pages = text.pageCount()

    painter = QPainter(writer)
    try:
        for number in range(pages):
            if number:
                writer.newPage()
            painter.save()
            painter.translate(0, band - number * body.height())
            text.drawContents(
                painter, QRectF(0, number * body.height(), body.width(), body.height())
            )
            painter.restore()
            _bands(painter, document, page.width(), page.height(), band, number + 1, pages)
            if document.get("verdict") == "rehearsal":
                _watermark(painter, page.width(), page.height())
    finally:
        painter.end()
    buffer.close()
    return bytes(buffer.data().data())


def _bands(
    painter: QPainter,
    document: Mapping[str, Any],
    width: float,
    height: float,
    band: float,
    number: int,
    pages: int,
) -> None:
    painter.save()
    painter.setFont(QFont("DejaVu Sans", 7))
    painter.setPen(QColor("#555555"))
    advertiser = document.get("advertiser") or {}
    who = " — ".join(str(v) for v in (advertiser.get("id"), advertiser.get("name")) if v)
    left = str(document.get("title") or "")
    if document.get("verdict") == "rehearsal":
        left = "REHEARSAL — not a sign-off"
    top = QRectF(0, 0, width, band * 0.7)
    painter.drawText(top, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), left)
    painter.drawText(top, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), who)
    painter.drawLine(0, int(band * 0.7), int(width), int(band * 0.7))
    bottom = QRectF(0, height - band * 0.7, width, band * 0.7)
    key = (document.get("signing_key") or {}).get("fingerprint") or "not signed"
    painter.drawLine(0, int(height - band * 0.7), int(width), int(height - band * 0.7))
    painter.drawText(
        bottom,
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
        f"Created {str(document.get('created_at') or '')[:16].replace('T', ' ')} UTC · key {key}",
    )
    painter.drawText(
        bottom,
        int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom),
        f"Page {number} of {pages}",
    )
    painter.restore()


def _watermark(painter: QPainter, width: float, height: float) -> None:
    painter.save()
    font = QFont("DejaVu Sans", 72)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor(130, 80, 223, 38))
    painter.translate(width / 2, height / 2)
    painter.rotate(-35)
    box = QRectF(-width, -height / 4, 2 * width, height / 2)
    painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), WATERMARK)
    painter.restore()


def _px(mm: float) -> float:
    return mm * RESOLUTION / 25.4
