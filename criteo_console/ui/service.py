"""ConsoleService: the one object widgets talk to for anything that is not drawing.

Profiles, the secret store, the event log and the ValidationSession live here. Blocking calls
(keyring, profile file, SQLite reads) run in a worker thread (``asyncio.to_thread``); results
come back as Qt signals on the UI thread. Work is keyed by kind ("connect", "send",
"profiles"…): a new request of a kind cancels the stale one (FeelUOwn's preemptive tasks).
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
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
    from criteo_console.core.checklist import CheckStatus
    from criteo_console.core.redaction import Redactor
    from criteo_console.criteo import RetryPolicy
    from criteo_console.session import ValidationSession
    from criteo_console.session.reports import ConnectionReport, SendReport
    from criteo_console.session.runstate import RunState
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
    checks_changed = Signal(list)  # list[CheckStatus], for the sidebar
    run_state_changed = Signal(object)  # RunState: the one source of every check and verdict
    unresolved_found = Signal(list)  # list[Attempt]: outcome unknown from an earlier run
    message = Signal(str, str)  # level ("info" / "warning" / "error"), plain text
    # A .env for an advertiser that already has a profile: (the file, that profile's name).
    import_conflict = Signal(object, str)

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
        # Made on first use (``session``): building one imports httpx, the Criteo client and
        # the verdict's rules, which the console does not need to be ready (start-up time).
        self._session: ValidationSession | None = None
        self._secret: str | None = None
        self._tasks: dict[str, asyncio.Task[Any]] = {}
        # The six checks of this profile's run; decided in session/runstate.py, not here.
        self._run_state: RunState | None = None
        self._key: tuple[Any, ...] | None = None  # what the run state was proved for
        # Every secret and token provider of this run, for redaction (crash reports, logs).
        self._seen_secrets: set[str] = set()
        self._provisional_names: set[str] = set()  # imported, to be named after the advertiser
        self._token_sources: list[Any] = []
        # (what it was built from, the redactor): rebuilt only when a secret or token is added.
        self._redaction: tuple[tuple[int, ...], Redactor] | None = None
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

    def start(self, opening: tuple[asyncio.Future[Any], ...] | None = None) -> asyncio.Task[Any]:
        """Open the stores (``open_stores``, or threads started already) and show the first
        profile."""
        task = self.run("start", self._start(opening))
        if opening is not None:
            logged = opening[1]

            def landed(done: asyncio.Task[Any]) -> None:
                if done.cancelled():
                    self._abandon(logged)

            task.add_done_callback(landed)
        return task

    def _abandon(self, logged: asyncio.Future[Any]) -> None:
        """Start-up cancelled (the console closing) with the threads already running: the
        event log they open is closed, not left open."""

        def close(done: asyncio.Future[Any]) -> None:
            if not done.cancelled() and done.exception() is None:
                event_log = done.result()[0]
                if event_log is not self.event_log:
                    event_log.close()

        logged.add_done_callback(close)

    def open_stores(self) -> tuple[asyncio.Future[Any], ...]:
        """Start opening the stores off the UI thread, with their modules (keyring's,
        SQLite's), two at a time: the secret store then the profiles; the event log. The
        threads start at once, before the event loop turns again (start-up time)."""
        if self.paths is None:
            from criteo_console.storage import StoragePaths

            self.paths = StoragePaths.resolve()
        paths = self.paths
        loop = asyncio.get_running_loop()

        def thread(func: Callable[[Path], Any], path: Path) -> asyncio.Future[Any]:
            call = functools.partial(contextvars.copy_context().run, func, path)
            return loop.run_in_executor(None, call)  # what asyncio.to_thread does

        return thread(self._open_profiles, paths.settings_file), thread(
            _open_event_log, paths.log_file
        )

    async def _start(self, opening: tuple[asyncio.Future[Any], ...] | None = None) -> None:
        stores, logged = await asyncio.gather(
            *(opening or self.open_stores()), return_exceptions=True
        )
        failure = next((r for r in (stores, logged) if isinstance(r, BaseException)), None)
        if failure is not None:
            if not isinstance(logged, BaseException):
                logged[0].close()
            if not isinstance(failure, Exception):
                raise failure  # cancelled
            log.error("start-up failed", exc_info=failure)
            self.failed_to_start.emit(str(failure))
            return
        assert not isinstance(stores, BaseException) and not isinstance(logged, BaseException)
        (self.secrets, self.profiles), (self.event_log, unresolved) = stores, logged
        self.ready.emit()
        self.profiles_changed.emit(self.profiles.all())
        if unresolved:
            self.unresolved_found.emit(unresolved)
        first = self.profiles.all()[0]
        await self._select(first.name)

    def _open_profiles(self, settings_file: Path) -> tuple[SecretStore, ProfileStore]:
        from criteo_console.session import runstate  # noqa: F401 (for the first profile)
        from criteo_console.storage import ProfileStore, open_secret_store

        secrets = (self._open_secrets or open_secret_store)()
        return secrets, ProfileStore(secrets, settings_file)

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

    @property
    def run_state(self) -> RunState:
        if self._run_state is None:
            from criteo_console.session.runstate import RunState

            self._run_state = RunState()
        return self._run_state

    def _use(self, profile: Profile, secret: str | None) -> None:
        from criteo_console.session.runstate import RunState

        key = _credentials_key(profile, secret)
        changed = key != self._key
        if changed:
            # A new identity: what was proved (token, scope, a send) says nothing about it.
            # Saving the same credentials (a mapping, a rename) keeps the checks.
            stale = self._tasks.get("connect")
            if stale is not None:
                stale.cancel()
        self._key = key
        self.profile = profile
        self._secret = secret
        if secret:
            self._seen_secrets.add(secret)
        self._session = None  # this profile's is made on first use
        previous = self.run_state
        if changed:
            self._run_state = RunState(
                self.target_url(), profile_name=profile.name, advertiser_id=profile.advertiser_id
            )
            self._run_state.record_order_check(previous.order)  # the order is the same
        else:
            previous.target_url = self.target_url()
            previous.profile_name = profile.name
        if changed:
            self.credentials_changed.emit()
        self._emit_checks()

    @property
    def session(self) -> ValidationSession | None:
        """The selected profile's ValidationSession, None when it cannot have one (no secret
        yet, the built-in sandbox not running). Made on first use — Test connection, a send —
        or in idle time once the console is ready (``prepare_session``), never to show a
        profile: the addresses come from ``base_url`` and ``target_url``."""
        if self._session is None and self._can_make_session():
            self._session = self._make_session()
            tokens = getattr(self._session.client, "_tokens", None)
            if tokens is not None:
                self._token_sources.append(tokens)  # it masks every token it was issued
        return self._session

    def prepare_session(self) -> asyncio.Task[Any]:
        """In idle time after ready: import the session's modules (httpx, the client, the
        verdict's rules) in a worker thread, then make the session, so that the first Test
        connection or send does not wait for them."""
        return self.run("prepare-session", self._prepare_session())

    async def _prepare_session(self) -> None:
        import importlib

        await asyncio.to_thread(importlib.import_module, "criteo_console.session.session")
        self.session  # noqa: B018 (made now, on the UI thread: cheap once imported)

    def _can_make_session(self) -> bool:
        if self.profile is None or self.event_log is None:
            return False
        if self._secret is None and _needs_secret(self.profile):
            return False
        return self.base_url() is not None

    def _make_session(self) -> ValidationSession:
        from criteo_console.session import ValidationSession

        assert self.profile is not None and self.event_log is not None
        assert self.http is not None, "attach the http client before selecting a profile"
        return ValidationSession(
            http=self.http,
            profile=self.profile,
            secret=self._secret or "",
            event_log=self.event_log,
            base_url=self._sandbox_url() if self.profile.uses_embedded_sandbox else None,
            policy=self._policy,
        )

    def base_url(self) -> str | None:
        """The selected profile's base URL: the built-in sandbox's live address (None while it
        is not running), else the profile's own."""
        if self.profile is None:
            return None
        if self.profile.uses_embedded_sandbox:
            return self._sandbox_url()
        return self.profile.base_url

    def target_url(self) -> str | None:
        """The address a send would POST to: the session's request URL (its destination's
        endpoint, a pure function of the profile: no session is made for it), else the
        profile's base URL (the built-in sandbox's live address resolved)."""
        base = self.base_url()
        if base is None or self.profile is None or not self._can_make_session():
            return base
        from criteo_console.core.destination_settings import UnknownDestination, request_url

        try:
            return request_url(self.profile.destination, base, self.profile.api_version)
        except UnknownDestination:
            return base

    def sends_real_conversions(self) -> bool:
        """Whether a send now would create a real conversion: decided by the address, never by
        the profile's environment label (an unknown target counts as real)."""
        return self.run_state.sends_real_conversions

    def save_profile(
        self, original: str | None, profile: Profile, secret: str | None, *, then_test: bool = False
    ) -> asyncio.Task[Any]:
        """Add (``original`` None) or update a profile; a non-empty ``secret`` replaces it.
        With ``then_test``, test the connection with what was just saved."""
        return self.run("profiles", self._save(original, profile, secret, then_test))

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

    def import_env(self, path: Path, *, update: str | None = None) -> None:
        """Import a .env file, then test the connection at once. A file for an advertiser that
        already has a profile asks first (``import_conflict``); ``update`` names the profile
        the user chose to update with it."""
        self.run("profiles", self._import_env(path, update))

    async def _import_env(self, path: Path, update: str | None) -> None:
        from criteo_console.storage.envfile import PLAINTEXT_NOTICE, read_env_file

        assert self.profiles is not None
        store = self.profiles
        try:
            creds = await asyncio.to_thread(read_env_file, path)
            existing = update or _same_advertiser(store.all(), creds.profile)
            if existing is not None and update is None:
                self.import_conflict.emit(path, existing)
                return
            if update is not None:
                fields = {
                    key: getattr(creds.profile, key)
                    for key in ("client_id", "base_url", "api_version", "environment")
                }
                stored = await asyncio.to_thread(
                    store.update, update, store.get(update).with_changes(**fields)
                )
                saved = await asyncio.to_thread(store.set_secret, update, creds.secret)
                told = f"Profile {update} was updated from {path.name}."
            else:
                name = _free_name(store.names(), creds.profile.name)
                stored = creds.profile.with_changes(name=name)
                added = await asyncio.to_thread(store.add, stored, creds.secret)
                assert added is not None
                saved = added
                self._provisional_names.add(name)
                told = f"Profile {name} was imported from {path.name}."
        except Exception as exc:  # EnvFileInvalid, ProfileInvalid, OSError: all plain already
            self.message.emit("error", f"Could not import {path.name}: {exc}")
            return
        self.profiles_changed.emit(store.all())
        self.message.emit("info", f"{told} {saved.message} {PLAINTEXT_NOTICE.format(path=path)}")
        await self._select(stored.name)
        await self._test_connection()

    async def _name_after_advertiser(self, report: ConnectionReport) -> None:
        """A freshly imported profile is named after its advertiser once Criteo says it."""
        profile, store = self.profile, self.profiles
        if profile is None or store is None or profile.name not in self._provisional_names:
            return
        scope = report.scope
        if scope is None:
            return
        mine = [a for a in scope.advertisers if a.id == scope.advertiser_id]
        if not mine or not (mine[0].name or "").strip():
            return
        self._provisional_names.discard(profile.name)
        wanted = mine[0].name.strip()
        others = [n for n in store.names() if n != profile.name]
        if wanted.casefold() in {n.casefold() for n in others}:
            wanted = f"{wanted} ({profile.advertiser_id})"
        if wanted == profile.name or wanted.casefold() in {n.casefold() for n in others}:
            return
        try:
            renamed = await asyncio.to_thread(store.rename, profile.name, wanted)
        except Exception:  # a name the store refuses: keep the file's name
            log.warning("could not name the imported profile after its advertiser")
            return
        self.profiles_changed.emit(store.all())
        await self._select(renamed.name)
        self.message.emit("info", f"The profile is named after its advertiser: {renamed.name}.")

    # -- checks 1-2 ------------------------------------------------------------------------

    def test_connection(self) -> None:
        self.run("connect", self._test_connection())

    async def _test_connection(self) -> None:
        session = self.session
        if session is None:
            self.run_state.record_no_session(self._no_session_reason())
            self._emit_checks()
            self.message.emit("warning", self._no_session_reason())
            return
        state = self.run_state
        report: ConnectionReport = await session.test_connection(self.connection_progress.emit)
        state.record_connection(report)
        self._emit_checks()
        self.connection_tested.emit(report)
        await self._name_after_advertiser(report)

    def connect_blocker(self) -> str | None:
        """Why Send is shut: the last Test connection failed for these very credentials."""
        return self.run_state.connect_blocker()

    def no_session_reason(self) -> str | None:
        """Why nothing can be sent or tested with the selected profile; None when it can."""
        if self._can_make_session():
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
        self.run_state.record_order_check(check)
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
        from criteo_console.session.reports import SendReport, SendStatus

        session = self.session
        if session is None:
            self.message.emit("warning", self._no_session_reason())
            return
        key, state = self._key, self.run_state
        self.send_running.emit(True)
        try:
            report: SendReport = await session.send(
                order, progress=self.send_progress.emit, allow_duplicate=allow_duplicate
            )
        except asyncio.CancelledError:
            if not self._closed:
                if self._key == key:
                    state.record_cancelled()
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
        self.record_send_result(report)
        if report.attempt is not None:
            self.attempt_logged.emit(report.attempt.id)
        self.send_finished.emit(report)

    def record_send_result(self, report: SendReport) -> None:
        """Hand a send's result to the run state (check 6 and the verdict are decided there),
        with what the embedded sandbox kept for the order (it may stand in for an answer)."""
        received: list[dict[str, Any]] = []
        attempt = report.attempt
        if self.received_lookup is not None and attempt is not None and attempt.order_id:
            received = self.received_lookup(attempt.order_id)
        self.run_state.record_send(report, received)
        self._emit_checks()

    def checks(self) -> list[CheckStatus]:
        return self.run_state.checks()

    def _emit_checks(self) -> None:
        state = self.run_state
        self.checks_changed.emit(state.checks())
        self.run_state_changed.emit(state)

    def redact(self, text: str) -> str:
        """Mask every client secret and token this console has seen since it started (not just
        the current profile's: a crash after a switch may quote the previous one) and emails.
        For crash reports and the console.log handler."""
        return self._redactor()(text)

    def _redactor(self) -> Redactor:
        # Secrets and a provider's tokens are only ever added, so their counts tell whether
        # one was added since the redactor was built (building one per log line compiles
        # every pattern again: bench/redaction.py).
        sources = [tokens.redactor.values for tokens in list(self._token_sources)]
        key = (len(self._seen_secrets), *(len(values) for values in sources))
        cached = self._redaction
        if cached is None or cached[0] != key:
            from criteo_console.core.redaction import Redactor

            known = [*self._seen_secrets, *(value for values in sources for value in values)]
            cached = self._redaction = (key, Redactor(known))
        return cached[1]

    def attempt(self, attempt_id: int) -> Attempt | None:
        return None if self.event_log is None else self.event_log.get(attempt_id)


DOING = {
    "start": "starting the console",
    "profile": "opening the profile",
    "profiles": "saving the profiles",
    "connect": "testing the connection",
    "prepare-session": "preparing the connection",
    "send": "sending",
}


def plain_failure(kind: str, exc: BaseException) -> str:
    """What went wrong and what to do, for a marketer (the details go to console.log)."""
    import sqlite3

    if isinstance(exc, sqlite3.OperationalError) and (
        "locked" in str(exc).lower() or "busy" in str(exc).lower()
    ):
        from criteo_console.storage.faults import EVENT_LOG_BUSY

        return f"{EVENT_LOG_BUSY}. Close the other program, then try again."
    if isinstance(exc, OSError):
        return (
            f"The console could not read or write a file while {DOING.get(kind, kind)}: check "
            "the disk is not full and the console's folder is writable, then try again."
        )
    return (
        f"Something unexpected stopped the console while {DOING.get(kind, kind)}. Try again; "
        "if it happens again, restart the console (the details are in console.log)."
    )


def _open_event_log(path: Path) -> tuple[EventLog, list[Attempt]]:
    """The event log, and the attempts an earlier run left with an unknown outcome."""
    from criteo_console.storage import EventLog

    event_log = EventLog(path)
    try:
        return event_log, event_log.unresolved_attempts()
    except BaseException:
        event_log.close()
        raise


def _same_advertiser(profiles: list[Profile], imported: Profile) -> str | None:
    """The profile already kept for this advertiser (the built-in sandbox never counts)."""
    for profile in profiles:
        if not profile.uses_embedded_sandbox and profile.advertiser_id == imported.advertiser_id:
            return profile.name
    return None


def _free_name(taken: list[str], name: str) -> str:
    folded = {n.casefold() for n in taken}
    candidate, number = name, 2
    while candidate.casefold() in folded:
        candidate, number = f"{name} {number}", number + 1
    return candidate


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
