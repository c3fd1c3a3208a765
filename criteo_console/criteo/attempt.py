"""Make one HTTP request and record it as a redacted Exchange, whatever happens."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

import httpx

from criteo_console.core.redaction import redact_headers
from criteo_console.criteo.bounded import (
    DEFAULT_LIMITS,
    AnswerLimits,
    AnswerUnreadable,
    clip,
    read_body,
)
from criteo_console.criteo.http import classify_transport_error
from criteo_console.criteo.trace import Exchange

log = logging.getLogger("criteo_console.criteo")


@dataclass(slots=True)
class Attempt:
    exchange: Exchange
    response: httpx.Response | None
    text: str  # the raw response body (may hold a token: never store or show it)
    shown: str  # the body redacted, whole (the exchange keeps it clipped)
    # "tls" / "no-https" / "timeout" / "network" / "error" when no answer arrived;
    # "bad-response" when an answer (status and headers) arrived but its body could not be
    # read whole (corrupt gzip, past a size cap).
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
    deadline: float,
    wall_clock: Callable[[], float] = time.time,
    limits: AnswerLimits = DEFAULT_LIMITS,
) -> Attempt:
    """``deadline`` (event-loop time) bounds the whole exchange: httpx's read timeout
    starts again with every chunk, so a server dripping a byte at a time would never hit it."""
    started_at = wall_clock()
    t0 = time.perf_counter()
    budget = max(0.0, deadline - asyncio.get_running_loop().time())
    response: httpx.Response | None = None
    raw = b""
    cut_short = False
    failure = failure_message = None
    try:
        async with asyncio.timeout_at(deadline):
            request = http.build_request(method, url, headers=headers, content=body)
            response = await http.send(request, stream=True)
            raw = await read_body(response, limits)
    except TimeoutError:
        failure = "timeout"
        failure_message = (
            f"timed out: the answer was still arriving after {budget:.1f} s"
            if response is not None
            else f"timed out: no answer within {budget:.1f} s"
        )
    except httpx.TransportError as exc:  # also when dropped mid-body: as if no answer came
        failure, failure_message = classify_transport_error(exc)
    except AnswerUnreadable as exc:
        failure, failure_message = "bad-response", str(exc)
        raw, cut_short = exc.partial, True
    except Exception as exc:  # the client reports, it never raises
        failure = "bad-response" if response is not None else "error"
        failure_message = (
            f"the answer's body could not be read ({_name(exc)})"
            if response is not None
            else f"the request could not be made ({_name(exc)})"
        )
    finally:
        if response is not None:
            await response.aclose()
    if failure not in (None, "bad-response"):
        response, raw = None, b""
    text = raw.decode(response.encoding or "utf-8", "replace") if response is not None else ""
    shown = redact(text)
    elapsed_ms = (time.perf_counter() - t0) * 1000.0
    exchange = Exchange(
        step=step,
        method=method,
        url=url,
        attempt=attempt,
        started_at=started_at,
        elapsed_ms=elapsed_ms,
        request_headers=_lower(redact_headers(headers)),
        request_body=redact(body.decode("utf-8", "replace")),
        status=response.status_code if response is not None else None,
        response_headers=_lower(redact_headers(response.headers.multi_items()), redact)
        if response is not None
        else {},
        response_body=clip(shown, limits.stored_chars, more=cut_short),
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
            clip(exchange.response_body, limits.shown_chars),
        )
    return Attempt(exchange, response, text, shown, failure, failure_message)


def _lower(headers: dict[str, str], redact: Callable[[str], str] | None = None) -> dict[str, str]:
    # A plain lower-cased dict: the client's lookups are cheaper than httpx's. A server may
    # echo a token in any header (Location, a custom one): those go through ``redact`` too.
    if redact is None:
        return {name.lower(): value for name, value in headers.items()}
    return {name.lower(): redact(value) for name, value in headers.items()}


def _name(exc: BaseException) -> str:
    return type(exc).__name__
