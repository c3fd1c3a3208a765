"""Start the console: one ``main()`` under ``asyncio.Runner(loop_factory=qasync.QEventLoop)``.

Shutdown goes through a future resolved when the user quits or closes the last window, or
when the process gets Ctrl-C/SIGTERM (``quit_signals``: exit 130/0). The app does not let Qt
quit on its own, so the loop never stops under a pending ``main``. On the way out: pending work
is cancelled (a send's log row is completed), the shared ``httpx.AsyncClient`` is closed and
the embedded sandbox is stopped.

With ``CRITEO_CONSOLE_ANNOUNCE_READY=1`` the console prints ``READY_LINE`` on stderr once it is
usable (stores open, a profile selected, signal handlers installed): scripts and tests wait for
it instead of sleeping.
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

from PySide6.QtWidgets import QApplication

import criteo_console
from criteo_console import APP_NAME

log = logging.getLogger("criteo_console")
SELF_TEST_FLAG = "--self-test"
ANNOUNCE_READY_ENV = "CRITEO_CONSOLE_ANNOUNCE_READY"
READY_LINE = "criteo-console: ready"


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
        self.sandbox = sandbox
        self.http = http
        self.crash: Any = None
        self.log_handler: logging.Handler | None = None
        self.stopped = False
        self.shown_at = 0.0  # time.time() of the first paint (bench/startup.py)
        self.closing: asyncio.Future[int] = asyncio.get_running_loop().create_future()

    def quit(self, code: int = 0) -> None:
        if not self.closing.done():
            self.closing.set_result(code)


def make_qapp(argv: Sequence[str] = ()) -> QApplication:
    from criteo_console.ui import theme

    app = QApplication.instance()
    fresh = not isinstance(app, QApplication)
    if not isinstance(app, QApplication):
        program = sys.argv[0] if sys.argv else "criteo-console"
        app = QApplication([program, *argv, *theme.STYLE_ARGS])  # last -style wins: Fusion
    app.setApplicationName("criteo-console")
    app.setApplicationDisplayName(APP_NAME)
    app.setOrganizationName("TrackLayer")
    app.setDesktopFileName("criteo-console")
    # The focus style sheet makes every widget's polish slower: it is applied after the
    # first paint (start_console), when only the visible widgets need re-polishing.
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
    """Show the window first, then start the sandbox, the http client and the service.

    httpx, the keyring, SQLite and the storage paths are imported only after the first paint
    (start-up time); so is the log file handler (``log_to_file``, the real app only).
    """
    from criteo_console.ui.main_window import MainWindow
    from criteo_console.ui.service import ConsoleService

    holder: dict[str, Any] = {}

    def received(order_id: str) -> list[dict[str, Any]]:
        return [r.to_json() for r in holder["sandbox"].find_received(order_id)]

    def sandbox_url() -> str | None:
        sandbox = holder.get("sandbox")
        return sandbox.base_url if sandbox is not None and sandbox.running else None

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
    window.after_first_paint()

    from criteo_console.ui import theme

    theme.apply_focus_style(app)
    app.setApplicationVersion(criteo_console.__version__)  # reads package metadata: ~20 ms
    from criteo_console.criteo import make_http_client
    from criteo_console.sandbox import SandboxServer
    from criteo_console.storage import StoragePaths

    paths = StoragePaths.resolve()
    service.paths = paths
    log_handler = _setup_logging(paths.data_dir, service.redact) if log_to_file else None

    sandbox = SandboxServer(port=0).start()  # binds a free loopback port: instant
    holder["sandbox"] = sandbox
    http = make_http_client()
    service.http = http
    console = Console(app=app, service=service, window=window, sandbox=sandbox, http=http)
    if closing is not None:
        console.closing = closing  # main's future: a signal during start-up is not lost
    console.shown_at = shown_at
    console.log_handler = log_handler
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
    service.start()
    return console


async def stop_console(console: Console) -> None:
    if console.stopped:
        return
    console.stopped = True
    console.window.close()
    await console.service.aclose()
    await console.http.aclose()
    await asyncio.to_thread(console.sandbox.stop)
    if console.crash is not None:
        console.crash.uninstall()
    console.window.deleteLater()
    log.info("console stopped")
    if console.log_handler is not None:
        logging.getLogger("criteo_console").removeHandler(console.log_handler)
        console.log_handler.close()
        console.log_handler = None


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
    def announce(*_args: object) -> None:
        console.service.profile_selected.disconnect(announce)
        print(READY_LINE, file=sys.stderr, flush=True)

    if console.service.profile is not None:
        print(READY_LINE, file=sys.stderr, flush=True)
    else:
        console.service.profile_selected.connect(announce)


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
