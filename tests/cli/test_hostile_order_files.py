"""The real `criteo-console validate|payload` process on hostile order files (issue 9, items
11 and 12): a plain one-line message and exit 2, within a timeout (no hang), no traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from criteo_console.core.jsonfmt import MAX_JSON_DEPTH
from criteo_console.core.order import MAX_ORDER_BYTES
from tests.core.orders import GUIDE_ORDER

TIMEOUT = 60  # far above the ~1 s these take; a hang (the former FIFO read) fails here


def _run(*args: str, stdin: object = subprocess.DEVNULL) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "criteo_console", *args, "--advertiser-id", "1234567"],
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def _assert_refused(done: subprocess.CompletedProcess[str], message: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert message in done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("command", ["validate", "payload"])
def test_a_named_pipe_with_no_writer_is_refused_not_waited_on(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / "order.json"
    os.mkfifo(fifo)

    _assert_refused(_run(command, str(fifo)), "is a named pipe, not an order file")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_device_is_refused_without_reading_it(device: str) -> None:
    if not Path(device).exists():
        pytest.skip(f"no {device} here")

    _assert_refused(_run("validate", device), f"{device} is a device, not an order file")


def test_a_folder_is_refused(tmp_path: Path) -> None:
    _assert_refused(_run("validate", str(tmp_path)), "is a folder, not an order file")


def test_a_file_over_the_size_cap_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "order.json"
    big.write_text(json.dumps({**GUIDE_ORDER, "note": "x" * MAX_ORDER_BYTES}), encoding="utf-8")

    _assert_refused(_run("validate", str(big)), "is larger than 1 MiB (1,048,576 bytes)")


def test_standard_input_is_read_with_a_dash() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "criteo_console", "payload", "-", "--advertiser-id", "1"],
        input=json.dumps(GUIDE_ORDER),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )

    assert done.returncode == 0, done.stderr
    assert (
        json.loads(done.stdout)["data"][0]["attributes"]["transaction_data"]["id"]
        == (GUIDE_ORDER["order_id"])
    )


def test_endless_standard_input_is_cut_at_the_size_cap() -> None:
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    with open("/dev/zero", "rb") as zeros:
        done = _run("validate", "-", stdin=zeros)

    _assert_refused(done, "standard input is larger than 1 MiB")


def test_standard_input_over_the_cap_is_refused() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "criteo_console", "validate", "-", "--advertiser-id", "1"],
        input=" " * (MAX_ORDER_BYTES + 1),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )

    _assert_refused(done, "standard input is larger than 1 MiB")


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 500, 400_000])
def test_a_deeply_nested_file_is_refused_in_plain_words(tmp_path: Path, depth: int) -> None:
    deep = tmp_path / "order.json"
    deep.write_text('{"items": ' + "[" * depth + "]" * depth + "}", encoding="utf-8")

    _assert_refused(_run("validate", str(deep)), f"nested more than {MAX_JSON_DEPTH} levels deep")


def test_broken_text_in_a_key_is_an_issue_not_a_crash(tmp_path: Path) -> None:
    order = tmp_path / "order.json"
    text = json.dumps({**GUIDE_ORDER, "note\ud800": 1, "jane@example.com": "\udc00"})
    order.write_text(text, encoding="utf-8")  # json.dumps escapes them as \\ud800

    for extra in ([], ["--json"]):
        done = _run("validate", str(order), *extra)
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr
        assert "text-invalid-characters" in done.stdout
        assert "jane@example.com" not in done.stdout + done.stderr


def test_absurd_numbers_are_issues_not_a_crash(tmp_path: Path) -> None:
    order = tmp_path / "order.json"
    text = json.dumps({**GUIDE_ORDER, "value": "V", "order_id": "O", "customer_id": "C"})
    text = text.replace('"V"', "9" * 100_000).replace('"O"', "1e99999999999999999999")
    order.write_text(text.replace('"C"', "NaN"), encoding="utf-8")

    done = _run("validate", str(order), "--json")

    assert done.returncode == 1, done.stderr
    codes = {issue["code"] for issue in json.loads(done.stdout)["issues"]}
    assert {"value-too-large", "order-id-invalid", "customer-id-invalid"} <= codes


def test_an_event_name_that_is_not_text_is_a_usage_error(tmp_path: Path) -> None:
    if sys.platform == "win32" or sys.getfilesystemencoding() != "utf-8":
        pytest.skip("needs POSIX argv bytes")
    order = tmp_path / "order.json"
    order.write_text(json.dumps(GUIDE_ORDER), encoding="utf-8")

    argv = ["payload", str(order), "--advertiser-id", "1", "--event-name", "purchase=sale\udcff"]
    done = subprocess.run(
        [sys.executable, "-m", "criteo_console", *argv],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )

    _assert_refused(done, "holds characters that are not valid text")
