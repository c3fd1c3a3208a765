"""ConsoleService: the one object widgets talk to for anything that is not drawing.

Profiles, the secret store, the event log and the ValidationSession live here. Blocking calls
(keyring, profile file, SQLite reads) run in a worker thread (``asyncio.to_thread``); results
come back as Qt signals on the UI thread. Work is keyed by kind ("connect", "send",
"profiles"…): a new request of a kind cancels the stale one (FeelUOwn's preemptive tasks).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    # httpx, the keyring, SQLite and the core (its package imports every rule and the
    # currency table) load after the window is shown (start-up time).
    import httpx

    from criteo_console.core import OrderCheck
    from criteo_console.core.checklist import CheckStatus, StepOutcome
    from criteo_console.criteo import RetryPolicy
    from criteo_console.session import ValidationSession
    from criteo_console.session.reports import ConnectionReport, SendReport
    from criteo_console.storage import (
        Attempt,
        EventLog,
        Profile,
        ProfileStore,
        SecretStore,
        StoragePaths,
    )

log = logging.getLogger("criteo_console.ui")

SANDBOX_SECRET = "sandbox-secret"  # the embedded sandbox's documented, public credentials


class ConsoleService(QObject):
    ready = Signal()  # stores opened; profiles can be listed
    failed_to_start = Signal(str)
    profiles_changed = Signal(list)  # list[Profile]
    profile_selected = Signal(object)  # Profile
    credentials_changed = Signal()  # what checks 1-2 proved no longer holds (they were reset)
    secret_looked_up = Signal(object)  # SecretLookup (the page shows the field masked)
    profile_saved = Signal(object, str)  # Profile, plain message about the secret
    profile_invalid = Signal(list)  # list[FieldError]
    connection_progress = Signal(object)  # Progress
    connection_tested = Signal(object)  # ConnectionReport
    send_progress = Signal(object)  # Progress
    send_finished = Signal(object)  # SendReport
    send_running = Signal(bool)
    attempt_logged = Signal(int)
    checks_changed = Signal(list)  # list[CheckStatus]
    unresolved_found = Signal(list)  # list[Attempt]: outcome unknown from an earlier run
    message = Signal(str, str)  # level ("info" / "warning" / "error"), plain text

    def __init__(
        self,
        *,
        http: httpx.AsyncClient | None,
        paths: StoragePaths | None,
        sandbox_url: Callable[[], str | None] = lambda: None,
        open_secrets: Callable[[], SecretStore] | None = None,
        received_lookup: Callable[[str], list[dict[str, Any]]] | None = None,
        policy: RetryPolicy | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.http = http
        self.paths = paths
        self._sandbox_url = sandbox_url
        self._open_secrets = open_secrets
        self.received_lookup = received_lookup
        self._policy = policy
        self.secrets: SecretStore | None = None
        self.profiles: ProfileStore | None = None
        self.event_log: EventLog | None = None
        self.profile: Profile | None = None
        self.session: ValidationSession | None = None
        self._secret: str | None = None
        self._tasks: dict[str, asyncio.Task[Any]] = {}
        self._token: StepOutcome | None = None
        self._scope: StepOutcome | None = None
        self._send: StepOutcome | None = None
        self._reconciled: bool | None = None
        self._no_answer = False  # accepted, but nothing to compare the send with
        # The check (1 or 2) the last Test connection failed, for these credentials: Send
        # stays shut until a new test passes or the profile changes.
        self._blocked: int | None = None
        self._check: OrderCheck | None = None
        self._key: tuple[Any, ...] | None = None  # what the checks were proved for
        # Every secret and token provider of this run, for redaction (crash reports, logs).
        self._seen_secrets: set[str] = set()
        self._token_sources: list[Any] = []
        self._closed = False

    # -- task plumbing ---------------------------------------------------------------------

    def run(self, kind: str, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Start ``coro`` as the one task of ``kind``, cancelling a stale one."""
        stale = self._tasks.get(kind)
        if stale is not None and not stale.done():
            stale.cancel()
        task = asyncio.get_running_loop().create_task(coro, name=f"console:{kind}")
        self._tasks[kind] = task
        task.add_done_callback(lambda t: self._landed(kind, t))
        return task

    def _landed(self, kind: str, task: asyncio.Task[Any]) -> None:
        if self._tasks.get(kind) is task:
            del self._tasks[kind]
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            log.error("%s failed", kind, exc_info=exc)
            self.message.emit("error", plain_failure(kind, exc))

    def busy(self, kind: str) -> bool:
        task = self._tasks.get(kind)
        return task is not None and not task.done()

    def pending_tasks(self) -> list[asyncio.Task[Any]]:
        return [t for t in self._tasks.values() if not t.done()]

    async def aclose(self) -> None:
        """Cancel pending work, wait for it to settle (send rows get completed), close the log."""
        self._closed = True
        tasks = self.pending_tasks()
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        if self.event_log is not None:
            self.event_log.close()
            self.event_log = None

    # -- start-up --------------------------------------------------------------------------

    def start(self) -> asyncio.Task[Any]:
        return self.run("start", self._start())

    async def _start(self) -> None:
        from criteo_console.storage import EventLog, ProfileStore, open_secret_store

        try:
            self.secrets = await asyncio.to_thread(self._open_secrets or open_secret_store)
            if self.paths is None:
                from criteo_console.storage import StoragePaths

                self.paths = StoragePaths.resolve()
            paths = self.paths
            self.profiles = await asyncio.to_thread(ProfileStore, self.secrets, paths.settings_file)
            self.event_log = await asyncio.to_thread(EventLog, paths.log_file)
        except Exception as exc:
            log.exception("start-up failed")
            self.failed_to_start.emit(str(exc))
            return
        self.ready.emit()
        self.profiles_changed.emit(self.profiles.all())
        unresolved = await asyncio.to_thread(self.event_log.unresolved_attempts)
        if unresolved:
            self.unresolved_found.emit(unresolved)
        first = self.profiles.all()[0]
        await self._select(first.name)

    # -- profiles --------------------------------------------------------------------------

    @property
    def store_status_text(self) -> str:
        if self.secrets is None:
            return "Checking where secrets can be kept…"
        status = self.secrets.status
        detail = f" ({status.reason})" if status.reason else ""
        return f"{status.message}{detail}"

    def select_profile(self, name: str) -> None:
        self.run("profile", self._select(name))

    async def _select(self, name: str) -> None:
        from criteo_console.storage import SecretLookup, SecretState

        assert self.profiles is not None
        profile = self.profiles.get(name)
        if profile.uses_embedded_sandbox:
            lookup = SecretLookup(SANDBOX_SECRET, SecretState.FOUND, "")
        else:
            lookup = await asyncio.to_thread(self.profiles.secret, name)
        self._use(profile, lookup.secret)
        self.profile_selected.emit(profile)
        self.secret_looked_up.emit(lookup)

    def _use(self, profile: Profile, secret: str | None) -> None:
        key = _credentials_key(profile, secret)
        changed = key != self._key
        if changed:
            # A new identity: what was proved (token, scope, a send) says nothing about it.
            # Saving the same credentials (a mapping, a rename) keeps the checks.
            stale = self._tasks.get("connect")
            if stale is not None:
                stale.cancel()
            self._token = self._scope = self._send = None
            self._reconciled = None
            self._no_answer = False
            self._blocked = None
        self._key = key
        self.profile = profile
        self._secret = secret
        if secret:
            self._seen_secrets.add(secret)
        self.session = self._make_session() if secret or not _needs_secret(profile) else None
        tokens = getattr(self.session.client, "_tokens", None) if self.session else None
        if tokens is not None:
            self._token_sources.append(tokens)  # it masks every token it was issued
        if changed:
            self.credentials_changed.emit()
        self._emit_checks()

    def _make_session(self) -> ValidationSession | None:
        from criteo_console.session import ValidationSession

        if self.profile is None or self.event_log is None:
            return None
        if self._secret is None and _needs_secret(self.profile):
            return None
        assert self.http is not None, "attach the http client before selecting a profile"
        base_url = None
        if self.profile.uses_embedded_sandbox:
            base_url = self._sandbox_url()
            if base_url is None:
                return None
        return ValidationSession(
            http=self.http,
            profile=self.profile,
            secret=self._secret or "",
            event_log=self.event_log,
            base_url=base_url,
            policy=self._policy,
        )

    def target_url(self) -> str | None:
        """The base URL a send would POST to (the built-in sandbox's live address resolved)."""
        if self.session is not None:
            return self.session.base_url
        if self.profile is None:
            return None
        if self.profile.uses_embedded_sandbox:
            return self._sandbox_url()
        return self.profile.base_url

    def sends_real_conversions(self) -> bool:
        """Whether a send now would create a real conversion: decided by the address, never by
        the profile's environment label (an unknown target counts as real)."""
        from criteo_console.session.rules import sends_real_conversions

        url = self.target_url()
        return url is None or sends_real_conversions(url)

    def save_profile(
        self, original: str | None, profile: Profile, secret: str | None, *, then_test: bool = False
    ) -> None:
        """Add (``original`` None) or update a profile; a non-empty ``secret`` replaces it.
        With ``then_test``, test the connection with what was just saved."""
        self.run("profiles", self._save(original, profile, secret, then_test))

    async def _save(
        self, original: str | None, profile: Profile, secret: str | None, then_test: bool = False
    ) -> None:
        from criteo_console.storage import ProfileInvalid

        assert self.profiles is not None
        store = self.profiles
        try:
            if original is None:
                saved = await asyncio.to_thread(store.add, profile, secret or None)
                note = saved.message if saved else "No secret saved yet."
                stored = profile
            else:
                stored = await asyncio.to_thread(store.update, original, profile)
                note = "Saved."
                if secret:
                    note = (await asyncio.to_thread(store.set_secret, stored.name, secret)).message
        except ProfileInvalid as exc:
            self.profile_invalid.emit(exc.errors)
            return
        self.profiles_changed.emit(store.all())
        self.profile_saved.emit(stored, note)
        await self._select(stored.name)
        if then_test:
            await self._test_connection()

    def delete_profile(self, name: str) -> None:
        self.run("profiles", self._delete(name))

    async def _delete(self, name: str) -> None:
        assert self.profiles is not None
        await asyncio.to_thread(self.profiles.delete, name)
        remaining = self.profiles.all()
        if not remaining:
            from criteo_console.storage import sandbox_profile

            await asyncio.to_thread(self.profiles.add, sandbox_profile())
            remaining = self.profiles.all()
        self.profiles_changed.emit(remaining)
        self.message.emit("info", f"Profile {name} and its secret were deleted.")
        await self._select(remaining[0].name)

    def import_env(self, path: Path) -> None:
        self.run("profiles", self._import_env(path))

    async def _import_env(self, path: Path) -> None:
        assert self.profiles is not None
        try:
            result = await asyncio.to_thread(self.profiles.import_env_file, path)
        except Exception as exc:  # EnvFileInvalid, ProfileInvalid, OSError: all plain already
            self.message.emit("error", f"Could not import {path.name}: {exc}")
            return
        self.profiles_changed.emit(self.profiles.all())
        self.message.emit("info", f"{result.saved.message} {result.notice}")
        await self._select(result.profile.name)

    # -- checks 1-2 ------------------------------------------------------------------------

    def test_connection(self) -> None:
        self.run("connect", self._test_connection())

    async def _test_connection(self) -> None:
        from criteo_console.core.checklist import StepOutcome

        session = self.session
        if session is None:
            self._token = StepOutcome(False, self._no_session_reason())
            self._emit_checks()
            self.message.emit("warning", self._no_session_reason())
            return
        report: ConnectionReport = await session.test_connection(self.connection_progress.emit)
        self._token = StepOutcome(report.token.ok, report.token.explanation)
        if report.scope is not None:
            self._scope = StepOutcome(
                report.scope.ok, report.scope.explanation, warning=bool(report.scope.deprecation)
            )
        self._blocked = _failed_check(report.token, report.scope)
        self._emit_checks()
        self.connection_tested.emit(report)

    def connect_blocker(self) -> str | None:
        """Why Send is shut: the last Test connection failed for these very credentials."""
        if self._blocked is None or self.profile is None:
            return None
        if self._blocked == 1:
            what = "Criteo gave no token for this client id and secret"
        else:
            what = f"advertiser {self.profile.advertiser_id} isn't reachable"
        return f"Check {self._blocked} failed on Connect — {what}. Fix it there first."

    def no_session_reason(self) -> str | None:
        """Why nothing can be sent or tested with the selected profile; None when it can."""
        if self.session is not None:
            return None
        if self.profile is None:
            return "Choose a profile on the Connect page first."
        return self._no_session_reason()

    def _no_session_reason(self) -> str:
        if self.profile is not None and self.profile.uses_embedded_sandbox:
            return "The built-in sandbox is not running: restart the console."
        return "This profile has no secret yet: enter it on the Connect page and save."

    # -- checks 3-5 ------------------------------------------------------------------------

    def set_order_check(self, check: OrderCheck | None) -> None:
        """The composed order's check; None while nothing has been entered."""
        self._check = check
        self._emit_checks()

    # -- check 6 ---------------------------------------------------------------------------

    def send(self, order: dict[str, Any], *, allow_duplicate: bool = False) -> None:
        self.run("send", self._send_order(order, allow_duplicate))

    def cancel_send(self) -> bool:
        task = self._tasks.get("send")
        if task is None or task.done():
            return False
        task.cancel()
        return True

    async def _send_order(self, order: dict[str, Any], allow_duplicate: bool) -> None:
        from criteo_console.core.checklist import StepOutcome
        from criteo_console.session.reports import SendReport, SendStatus

        session = self.session
        if session is None:
            self.message.emit("warning", self._no_session_reason())
            return
        key = self._key
        self.send_running.emit(True)
        try:
            report: SendReport = await session.send(
                order, progress=self.send_progress.emit, allow_duplicate=allow_duplicate
            )
        except asyncio.CancelledError:
            if not self._closed:
                if self._key == key:
                    self._send = StepOutcome(False, "The send was cancelled.")
                    self._reconciled, self._no_answer = None, False
                    self._emit_checks()
                self.attempt_logged.emit(-1)
            raise
        except Exception as exc:
            # Never leave the page on "Sending…": say what happened in plain words.
            log.error("send failed", exc_info=exc)
            report = SendReport(
                SendStatus.FAILED, plain_failure("send", exc), session.validate(order)
            )
            self.attempt_logged.emit(-1)  # a row may have been written before it failed
        finally:
            if not self._closed:
                self.send_running.emit(False)
        if self._key != key:
            # Another profile was selected while this one's send was out: its row is complete
            # in the event log, but its token, scope and result say nothing about this profile.
            if report.attempt is not None:
                self.attempt_logged.emit(report.attempt.id)
            self.message.emit(
                "info",
                f"The send for profile {session.profile.name} finished ({report.status.value}) "
                "after you switched profiles; its result is in the event log.",
            )
            self.send_finished.emit(report)
            return
        if report.token is not None:
            self._token = StepOutcome(report.token.ok, report.token.explanation)
        if report.scope is not None:
            self._scope = StepOutcome(report.scope.ok, report.scope.explanation)
        if report.attempt is not None:
            self.record_send_result(order, report)
            self.attempt_logged.emit(report.attempt.id)
        elif _failed_check(report.token, report.scope) is not None:
            self._send = _sign_off_outcome(report)
        self._emit_checks()
        self.send_finished.emit(report)

    def record_send_result(self, order: dict[str, Any], report: SendReport) -> None:
        """Check 6 from a logged send: its outcome, then shop vs sent vs answered."""

        self._send = _sign_off_outcome(report)
        self._reconciled = self._reconcile(order, report) if report.ok else None
        self._no_answer = report.ok and self._reconciled is None
        self._emit_checks()

    def _reconcile(self, order: dict[str, Any], report: SendReport) -> bool | None:
        """Shop, sent and answered agree (True), differ (False) or there is no answer (None).

        The same sides as Compare: the shop's order stored with the attempt, the body sent,
        and this attempt's own answer (Criteo's echo, or the sandbox record with its trace
        id) — never another attempt's record, never the body sent standing in for an answer.
        """
        from criteo_console.core import loads_json
        from criteo_console.core.destinations import summarize_any_body
        from criteo_console.core.reconcile import reconcile, summarize_order_input
        from criteo_console.session import shop_summary_of
        from criteo_console.session.rules import answered_summary

        attempt = report.attempt
        assert attempt is not None
        try:
            sent = summarize_any_body(loads_json(attempt.request_body or "{}"))
        except ValueError:
            return False
        received: list[dict[str, Any]] = []
        if self.received_lookup is not None and attempt.order_id:
            received = self.received_lookup(attempt.order_id)
        answered, _source = answered_summary(attempt.to_dict(), received)
        if answered is None:
            return None
        shop = shop_summary_of(attempt) or summarize_order_input(order)
        return reconcile(shop, sent, answered).all_match

    def checks(self) -> list[CheckStatus]:
        from criteo_console.core.checklist import Check, CheckState, CheckStatus, evaluate_checks

        check = self._check
        statuses = evaluate_checks(
            token=self._token,
            scope=self._scope,
            issues=None if check is None else check.issues,
            identifiers_summary="" if check is None else check.coverage.label,
            send=self._send,
            reconciled=self._reconciled,
        )
        if self._no_answer and self._send is not None and self._send.ok:
            statuses = [
                CheckStatus(Check.SIGN_OFF, CheckState.WARNING, NO_ANSWER)
                if status.check is Check.SIGN_OFF
                else status
                for status in statuses
            ]
        return statuses

    def _emit_checks(self) -> None:
        self.checks_changed.emit(self.checks())

    def redact(self, text: str) -> str:
        """Mask every client secret and token this console has seen since it started (not just
        the current profile's: a crash after a switch may quote the previous one) and emails.
        For crash reports and the console.log handler."""
        from criteo_console.storage.log_guard import redact_text

        for tokens in list(self._token_sources):
            text = tokens.redact(text)
        return redact_text(text, list(self._seen_secrets))

    def attempt(self, attempt_id: int) -> Attempt | None:
        return None if self.event_log is None else self.event_log.get(attempt_id)


NO_ANSWER = (
    "Accepted, but there is no answer to compare: Criteo echoed nothing back for this "
    "attempt. Open Compare, and check the conversion in Criteo before signing off."
)
LOG_IN_USE = (
    "The event log is in use by another program (another console window, or a backup or sync "
    "tool). Close the other program, then try again."
)
DOING = {
    "start": "starting the console",
    "profile": "opening the profile",
    "profiles": "saving the profiles",
    "connect": "testing the connection",
    "send": "sending",
}


def plain_failure(kind: str, exc: BaseException) -> str:
    """What went wrong and what to do, for a marketer (the details go to console.log)."""
    import sqlite3

    if isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc).lower() or "busy" in str(exc).lower()
    ):
        return LOG_IN_USE
    if isinstance(exc, OSError):
        return (
            f"The console could not read or write a file while {DOING.get(kind, kind)}: check "
            "the disk is not full and the console's folder is writable, then try again."
        )
    return (
        f"Something unexpected stopped the console while {DOING.get(kind, kind)}. Try again; "
        "if it happens again, restart the console (the details are in console.log)."
    )


CHECK_TITLES = {1: "Token", 2: "Advertiser scope"}


def _failed_check(token: Any, scope: Any) -> int | None:
    """1 when the token step failed, 2 when the scope step did, else None."""
    if token is not None and not token.ok:
        return 1
    if scope is not None and not scope.ok:
        return 2
    return None


def _sign_off_outcome(report: SendReport) -> StepOutcome:
    """Check 6 after a send; one stopped at the token or scope points at that check (its
    full reason is already shown there), not the same text twice."""
    from criteo_console.core.checklist import StepOutcome

    blocked = _failed_check(report.token, report.scope)
    if blocked is not None:
        return StepOutcome(False, f"Blocked by check {blocked} ({CHECK_TITLES[blocked]})")
    return StepOutcome(report.ok, report.explanation)


def _credentials_key(profile: Profile, secret: str | None) -> tuple[Any, ...]:
    """What checks 1, 2 and a send depend on: change any of it and they must be redone."""
    return (
        profile.id,
        profile.client_id,
        secret,
        profile.base_url,
        profile.api_version,
        profile.advertiser_id,
        profile.destination,
        profile.events,
    )


def _needs_secret(profile: Profile) -> bool:
    """A client secret is needed only by a destination that asks for an OAuth token."""
    from criteo_console.core.destinations import UnknownDestination, get_destination

    try:
        return get_destination(profile.destination).uses_oauth
    except UnknownDestination:
        return True
