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


def profile_context(args: argparse.Namespace) -> Any:
    from criteo_console.core import DEFAULT_EVENT_NAMES, ProfileContext

    mapping = dict(DEFAULT_EVENT_NAMES)
    for entry in args.event_name:
        canonical, sep, criteo_name = entry.partition("=")
        if not sep or not canonical.strip():
            raise UsageError(f"--event-name expects EVENT=NAME, got {entry!r}")
        mapping[canonical.strip()] = criteo_name
    advertiser = args.advertiser_id
    if advertiser is None:
        advertiser = os.environ.get("CRITEO_ADVERTISER_ID")
    return ProfileContext(advertiser_id=advertiser, event_names=mapping)


def format_issues(issues: list[Any]) -> str:
    lines = []
    for issue in issues:
        where = f"{issue.field}: " if issue.field else ""
        lines.append(f"  {issue.level.value.upper():7} {where}{issue.message}  [{issue.code}]")
    return "\n".join(lines)
