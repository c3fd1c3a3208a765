"""Redaction for crash reports and console.log: known secrets and emails never get through."""

from __future__ import annotations

import io
import logging

from criteo_console.core.redaction import RedactingFilter, redact_text

SECRET = "s3cret+Value/77"


def test_secrets_in_any_spelling_and_emails_are_masked() -> None:
    text = f"raw {SECRET} form client_secret=s3cret%2BValue%2F77 mail Jane.Doe@Example.com"
    shown = redact_text(text, [SECRET, "", "abc"])
    assert SECRET not in shown and "s3cret%2BValue%2F77" not in shown
    assert "Jane.Doe@Example.com" not in shown and "•••@•••" in shown
    assert redact_text("abc stays", ["abc"]) == "abc stays"  # too short to mask safely


def test_the_filter_redacts_message_arguments_and_traceback() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter(lambda text: redact_text(text, [SECRET])))
    logger = logging.getLogger("tests.log_guard_redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("secret %s for %s", SECRET, "ann@example.org")
        try:
            raise RuntimeError(f"refused {SECRET}")
        except RuntimeError:
            logger.exception("token step failed")
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    written = stream.getvalue()
    assert "secret ••• for •••@•••" in written
    assert "RuntimeError: refused •••" in written  # the traceback is kept, redacted
    assert SECRET not in written and "ann@example.org" not in written
