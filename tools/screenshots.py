"""Render the console's pages to docs/screenshots/*.png, light and dark (``make screenshots``).

Each scene runs the real console (offscreen) over the embedded sandbox with a throw-away home
folder and an in-memory keyring, then grabs the window. Three sizes, each in its own process
(the scale factor is fixed when Qt starts): 1280×800 (``NAME-light.png``), 1024×640
(``NAME-1024x640-light.png``) and 2× on a 1440×900 screen, where the window fits itself to
the 720×450 that are left (``NAME-2x-light.png``, 1440 pixels wide).

    python tools/screenshots.py                    # every size, every scene
    python tools/screenshots.py --size 1024x640 01-first-run
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
# size name -> (screen width, height, scale factor, window size or None to let it fit itself)
SIZES: dict[str, tuple[int, int, int, tuple[int, int] | None]] = {
    "1280x800": (1440, 900, 1, (1280, 800)),
    # None: the window fits itself to the screen as on a real laptop (1024×600, the rest is
    # left for the title bar), so these show what the marketer sees, not a taller window.
    "1024x640": (1024, 640, 1, None),
    "2x": (1440, 900, 2, None),
}
WINDOW: tuple[int, int] | None = None  # this process's window size (main sets it)
SUFFIX = ""  # this process's file-name part for the size


async def until(condition: Callable[[], object], within: float = 15.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the console did not reach the expected state")
        await asyncio.sleep(0.02)


async def settle() -> None:
    await asyncio.sleep(0.15)  # let layouts and repaints run before the grab


async def scene(app: Any, name: str, dark: bool, act: Callable[[Any], Any]) -> Path:
    from criteo_console.storage import InMemoryKeyring, open_secret_store
    from criteo_console.ui import theme
    from criteo_console.ui.app import start_console, stop_console

    with tempfile.TemporaryDirectory() as home:
        os.environ["CRITEO_CONSOLE_HOME"] = home
        theme.apply_theme(app, dark=dark)
        keyring = InMemoryKeyring()
        console = await start_console(
            app, open_secrets=lambda: open_secret_store(keyring), install_crash_handler=False
        )
        try:
            if WINDOW is not None:
                console.window.resize(*WINDOW)
            await until(lambda: console.service.profile is not None)
            await act(console)
            await settle()
            path = OUT / f"{name}{SUFFIX}-{'dark' if dark else 'light'}.png"
            console.window.grab().save(str(path))
            return path
        finally:
            await stop_console(console)


def guide(**changes: Any) -> dict[str, Any]:
    from criteo_console.session import guide_example_order

    return guide_example_order(**changes)


async def first_run(console: Any) -> None:
    console.window.show_page("connect")


async def _load(console: Any, order: dict[str, Any]) -> None:
    console.window.compose.load_order(order)
    await settle()


async def valid_order(console: Any) -> None:
    await _load(console, guide())
    console.window.show_page("compose")


async def order_with_errors(console: Any) -> None:
    await _load(
        console,
        guide(
            currency="EURO",
            value="149,90x",
            items=[
                {"id": "SKU-BLK-42", "price": "79.95", "quantity": 0},
                {"id": "", "price": "69.95", "quantity": 1},
            ],
        ),
    )
    console.window.show_page("compose")


async def scope_failure(console: Any) -> None:
    from criteo_console.storage import sandbox_profile

    service = console.service
    profile = sandbox_profile().with_changes(name="Other Shop (not consented)")
    service.save_profile(None, profile.with_changes(advertiser_id=7654321), None)
    await until(lambda: service.profile is not None and service.profile.advertiser_id == 7654321)
    console.window.show_page("connect")
    console.window.connect_page.test_button.click()
    await until(lambda: not service.busy("connect") and "scope" in _scope_text(console))


def _scope_text(console: Any) -> str:
    return str(console.window.connect_page.scope_label.text())


async def successful_send(console: Any) -> None:
    service = console.service
    console.window.connect_page.test_button.click()
    await until(lambda: not service.busy("connect") and service.checks()[1].state.value == "ok")
    await _load(console, guide())
    console.window.show_page("send")
    console.window.send_page.request_send()
    await until(lambda: console.window.send_page.trace_edit.text() != "")


async def the_log(console: Any) -> None:
    await successful_send(console)
    console.sandbox.queue_fault("rate-limit", times=9, endpoint="conversions")
    await _load(console, guide(order_id="PS-10429"))
    console.window.send_page.request_send()
    await until(lambda: not console.service.busy("send"))
    await _load(console, guide(order_id="PS-10430"))
    console.window.send_page.request_send()
    await until(lambda: not console.service.busy("send"))
    console.window.send_page.log_button.click()  # the log, the newest attempt's details open
    await until(lambda: console.window.log_page.current_attempt() is not None)


async def compare_view(console: Any) -> None:
    await successful_send(console)
    window = console.window
    window.send_page.log_button.click()
    page = window.log_page
    await until(lambda: page.current_attempt() is not None)
    page.details.setCurrentWidget(page.compare)


def _shop_checkout(base_url: str) -> None:
    """A staging shop with two classic mistakes: a token per order, the email not lower-cased."""
    import hashlib

    import httpx

    def body(order_id: str, email: str, **changes: Any) -> dict[str, Any]:
        attributes: dict[str, Any] = {
            "advertiser_id": 1234567, "event_name": "purchase",
            "event_time": "2026-04-24T13:14:58Z",
            "identifiers": {"email_sha256": hashlib.sha256(email.encode()).hexdigest()},
            "transaction_data": {"id": order_id, "currency": "EUR", "value": 149.9,
                                 "item": [{"id": "SKU-BLK-42", "price": 149.9, "quantity": 1}]},
        }  # fmt: skip
        attributes.update(changes)
        return {"data": [{"type": "Conversion", "attributes": attributes}]}

    form = {"grant_type": "client_credentials", "client_id": "shop", "client_secret": "s3cret"}
    with httpx.Client(base_url=base_url) as http:
        for order_id, email, changes in (
            ("PS-10428", "Jane.Doe@example.com", {}),
            ("PS-10429", "jane.doe@example.com", {}),
            ("PS-10430", "jane.doe@example.com", {"event_name": "Purchase"}),
        ):
            token = http.post("/oauth2/token", data=form).json()["access_token"]
            http.post("/2026-01/conversions", json=body(order_id, email, **changes),
                      headers={"Authorization": f"Bearer {token}"})  # fmt: skip


async def watch_my_shop(console: Any) -> None:
    window = console.window
    window.show_page("watch")
    page = window.page("watch")
    page.email.setText("Jane.Doe@example.com")  # as typed at the checkout
    page.order_id.setText("PS-10429")
    page.value.setText("149.90")
    page.currency.setText("EUR")
    page.items.setPlainText("SKU-BLK-42, 149.90, 1")
    if not page.start(port=8789):  # the documented port; any free one if it is taken
        page.start()
    try:
        await asyncio.to_thread(_shop_checkout, page.base_url.text())
        await until(lambda: page.table.rowCount() == 6)
        page.table.selectRow(3)
        await settle()
    finally:
        # The grab happens after this scene returns; keep the rows, stop the listener.
        if page.server is not None:
            page.server.stop()


async def _events_profile(console: Any) -> None:
    """The built-in sandbox's Events API account as a second profile."""
    from criteo_console.core.destinations import DestinationSettings
    from criteo_console.storage import sandbox_profile

    service = console.service
    profile = sandbox_profile().with_changes(
        name="Sandbox (Events API)",
        advertiser_id=12345,
        destination="events",
        events=DestinationSettings(account="12345", mapping_key="sandbox-caller"),
    )
    service.save_profile(None, profile, None)
    await until(lambda: service.profile is not None and service.profile.destination == "events")


def _events_order() -> dict[str, Any]:
    from datetime import UTC, datetime

    return guide(
        event_time=datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
        email="  John.Doe@Example.COM ",
        email_sha256=None,
        customer_id=None,
        gum_id="d0f3a1c2e4b5",
        ip="81.2.69.160",
        user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
        page_url="https://shop.example/checkout/thank-you",
    )


async def events_compose(console: Any) -> None:
    await _events_profile(console)
    await _load(console, _events_order())
    console.window.show_page("compose")


async def events_send(console: Any) -> None:
    await _events_profile(console)
    await _load(console, _events_order())
    console.window.show_page("send")
    console.window.send_page.request_send()
    await until(lambda: console.window.send_page.trace_edit.text() != "")


SCENES: list[tuple[str, Callable[[Any], Any]]] = [
    ("01-first-run", first_run),
    ("02-valid-order", valid_order),
    ("03-order-with-errors", order_with_errors),
    ("04-scope-failure", scope_failure),
    ("05-successful-send", successful_send),
    ("06-event-log", the_log),
    ("07-compare", compare_view),
    ("08-watch-my-shop", watch_my_shop),
    ("09-events-compose", events_compose),
    ("10-events-send", events_send),
]


async def render_all(app: Any, only: set[str]) -> list[Path]:
    done = []
    for dark in (False, True):
        for name, act in SCENES:
            if only and name not in only:
                continue
            done.append(await scene(app, name, dark, act))
    return done


def screen_env(size: str, folder: Path) -> dict[str, str]:
    """An offscreen screen of the size's geometry (Qt's offscreen platform reads it from a
    JSON file) and its scale factor."""
    width, height, scale, _window = SIZES[size]
    config = folder / f"screen-{size}.json"
    screen = {"name": "screen", "x": 0, "y": 0, "width": width, "height": height}
    config.write_text(json.dumps({"screens": [{**screen, "logicalDpi": 96, "dpr": 1}]}))
    return {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "QT_SCALE_FACTOR": str(scale),
    }


def main(argv: list[str]) -> int:
    if "--size" not in argv:
        with tempfile.TemporaryDirectory() as folder:
            for size in SIZES:
                command = [sys.executable, __file__, "--size", size, *argv]
                env = screen_env(size, Path(folder))
                if subprocess.run(command, env=env, check=False).returncode:
                    return 1
        return 0
    at = argv.index("--size")
    size = argv[at + 1]
    scenes = set(argv[:at] + argv[at + 2 :])
    global WINDOW, SUFFIX
    WINDOW = SIZES[size][3]
    SUFFIX = "" if size == "1280x800" else f"-{size}"
    return render(scenes)


def render(only: set[str]) -> int:
    import qasync

    from criteo_console.ui.app import make_qapp

    OUT.mkdir(parents=True, exist_ok=True)
    app = make_qapp([])
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        paths = runner.run(render_all(app, only))
    for path in paths:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
