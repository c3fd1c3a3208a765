"""`criteo-console send ORDER.json (--sandbox | --profile NAME)`: check, token, scope, send.

Prints each step's outcome in plain words, the answer and its trace id, then the verdict (with
--json: one JSON object). The result and the verdict are worded by the run state
(``session/runstate.py``), as in the window: a send to this computer is "the sandbox", and
anything not sent to Criteo's own address is a rehearsal. Exit 0 when the destination accepted
(or, with --dry-run, when everything before the send passed), 1 when a step failed, 2 for
usage problems.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass, field
from typing import Any

from criteo_console.commands._order_input import (
    add_order_arguments,
    destination_settings,
    format_issues,
    read_order,
)

SANDBOX_CLIENT = ("sandbox-client", "sandbox-secret")
SANDBOX_ADVERTISER = "1234567"
# The sandbox's Events API account and caller id (SandboxConfig's defaults).
SANDBOX_EVENTS = ("12345", "sandbox-caller")


def register(parser: argparse.ArgumentParser) -> None:
    add_order_arguments(parser)
    target = parser.add_mutually_exclusive_group()
    target.add_argument(
        "--sandbox",
        action="store_true",
        help="send to a sandbox started for this command (advertiser 1234567 by default)",
    )
    target.add_argument("--profile", metavar="NAME", help="send with a saved profile")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="check the order, get a token and check the advertiser, but send nothing",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--resend",
        action="store_true",
        help="send even if the event log shows this order id was already sent",
    )
    parser.add_argument("--base-url", metavar="URL", help="override the API address")
    parser.add_argument("--api-version", metavar="V", help="override the API version")
    parser.epilog = (
        "Without --sandbox or --profile, credentials come from CRITEO_CLIENT_ID, "
        "CRITEO_CLIENT_SECRET and CRITEO_ADVERTISER_ID; with --destination events, from "
        "CRITEO_ACCOUNT_ID and CRITEO_CALLER_ID (no client id or secret needed)."
    )


@dataclass
class _Target:
    base_url: str | None  # None: start an embedded sandbox
    version: str
    client_id: str
    client_secret: str = field(repr=False)
    advertiser_id: str | None
    event_names: dict[str, str] | None
    label: str
    profile_name: str | None = None  # the name written to the event log
    destination: str = "conversions"
    settings: Any = None  # core.destinations.DestinationSettings (Events API)

    @property
    def uses_oauth(self) -> bool:
        from criteo_console.core.destinations import get_destination

        return get_destination(self.destination).uses_oauth


def run(args: argparse.Namespace) -> int:
    import asyncio

    from criteo_console.core import DEFAULT_EVENT_NAMES, ProfileContext, check_order

    target = _resolve_target(args)
    events = dict(target.event_names or DEFAULT_EVENT_NAMES)
    for entry in args.event_name:
        canonical, sep, name = entry.partition("=")
        if not sep or not canonical.strip():
            from criteo_console.commands._usage import UsageError

            raise UsageError(f"--event-name expects EVENT=NAME, got {entry!r}")
        events[canonical.strip()] = name
    order = read_order(args.order_file)
    checked = check_order(
        order,
        ProfileContext(
            advertiser_id=target.advertiser_id,
            event_names=events,
            destination=target.destination,
            settings=target.settings,
        ),
    )
    report = _Report(json_mode=args.json, dry_run=args.dry_run, target=target)
    report.check(checked)
    if checked.ok and checked.payload is not None:
        if args.dry_run and not target.uses_oauth:
            report.skipped_send(checked.payload)  # nothing to ask before an Events API send
        elif args.dry_run:
            asyncio.run(_talk(target, checked.payload, args.dry_run, report))
        else:
            asyncio.run(_send_logged(target, order, events, args.resend, report))
    return report.finish()


def _resolve_target(args: argparse.Namespace) -> _Target:
    from criteo_console.commands._usage import UsageError
    from criteo_console.core.destinations import DEFAULT_DESTINATION, DestinationSettings
    from criteo_console.criteo import (
        DEFAULT_BASE_URL,
        DEFAULT_VERSION,
        UnsafeBaseURL,
        check_base_url,
    )

    if args.sandbox:
        sandbox_events = DestinationSettings(*SANDBOX_EVENTS)
        target = _Target(
            None,
            "2026-01",
            *SANDBOX_CLIENT,
            advertiser_id=args.advertiser_id or SANDBOX_ADVERTISER,
            event_names=None,
            label="embedded sandbox",
            profile_name="Sandbox",
            settings=destination_settings(args, sandbox_events),
        )
    elif args.profile:
        target = _from_profile(args.profile, args.advertiser_id, args.destination)
        target.settings = destination_settings(args, target.settings)
    elif args.destination and args.destination != DEFAULT_DESTINATION:
        from criteo_console.core.destinations import get_destination

        target = _Target(
            get_destination(args.destination).default_base_url,
            DEFAULT_VERSION,
            "",
            "",
            advertiser_id=args.advertiser_id or os.environ.get("CRITEO_ADVERTISER_ID"),
            event_names=None,
            label="settings from the command line and the environment",
            settings=destination_settings(args),
        )
    else:
        client_id = os.environ.get("CRITEO_CLIENT_ID", "").strip()
        secret = os.environ.get("CRITEO_CLIENT_SECRET", "")
        if not client_id or not secret:
            raise UsageError(
                "say where to send: --sandbox, --profile NAME, or set CRITEO_CLIENT_ID and "
                "CRITEO_CLIENT_SECRET (and CRITEO_ADVERTISER_ID)"
            )
        target = _Target(
            DEFAULT_BASE_URL,
            DEFAULT_VERSION,
            client_id,
            secret,
            advertiser_id=args.advertiser_id or os.environ.get("CRITEO_ADVERTISER_ID"),
            event_names=None,
            label="credentials from the environment",
            settings=destination_settings(args),
        )
    if args.destination:
        target.destination = args.destination
    if args.base_url:
        target.base_url = args.base_url
    if args.api_version:
        target.version = args.api_version.strip()
    if target.base_url is not None:
        try:
            target.base_url = check_base_url(target.base_url)
        except UnsafeBaseURL as exc:
            raise UsageError(str(exc)) from None
    if not target.uses_oauth:
        # The Events API's whose-account is the partner account (the order check names it).
        target.advertiser_id = target.settings.account or None
    elif not target.advertiser_id:
        raise UsageError("which advertiser? pass --advertiser-id N or set CRITEO_ADVERTISER_ID")
    return target


def _from_profile(name: str, advertiser_override: str | None, destination: str | None) -> _Target:
    from criteo_console.commands._usage import UsageError
    from criteo_console.commands.profile import open_profile_store
    from criteo_console.storage import ProfileNotFound, SecretState, SettingsUnreadable

    try:
        store = open_profile_store()
    except SettingsUnreadable as exc:
        raise UsageError(str(exc)) from None
    try:
        profile = store.get(name)
    except ProfileNotFound:
        raise UsageError(f"no profile named {name!r} (see: criteo-console profile list)") from None
    from criteo_console.core.destinations import get_destination

    chosen = destination or profile.destination
    if profile.uses_embedded_sandbox:
        secret = SANDBOX_CLIENT[1]
    elif not get_destination(chosen).uses_oauth:
        secret = ""  # the Events API has no client secret
    else:
        lookup = store.secret(name)
        if lookup.state is SecretState.FOUND and lookup.secret is not None:
            secret = lookup.secret
        elif os.environ.get("CRITEO_CLIENT_SECRET"):
            # Headless machines often have no OS keyring: the secret then comes from the
            # environment, as for profile-less sends.
            secret = os.environ["CRITEO_CLIENT_SECRET"]
            print(
                f"profile {name!r}: {lookup.message} Using CRITEO_CLIENT_SECRET instead.",
                file=sys.stderr,
            )
        else:
            raise UsageError(
                f"profile {name!r} has no usable secret: {lookup.message} "
                "Set CRITEO_CLIENT_SECRET, or save the secret again with the console."
            )
    return _Target(
        None if profile.uses_embedded_sandbox else profile.base_url,
        profile.api_version,
        profile.client_id,
        secret,
        advertiser_id=advertiser_override or str(profile.advertiser_id),
        event_names=dict(profile.event_names),
        label=f"profile {profile.name}",
        profile_name=profile.name,
        destination=chosen,
        settings=profile.events,
    )


async def _talk(target: _Target, payload: dict[str, Any], dry_run: bool, report: _Report) -> None:
    from contextlib import ExitStack

    from criteo_console.criteo import CriteoClient, make_http_client

    with ExitStack() as stack:
        base_url = target.base_url
        if base_url is None:
            from criteo_console.sandbox import SandboxServer

            base_url = stack.enter_context(SandboxServer()).base_url
        report.base_url = base_url
        async with make_http_client() as http:
            client = CriteoClient(
                http, base_url, target.version, target.client_id, target.client_secret
            )
            token = await client.check_token()
            if not report.step("token", token):
                return
            scope = await client.check_scope(target.advertiser_id or "")
            if not report.step("advertiser scope", scope):
                return
            if dry_run:
                report.skipped_send(payload)
                return
            report.step("send", await client.send_conversion(payload), payload=payload)


async def _send_logged(
    target: _Target, order: Any, events: dict[str, str], resend: bool, report: _Report
) -> None:
    """A real send goes through ValidationSession: its attempt is written to the event log
    before the request (pending) and completed with Criteo's answer."""
    from contextlib import ExitStack

    from criteo_console.criteo import DEFAULT_BASE_URL, make_http_client
    from criteo_console.session import SendStatus, ValidationSession
    from criteo_console.session.session import NOT_SENT
    from criteo_console.storage import EventLog, LogFromNewerVersion, LogUnreadable, Profile

    with ExitStack() as stack:
        base_url = target.base_url
        embedded = None
        if base_url is None:
            from criteo_console.sandbox import SandboxServer

            embedded = stack.enter_context(SandboxServer())
            base_url = embedded.base_url
        report.base_url = base_url
        try:
            event_log = stack.enter_context(EventLog())
        except (LogUnreadable, LogFromNewerVersion) as exc:
            # Busy, full, read-only, damaged: a step that failed (exit 1), not a usage error.
            report.refused("event log", f"{exc} {NOT_SENT}")
            return
        profile = Profile(
            name=target.profile_name or target.label,
            advertiser_id=int(str(target.advertiser_id)),
            destination=target.destination,
            events=target.settings,
            client_id=target.client_id,
            # A label for the log: the address decides what the send proves, never this.
            environment="criteo" if _is_criteo(base_url) else "sandbox",
            base_url=DEFAULT_BASE_URL,
            api_version=target.version,
            event_names=events,
        )
        async with make_http_client() as http:
            session = ValidationSession(
                http=http,
                profile=profile,
                secret=target.client_secret,
                event_log=event_log,
                base_url=base_url,
            )
            sent = await session.send(order, allow_duplicate=resend, progress=report.waiting)
        received: list[dict[str, Any]] = []
        if embedded is not None and sent.attempt is not None and sent.attempt.order_id:
            received = [r.to_json() for r in embedded.find_received(sent.attempt.order_id)]
        report.run_state.record_order_check(sent.check)
        report.run_state.record_send(sent, received)
        if sent.status is SendStatus.DUPLICATE:
            # The session's wording is for the window ("confirm to send anyway").
            reason = sent.explanation.replace(
                "or confirm to send anyway.", "or re-run with --resend to send it anyway."
            )
            report.refused("duplicate check", reason)
            return
        if not sent.ok and sent.token is None and sent.result is None:
            # Stopped before any request: e.g. the event log is busy (nothing is sent unlogged).
            report.refused("event log", sent.explanation)
            return
        for name, result in (("token", sent.token), ("advertiser scope", sent.scope)):
            if result is not None and not report.step(name, result):
                break
        if sent.result is not None:
            view = report.run_state.result_view(sent)
            said = view.explanation if sent.attempt is not None else sent.result.explanation
            report.step("send", sent.result, payload=sent.check.payload, said=said)
        if sent.attempt is not None:
            report.logged(sent.attempt.id, sent.attempt.state)
            report.verdict()
            return
        # The request went out but its row could not be completed (a full disk…): said last.
        unrecorded = [
            p.message for p in sent.progress if p.step == "record" and p.state == "failed"
        ]
        report.refused("event log", unrecorded[-1] if unrecorded else sent.explanation)


def _is_criteo(url: str) -> bool:
    from criteo_console.core.verdict import Destination, classify_target

    return classify_target(url) is Destination.CRITEO


class _Report:
    def __init__(self, *, json_mode: bool, dry_run: bool, target: _Target) -> None:
        from criteo_console.session.runstate import RunState

        self.json_mode = json_mode
        self.dry_run = dry_run
        self.target = target
        self._base_url = target.base_url or "(embedded sandbox)"
        # Where the send goes decides its words and its verdict (the embedded sandbox's
        # address is known once it runs).
        self.run_state = RunState(
            target.base_url or "http://127.0.0.1",
            profile_name=target.profile_name or target.label,
            advertiser_id=target.advertiser_id,
        )
        self.steps: list[dict[str, Any]] = []
        self.payload: Any = None
        self.sent = False
        self.accepted = False
        self.attempt_id: int | None = None

    @property
    def base_url(self) -> str:
        return self._base_url

    @base_url.setter
    def base_url(self, url: str) -> None:
        self._base_url = url
        self.run_state.target_url = url

    def _say(self, text: str) -> None:
        if not self.json_mode:
            print(text)

    def check(self, checked: Any) -> None:
        ok = bool(checked.ok)
        issues = [
            {"level": i.level.value, "field": i.field, "code": i.code, "message": i.message}
            for i in checked.issues
        ]
        self.steps.append({"step": "order check", "ok": ok, "issues": issues})
        self.payload = checked.payload
        if ok:
            warnings = f" ({len(checked.warnings)} warning(s))" if checked.warnings else ""
            self._say(f"✓ order check: the order is ready to send{warnings}")
        else:
            self._say("✗ order check: the order cannot be sent")
        if checked.issues:
            self._say(format_issues(checked.issues))

    def step(self, name: str, result: Any, payload: Any = None, said: str = "") -> bool:
        """One step's outcome; ``said`` words it when the run state has (the send)."""
        entry: dict[str, Any] = {
            "step": name,
            "ok": result.ok,
            "kind": str(result.kind),
            "explanation": result.explanation,
            "status": result.status,
            "trace_id": result.trace_id,
            "errors": [_problem(p) for p in result.errors],
            "warnings": [_problem(p) for p in result.warnings],
            "deprecation": result.deprecation,
        }
        answer = next((e for e in reversed(result.exchanges) if e.step != "token"), None)
        if name == "send":
            self.sent = True
            self.accepted = bool(result.ok)
            entry["response_body"] = answer.response_body if answer is not None else None
        self.steps.append(entry)
        self._say(f"{'✓' if result.ok else '✗'} {name}: {said or result.explanation}")
        if result.deprecation:
            self._say(f"! {result.deprecation}")
        if name == "send" and answer is not None:
            status = answer.status if answer.status is not None else "no answer"
            trace = f", trace id {result.trace_id}" if result.trace_id else ""
            self._say(f"  {self.run_state.wording.title}'s answer (HTTP {status}{trace}):")
            self._say(
                "  " + _excerpt(answer.response_body) if answer.response_body else "  (empty)"
            )
        return bool(result.ok)

    def waiting(self, progress: Any) -> None:
        """Say at once what a send is waiting for (a busy event log), not only at the end."""
        if progress.state == "running" and progress.step == "record":
            self._say(f"… {progress.message}")

    def refused(self, name: str, explanation: str) -> None:
        self.steps.append({"step": name, "ok": False, "explanation": explanation})
        self._say(f"✗ {name}: {explanation}")

    def logged(self, attempt_id: int, state: str) -> None:
        self.attempt_id = attempt_id
        self._say(f"  Recorded in the event log as attempt #{attempt_id} ({state}).")

    def verdict(self) -> None:
        evaluation = self.run_state.evaluation
        if evaluation is None:
            return
        self._say(f"Verdict: {evaluation.verdict.value}. {evaluation.sentence}")
        for warning in evaluation.warnings:
            self._say(f"! {warning.code}: {warning.message}")

    def skipped_send(self, payload: Any) -> None:
        from criteo_console.core import dumps_json

        self.steps.append({"step": "send", "ok": True, "kind": "dry-run", "skipped": True})
        self._say("- send: dry run, nothing was sent. The body would be:")
        self._say(dumps_json(payload, indent=2))

    def finish(self) -> int:
        from criteo_console.core import dumps_json

        passed = all(s["ok"] for s in self.steps)
        done = (self.accepted and passed) or (
            self.dry_run and passed and bool(self.steps[-1].get("skipped"))
        )
        code = 0 if done else 1
        if self.json_mode:
            print(
                dumps_json(
                    {
                        "ok": code == 0,
                        "exit_code": code,
                        "dry_run": self.dry_run,
                        "target": {
                            "label": self.target.label,
                            "destination": self.run_state.destination.value,
                            "base_url": self.base_url,
                            "api_version": self.target.version,
                            "advertiser_id": self.target.advertiser_id,
                            # Which Criteo API (--destination); "destination" above is
                            # where the send went (criteo, local, other), as on main.
                            "api": self.target.destination,
                        },
                        "steps": self.steps,
                        "attempt_id": self.attempt_id,
                        **_verdict_fields(self),
                        "payload": self.payload,
                    },
                    indent=2,
                )
            )
        elif not done and self.steps[-1]["ok"] is False:
            print(f"Stopped at: {self.steps[-1]['step']}.", file=sys.stderr)
        return code


def _verdict_fields(report: _Report) -> dict[str, Any]:
    evaluation = report.run_state.evaluation
    if evaluation is None:
        return {}
    return {
        "verdict": evaluation.verdict.value,
        "warnings": [{"code": w.code, "message": w.message} for w in evaluation.warnings],
        "checks": [
            {
                "check": int(c.check),
                "title": c.check.title,
                "state": str(c.state),
                "detail": c.reason,
            }
            for c in report.run_state.checks()
        ],
    }


def _excerpt(body: str) -> str:
    from criteo_console.criteo.bounded import DEFAULT_LIMITS, excerpt

    return excerpt(body, DEFAULT_LIMITS.shown_chars)


def _problem(problem: Any) -> dict[str, Any]:
    return {
        "code": problem.code,
        "title": problem.title,
        "detail": problem.detail,
        "pointer": problem.pointer,
        "trace_id": problem.trace_id,
    }
