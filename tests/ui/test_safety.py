"""What the console does about the unexpected: an earlier send that never finished, a crash."""

from __future__ import annotations

import logging
import sys
import threading
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from criteo_console.storage import EventLog, StoragePaths
from criteo_console.storage import event_log as event_log_module
from tests.ui.conftest import start_test_console, stop_test_console
from tests.ui.test_console import add_profile, click

pytestmark = [
    pytest.mark.usefixtures("qloop"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]
SECRET = "s3cret-CRASH-value-31"


def seed_pending_row_from_another_run(monkeypatch: pytest.MonkeyPatch, order_id: str) -> None:
    """A send that an earlier console process began but never completed (it was killed)."""
    with monkeypatch.context() as earlier, EventLog(StoragePaths.resolve().log_file) as log:
        earlier.setattr(event_log_module, "PROCESS_SESSION", "an-earlier-run")
        log.begin_attempt(
            profile="Sandbox",
            environment="sandbox",
            advertiser_id=1234567,
            event_name="purchase",
            order_id=order_id,
            value="149.90",
            currency="EUR",
            request_body='{"data": []}',
        )


def test_unknown_outcome_from_an_earlier_run_is_shown_at_start(
    qtbot: Any, qloop: Any, console_home: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_pending_row_from_another_run(monkeypatch, "PS-LOST-1")
    console = start_test_console(qloop, qtbot)
    try:
        window = console.window
        qtbot.waitUntil(window.banner.isVisible, timeout=5000)
        text = window.banner_text.text()
        assert "PS-LOST-1" in text and "outcome unknown" in text
        assert "check Criteo before re-sending" in text
        click(qtbot, window.banner_button)
        assert window.current_page() == "log"
    finally:
        stop_test_console(qloop, qtbot, console)


def test_no_banner_for_a_clean_start(qtbot: Any, console: Any) -> None:
    qtbot.waitUntil(lambda: not console.service.busy("start"))  # the check has run
    assert not console.window.banner.isVisible()


@pytest.fixture
def crashing_console(qtbot: Any, qloop: Any, console_home: Any, monkeypatch: pytest.MonkeyPatch):
    """The console with its real crash handler; the crash dialog records instead of blocking."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    console = start_test_console(qloop, qtbot, install_crash_handler=True)
    try:
        add_profile(qtbot, console, secret=SECRET, advertiser="1234567")
        yield console, shown
    finally:
        stop_test_console(qloop, qtbot, console)
    assert sys.excepthook != console.crash._excepthook  # stopping uninstalls the handler


def leaky_error() -> RuntimeError:
    try:
        raise RuntimeError(f"token refused for secret {SECRET} (jane.doe@example.com)")
    except RuntimeError as exc:
        return exc


def test_crash_dialog_and_log_never_show_the_secret(
    qtbot: Any, crashing_console: Any, caplog: pytest.LogCaptureFixture
) -> None:
    console, shown = crashing_console
    error = leaky_error()
    with caplog.at_level(logging.CRITICAL, logger="criteo_console.crash"):
        sys.excepthook(type(error), error, error.__traceback__)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "has to close" in shown[0] and "Your event log and profiles are safe" in shown[0]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "RuntimeError" in logged  # the report is there…
    for leak in (SECRET, "jane.doe@example.com"):  # …without the secret or the email
        assert leak not in shown[0] and leak not in logged
        assert all(leak not in report for report in console.crash.reports)
    assert console.closing.done() and console.closing.result() == 1


def test_crash_in_a_worker_thread_reaches_the_dialog_redacted(
    qtbot: Any, crashing_console: Any
) -> None:
    console, shown = crashing_console

    def work() -> None:
        raise leaky_error()

    worker = threading.Thread(target=work, name="test-worker")
    worker.start()
    worker.join(timeout=5)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    (report,) = console.crash.reports
    assert "RuntimeError" in report and SECRET not in report
    assert SECRET not in shown[0]


SECRET_B = "s3cret-SECOND-profile-58"


def test_secrets_of_earlier_profiles_stay_out_of_crash_reports_and_console_log(
    qtbot: Any, qloop: Any, console_home: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    console = start_test_console(qloop, qtbot, install_crash_handler=True, log_to_file=True)
    log_file = console.service.paths.data_dir / "console.log"
    try:
        page = console.window.connect_page
        click(qtbot, page.test_button)  # the sandbox profile gets a token
        qtbot.waitUntil(page.countdown.isActive, timeout=5000)
        token = console.service.session.client._tokens._token.value.reveal()
        add_profile(qtbot, console, secret=SECRET, advertiser="1234567")
        click(qtbot, page.new_button)
        qtbot.keyClicks(page.name_edit, "Shop B")
        qtbot.keyClicks(page.client_id_edit, "shop-b")
        qtbot.keyClicks(page.secret_edit, SECRET_B)
        qtbot.keyClicks(page.advertiser_edit, "1234567")
        click(qtbot, page.save_button)
        qtbot.waitUntil(lambda: console.service.profile.name == "Shop B", timeout=5000)
        console.service.select_profile("Sandbox")  # neither secret is the current one now
        qtbot.waitUntil(lambda: console.service.profile.name == "Sandbox", timeout=5000)

        leaks = (SECRET, SECRET_B, token, "jane.doe@example.com")
        text = " ".join(leaks)
        logging.getLogger("criteo_console.test").error("while sending: %s", text)
        try:
            raise RuntimeError(f"token refused: {text}")
        except RuntimeError as error:
            sys.excepthook(type(error), error, error.__traceback__)
        qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    finally:
        stop_test_console(qloop, qtbot, console)
    written = log_file.read_text(encoding="utf-8")
    assert "while sending" in written and "RuntimeError: token refused" in written
    for leak in leaks:
        assert leak not in written, leak
        assert leak not in shown[0] and all(leak not in r for r in console.crash.reports)
