"""Start the console: one ``main()`` under ``asyncio.Runner(loop_factory=qasync.QEventLoop)``.

Shutdown goes through a future resolved when the user quits or closes the last window, or
when the process gets Ctrl-C/SIGTERM (``quit_signals``: exit 130/0). The app does not let Qt
quit on its own, so the loop never stops under a pending ``main``. On the way out: pending work
is cancelled (a send's log row is completed), the shared ``httpx.AsyncClient`` is closed and
the embedded sandbox is stopped.

With ``CRITEO_CONSOLE_ANNOUNCE_READY=1`` the console prints ``SHOWN_LINE`` on stderr at its
first paint and ``READY_LINE`` once it is usable (stores open, the first profile shown and
painted, signal handlers installed): scripts and tests wait for it instead of sleeping, and
``bench/startup.py`` times the real entry point by them.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

import criteo_console
from criteo_console import APP_NAME, startup_gc
from criteo_console.announce import ANNOUNCE_READY_ENV, READY_LINE, SHOWN_LINE

log = logging.getLogger("criteo_console")
SELF_TEST_FLAG = "--self-test"


class Console:
    """Everything ``main`` started, so tests and the self-test can drive it.

    A plain class rather than a dataclass: ``dataclasses`` is not imported before the first
    paint otherwise (start-up time)."""

    def __init__(
        self, *, app: QApplication, service: Any, window: Any, sandbox: Any, http: Any
    ) -> None:
        self.app = app
        self.service = service
        self.window = window
        self.embedded = sandbox  # EmbeddedSandbox
        self.http = http
        self.crash: Any = None
        self.log_handler: logging.Handler | None = None
        self.fault_file: Any = None  # crash.log, where faulthandler writes native crashes
        self.stopped = False
        self.shown_at = 0.0  # time.time() of the first paint (bench/startup.py)
        self.announcing: asyncio.Future[None] | None = None  # READY_LINE, once painted
        self.closing: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    @property
    def sandbox(self) -> Any:
        """The embedded ``SandboxServer`` (started now if its background start has not run
        yet); None if the console stopped before it ever started."""
        return self.embedded.server()

    def quit(self, code: int = 0) -> None:
        if not self.closing.done():
            self.closing.set_result(code)


class EmbeddedSandbox:
    """The built-in sandbox. Its loopback port is bound and listening at once (standard
    library only), so its address is known before the stores open and a request sent early
    waits in the backlog; the server itself (http.server, the contract checks) is imported and
    started in a background thread once the console is ready (start-up time)."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        import socket
        import threading

        self._socket = socket.create_server((host, 0), backlog=128)
        self.base_url = f"http://{host}:{self._socket.getsockname()[1]}"
        self._server: Any = None
        self._stopped = False
        self._starting = False
        self._lock = threading.Lock()

    @property
    def running(self) -> bool:
        return not self._stopped

    def server(self) -> Any:
        """The ``SandboxServer``, started on the first call."""
        with self._lock:
            if self._server is None and not self._stopped:
                from criteo_console.sandbox import SandboxServer

                self._server = SandboxServer(listening=self._socket).start()
            return self._server

    def start_in_background(self) -> bool:
        """Start the server in a thread; False if that was done already."""
        import threading

        if self._starting:
            return False
        self._starting = True
        threading.Thread(target=self.server, name="criteo-sandbox-start", daemon=True).start()
        return True

    def stop(self) -> None:
        with self._lock:  # waits for a start under way
            self._stopped = True
            if self._server is not None:
                self._server.stop()
            else:
                self._socket.close()


class LazyHttpClient:
    """The app's one ``httpx.AsyncClient``, made on first use (a test connection, a send).

    Making it builds a TLS context from the system's certificates, imports httpcore and reads
    the package metadata for the User-Agent: none of that is needed before the console is
    usable (start-up time). Every attribute is the real client's; ``aclose`` closes it if it
    was ever made, and a closed one is not made again."""

    def __init__(self, factory: Callable[[], Any] | None = None) -> None:
        self._factory = factory
        self._client: Any = None
        self._closed = False

    @property
    def client(self) -> Any:
        if self._client is None:
            if self._factory is None:
                from criteo_console.criteo import make_http_client

                self._factory = make_http_client
            self._client = self._factory()
        return self._client

    @property
    def created(self) -> bool:
        return self._client is not None

    @property
    def is_closed(self) -> bool:
        return self._closed if self._client is None else bool(self._client.is_closed)

    async def aclose(self) -> None:
        self._closed = True
        if self._client is not None:
            await self._client.aclose()

    def __getattr__(self, name: str) -> Any:
        if self._closed and self._client is None:
            raise RuntimeError("the http client was closed before it was used")
        return getattr(self.client, name)


# How long after the first profile is shown the background start-up work begins: its imports
# compete for the interpreter, and the profile's paint and the console's first answers come
# first (a request to the sandbox before its server starts waits in the backlog; a Test
# connection before the session is prepared makes it then).
AFTER_READY_PAUSE_MS = 100


def _after_ready(app: QApplication, console: Console) -> None:
    if console.stopped or not console.embedded.start_in_background():  # once
        return
    console.service.prepare_session()  # httpx, the client, the verdict: in a worker thread
    from criteo_console.ui import theme

    # The visible keyboard focus is a style sheet: every widget shown is polished again (~8 ms),
    # which is not part of showing the first profile.
    theme.apply_focus_style(app)
    QTimer.singleShot(0, lambda: _set_version(app))


def _start_settled(app: QApplication, service: Any) -> None:
    """However start-up ended (the first profile shown, a store that could not open, an error
    while showing the profile), the collector resumes; without a profile the keyboard focus is
    made visible at once (with one, ``_after_ready`` does it after the profile's paint)."""
    startup_gc.resume()
    if service.profile is None:
        from criteo_console.ui import theme

        theme.apply_focus_style(app)


def _set_version(app: QApplication) -> None:
    app.setApplicationVersion(criteo_console.__version__)  # reads package metadata: ~20 ms


def make_qapp(argv: Sequence[str] = ()) -> QApplication:
    from criteo_console.ui import theme

    app = QApplication.instance()
    fresh = not isinstance(app, QApplication)
    if not isinstance(app, QApplication):
        # A new application is starting: the collector waits until the console is usable
        # (start_console resumes it). An existing one (tests) keeps its collector as it is.
        startup_gc.pause()
        program = sys.argv[0] if sys.argv else "criteo-console"
        from criteo_console.ui.platform_failure import one_line_if_qt_cannot_start

        with one_line_if_qt_cannot_start():  # no display, a missing X11 library: one line
            app = QApplication([program, *argv, *theme.STYLE_ARGS])  # last -style wins: Fusion
    app.setApplicationName("criteo-console")
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("TrackLayer")
    app.setDesktopFileName("criteo-console")
    # The focus style sheet makes every widget's polish slower: it is applied once the console
    # is usable (``_after_ready``), when only the visible widgets need re-polishing.
    theme.apply_theme(app, focus_style=False, set_style=not fresh)
    theme.follow_system(app)
    return app


async def start_console(
    app: QApplication,
    *,
    open_secrets: Any = None,
    policy: Any = None,
    install_crash_handler: bool = True,
    log_to_file: bool = False,
    closing: asyncio.Future[int] | None = None,
) -> Console:
    """Show the window first, then open the stores and show the first profile ("ready").

    The keyring, SQLite and the storage paths are imported only after the first paint
    (start-up time); so is the log file handler (``log_to_file``, the real app only). The
    embedded sandbox's port is bound at once, but its server starts only once the console is
    ready, and the httpx client is made on the first request (``LazyHttpClient``).
    """
    from criteo_console.ui.main_window import MainWindow
    from criteo_console.ui.service import ConsoleService

    # Bound now (instant); the server is imported and started once the console is ready.
    embedded = EmbeddedSandbox()

    def received(order_id: str) -> list[dict[str, Any]]:
        server = embedded.server()
        return [] if server is None else [r.to_json() for r in server.find_received(order_id)]

    def sandbox_url() -> str | None:
        return embedded.base_url if embedded.running else None

    service = ConsoleService(
        http=None,
        paths=None,
        sandbox_url=sandbox_url,
        received_lookup=received,
        policy=policy,
        open_secrets=open_secrets,
    )
    window = MainWindow(service)
    window.show()
    await asyncio.sleep(0)  # the first paint happens here
    shown_at = time.time()
    if os.environ.get(ANNOUNCE_READY_ENV) == "1":
        print(SHOWN_LINE, file=sys.stderr, flush=True)
    from criteo_console.storage import StoragePaths

    paths = StoragePaths.resolve()
    service.paths = paths
    log_handler = _setup_logging(paths.data_dir, service.redact) if log_to_file else None
    fault_file = _native_crash_log(paths.data_dir) if log_to_file else None
    # The stores' worker threads start now, before the page shortcuts are made.
    opening = service.open_stores()
    window.after_first_paint()
    http = LazyHttpClient()  # the httpx client itself is made on the first request
    service.http = http  # type: ignore[assignment]
    console = Console(app=app, service=service, window=window, sandbox=embedded, http=http)
    # Once the console is usable (the first profile shown), after a short pause: the sandbox
    # server starts (background thread), the session's modules load (worker thread), the focus
    # style is applied and the package metadata (~20 ms) is read.
    after_ready = QTimer(window)
    after_ready.setSingleShot(True)
    after_ready.setInterval(AFTER_READY_PAUSE_MS)
    after_ready.timeout.connect(lambda: _after_ready(app, console))
    service.profile_selected.connect(lambda _p: after_ready.isActive() or after_ready.start())
    # The stores open in worker threads; their result is handled on the loop's next turns.
    starting = service.start(opening)
    starting.add_done_callback(lambda _task: _start_settled(app, service))
    if closing is not None:
        console.closing = closing  # main's future: a signal during start-up is not lost
    console.shown_at = shown_at
    console.log_handler = log_handler
    console.fault_file = fault_file
    app.setQuitOnLastWindowClosed(False)
    app.lastWindowClosed.connect(lambda: console.quit(0))
    window.closed.connect(lambda: console.quit(0))
    app.aboutToQuit.connect(lambda: console.quit(0))
    if install_crash_handler:
        from criteo_console.ui.crash import CrashHandler

        console.crash = CrashHandler(
            redact=service.redact,
            show=lambda text: _crash_dialog(console, text),
            log_path=str(paths.data_dir / "console.log"),
        )
        console.crash.install()
    return console


async def stop_console(console: Console) -> None:
    if console.stopped:
        return
    console.stopped = True
    startup_gc.resume()  # closed before it was usable
    console.window.close()
    await console.service.aclose()
    await console.http.aclose()
    await asyncio.to_thread(console.embedded.stop)
    if console.crash is not None:
        console.crash.uninstall()
    console.window.deleteLater()
    log.info("console stopped")
    if console.log_handler is not None:
        logging.getLogger("criteo_console").removeHandler(console.log_handler)
        console.log_handler.close()
        console.log_handler = None
    if console.fault_file is not None:
        import faulthandler

        if sys.__stderr__ is not None:
            faulthandler.enable(file=sys.__stderr__, all_threads=True)
        else:
            faulthandler.disable()
        console.fault_file.close()
        console.fault_file = None


def _crash_dialog(console: Console, text: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, text)
    box.exec()
    console.quit(1)


async def main(app: QApplication) -> int:
    from criteo_console.ui.quit_signals import install_quit_signals

    # Created before start-up so a Ctrl-C during start-up also ends in the normal shutdown.
    closing: asyncio.Future[int] = asyncio.get_running_loop().create_future()
    remove_signals = install_quit_signals(lambda code: _resolve(closing, code))
    try:
        console = await start_console(app, log_to_file=True, closing=closing)
        try:
            if os.environ.get(ANNOUNCE_READY_ENV) == "1":
                _announce_when_ready(console)
            return await console.closing
        finally:
            await stop_console(console)
    finally:
        remove_signals()


def _announce_when_ready(console: Console) -> None:
    async def after_paint() -> None:
        # Two turns of the loop with nothing else queued: the profile has been painted.
        await asyncio.sleep(0)
        await asyncio.sleep(0.001)
        print(READY_LINE, file=sys.stderr, flush=True)

    def announce(*_args: object) -> None:
        console.service.profile_selected.disconnect(announce)
        console.announcing = asyncio.ensure_future(after_paint())

    if console.service.profile is not None:
        print(READY_LINE, file=sys.stderr, flush=True)
    else:
        console.service.profile_selected.connect(announce)


CRASH_LOG = "crash.log"


def _native_crash_log(data_dir: Path) -> Any:
    """Native crashes (a segfault in Qt or a driver) write Python's stack of every thread to
    crash.log beside console.log; it holds code locations only, never the app's data."""
    import faulthandler

    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        file = open(data_dir / CRASH_LOG, "a", encoding="utf-8")  # noqa: SIM115 (kept open)
    except OSError:
        return None
    faulthandler.enable(file=file, all_threads=True)
    return file


def _setup_logging(data_dir: Path, redact: Callable[[str], str]) -> logging.Handler:
    """console.log (0600, in the 0700 data folder; stderr when it cannot be written), with
    every secret and token seen this run and emails masked by a filter on the handler
    (whatever logger the record comes from)."""
    from criteo_console.core.redaction import RedactingFilter
    from criteo_console.storage.console_log import open_console_log

    handler = open_console_log(data_dir)
    handler.addFilter(RedactingFilter(redact))
    root = logging.getLogger("criteo_console")
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    return handler


def _run(coro_factory: Any, argv: Sequence[str]) -> int:
    import qasync

    app = make_qapp(argv)
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        return int(runner.run(coro_factory(app)))


def run_app(argv: Sequence[str]) -> int:
    """The console window (``criteo-console`` with no subcommand)."""
    args = list(argv)
    if SELF_TEST_FLAG in args:
        return run_self_test()
    return _run(main, args)


# -- self-test (for the packaged binary's smoke test) -------------------------------------


def run_self_test() -> int:
    """Offscreen: open the window, send the guide's example order to the embedded sandbox,
    report the secret-store backend. Exit 0 only if all of it worked."""
    import tempfile

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    home = tempfile.TemporaryDirectory(prefix="criteo-console-self-test-")
    os.environ["CRITEO_CONSOLE_HOME"] = home.name
    try:
        return _run(_self_test, [])
    finally:
        home.cleanup()


def _resolve(future: asyncio.Future[Any], value: Any) -> None:
    if not future.done():
        future.set_result(value)


async def _self_test(app: QApplication) -> int:
    from criteo_console.session import SendStatus, guide_example_order

    console = await start_console(app, install_crash_handler=False)
    service, window = console.service, console.window
    results: list[tuple[str, bool, str]] = []
    try:
        ready = asyncio.get_running_loop().create_future()
        service.profile_selected.connect(lambda _p: _resolve(ready, True))
        await asyncio.wait_for(ready, 30)
        results.append(("main window shown", window.isVisible(), APP_NAME))
        backend = service.secrets.backend_name if service.secrets else "none"
        results.append(("secret store", service.secrets is not None, service.store_status_text))
        window.compose.load_order(guide_example_order())
        check = window.compose.current_check()
        results.append(("guide example order valid", check.ok, f"{len(check.issues)} issue(s)"))
        finished = asyncio.get_running_loop().create_future()
        service.send_finished.connect(lambda r: _resolve(finished, r))
        service.send(window.compose.current_order(), allow_duplicate=True)
        report = await asyncio.wait_for(finished, 30)
        results.append(
            ("send to embedded sandbox", report.status is SendStatus.ACCEPTED, report.explanation)
        )
        print(f"secret store backend: {backend}")
    except Exception as exc:  # the smoke test reports, it does not crash
        results.append(("self-test", False, f"{type(exc).__name__}: {exc}"))
    finally:
        await stop_console(console)
    for name, ok, detail in results:
        print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}")
    return 0 if results and all(ok for _n, ok, _d in results) else 1
