"""Make one HTTP request and record it as a redacted Exchange, whatever happens."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from criteo_console.criteo.http import classify_transport_error
from criteo_console.criteo.redact import redact_headers
from criteo_console.criteo.trace import Exchange

log = logging.getLogger("criteo_console.criteo")


@dataclass(slots=True)
class Attempt:
    exchange: Exchange
    response: httpx.Response | None
    text: str  # the raw response body (may hold a token: never store or show it)
    # "tls" / "timeout" / "network" / "error" when no answer arrived; "bad-response" when an answer
    # (status and headers) arrived but its body could not be read (e.g. corrupt gzip).
    failure: str | None
    failure_message: str | None


async def perform(
    http: httpx.AsyncClient,
    *,
    step: str,
    method: str,
    url: str,
    headers: dict[str, str],
    body: bytes,
    attempt: int,
    redact: Callable[[str], str],
    wall_clock: Callable[[], float] = time.time,
) -> Attempt:
    started_at = wall_clock()
    t0 = time.perf_counter()
    response: httpx.Response | None = None
    text = ""
    failure = failure_message = None
    try:
        request = http.build_request(method, url, headers=headers, content=body)
        response = await http.send(request, stream=True)
    except httpx.TransportError as exc:
        failure, failure_message = classify_transport_error(exc)
    except Exception as exc:  # the client reports, it never raises
        failure, failure_message = "error", f"the request could not be made ({_name(exc)})"
    else:
        try:
            await response.aread()
            text = response.text
        except httpx.TransportError as exc:  # dropped mid-body: as if no answer came
            failure, failure_message = classify_transport_error(exc)
        except Exception as exc:  # DecodingError, anything else unreadable
            failure, failure_message = "bad-response", _unreadable_body(exc, response)
        finally:
            await response.aclose()
        if failure not in (None, "bad-response"):
            response = None
    elapsed_ms = (time.perf_counter() - t0) * 1000.0
    exchange = Exchange(
        step=step,
        method=method,
        url=url,
        attempt=attempt,
        started_at=started_at,
        elapsed_ms=elapsed_ms,
        request_headers=redact_headers(headers),
        request_body=redact(body.decode("utf-8", "replace")),
        status=response.status_code if response is not None else None,
        response_headers=redact_headers(response.headers.multi_items())
        if response is not None
        else {},
        response_body=redact(text),
        error=failure_message,
    )
    if log.isEnabledFor(logging.DEBUG):
        log.debug(
            "%s %s attempt %d -> %s in %.1f ms; request body: %s; response body: %s",
            method,
            url,
            attempt,
            exchange.status if exchange.status is not None else exchange.error,
            elapsed_ms,
            exchange.request_body,
            exchange.response_body,
        )
    return Attempt(exchange, response, text, failure, failure_message)


def _name(exc: BaseException) -> str:
    return type(exc).__name__


def _unreadable_body(exc: BaseException, response: httpx.Response) -> str:
    encoding = response.headers.get("content-encoding")
    if isinstance(exc, httpx.DecodingError) and encoding:
        return (
            f"the answer's body could not be unpacked (it says Content-Encoding: {encoding}, "
            "but the data is corrupt)"
        )
    return f"the answer's body could not be read ({_name(exc)})"
