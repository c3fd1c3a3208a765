"""`criteo-console report …` writes the signed sign-off report; `report verify FILE` checks one.

Writing: DIR/signoff.pdf, DIR/signoff.html and DIR/signoff.json for a profile's logged
attempts (all, those since a date, or the ones named). Exit 0 written, 1 nothing to report
(or refused), 2 usage. Verifying: exit 0 intact, 1 altered or unsigned, 2 unreadable.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from criteo_console.storage import EventLog
    from criteo_console.storage.secrets import SecretStore

EXIT_WRITTEN, EXIT_NOTHING, EXIT_USAGE = 0, 1, 2


def register(parser: argparse.ArgumentParser) -> None:
    parser.usage = (
        "%(prog)s --profile NAME --reviewer NAME --output DIR [--since DATE] "
        "[--attempt ID ...] [--client NAME] [--agency NAME]\n"
        "       %(prog)s verify FILE"
    )
    parser.epilog = (
        "Writing exits 0 when the three files are written, 1 when there is nothing to report, "
        "2 for a usage problem. verify exits 0 when the report is intact, 1 when it was "
        "altered or is not signed, 2 when the file cannot be read. See docs/report.md."
    )
    parser.add_argument("--profile", metavar="NAME", help="the profile whose sends to report")
    parser.add_argument("--reviewer", metavar="NAME", help="who reviews and signs it off")
    parser.add_argument("--output", metavar="DIR", help="folder for signoff.pdf/.html/.json")
    parser.add_argument(
        "--since", metavar="DATE", help="only attempts from this date (YYYY-MM-DD, UTC) on"
    )
    parser.add_argument(
        "--attempt",
        metavar="ID",
        type=int,
        action="append",
        help="only this attempt (as shown by `log list`); repeatable",
    )
    parser.add_argument("--client", metavar="NAME", default="", help="the advertiser's company")
    parser.add_argument("--agency", metavar="NAME", default="", help="the agency doing the work")
    sub = parser.add_subparsers(dest="action", metavar="verify FILE", title="checking a report")
    verify = sub.add_parser(
        "verify", help="check that a signoff.pdf or signoff.json is unaltered and signed"
    )
    verify.add_argument("file", metavar="FILE")


def run(args: argparse.Namespace) -> int:
    if args.action == "verify":
        return verify(Path(args.file))
    return write(args)


def verify(path: Path) -> int:
    from criteo_console.core.report.verify import UNREADABLE, verify_report

    try:
        data = path.read_bytes()
    except OSError as exc:
        print(f"Cannot read {path}: {(exc.strerror or type(exc).__name__).lower()}.")
        return UNREADABLE
    result = verify_report(data)
    print(result.line)
    return result.code


def write(args: argparse.Namespace) -> int:
    from criteo_console.commands._usage import UsageError

    missing = [f"--{n}" for n in ("profile", "reviewer", "output") if not getattr(args, n)]
    if missing:
        raise UsageError(f"{', '.join(missing)} needed (or: report verify FILE)")
    if not args.reviewer.strip():
        raise UsageError("--reviewer is empty: give the name of who signs the report off")
    since = _since(args.since)
    output = Path(args.output)
    if output.exists() and not output.is_dir():
        raise UsageError(f"--output {output} is a file: give a folder")
    log = _open_log()
    if log is None:
        return EXIT_NOTHING
    with log:
        records = _records(log, args.profile, since, args.attempt or [])
    if not records:
        print(
            f"Nothing to report: no logged attempt for profile {args.profile!r}"
            + (f" since {args.since}" if since else "")
            + ".",
            file=sys.stderr,
        )
        return EXIT_NOTHING
    return _write(records, args, output)


def _write(records: list[dict[str, Any]], args: argparse.Namespace, output: Path) -> int:
    import criteo_console
    from criteo_console.commands._usage import UsageError
    from criteo_console.core.report.document import ReportRequest
    from criteo_console.session.report_files import ReportRefused, write_signoff

    render_pdf = getattr(args, "render_pdf", None)
    if render_pdf is None:
        raise UsageError("the PDF is drawn with Qt (PySide6), which is not installed here")

    request = ReportRequest(
        reviewer=args.reviewer,
        client=args.client,
        agency=args.agency,
        profile=args.profile,
        console_version=criteo_console.__version__,
    )
    try:
        written = write_signoff(
            records,
            request,
            output,
            secret_store(),
            render_pdf,
            secrets=_profile_secrets(args.profile),
        )
    except ReportRefused as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_NOTHING
    except OSError as exc:
        reason = (exc.strerror or type(exc).__name__).lower()
        raise UsageError(f"cannot write to {output}: {reason}") from None
    print(
        f"Sign-off report ({written.orders} order(s)) written to {output}: signoff.pdf, "
        f"signoff.html, signoff.json. {written.sentence} Key {written.fingerprint}."
    )
    if written.key_note:
        print(written.key_note, file=sys.stderr)
    return EXIT_WRITTEN


def secret_store() -> SecretStore:
    """Where the report key lives (tests replace this with an in-memory keyring)."""
    from criteo_console.storage import open_secret_store

    return open_secret_store()


def _profile_secrets(profile: str) -> list[str]:
    """Secrets to mask once more: the profile's client secret when it can be read."""
    found = [os.environ.get("CRITEO_CLIENT_SECRET", "")]
    try:
        from criteo_console.commands.profile import open_profile_store
        from criteo_console.storage import SecretState

        lookup = open_profile_store().secret(profile)
        if lookup.state is SecretState.FOUND and lookup.secret:
            found.append(lookup.secret)
    except Exception:  # no such saved profile, or no readable settings: nothing more to mask
        pass
    return [s for s in found if s]


def _since(text: str | None) -> datetime | None:
    from criteo_console.commands._usage import UsageError

    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--since: “{text}” is not a date (use YYYY-MM-DD)") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _open_log() -> EventLog | None:
    from criteo_console.commands._usage import UsageError
    from criteo_console.storage import EventLog, LogFromNewerVersion, LogPathUnusable, LogUnreadable

    try:
        return EventLog()
    except LogPathUnusable as exc:
        raise UsageError(str(exc)) from None
    except (LogUnreadable, LogFromNewerVersion) as exc:
        print(str(exc), file=sys.stderr)
        return None


def _records(
    log: EventLog, profile: str, since: datetime | None, ids: list[int]
) -> list[dict[str, Any]]:
    from criteo_console.commands._usage import UsageError
    from criteo_console.storage import LogFilter

    if ids:
        chosen = []
        for attempt_id in dict.fromkeys(ids):
            attempt = log.get(attempt_id)
            if attempt is None:
                raise UsageError(f"there is no attempt with id {attempt_id}")
            if attempt.profile != profile:
                raise UsageError(
                    f"attempt {attempt_id} was sent with profile {attempt.profile!r}, "
                    f"not {profile!r}"
                )
            if since is None or attempt.created_at >= _iso(since):
                chosen.append(attempt.to_dict())
        return chosen
    filters = LogFilter(profile=profile, since=since)
    return [a.to_dict() for a in log.page(limit=log.count(filters) or 1, filters=filters)]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
