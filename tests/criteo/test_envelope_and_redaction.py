"""Reading Criteo's envelope, and masking secrets in whatever is kept or shown."""

from __future__ import annotations

import json

import httpx
import pytest

from criteo_console.core.redaction import redact_headers, redact_text
from criteo_console.criteo import CriteoClient, Secret, parse_envelope
from criteo_console.criteo.envelope import NotAnEnvelope

from .helpers import payload


def test_errors_inside_a_200_and_the_trace_id_are_read() -> None:
    body = {
        "data": [],
        "errors": [
            {
                "traceId": "abc-123",
                "type": "validation",
                "code": "invalid-currency",
                "title": "Invalid currency",
                "detail": "EURO is not an ISO 4217 code",
                "source": {"pointer": "/data/0/attributes/transaction_data/currency"},
            }
        ],
        "warnings": [{"traceId": "abc-123", "code": "duplicate-transaction", "title": "dup"}],
    }
    envelope = parse_envelope(json.dumps(body))
    assert envelope.trace_id == "abc-123"
    assert envelope.error_codes == {"invalid-currency"}
    error = envelope.errors[0]
    assert error.pointer == "/data/0/attributes/transaction_data/currency"
    assert error.describe() == (
        "EURO is not an ISO 4217 code (at /data/0/attributes/transaction_data/currency)"
    )
    assert envelope.warnings[0].code == "duplicate-transaction"


def test_legacy_trace_identifier_is_read() -> None:
    body = {"errors": [{"traceIdentifier": "legacy-9", "code": "authorization-token-expired"}]}
    assert parse_envelope(json.dumps(body)).trace_id == "legacy-9"


@pytest.mark.parametrize("text", ['{"data": [', "[1, 2]", "<html></html>"])
def test_not_an_envelope(text: str) -> None:
    with pytest.raises(NotAnEnvelope):
        parse_envelope(text)


def test_secret_masks_itself_everywhere() -> None:
    secret = Secret("hunter2-hunter2")
    assert "hunter2" not in f"{secret} {secret!r} {[secret]}"
    assert secret.reveal() == "hunter2-hunter2"


def test_redaction_covers_raw_and_form_encoded_secrets_and_token_fields() -> None:
    secret = "a+b&c=d e"
    text = (
        "client_id=x&client_secret=a%2Bb%26c%3Dd+e"
        f' {{"access_token": "zzz", "refresh_token": "yyy"}} echo {secret}'
    )
    shown = redact_text(text, [secret])
    assert "zzz" not in shown
    assert "yyy" not in shown
    assert secret not in shown
    assert "a%2Bb" not in shown
    assert "client_id=x" in shown


def test_authorization_header_keeps_only_the_scheme() -> None:
    assert redact_headers({"Authorization": "Bearer abc.def"}) == {
        "Authorization": "Bearer [redacted]"
    }


@pytest.mark.parametrize("secret", ["k", "k7", "k7!"])
async def test_a_short_secret_and_token_are_masked_in_known_fields(secret: str) -> None:
    token = "t9"

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/oauth2/token"):
            return httpx.Response(200, json={"access_token": token, "expires_in": 900})
        return httpx.Response(200, json={"data": []})

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        client = CriteoClient(http, "https://api.criteo.test", "2026-01", "id", secret)
        result = await client.send_conversion(payload())
    assert result.ok, result.explanation
    token_call, send_call = result.exchanges
    assert token_call.request_body.endswith("client_secret=•••")
    assert token_call.response_body.startswith('{"access_token":"•••"')
    assert send_call.request_headers["authorization"] == "Bearer [redacted]"


def test_a_short_secret_is_not_masked_inside_ordinary_words() -> None:
    assert redact_text("Criteo refused the request", ["e"]) == "Criteo refused the request"
    assert redact_text("client_secret=e&x=1", ["e"]) == "client_secret=•••&x=1"
    assert redact_text("bad secret abcd!", ["abcd"]) == "bad secret •••!"
