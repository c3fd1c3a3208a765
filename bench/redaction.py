"""The console.log handler's redaction per log line: the cached redactor of
``ConsoleService.redact`` against building one per line (the code before the cache: each token
provider's pass, then a fresh ``Redactor`` for the secrets seen).

Two profiles' secrets and two token providers with two tokens each, as after a profile
switch. Interleaved rounds, median per-line time; the ratio is uncached / cached.

    .venv/bin/python bench/redaction.py
"""

from __future__ import annotations

import statistics
import time
from typing import Any

import httpx

from criteo_console.core.redaction import redact_text
from criteo_console.criteo.token import TokenProvider
from criteo_console.ui.service import ConsoleService

LINES = 2000
ROUNDS = 10
SECRETS = ("s3cret-FIRST-profile-41", "s3cret-SECOND-profile-77")
LINE = (
    "criteo_console.criteo: POST http://127.0.0.1:8787/2026-01/conversions attempt 1 -> 200 "
    'in 3.1 ms; response body: {"data": [{"type": "Conversion", "id": "PS-10428"}]}'
)


def _service() -> ConsoleService:
    service = ConsoleService(http=None, paths=None)
    http = httpx.AsyncClient()
    for number, secret in enumerate(SECRETS):
        provider = TokenProvider(http, "http://127.0.0.1:9", f"client-{number}", secret)
        provider.redactor.add(f"eyJhbGciOiJIUzI1NiJ9.token-{number}-a", f"eyJ.token-{number}-b")
        service._seen_secrets.add(secret)
        service._token_sources.append(provider)
    return service


def _uncached(service: ConsoleService, text: str) -> str:
    for tokens in service._token_sources:
        text = tokens.redact(text)
    return redact_text(text, list(service._seen_secrets))


def _per_line_us(redact: Any) -> float:
    started = time.perf_counter()
    for _ in range(LINES):
        redact(LINE)
    return (time.perf_counter() - started) / LINES * 1e6


def results() -> list[dict[str, Any]]:
    service = _service()
    assert service.redact(LINE) == _uncached(service, LINE)
    cached: list[float] = []
    uncached: list[float] = []
    for _ in range(ROUNDS):
        cached.append(_per_line_us(service.redact))
        uncached.append(_per_line_us(lambda text: _uncached(service, text)))
    fast, slow = statistics.median(cached), statistics.median(uncached)
    return [
        {
            "name": "console.log redaction per line, cached redactor",
            "value": round(fast, 1),
            "unit": "µs",
            "ratio": round(slow / fast, 1),
            "target": "ratio = uncached / cached",
        },
        {
            "name": "console.log redaction per line, a redactor per line",
            "value": round(slow, 1),
            "unit": "µs",
        },
    ]


if __name__ == "__main__":
    for row in results():
        print(row)
