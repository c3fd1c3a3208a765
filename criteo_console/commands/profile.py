"""`criteo-console profile list|add|import FILE|remove NAME|export NAME` (headless profiles).

Settings and the log live under ``CRITEO_CONSOLE_HOME`` when it is set. The client secret
is never taken as a command-line argument (it would land in shell history and ``ps``):
use ``--secret-stdin`` or answer the prompt.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from criteo_console.commands._order_input import add_destination_arguments

if TYPE_CHECKING:
    from criteo_console.storage import ProfileStore


def register(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    sub.add_parser("list", help="list the profiles and where their secrets are kept")

    add = sub.add_parser("add", help="add a profile (the secret from stdin or a prompt)")
    add.add_argument("--name", required=True)
    add.add_argument(
        "--advertiser-id", help="required for the Conversions API (events: the --account)"
    )
    add.add_argument("--client-id", default="", help="required for the Conversions API")
    add.add_argument("--environment", choices=("criteo", "sandbox"), default="criteo")
    add.add_argument("--base-url", help="default https://api.criteo.com")
    add.add_argument("--api-version", help="default 2023-07")
    add.add_argument(
        "--event-name",
        action="append",
        default=[],
        metavar="CANONICAL=CRITEO",
        help="event-name mapping, e.g. purchase=purchase (repeatable)",
    )
    add.add_argument(
        "--secret-stdin", action="store_true", help="read the client secret from stdin"
    )
    add_destination_arguments(add)

    imp = sub.add_parser("import", help="add a profile from a .env file (CRITEO_* variables)")
    imp.add_argument("file")
    imp.add_argument("--name", help="profile name (default: the file's name)")

    rem = sub.add_parser("remove", help="delete a profile and its saved secret")
    rem.add_argument("name")

    exp = sub.add_parser("export", help="print a profile as JSON, without its secret")
    exp.add_argument("name")
    exp.add_argument("--output", help="write to this file instead of stdout")


def open_profile_store() -> ProfileStore:
    from criteo_console.storage import ProfileStore, StoragePaths, open_secret_store

    return ProfileStore(open_secret_store(), StoragePaths.resolve().settings_file)


def run(args: argparse.Namespace) -> int:
    from criteo_console.commands._usage import UsageError
    from criteo_console.storage import (
        ProfileInvalid,
        ProfileNotFound,
        SettingsUnreadable,
        StorageFault,
    )

    try:
        store = open_profile_store()
        handler = {
            "list": _list,
            "add": _add,
            "import": _import,
            "remove": _remove,
            "export": _export,
        }[args.action]
        return handler(store, args)
    except ProfileInvalid as exc:
        for error in exc.errors:
            print(error.message, file=sys.stderr)
        return 1
    except ProfileNotFound as exc:
        raise UsageError(exc.message) from None
    except (SettingsUnreadable, StorageFault) as exc:  # a broken file, a full/read-only disk
        print(str(exc), file=sys.stderr)
        return 1


def _list(store: ProfileStore, args: argparse.Namespace) -> int:
    status = store.secrets.status
    reason = f" ({status.reason})" if status.reason else ""
    print(f"Secret store: {store.secrets.backend_name}{reason}. {status.message}")
    rows = [("NAME", "ENVIRONMENT", "DESTINATION", "ADVERTISER", "CLIENT ID", "SECRET")]
    for profile in store.all():
        if profile.uses_embedded_sandbox:
            secret = "built in"
        elif not profile.client_id:
            secret = "-"
        else:
            secret = store.secret(profile.name).state.value
        rows.append(
            (profile.name, profile.environment, profile.destination,
             str(profile.advertiser_id), profile.client_id or "-", secret)
        )  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    return 0


def _read_secret(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n") or None
    if sys.stdin.isatty():
        import getpass

        return getpass.getpass("Client secret (not shown): ") or None
    return None


def _add(store: ProfileStore, args: argparse.Namespace) -> int:
    from criteo_console.commands._order_input import destination_settings
    from criteo_console.commands._usage import UsageError
    from criteo_console.core.destinations import DEFAULT_DESTINATION, get_destination
    from criteo_console.storage import FieldError, Profile, ProfileInvalid
    from criteo_console.storage.profile_model import (
        CRITEO_BASE_URL,
        DEFAULT_API_VERSION,
        DEFAULT_EVENT_NAMES,
        SANDBOX_BASE_URL,
        parse_advertiser_id,
    )

    destination = args.destination or DEFAULT_DESTINATION
    events = destination_settings(args)
    uses_oauth = get_destination(destination).uses_oauth
    advertiser = args.advertiser_id or ("" if uses_oauth else events.account)
    if not advertiser:
        raise UsageError("--advertiser-id is required for the Conversions API")
    advertiser_id, problem = parse_advertiser_id(advertiser)
    if problem:
        field = "advertiser_id" if args.advertiser_id else "events.account"
        raise ProfileInvalid([FieldError(field, problem)])
    event_names = dict(DEFAULT_EVENT_NAMES)
    for pair in args.event_name:
        canonical, sep, criteo = pair.partition("=")
        if not sep or not canonical.strip():
            raise UsageError(f"--event-name must look like purchase=purchase, not {pair!r}")
        event_names[canonical.strip()] = criteo.strip()
    criteo_url = CRITEO_BASE_URL if uses_oauth else get_destination(destination).default_base_url
    default_url = SANDBOX_BASE_URL if args.environment == "sandbox" else criteo_url
    assert advertiser_id is not None
    profile = Profile(
        name=args.name.strip(),
        environment=args.environment,
        base_url=args.base_url or default_url,
        api_version=args.api_version or DEFAULT_API_VERSION,
        advertiser_id=advertiser_id,
        client_id=args.client_id.strip(),
        event_names=event_names,
        destination=destination,
        events=events,
    )
    secret = _read_secret(args.secret_stdin) if uses_oauth else None
    saved = store.add(profile, secret)
    print(f"Profile {profile.name!r} added.")
    if not uses_oauth:
        print(f"It sends to the {get_destination(destination).label}: no client secret needed.")
    elif saved is None:
        print(
            f"No secret was given. 'send --profile {profile.name}' uses CRITEO_CLIENT_SECRET "
            "from the environment when it is set, and stops otherwise. To save the secret, "
            "add it in the console window's profile editor (or remove the profile and add it "
            "again with --secret-stdin)."
        )
    else:
        _say_where(saved.is_os_store, saved.message)
    return 0


def _say_where(is_os_store: bool, message: str) -> None:
    print(message)
    if not is_os_store:
        print(
            "This command ends now, so the secret is gone again. For headless use, set "
            "CRITEO_CLIENT_ID, CRITEO_CLIENT_SECRET and CRITEO_ADVERTISER_ID in the environment."
        )


def _import(store: ProfileStore, args: argparse.Namespace) -> int:
    from pathlib import Path

    from criteo_console.commands._usage import UsageError
    from criteo_console.storage import EnvFileInvalid

    path = Path(args.file)
    if not path.is_file():
        raise UsageError(f"{path} is not a file")
    try:
        result = store.import_env_file(path, args.name)
    except EnvFileInvalid as exc:
        unreadable = [e.message for e in exc.errors if e.field == "file"]
        if unreadable:
            raise UsageError(unreadable[0]) from None
        raise
    print(f"Profile {result.profile.name!r} added (advertiser {result.profile.advertiser_id}).")
    _say_where(result.saved.is_os_store, result.saved.message)
    print(result.notice)
    return 0


def _remove(store: ProfileStore, args: argparse.Namespace) -> int:
    name = store.get(args.name).name
    store.delete(name)
    print(f"Profile {name!r} and its saved secret were removed.")
    return 0


def _export(store: ProfileStore, args: argparse.Namespace) -> int:
    text = store.export(args.name)
    if args.output:
        from pathlib import Path

        from criteo_console.commands._usage import UsageError
        from criteo_console.storage.files import atomic_writer

        try:
            with atomic_writer(Path(args.output)) as out:
                out.write(text)
        except OSError as exc:
            raise UsageError(_cannot_write(args.output, exc)) from None
        print(f"Profile written to {args.output} (without its secret).")
    else:
        sys.stdout.write(text)
    return 0


def _cannot_write(path: str, exc: OSError) -> str:
    return f"cannot write {path}: {(exc.strerror or type(exc).__name__).lower()}"
