"""Shared by the order commands: read ORDER.json and the profile context from flags/env."""

from __future__ import annotations

import argparse
import os
import stat
import sys
from typing import Any

from criteo_console.commands._usage import UsageError

STDIN = "-"


def add_order_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "order_file",
        metavar="ORDER.json",
        help="the order, as canonical JSON (- reads it from standard input)",
    )
    parser.add_argument(
        "--advertiser-id",
        metavar="N",
        help="the advertiser's Criteo id (default: $CRITEO_ADVERTISER_ID)",
    )
    parser.add_argument(
        "--event-name",
        metavar="EVENT=NAME",
        action="append",
        default=[],
        help="map a canonical event to the exact Criteo event name, e.g. purchase=purchase "
        "(repeatable; default purchase=purchase)",
    )
    add_destination_arguments(parser)


# Literal so that building the parser imports no core module; a test keeps it equal to
# core.destinations.DESTINATION_NAMES.
DESTINATION_CHOICES = ("conversions", "events")


def add_destination_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "destination",
        "where the order goes: the integration guide's Conversions API (default) or Criteo's "
        "server-side Events API (no OAuth: account and caller id travel in the body)",
    )
    group.add_argument(
        "--destination",
        choices=DESTINATION_CHOICES,
        help="conversions (default) or events",
    )
    group.add_argument(
        "--account",
        metavar="ID",
        help="events: the Criteo partner account id (default: $CRITEO_ACCOUNT_ID)",
    )
    group.add_argument(
        "--mapping-key",
        metavar="ID",
        help="events: the caller id Criteo gave, sent as id.mapping_key "
        "(default: $CRITEO_CALLER_ID)",
    )
    group.add_argument(
        "--site-type",
        metavar="d|m|aa|ai",
        help="events: desktop, mobile web, Android app or iOS app (default: d)",
    )


def read_order(path_text: str) -> Any:
    """The order in ``path_text`` (``-`` for standard input), parsed; UsageError if unusable.

    Only a regular file is opened for reading (a FIFO or a device such as /dev/zero is refused
    without reading a byte), and no more than MAX_ORDER_BYTES + 1 bytes are read from either.
    """
    if path_text == STDIN:
        return parse_order("standard input", _read_stdin())
    return parse_order(path_text, _read_file(path_text))


def parse_order(name: str, data: bytes) -> Any:
    """The order JSON in ``data`` (read from ``name``); UsageError in one plain line if not."""
    from criteo_console.core import loads_json
    from criteo_console.core.jsonfmt import MAX_JSON_DEPTH, JsonTooDeepError

    try:
        return loads_json(data)
    except UnicodeDecodeError:
        raise UsageError(f"{name} is not UTF-8 text") from None
    except JsonTooDeepError:
        raise UsageError(
            f"{name} is nested more than {MAX_JSON_DEPTH} levels deep, which no order is"
        ) from None
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else ""
        raise UsageError(f"{name} is not valid JSON{where}") from None


def _read_stdin() -> bytes:
    from criteo_console.core.order import MAX_ORDER_BYTES

    data = sys.stdin.buffer.read(MAX_ORDER_BYTES + 1)
    _check_size("standard input", data)
    return data


def _check_size(name: str, data: bytes) -> None:
    from criteo_console.core.order import MAX_ORDER_BYTES

    if len(data) > MAX_ORDER_BYTES:
        cap = f"{MAX_ORDER_BYTES // (1024 * 1024)} MiB ({MAX_ORDER_BYTES:,} bytes)"
        raise UsageError(f"{name} is larger than {cap}, far more than any order")


def _read_file(path_text: str) -> bytes:
    from criteo_console.core.order import MAX_ORDER_BYTES

    # O_NONBLOCK: opening a FIFO must not wait for a writer (fstat then refuses it); on a
    # regular file, the only kind read, it changes nothing.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path_text, flags)
    except FileNotFoundError:
        raise UsageError(f"no such file: {path_text}") from None
    except IsADirectoryError:
        raise UsageError(f"{path_text} is a folder, not an order file") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path_text}: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise UsageError(f"{path_text} is a folder, not an order file")
        if not stat.S_ISREG(mode):
            raise UsageError(
                f"{path_text} is {_kind(mode)}, not an order file; save the order to a file first"
            )
        with os.fdopen(fd, "rb", closefd=False) as file:
            data = file.read(MAX_ORDER_BYTES + 1)  # buffered: until that many bytes, or EOF
    except OSError as exc:
        raise UsageError(f"cannot read {path_text}: {exc.strerror}") from None
    finally:
        os.close(fd)
    _check_size(path_text, data)
    return data


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def destination_settings(args: argparse.Namespace, defaults: Any = None) -> Any:
    """The Events API settings: flags first, then ``defaults`` (a profile's), then the
    environment."""
    from criteo_console.core.destinations import DestinationSettings

    base = defaults or DestinationSettings()
    account = args.account or base.account or os.environ.get("CRITEO_ACCOUNT_ID", "")
    key = args.mapping_key or base.mapping_key or os.environ.get("CRITEO_CALLER_ID", "")
    site_type = args.site_type if args.site_type is not None else base.site_type
    return DestinationSettings(account=account.strip(), mapping_key=key, site_type=site_type)


def profile_context(args: argparse.Namespace) -> Any:
    from criteo_console.core import DEFAULT_EVENT_NAMES, ProfileContext
    from criteo_console.core.destinations import DEFAULT_DESTINATION

    mapping = dict(DEFAULT_EVENT_NAMES)
    for entry in args.event_name:
        canonical, sep, criteo_name = entry.partition("=")
        if not sep or not canonical.strip():
            raise UsageError(f"--event-name expects EVENT=NAME, got {entry!r}")
        if not _is_text(entry):  # bytes that were not UTF-8 on the command line
            raise UsageError(f"--event-name {entry!r} holds characters that are not valid text")
        mapping[canonical.strip()] = criteo_name
    advertiser = args.advertiser_id
    if advertiser is None:
        advertiser = os.environ.get("CRITEO_ADVERTISER_ID")
    return ProfileContext(
        advertiser_id=advertiser,
        event_names=mapping,
        destination=args.destination or DEFAULT_DESTINATION,
        settings=destination_settings(args),
    )


def _is_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def format_issues(issues: list[Any]) -> str:
    lines = []
    for issue in issues:
        where = f"{issue.field}: " if issue.field else ""
        lines.append(f"  {issue.level.value.upper():7} {where}{issue.message}  [{issue.code}]")
    return "\n".join(lines)
