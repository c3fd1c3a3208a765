"""`criteo-console capture`: watch what the shop's own integration sends, until Ctrl-C."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from typing import Any

DEFAULT_PORT = 8789


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1); any other address requires a random key "
        "in every path, printed in the base URL",
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 = any)"
    )
    parser.add_argument(
        "--advertiser-id",
        action="append",
        type=int,
        default=[],
        metavar="ID",
        help="advertiser in scope in inspect mode (repeatable; default 1234567)",
    )
    parser.add_argument(
        "--checkout-email",
        metavar="EMAIL|-",
        help="the address used at the test checkout (- reads it from stdin); kept in memory "
        "only, to say whether each hashed email matches it",
    )
    upstream = parser.add_mutually_exclusive_group()
    upstream.add_argument(
        "--forward-url", metavar="URL", help="forward mode: pass every request to this Criteo"
    )
    upstream.add_argument(
        "--forward", metavar="PROFILE", help="forward mode: to this profile's base URL"
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per line on stdout")


def _checkout_email(value: str | None) -> str | None:
    from criteo_console.commands._usage import UsageError
    from criteo_console.core.identifiers import looks_like_email

    if value is None:
        return None
    email = sys.stdin.readline() if value == "-" else value
    email = email.strip()
    if not looks_like_email(email):
        raise UsageError(
            "--checkout-email does not look like an email address (one @ and a domain, no "
            "spaces); it is not shown here"
        )
    return email


def _config(args: argparse.Namespace) -> Any:
    from criteo_console.capture import DEFAULT_ADVERTISER_ID, CaptureConfig, CaptureMode
    from criteo_console.commands._usage import UsageError

    ids = tuple(dict.fromkeys(args.advertiser_id)) or (DEFAULT_ADVERTISER_ID,)
    if any(a <= 0 for a in ids):
        raise UsageError("--advertiser-id must be a whole positive number, such as 1234567")
    if not 0 <= args.port <= 65535:
        raise UsageError("--port must be between 0 and 65535")
    fields: dict[str, Any] = {"advertiser_ids": ids, "host": args.host.strip().strip("[]")}
    fields["port"] = args.port
    if args.forward:
        fields.update(_from_profile(args.forward))
    elif args.forward_url:
        fields.update(mode=CaptureMode.FORWARD, forward_url=args.forward_url)
    try:
        return CaptureConfig(**fields)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _from_profile(name: str) -> dict[str, Any]:
    from criteo_console.capture import CaptureMode
    from criteo_console.commands._usage import UsageError
    from criteo_console.commands.profile import open_profile_store
    from criteo_console.storage import ProfileNotFound

    try:
        profile = open_profile_store().get(name)
    except ProfileNotFound:
        raise UsageError(f"no profile named {name!r} (see: criteo-console profile list)") from None
    if profile.uses_embedded_sandbox:
        raise UsageError(
            f"profile {profile.name!r} is the built-in sandbox: leave out --forward, inspect mode "
            "answers the same way"
        )
    return {
        "mode": CaptureMode.FORWARD,
        "forward_url": profile.base_url,
        "profile": profile.name,
        "event_names": dict(profile.event_names),
    }


def run(args: argparse.Namespace) -> int:
    import signal

    from criteo_console.capture import CapturedRequest, CaptureServer
    from criteo_console.storage import EventLog, LogFromNewerVersion, LogUnreadable, StoragePaths

    config = _config(args)
    email = _checkout_email(args.checkout_email)
    try:
        log = EventLog(StoragePaths.resolve().log_file)
    except (LogUnreadable, LogFromNewerVersion) as exc:
        print(f"criteo-console capture: {exc}", file=sys.stderr)
        return 1
    out_lock = threading.Lock()

    def emit(line: str) -> None:
        with out_lock:
            try:
                print(line, flush=True)
            except BrokenPipeError:
                stop.set()

    def on_request(captured: CapturedRequest) -> None:
        emit(json.dumps(captured.as_json()) if args.json else captured.plain_line())

    stop = threading.Event()
    server = CaptureServer(config, event_log=log, checkout_email=email, on_request=on_request)
    try:
        server.start()
    except OSError as exc:
        log.close()
        print(
            f"criteo-console capture: cannot listen on {config.host} port {config.port} "
            f"({exc.strerror or exc}). Pick another port with --port.",
            file=sys.stderr,
        )
        return 1
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    if args.json:
        emit(json.dumps({"kind": "listening", "base_url": server.base_url,
                         "mode": config.mode.value}))  # fmt: skip
    else:
        emit(_banner(server, email is not None))
    try:
        while not stop.wait(1.0):  # a timeout keeps Ctrl-C responsive on Windows
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        log.close()
    count = len(server.requests())
    if args.json:
        emit(json.dumps({"kind": "stopped", "requests": count}))
    else:
        emit(f"Capture stopped after {count} request(s). Review them: criteo-console log list "
             "--source shop")  # fmt: skip
    return 0


def _banner(server: Any, has_email: bool) -> str:
    base = server.base_url
    lines = [
        f"Watching the shop on {base}",
        f"  mode:        {server.mode_text}",
        f"  set the shop's Criteo base URL to {base} — token: {base.rstrip('/')}/oauth2/token",
        f"  Events API (s2s): {base.rstrip('/')}/m/event?version=s2s_v0",
    ]
    if server.config.mode.value == "inspect":
        ids = ", ".join(str(a) for a in server.config.advertiser_ids)
        lines.append(f"  advertisers: {ids} (in scope); any client id and secret get a token")
    if server.key:
        lines.append("  the key in the address is required on every request; keep it private")
    if not has_email:
        lines.append("  tip: --checkout-email - checks every hashed email against the test order's")
    lines.append("Press Ctrl-C to stop.")
    return "\n".join(lines)
