"""What Criteo answers on each endpoint, as (status, JSON payload). No sockets here."""

from __future__ import annotations

import hmac
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

from criteo_console.sandbox.config import Fault, SandboxConfig
from criteo_console.sandbox.contract import check_conversions, pointer
from criteo_console.sandbox.envelope import envelope, error, errors_only, warning
from criteo_console.sandbox.state import SandboxState

Answer = tuple[int, Any]

INVALID_CLIENT = (
    "The client authentication failed, the provided client_id doesn't exist or the "
    "client_secret is invalid"
)


@dataclass(frozen=True)
class Context:
    config: SandboxConfig
    state: SandboxState
    trace_id: str
    path: str
    headers: dict[str, str]

    def header(self, name: str) -> str:
        wanted = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == wanted), "")

    def fail(self, status: int, type_: str, code: str, title: str, detail: str) -> Answer:
        return status, errors_only(
            error(
                self.trace_id,
                type_=type_,
                code=code,
                instance=self.path,
                title=title,
                detail=detail,
            )
        )


# --- POST /oauth2/token -------------------------------------------------------------------


def _oauth_error(code: str, description: str) -> Answer:
    return 400, {"error": code, "error_description": description}


def token(ctx: Context, method: str, body: bytes | None) -> Answer:
    if method != "POST":
        return 405, {"error": "invalid_request", "error_description": "Use POST."}
    content_type = ctx.header("Content-Type").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        return _oauth_error(
            "invalid_request", "Content-Type must be application/x-www-form-urlencoded."
        )
    if body is None:
        return _oauth_error("invalid_request", "The request body is too large.")
    try:
        form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except (UnicodeDecodeError, ValueError):
        return _oauth_error("invalid_request", "The form could not be read.")
    grant = form.get("grant_type")
    if not grant:
        return _oauth_error("invalid_request", "grant_type is missing.")
    if grant != "client_credentials":
        return _oauth_error(
            "unsupported_grant_type", "The sandbox supports grant_type=client_credentials only."
        )
    client_id = form.get("client_id", "")
    client_secret = form.get("client_secret", "")
    good_id = hmac.compare_digest(client_id.encode(), ctx.config.client_id.encode())
    good_secret = hmac.compare_digest(client_secret.encode(), ctx.config.client_secret.encode())
    if not (good_id and good_secret):
        return _oauth_error("invalid_client", INVALID_CLIENT)
    access_token = ctx.state.issue_token(ctx.config.token_ttl)
    return 200, {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": ctx.config.token_ttl,
        # Criteo's own SDK reads this key unguarded, so it must be present.
        "refresh_token": None,
    }


# --- versioned endpoints ------------------------------------------------------------------


def versioned(ctx: Context, endpoint: str, version: str, method: str, body: bytes | None) -> Answer:
    config = ctx.config
    if version not in config.versions:
        return ctx.fail(
            404,
            "validation",
            "unknown-api-version",
            "Unknown API version",
            f"Version {version!r} does not exist. Served versions: {', '.join(config.versions)}.",
        )
    if version in config.retired_versions:
        return retired(ctx.trace_id, ctx.path, version, config.current_version())
    wanted = "GET" if endpoint == "advertisers" else "POST"
    if method != wanted:
        return ctx.fail(
            405,
            "validation",
            "method-not-allowed",
            "Method not allowed",
            f"Use {wanted} on {ctx.path}.",
        )
    denied = _check_bearer(ctx)
    if denied is not None:
        return denied
    if endpoint == "advertisers":
        return advertisers(ctx)
    return conversions(ctx, body)


def _check_bearer(ctx: Context) -> Answer | None:
    scheme, _, value = ctx.header("Authorization").partition(" ")
    status = ctx.state.token_status(value.strip() if scheme.lower() == "bearer" else None)
    if status == "valid":
        return None
    return unauthorized(ctx.trace_id, ctx.path, expired=status == "expired")


def unauthorized(trace_id: str, path: str, *, expired: bool) -> Answer:
    if expired:
        code, title = "authorization-token-expired", "The authorization token has expired"
        detail = "Request a new access token from /oauth2/token and retry."
    else:
        code, title = "authorization-token-invalid", "The authorization header is invalid"
        detail = "Send 'Authorization: Bearer <access_token>' with a token from /oauth2/token."
    return 401, errors_only(
        error(
            trace_id,
            type_="authorization",
            code=code,
            instance=path,
            title=title,
            detail=detail,
            legacy_trace=True,
        )
    )


def retired(trace_id: str, path: str, version: str | None, current: str | None) -> Answer:
    advice = f" Use {current}." if current else ""
    return 410, errors_only(
        error(
            trace_id,
            type_="deprecation",
            code="api-version-retired",
            instance=path,
            title="API version retired",
            detail=f"Version {version or 'requested'} is retired and no longer served.{advice}",
        )
    )


def advertisers(ctx: Context) -> Answer:
    data = [
        {"type": "advertiser", "id": adv_id, "attributes": {"advertiserName": name}}
        for adv_id, name in sorted(ctx.config.advertisers.items())
        if adv_id in ctx.config.in_scope
    ]
    return 200, envelope(data)


def conversions(ctx: Context, raw: bytes | None) -> Answer:
    if raw is None:
        return ctx.fail(
            413,
            "validation",
            "payload-too-large",
            "Request too large",
            f"The body is larger than {ctx.config.max_body_bytes} bytes: send fewer conversions.",
        )
    content_type = ctx.header("Content-Type").split(";")[0].strip().lower()
    if content_type != "application/json" and not content_type.endswith("+json"):
        return ctx.fail(
            415,
            "validation",
            "unsupported-media-type",
            "Unsupported media type",
            "Send the body as JSON with 'Content-Type: application/json'.",
        )
    try:
        body = json.loads(raw, parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return ctx.fail(
            400, "validation", "invalid-json", "Body is not JSON", "The body is not valid JSON."
        )
    forbidden = _permission_errors(ctx, body)
    if forbidden:
        return 403, errors_only(*forbidden)
    problems = check_conversions(body, ctx.config.event_names)
    if problems:
        return 400, errors_only(
            *(
                error(
                    ctx.trace_id,
                    type_="validation",
                    code=p.code,
                    instance=ctx.path,
                    title=p.title,
                    detail=p.detail,
                    pointer=p.pointer,
                )
                for p in problems
            )
        )
    return _accept(ctx, json.loads(raw))


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _permission_errors(ctx: Context, body: Any) -> list[dict[str, Any]]:
    """403 for advertisers the credentials do not reach, known to Criteo or not."""
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        return []
    found = []
    for i, entry in enumerate(body["data"]):
        attrs = entry.get("attributes") if isinstance(entry, dict) else None
        adv = attrs.get("advertiser_id") if isinstance(attrs, dict) else None
        if not isinstance(adv, int) or isinstance(adv, bool) or adv <= 0:
            continue  # the contract check reports it
        if str(adv) in ctx.config.in_scope:
            continue
        known = str(adv) in ctx.config.advertisers
        detail = (
            f"Advertiser {adv} is not in this application's scope: ask the advertiser to "
            "approve the application (consent URL) for it."
            if known
            else f"Advertiser {adv} is not reachable with these credentials: check the "
            "advertiser id, or ask for consent if it is right."
        )
        found.append(
            error(
                ctx.trace_id,
                type_="access",
                code="insufficient-advertisers-permissions",
                instance=ctx.path,
                title="Insufficient advertisers permissions",
                detail=detail,
                pointer=pointer("data", i, "attributes", "advertiser_id"),
            )
        )
    return found


def _accept(ctx: Context, body: dict[str, Any]) -> Answer:
    entries = body["data"]
    keys = [
        (int(e["attributes"]["advertiser_id"]), str(e["attributes"]["transaction_data"]["id"]))
        if "transaction_data" in e["attributes"]
        else None
        for e in entries
    ]
    seen = ctx.state.accept_orders([k for k in keys if k is not None])
    duplicate_flags = iter(seen)
    data, warnings = [], []
    for i, entry in enumerate(entries):
        data.append(
            {"type": "Conversion", "id": str(uuid.uuid4()), "attributes": entry["attributes"]}
        )
        key = keys[i]
        if key is not None and next(duplicate_flags):
            warnings.append(
                warning(
                    ctx.trace_id,
                    type_="validation",
                    code="duplicate-transaction",
                    instance=ctx.path,
                    title="Transaction already received",
                    detail=f"Transaction {key[1]!r} was already received for advertiser "
                    f"{key[0]}; it is accepted again and may be deduplicated.",
                )
            )
    return 200, envelope(data, warnings=warnings)


# --- faults -------------------------------------------------------------------------------


def fault_answer(
    fault: Fault, trace_id: str, path: str, version: str | None, current: str | None
) -> Answer:
    """The answer for a fault that replaces the normal one (not drop or malformed)."""
    if fault is Fault.RETIRED:
        return retired(trace_id, path, version, current)
    if fault is Fault.EXPIRED_TOKEN:
        return unauthorized(trace_id, path, expired=True)
    if fault is Fault.ERRORS_IN_200:
        return 200, envelope(
            [],
            errors=[
                error(
                    trace_id,
                    type_="validation",
                    code="conversion-not-processed",
                    instance=path,
                    title="The conversion was not processed",
                    detail="The request was well-formed, but the conversion could not be "
                    "recorded: check the event in the advertiser's Criteo account.",
                )
            ],
        )
    if fault is Fault.RATE_LIMIT:
        status, type_, code = 429, "quota", "too-many-requests"
        title, detail = "Too many requests", "The rate limit is reached: wait and retry."
    else:
        status, type_, code = 503, "unavailable", "service-unavailable"
        title, detail = "Service unavailable", "The service is temporarily unavailable: retry."
    return status, errors_only(
        error(trace_id, type_=type_, code=code, instance=path, title=title, detail=detail)
    )
