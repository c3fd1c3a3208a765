"""`criteo-console sandbox`: serve the local Criteo until Ctrl-C."""

from __future__ import annotations

import argparse
import ipaddress
import sys
from typing import Any

LISTENING = "Criteo sandbox listening on"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8787, help="port (default 8787; 0 = any free)")
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a non-loopback --host; anyone on that network can then use the documented "
        "credentials and read what the sandbox received",
    )
    parser.add_argument(
        "--token-ttl", type=int, default=900, metavar="S", help="token lifetime in seconds"
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME",
        help="misbehave on every request: rate-limit, server-error, slow, drop-connection, "
        "malformed-json, deprecated, retired, expired-token, errors-in-200, redirect (the "
        "Events API's 307 to a regional path) (repeatable)",
    )
    parser.add_argument(
        "--slow-delay", type=float, default=5.0, metavar="S", help="delay of the slow fault"
    )
    parser.add_argument(
        "--deprecated",
        action="append",
        default=[],
        metavar="VERSION",
        help="answer this API version with Deprecation/Sunset headers (repeatable)",
    )
    parser.add_argument(
        "--retired",
        action="append",
        default=[],
        metavar="VERSION",
        help="answer this API version with 410 Gone (repeatable)",
    )
    parser.add_argument(
        "--log-requests",
        action="store_true",
        help="print one line per request (method, path, status; never headers or bodies)",
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _config(args: argparse.Namespace) -> Any:
    from criteo_console.commands._usage import UsageError
    from criteo_console.sandbox import Fault, SandboxConfig

    try:
        faults = tuple(Fault.parse(name) for name in args.fault)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.token_ttl < 1:
        raise UsageError("--token-ttl must be at least 1 second")
    if args.slow_delay < 0:
        raise UsageError("--slow-delay must not be negative")
    try:
        return SandboxConfig(
            token_ttl=args.token_ttl,
            run_faults=faults,
            slow_delay=args.slow_delay,
            deprecated_versions=frozenset(args.deprecated),
            retired_versions=frozenset(args.retired),
            log_requests=args.log_requests,
        )
    except ValueError as exc:
        raise UsageError(f"{exc} (served: 2023-07, 2026-01, 2026-07, 2027-01)") from None


def run(args: argparse.Namespace) -> int:
    import signal
    import threading

    from criteo_console.commands._usage import UsageError
    from criteo_console.sandbox import SandboxServer

    args.host = args.host.strip().strip("[]")  # "[::1]" as written in a URL
    if not _is_loopback(args.host) and not args.allow_remote:
        raise UsageError(
            f"{args.host} is not a loopback address: the sandbox's credentials are public, so "
            "anyone who can reach it could use it and read what it received. "
            "Add --allow-remote if that is really wanted."
        )
    if not 0 <= args.port <= 65535:
        raise UsageError("--port must be between 0 and 65535")
    config = _config(args)
    server = SandboxServer(config, host=args.host, port=args.port)
    try:
        server.start()
    except OSError as exc:
        hint = "Pick another port with --port."
        if ":" in args.host:
            hint = "If this computer has no IPv6, use --host 127.0.0.1; else pick another --port."
        print(
            f"criteo-console sandbox: cannot listen on {args.host} port {args.port} "
            f"({exc.strerror or exc}). {hint}",
            file=sys.stderr,
        )
        return 1

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    _print_banner(server, config)
    try:
        # A timeout keeps Ctrl-C responsive on Windows, where lock waits are not interruptible.
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    print("Sandbox stopped.", flush=True)
    return 0


def _print_banner(server: Any, config: Any) -> None:
    advertisers = ", ".join(
        f"{adv} ({name}{'' if adv in config.in_scope else ', not in scope'})"
        for adv, name in config.advertisers.items()
    )
    lines = [
        f"{LISTENING} {server.base_url}",
        f"  client id:     {config.client_id}",
        f"  client secret: {config.client_secret}   (public sandbox credentials)",
        f"  advertisers:   {advertisers}",
        f"  versions:      {', '.join(config.versions)}",
        f"  token ttl:     {config.token_ttl} s",
        f"  events API:    POST {server.base_url}/m/event?version=s2s_v0 (account "
        f"{config.events_account}, caller id {config.events_caller_id})",
    ]
    if config.deprecated_versions:
        lines.append(f"  deprecated:    {', '.join(sorted(config.deprecated_versions))}")
    if config.retired_versions:
        lines.append(f"  retired:       {', '.join(sorted(config.retired_versions))}")
    if config.run_faults:
        lines.append(f"  faults:        {', '.join(f.value for f in config.run_faults)}")
    lines.append("Press Ctrl-C to stop.")
    print("\n".join(lines), flush=True)
