"""The console.log handler's redaction: one redactor for the run, rebuilt only when a secret or
a token is added (it runs for every log line)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from criteo_console.core.redaction import Redactor
from criteo_console.criteo.token import TokenProvider
from criteo_console.ui.service import ConsoleService

SECRET = "s3cret-FIRST-value-41"
TOKEN = "eyJhbGciOiJIUzI1NiJ9.LATER-token-9c2f"
SECRET_B = "s3cret-SECOND-value-77"


def test_one_redactor_serves_every_line_until_a_secret_or_token_is_added(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[int] = []
    original = Redactor.__init__

    def counting(self: Redactor, values: Any = ()) -> None:
        built.append(1)
        original(self, values)

    service = ConsoleService(http=None, paths=None)
    # What selecting a profile records (ConsoleService._use): its secret and token provider.
    provider = TokenProvider(httpx.AsyncClient(), "http://127.0.0.1:9", "cid", SECRET)
    service._seen_secrets.add(SECRET)
    service._token_sources.append(provider)
    monkeypatch.setattr(Redactor, "__init__", counting)

    lines = [service.redact(f"line {n}: secret {SECRET} for a@b.example") for n in range(50)]
    assert all(SECRET not in line and "a@b.example" not in line for line in lines)
    assert len(built) == 1

    provider.redactor.add(TOKEN)  # a token issued later
    assert TOKEN not in service.redact(f"Bearer? no: {TOKEN}")
    service._seen_secrets.add(SECRET_B)  # another profile's secret
    assert SECRET_B not in service.redact(f"secret {SECRET_B}")
    assert SECRET not in service.redact(f"secret {SECRET}")
    assert len(built) == 3
