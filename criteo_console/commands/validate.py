"""`criteo-console validate ORDER.json --advertiser-id N [--event-name purchase=NAME] [--json]`."""

from __future__ import annotations

import argparse

from criteo_console.commands._order_input import (
    add_order_arguments,
    format_issues,
    profile_context,
    read_order,
)


def register(parser: argparse.ArgumentParser) -> None:
    add_order_arguments(parser)
    parser.add_argument(
        "--json",
        action="store_true",
        help='print one JSON object: {"ok", "issues", "payload"}',
    )


def run(args: argparse.Namespace) -> int:
    from criteo_console.core import check_order, dumps_json

    raw = read_order(args.order_file)
    result = check_order(raw, profile_context(args))
    if args.json:
        print(dumps_json(result.as_dict(), indent=2))
    else:
        print(_summary(result))
    return 0 if result.ok else 1


def _summary(result: object) -> str:
    from criteo_console.core import OrderCheck

    assert isinstance(result, OrderCheck)
    errors, warnings = len(result.errors), len(result.warnings)
    if result.ok:
        head = "The order is ready to send."
        if warnings:
            head += f" {warnings} warning{'s' if warnings != 1 else ''} to review:"
    else:
        head = (
            f"The order cannot be sent: {errors} problem{'s' if errors != 1 else ''} to fix"
            + (f", {warnings} warning{'s' if warnings != 1 else ''}" if warnings else "")
            + ":"
        )
    lines = [head]
    if result.issues:
        lines.append(format_issues(result.issues))
    lines.append(f"Identifiers: {result.coverage.label}.")
    lines.append(f"Destination: {_destination_label(result.destination)}.")
    return "\n".join(lines)


def _destination_label(name: str) -> str:
    from criteo_console.core.destinations import get_destination

    return get_destination(name).label
