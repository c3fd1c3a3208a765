"""`criteo-console payload ORDER.json --advertiser-id N`: exactly the body that would be POSTed."""

from __future__ import annotations

import argparse
import sys

from criteo_console.commands._order_input import (
    add_order_arguments,
    format_issues,
    profile_context,
    read_order,
)


def register(parser: argparse.ArgumentParser) -> None:
    add_order_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from criteo_console.core import check_order, dumps_json

    result = check_order(read_order(args.order_file), profile_context(args))
    if not result.ok or result.payload is None:
        print("The order cannot be sent:", file=sys.stderr)
        print(format_issues(result.issues), file=sys.stderr)
        return 1
    print(dumps_json(result.payload, indent=2))
    return 0
