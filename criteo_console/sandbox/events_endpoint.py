"""What the sandbox answers on ``POST /m/event?version=s2s_v0`` (Criteo's Events API).

It answers 200 whether the events were taken or not, with ``errors`` and ``warnings`` in the
body, as Criteo's s2s endpoint is reported to; a client must read the body, not the status.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

from criteo_console.sandbox.contract import Problem
from criteo_console.sandbox.endpoints import Answer, Context
from criteo_console.sandbox.envelope import error, warning
from criteo_console.sandbox.events_contract import check_events

EVENTS_PATH = "/m/event"
S2S_VERSION = "s2s_v0"


def events(ctx: Context, method: str, query: str, raw: bytes | None) -> Answer:
    if method != "POST":
        return ctx.fail(
            405,
            "validation",
            "method-not-allowed",
            "Method not allowed",
            "The sandbox takes events as POST with a JSON body.",
        )
    version = parse_qs(query).get("version", [""])[0]
    if version != S2S_VERSION:
        return ctx.fail(
            400,
            "validation",
            "unknown-version",
            "Unknown version",
            f"Call {EVENTS_PATH}?version={S2S_VERSION}.",
        )
    if raw is None:
        return ctx.fail(
            413, "validation", "payload-too-large", "Request too large", "The body is too large."
        )
    content_type = ctx.header("Content-Type").split(";")[0].strip().lower()
    if content_type != "application/json":
        return ctx.fail(
            415,
            "validation",
            "unsupported-media-type",
            "Unsupported media type",
            "Send the events as JSON with 'Content-Type: application/json'.",
        )
    try:
        body = json.loads(raw, parse_float=Decimal)
    except (ValueError, RecursionError):
        return ctx.fail(
            400, "validation", "invalid-json", "Body is not JSON", "The body is not valid JSON."
        )
    config = ctx.config
    verdict = check_events(
        body,
        account=config.events_account,
        caller_id=config.events_caller_id,
        now=datetime.now(UTC),
        max_age_s=config.events_max_age_s,
    )
    return 200, answer(
        errors=[_error(ctx, p) for p in verdict.errors],
        warnings=[_warning(ctx, p) for p in verdict.warnings],
    )


def answer(*, errors: list[dict[str, Any]], warnings: list[dict[str, Any]]) -> dict[str, Any]:
    return {"errors": errors, "warnings": warnings}


def rejected_in_200(ctx: Context) -> Answer:
    """The errors-in-200 fault: a well-formed request that was still not taken."""
    problem = Problem("", "event-not-processed", "The event was not processed", "Try again later.")
    return 200, answer(errors=[_error(ctx, problem)], warnings=[])


def _error(ctx: Context, p: Problem) -> dict[str, Any]:
    return error(
        ctx.trace_id,
        type_="validation",
        code=p.code,
        instance=ctx.path,
        title=p.title,
        detail=p.detail,
        pointer=p.pointer or None,
    )


def _warning(ctx: Context, p: Problem) -> dict[str, Any]:
    entry = warning(
        ctx.trace_id,
        type_="validation",
        code=p.code,
        instance=ctx.path,
        title=p.title,
        detail=p.detail,
    )
    if p.pointer:
        entry["source"] = {"pointer": p.pointer}
    return entry
