"""Criteo's response envelope: ``data``, ``errors``, ``warnings``, also inside a 200."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from criteo_console.criteo.bounded import DEFAULT_LIMITS, clip


@dataclass(frozen=True, slots=True)
class ApiProblem:
    """One entry of ``errors`` or ``warnings``; ``pointer`` is ``source.pointer`` if given."""

    code: str = ""
    title: str = ""
    detail: str = ""
    pointer: str | None = None
    trace_id: str | None = None
    type: str = ""
    instance: str = ""

    def describe(self) -> str:
        text = self.detail or self.title or self.code or "no detail given"
        where = f" (at {self.pointer})" if self.pointer else ""
        return f"{text}{where}"


@dataclass(frozen=True, slots=True)
class Envelope:
    data: tuple[Any, ...] = ()
    errors: tuple[ApiProblem, ...] = ()
    warnings: tuple[ApiProblem, ...] = ()
    trace_id: str | None = None
    error_codes: frozenset[str] = field(default_factory=frozenset)
    recognised: bool = False  # the body had data, errors or warnings (an empty one has none)


class NotAnEnvelope(ValueError):
    """The body is not JSON, or not a JSON object."""


def parse_envelope(text: str) -> Envelope:
    """Parse a Criteo JSON body; raise NotAnEnvelope if it is not a JSON object."""
    try:
        body = json.loads(text) if text.strip() else {}
    except ValueError as exc:
        raise NotAnEnvelope("the answer is not valid JSON") from exc
    if not isinstance(body, dict):
        raise NotAnEnvelope("the answer is JSON but not an object")
    raw_data = body.get("data")
    if isinstance(raw_data, list):
        data: tuple[Any, ...] = tuple(raw_data)
    elif raw_data is None:
        data = ()
    else:
        data = (raw_data,)
    errors = _problems(body.get("errors"))
    warnings = _problems(body.get("warnings"))
    trace_id = _str(body.get("traceId")) or _str(body.get("traceIdentifier")) or None
    if trace_id is None:
        trace_id = next((p.trace_id for p in (*errors, *warnings) if p.trace_id), None)
    return Envelope(
        data=data,
        errors=errors,
        warnings=warnings,
        trace_id=trace_id,
        error_codes=frozenset(p.code for p in errors if p.code),
        recognised=any(key in body for key in ("data", "errors", "warnings")),
    )


def _problems(raw: object) -> tuple[ApiProblem, ...]:
    if not isinstance(raw, list):
        return ()
    out = []
    for item in raw:
        if not isinstance(item, dict):
            out.append(ApiProblem(detail=_shown(item)))
            continue
        source = item.get("source")
        pointer = None
        if isinstance(source, dict):
            pointer = _str(source.get("pointer")) or _str(source.get("parameter")) or None
        elif isinstance(source, str) and source:
            pointer = source
        out.append(
            ApiProblem(
                code=_str(item.get("code")),
                title=_shown(item.get("title")),
                detail=_shown(item.get("detail")),
                pointer=pointer,
                trace_id=_str(item.get("traceId")) or _str(item.get("traceIdentifier")) or None,
                type=_str(item.get("type")),
                instance=_str(item.get("instance")),
            )
        )
    return tuple(out)


def _str(value: object) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _shown(value: object) -> str:
    """A problem's words as printed (``--json`` too): a huge one is clipped, visibly."""
    return clip(_str(value), 2 * DEFAULT_LIMITS.shown_chars)
