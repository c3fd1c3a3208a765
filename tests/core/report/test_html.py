"""signoff.html: the document rendered, self-contained, escaped, and titled a rehearsal."""

from __future__ import annotations

from criteo_console.core.report.document import build_document
from criteo_console.core.report.html import render_html
from criteo_console.core.report.signing import SigningKey, new_private_key, sign_document
from criteo_console.core.verdict import PROVES
from tests.core.report.conftest import REQUEST, SANDBOX_URL, attempt


def test_the_page_carries_cover_checks_orders_warnings_and_bodies() -> None:
    mismatch = attempt(
        "WEB-88213",
        order={"value": "44.98", "items": [{"id": "A", "price": "22.52", "quantity": 2}]},
    )
    doc = sign_document(
        build_document([attempt("A-1"), mismatch], REQUEST),
        SigningKey(new_private_key(), "os-secret-store"),
    )

    page = render_html(doc)

    for fact in ("1234567 — Maison Lune FR", "Maison Lune", "Northwind Digital", "Ana Silva",
                 "https://api.criteo.com", "2025-10 — supported by Criteo", "0.1.0",
                 "2026-11-29 09:30 UTC", doc["signing_key"]["fingerprint"]):  # fmt: skip
        assert fact in page, fact
    assert all(line.replace("'", "&#x27;") in page for line in PROVES.values())
    for summary in doc["checks"]:  # each check: how many orders stand how
        for state, shown in (("ok", "✓ {} pass"), ("warning", "! {} warning")):
            if summary["orders"][state]:
                assert shown.format(summary["orders"][state]) + "</span>" in page
    assert "[value-mismatch]" in page
    assert "&quot;value&quot;: 44.98" in page  # the exact body, money as written
    assert "<script" not in page and "src=" not in page and "href=" not in page


def test_hostile_text_is_escaped() -> None:
    doc = build_document([attempt("<script>alert(1)</script>")], REQUEST)

    page = render_html(doc)

    assert "<script>" not in page and "&lt;script&gt;" in page


def test_a_rehearsal_is_titled_and_watermarked() -> None:
    page = render_html(build_document([attempt("A-1", SANDBOX_URL)], REQUEST))

    assert "<h1>Rehearsal — not a sign-off</h1>" in page
    assert 'class="watermark"' in page and ">REHEARSAL<" in page
    assert "Criteo conversion sign-off" not in page


def test_a_signed_off_report_has_no_watermark() -> None:
    page = render_html(build_document([attempt("A-1")], REQUEST))

    assert "<h1>Criteo conversion sign-off</h1>" in page
    assert "REHEARSAL" not in page


def test_an_attempt_never_sent_shows_no_answer_and_no_trace_id() -> None:
    steps = [{"step": "scope", "state": "failed", "message": "Not in scope."}]
    never_sent = attempt(
        "A-9", state="failed", steps=steps, response_body=None, http_status=None, trace_id="ref-1"
    )

    page = render_html(build_document([never_sent], REQUEST))

    assert "✓ matches" not in page
    # The same row statuses as Compare (core.verdict.row_status): the shop's item lines were
    # not recorded for this attempt, which is said rather than folded into "no answer".
    assert page.count("– no answer to compare") == 3
    assert page.count("– not recorded") == 2
    assert "✗ differs" not in page
    assert "ref-1" not in page  # the console's own reference is not a Criteo trace id
    assert "✗ fail" in page


def test_an_attempt_stopped_before_posting_shows_what_was_prepared_not_sent() -> None:
    steps = [{"step": "scope", "state": "failed", "message": "Not in scope."}]
    stopped = attempt("A-9", state="failed", steps=steps, response_body=None, http_status=None)

    page = render_html(build_document([stopped], REQUEST))

    assert "Items prepared (never sent)" in page and "<th>Prepared (never sent)</th>" in page
    assert "Items sent" not in page
