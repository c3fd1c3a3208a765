"""Criteo-shaped answers: the data/errors/warnings envelope and its error objects."""

from __future__ import annotations

import uuid
from typing import Any


def new_trace_id() -> str:
    return uuid.uuid4().hex


def error(
    trace_id: str,
    *,
    type_: str,
    code: str,
    instance: str,
    title: str,
    detail: str,
    pointer: str | None = None,
    legacy_trace: bool = False,
) -> dict[str, Any]:
    """One Criteo error object (``CriteoApiError``); ``source`` only when there is a pointer.

    ``legacy_trace`` adds ``traceIdentifier`` too, as real 401 payloads still carry it.
    """
    obj: dict[str, Any] = {"traceId": trace_id}
    if legacy_trace:
        obj["traceIdentifier"] = trace_id
    obj.update(type=type_, code=code, instance=instance, title=title, detail=detail)
    if pointer is not None:
        obj["source"] = {"pointer": pointer}
    return obj


def warning(
    trace_id: str, *, type_: str, code: str, instance: str, title: str, detail: str
) -> dict[str, Any]:
    """A Criteo warning object: the error's fields without ``source``."""
    return {
        "traceId": trace_id,
        "type": type_,
        "code": code,
        "instance": instance,
        "title": title,
        "detail": detail,
    }


def envelope(
    data: list[dict[str, Any]] | None = None,
    errors: list[dict[str, Any]] | None = None,
    warnings: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {"data": data or [], "errors": errors or [], "warnings": warnings or []}


def errors_only(*errors: dict[str, Any]) -> dict[str, Any]:
    """Criteo's error-only answers carry just ``errors`` (no data, no warnings)."""
    return {"errors": list(errors)}
