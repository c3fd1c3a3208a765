"""`criteo-console log list|show ID|report ID|export|import FILE|move-aside` (the send history)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from criteo_console.storage import EventLog, LogFilter

STATES = ("pending", "accepted", "rejected", "failed")


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--status", choices=STATES)
    parser.add_argument("--order-id", help="exact order id")
    parser.add_argument("--profile")
    parser.add_argument("--search", help="part of an order id or trace id")
    parser.add_argument(
        "--source",
        choices=("console", "shop"),
        help="console: sent from here; shop: the shop's own requests seen by `capture`",
    )


def register(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    lst = sub.add_parser("list", help="newest attempts first")
    lst.add_argument("--limit", type=int, default=20)
    _add_filters(lst)
    show = sub.add_parser("show", help="every stored detail of one attempt, as JSON")
    show.add_argument("id", type=int, help="the attempt number shown by `log list`")
    report = sub.add_parser(
        "report", help="the sign-off report of one attempt: the six checks, as a printable page"
    )
    report.add_argument("id", type=int, help="the attempt number shown by `log list`")
    report.add_argument("--output", help="HTML file to write (default: stdout)")
    report.add_argument("--signed-by", default="", metavar="NAME", help="who signs it off")
    exp = sub.add_parser("export", help="write the (filtered) log as JSON Lines or CSV")
    exp.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    exp.add_argument("--output", help="file to write (default: stdout)")
    _add_filters(exp)
    imp = sub.add_parser("import", help="add rows from a JSON Lines export (no duplicates)")
    imp.add_argument("file")
    sub.add_parser(
        "move-aside", help="rename an unreadable log file out of the way and start fresh"
    )


def _filters(args: argparse.Namespace) -> LogFilter:
    from criteo_console.storage import LogFilter

    return LogFilter(
        state=args.status,
        order_id=args.order_id,
        profile=args.profile,
        text=args.search,
        source=args.source,
    )


def run(args: argparse.Namespace) -> int:
    import sqlite3

    from criteo_console.commands._usage import UsageError
    from criteo_console.storage import (
        EventLog,
        LogFromNewerVersion,
        LogPathUnusable,
        LogUnavailable,
        LogUnreadable,
    )
    from criteo_console.storage.paths import StoragePaths

    path = StoragePaths.resolve().log_file
    if args.action == "move-aside":
        return _move_aside(path)
    try:
        log = EventLog(path)
    except LogPathUnusable as exc:
        raise UsageError(str(exc)) from None
    except LogUnavailable as exc:  # busy, disk full, read-only: the log itself is fine
        return _failed(str(exc))
    except LogUnreadable as exc:
        return _failed(f"{exc} To do that: criteo-console log move-aside")
    except LogFromNewerVersion as exc:
        return _failed(str(exc))
    with log:
        handler = {
            "list": _list,
            "show": _show,
            "report": _report,
            "export": _export,
            "import": _import,
        }
        try:
            return handler[args.action](log, args)
        except sqlite3.OperationalError as exc:  # e.g. an import while another program writes
            from criteo_console.storage.faults import describe_sqlite_error

            return _failed(describe_sqlite_error(exc, f"The event log at {path}", path))


def _failed(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


def _move_aside(path: Path) -> int:
    """Only a damaged file moves: a log that is busy, on a full or read-only disk, or from a
    newer console is readable, and moving it would hide its history and duplicate check."""
    from criteo_console.commands._usage import UsageError
    from criteo_console.storage import (
        EventLog,
        LogFromNewerVersion,
        LogPathUnusable,
        LogUnavailable,
        LogUnreadable,
        StorageFault,
        move_aside,
    )

    if not path.exists():
        print(f"There is no log file at {path}; nothing to do.")
        return 0
    try:
        EventLog(path).close()
    except LogPathUnusable as exc:  # a folder or forbidden path: nothing to move
        raise UsageError(str(exc)) from None
    except LogUnavailable as exc:
        return _failed(f"{exc} The log is not damaged, so it was not moved aside.")
    except LogFromNewerVersion as exc:
        return _failed(f"{exc} It was not moved aside.")
    except LogUnreadable:
        try:
            kept = move_aside(path)
        except OSError as exc:
            what = f"The unreadable log at {path}"
            return _failed(str(StorageFault.from_os_error(exc, what, path, "moved aside")))
        print(f"The unreadable log was kept as {kept}. A fresh log starts now.")
        return 0
    print(f"The log at {path} is readable; it was left as it is.")
    return 1


def _list(log: EventLog, args: argparse.Namespace) -> int:
    from criteo_console.commands._usage import UsageError

    if args.limit <= 0:
        raise UsageError("--limit must be a positive number")
    filters = _filters(args)
    rows = log.page(limit=args.limit, filters=filters)
    total = log.count(filters)
    table = [("ID", "TIME (UTC)", "PROFILE", "ORDER", "VALUE", "STATUS", "HTTP", "TRACE ID")]
    for a in rows:
        value = f"{a.value or ''} {a.currency or ''}".strip()
        table.append(
            (str(a.id), a.created_at[:19].replace("T", " "), a.profile, a.order_id or "",
             value, a.display_state, str(a.http_status or ""), a.trace_id or "")
        )  # fmt: skip
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for row in table:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    print(f"{len(rows)} of {total} attempts shown.")
    return 0


def _show(log: EventLog, args: argparse.Namespace) -> int:
    import json

    from criteo_console.commands._usage import UsageError

    attempt = log.get(args.id)
    if attempt is None:
        raise UsageError(f"there is no attempt with id {args.id}")
    data = {"status": attempt.display_state, **attempt.to_dict()}
    print(json.dumps(data, indent=2, ensure_ascii=False))
    return 0


def _report(log: EventLog, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from criteo_console.commands._usage import UsageError
    from criteo_console.core.signoff import evaluate_signoff, render_signoff_html

    attempt = log.get(args.id)
    if attempt is None:
        raise UsageError(f"there is no attempt with id {args.id}")
    signoff = evaluate_signoff(attempt.to_dict())
    page = render_signoff_html(
        signoff,
        signed_by=args.signed_by.strip(),
        signed_on=datetime.now(UTC).strftime("%Y-%m-%d") if args.signed_by.strip() else "",
    )
    if not args.output:
        sys.stdout.write(page)
    else:
        from pathlib import Path

        from criteo_console.storage.files import atomic_writer

        try:
            with atomic_writer(Path(args.output)) as out:
                out.write(page)
        except OSError as exc:
            raise UsageError(_cannot_write(args.output, exc)) from None
        print(f"Sign-off report written to {args.output}: {signoff.verdict}", file=sys.stderr)
    return 0 if signoff.passed else 1


def _export(log: EventLog, args: argparse.Namespace) -> int:
    filters = _filters(args)
    if args.output:
        from pathlib import Path

        from criteo_console.commands._usage import UsageError

        try:
            count = log.export_to_file(Path(args.output), args.format, filters)
        except OSError as exc:
            raise UsageError(_cannot_write(args.output, exc)) from None
        print(f"{count} attempts written to {args.output}.", file=sys.stderr)
    else:
        log.export(sys.stdout, args.format, filters)
    return 0


def _cannot_write(path: str, exc: OSError) -> str:
    return f"cannot write {path}: {(exc.strerror or type(exc).__name__).lower()}"


def _import(log: EventLog, args: argparse.Namespace) -> int:
    from criteo_console.commands._usage import UsageError

    try:
        # surrogateescape: a line that is not UTF-8 is reported and skipped, not a crash.
        source = open(args.file, encoding="utf-8", errors="surrogateescape")  # noqa: SIM115
    except OSError as exc:
        raise UsageError(f"cannot read {args.file}: {exc.strerror}") from None
    with source:
        result = log.import_jsonl(source)
    completed = f", {result.updated} pending ones completed" if result.updated else ""
    print(f"{result.added} attempts added{completed}, {result.duplicates} already in the log.")
    for problem in result.problems:
        print(problem, file=sys.stderr)
    return 1 if result.problems else 0
