"""Shared by the order commands: read ORDER.json and the profile context from flags/env."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from criteo_console.commands._usage import UsageError


def add_order_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("order_file", metavar="ORDER.json", help="the order, as canonical JSON")
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
    from criteo_console.core import loads_json

    path = Path(path_text)
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"no such file: {path_text}") from None
    except IsADirectoryError:
        raise UsageError(f"{path_text} is a folder, not an order file") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path_text}: {exc.strerror}") from None
    try:
        return loads_json(text)
    except UnicodeDecodeError:
        raise UsageError(f"{path_text} is not UTF-8 text") from None
    except RecursionError:
        raise UsageError(f"{path_text} is nested too deeply to be an order") from None
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        where = f" (line {line})" if line else ""
        raise UsageError(f"{path_text} is not valid JSON{where}") from None


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


def format_issues(issues: list[Any]) -> str:
    lines = []
    for issue in issues:
        where = f"{issue.field}: " if issue.field else ""
        lines.append(f"  {issue.level.value.upper():7} {where}{issue.message}  [{issue.code}]")
    return "\n".join(lines)
