"""One HTTP request to the sandbox: routing, faults, and the three Criteo endpoints."""

from __future__ import annotations

import json
import sys
import threading
from datetime import UTC, datetime
from decimal import Decimal
from socket import socket
from typing import Any, cast

from criteo_console.sandbox import endpoints, events_endpoint
from criteo_console.sandbox.config import Fault, SandboxConfig
from criteo_console.sandbox.envelope import error, errors_only, new_trace_id
from criteo_console.sandbox.faults import (
    FAULT_HEADER,
    MALFORMED_BODY,
    FaultPlan,
    deprecation_headers,
    parse_header,
    plan,
    rate_limit_headers,
)
from criteo_console.sandbox.httpserver import TrackedHandler, TrackedHTTPServer
from criteo_console.sandbox.state import ReceivedConversion, SandboxState

TRACE_HEADER = "x-criteo-trace-id"


class SandboxHTTPServer(TrackedHTTPServer):
    """The sandbox's server: its configuration, its state and a stop flag for slow answers."""

    def __init__(
        self,
        address: tuple[str, int],
        config: SandboxConfig,
        state: SandboxState,
        listening: socket | None = None,
    ) -> None:
        self.config = config
        self.state = state
        self.stopping = threading.Event()
        super().__init__(address, SandboxHandler, listening)


class SandboxHandler(TrackedHandler):
    server_version = "CriteoSandbox/1.0"

    # --- plumbing -------------------------------------------------------------------------

    @property
    def sandbox(self) -> SandboxHTTPServer:
        return cast(SandboxHTTPServer, self.server)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        # Path only: a query string could carry a secret; headers and bodies are never logged.
        if self.sandbox.config.log_requests:
            path = self.path.partition("?")[0]
            sys.stderr.write(f"sandbox: {self.command} {path} -> {code}\n")

    def do_GET(self) -> None:
        self._dispatch()

    def do_POST(self) -> None:
        self._dispatch()

    def do_PUT(self) -> None:
        self._dispatch()

    def do_DELETE(self) -> None:
        self._dispatch()

    def do_PATCH(self) -> None:
        self._dispatch()

    # --- request flow ---------------------------------------------------------------------

    def _dispatch(self) -> None:
        self.trace_id = new_trace_id()
        self.extra_headers: dict[str, str] = {}
        self.answer: tuple[int | None, Any] = (None, None)
        self.pending: tuple[int, bytes] | None = None
        path, _, self.query = self.path.partition("?")
        self._handle(path, self._read_body())
        # Written last, so that what was received is on record before the client hears back.
        if self.pending is not None:
            self._write(*self.pending)

    def _handle(self, path: str, body: bytes | None) -> None:
        if path.startswith("/_sandbox/"):
            self._admin(path)
            return
        endpoint, version = _route(path, self.sandbox.config.events_region)
        if endpoint is None:
            self._send(404, _not_found(self.trace_id, path))
            return
        self.sandbox.state.count(endpoint)
        plan_ = self._fault_plan(endpoint)
        if plan_ is None:
            return
        self._serve(endpoint, version, path, body, plan_)
        if endpoint == "conversions":
            self._record(version or "", body, plan_)
        elif endpoint == "events" and self.answer[0] != 307:
            self._record(events_endpoint.S2S_VERSION, body, plan_, endpoint="events")

    def _read_body(self) -> bytes | None:
        """The request body, or None when it is larger than the sandbox accepts."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if length > self.sandbox.config.max_body_bytes:
            self.close_connection = True  # the unread body makes the connection unusable
            return None
        return self.rfile.read(length) if length > 0 else b""

    def _fault_plan(self, endpoint: str) -> FaultPlan | None:
        try:
            faults = parse_header(self.headers.get(FAULT_HEADER))
        except ValueError as exc:
            self._send(
                400,
                errors_only(
                    error(
                        self.trace_id,
                        type_="validation",
                        code="unknown-sandbox-fault",
                        instance=self.path.partition("?")[0],
                        title="Unknown sandbox fault",
                        detail=str(exc),
                    )
                ),
            )
            return None
        queued = self.sandbox.state.take_queued_fault(endpoint)
        if queued is not None:
            faults.append(queued)
        faults.extend(self.sandbox.config.run_faults)
        return plan(endpoint, faults)

    def _serve(
        self, endpoint: str, version: str | None, path: str, body: bytes | None, plan_: FaultPlan
    ) -> None:
        config = self.sandbox.config
        if plan_.slow and self.sandbox.stopping.wait(config.slow_delay):
            self._drop()  # stop() interrupts the delay; no answer on the way out
            return
        if version is not None and (plan_.deprecated or version in config.deprecated_versions):
            self.extra_headers.update(deprecation_headers(config, version))
        terminal = plan_.terminal
        if terminal is Fault.REDIRECT and version is not None:
            terminal = None  # already on the regional path: served there
        ctx = endpoints.Context(config, self.sandbox.state, self.trace_id, path, dict(self.headers))
        if terminal is Fault.ERRORS_IN_200 and endpoint == "events":
            self._send(*events_endpoint.rejected_in_200(ctx))
            return
        if terminal is not None:
            self._fault(terminal, path, version)
            return
        if endpoint == "token":
            status, payload = endpoints.token(ctx, self.command, body)
        elif endpoint == "events":
            status, payload = events_endpoint.events(ctx, self.command, self.query, body)
        else:
            assert version is not None
            status, payload = endpoints.versioned(ctx, endpoint, version, self.command, body)
        if status == 401:
            self.extra_headers["WWW-Authenticate"] = "Bearer"
        if status == 405:
            self.extra_headers["Allow"] = "GET" if endpoint == "advertisers" else "POST"
        self._send(status, payload)

    def _fault(self, fault: Fault, path: str, version: str | None) -> None:
        config = self.sandbox.config
        if fault is Fault.DROP_CONNECTION:
            self._drop()
            return
        if fault is Fault.MALFORMED_JSON:
            self._send_raw(200, MALFORMED_BODY)
            return
        if fault is Fault.REDIRECT:
            region = self.sandbox.config.events_region
            host = self.headers.get("Host") or self._listening_on()
            query = f"?{self.query}" if self.query else ""
            self.extra_headers["Location"] = f"http://{host}/{region}{path}{query}"
            self._send(307, {})
            return
        if fault is Fault.RATE_LIMIT:
            self.extra_headers.update(rate_limit_headers(config))
        status, payload = endpoints.fault_answer(
            fault, self.trace_id, path, version, config.current_version()
        )
        self._send(status, payload)

    def _listening_on(self) -> str:
        address = cast(tuple[str, int], self.sandbox.server_address)
        host = f"[{address[0]}]" if ":" in address[0] else address[0]
        return f"{host}:{address[1]}"

    def _admin(self, path: str) -> None:
        state = self.sandbox.state
        if path == "/_sandbox/received" and self.command == "GET":
            self._send(200, [entry.to_json() for entry in state.snapshot()])
        elif path == "/_sandbox/reset" and self.command == "POST":
            state.reset()
            self._send(200, {"reset": True})
        else:
            self._send(404, _not_found(self.trace_id, path))

    # --- answering ------------------------------------------------------------------------

    def _drop(self) -> None:
        self.answer, self.pending = (None, None), None
        self.close_connection = True

    def _send(self, status: int, payload: Any) -> None:
        self.answer = (status, payload)
        self.pending = (status, json.dumps(payload, default=_json_default).encode())

    def _send_raw(self, status: int, data: bytes) -> None:
        self.answer = (status, data.decode("utf-8", "replace"))
        self.pending = (status, data)

    def _write(self, status: int, data: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header(TRACE_HEADER, self.trace_id)
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)

    def _record(
        self, version: str, raw: bytes | None, plan_: FaultPlan, endpoint: str = "conversions"
    ) -> None:
        body = _plain_json(raw)
        status, response = self.answer
        accepted = status == 200 and isinstance(response, dict) and not response.get("errors")
        data = response.get("data") if accepted and isinstance(response, dict) else None
        conversion_ids = tuple(str(d.get("id")) for d in data or [] if isinstance(d, dict))
        if endpoint == "events":
            order_ids, advertiser = _event_ids(body)
        else:
            attrs = _attributes(body)
            order_ids = tuple(_order_id(a) for a in attrs)
            advertiser = attrs[0].get("advertiser_id") if attrs else None
        self.sandbox.state.record(
            ReceivedConversion(
                time=datetime.now(UTC),
                version=version,
                advertiser_id=advertiser if isinstance(advertiser, int) else None,
                order_id=order_ids[0] if order_ids else None,
                body=body,
                status=status,
                response=response,
                accepted=accepted,
                conversion_id=conversion_ids[0] if conversion_ids else None,
                trace_id=self.trace_id,
                fault=plan_.label,
                order_ids=tuple(o for o in order_ids if o is not None),
                conversion_ids=conversion_ids,
                endpoint=endpoint,
            ),
            keep=self.sandbox.config.max_received,
        )


def _route(path: str, region: str) -> tuple[str | None, str | None]:
    """(endpoint, version); for ``events`` the second is the region of a regional path."""
    if path == "/oauth2/token":
        return "token", None
    if path == events_endpoint.EVENTS_PATH:
        return "events", None
    if path == f"/{region}{events_endpoint.EVENTS_PATH}":
        return "events", region
    parts = path.strip("/").split("/")
    if len(parts) == 3 and parts[1:] == ["advertisers", "me"]:
        return "advertisers", parts[0]
    if len(parts) == 2 and parts[1] == "conversions":
        return "conversions", parts[0]
    return None, None


def _not_found(trace_id: str, path: str) -> dict[str, Any]:
    return errors_only(
        error(
            trace_id,
            type_="validation",
            code="route-not-found",
            instance=path,
            title="Not found",
            detail="The sandbox serves POST /oauth2/token, GET /{version}/advertisers/me, "
            "POST /{version}/conversions and POST /m/event?version=s2s_v0.",
        )
    )


def _plain_json(raw: bytes | None) -> Any:
    if not raw:
        return None
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return None


def _attributes(body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        return []
    out = []
    for entry in body["data"]:
        attrs = entry.get("attributes") if isinstance(entry, dict) else None
        out.append(attrs if isinstance(attrs, dict) else {})
    return out


def _event_ids(body: Any) -> tuple[tuple[str | None, ...], object]:
    """The order ids of an Events API body and its partner account (as a number)."""
    if not isinstance(body, dict):
        return (), None
    events = body.get("events")
    ids = tuple(
        e.get("id") if isinstance(e.get("id"), str) else None
        for e in (events if isinstance(events, list) else [])
        if isinstance(e, dict)
    )
    account = body.get("account")
    number = int(account) if isinstance(account, str) and account.isdigit() else account
    return ids, number


def _order_id(attrs: dict[str, Any]) -> str | None:
    tx = attrs.get("transaction_data")
    order = tx.get("id") if isinstance(tx, dict) else None
    return order if isinstance(order, str) else None


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
