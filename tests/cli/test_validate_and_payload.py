"""The headless `validate` and `payload` commands: a stable interface for scripts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from criteo_console.cli import main
from tests.core.orders import GUIDE_ORDER, guide_order

RAW_EMAIL = "  Jane.Shopper@Example.COM "


def _write(tmp_path: Path, order: Any, name: str = "order.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(order), encoding="utf-8")
    return str(path)


def test_validate_json_output_for_a_valid_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["validate", _write(tmp_path, GUIDE_ORDER), "--advertiser-id", "1234567", "--json"])

    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["ok"] is True
    assert out["issues"] == []
    assert out["payload"]["data"][0]["attributes"]["transaction_data"]["value"] == 149.90


def test_validate_json_output_lists_errors_and_no_payload(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    order = guide_order(currency="EURO", value="-3")

    code = main(["validate", _write(tmp_path, order), "--advertiser-id", "1234567", "--json"])

    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert out["ok"] is False
    assert out["payload"] is None
    assert {(i["field"], i["code"], i["level"]) for i in out["issues"]} >= {
        ("currency", "currency-unknown", "error"),
        ("value", "value-negative", "error"),
    }
    assert set(out["issues"][0]) == {"level", "field", "code", "message"}


def test_validate_warnings_only_exits_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["validate", _write(tmp_path, guide_order(value="155.00")), "--advertiser-id", "1"])

    out = capsys.readouterr().out
    assert code == 0
    assert "ready to send" in out
    assert "WARNING value:" in out


def test_validate_readable_output_names_field_and_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        ["validate", _write(tmp_path, guide_order(event="Purchase")), "--advertiser-id", "1"]
    )

    out = capsys.readouterr().out
    assert code == 1
    assert "cannot be sent" in out
    assert "ERROR   event:" in out
    assert "spelled exactly “purchase”" in out


def test_event_name_flag_maps_the_criteo_name(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(
        [
            "payload",
            _write(tmp_path, GUIDE_ORDER),
            "--advertiser-id",
            "1",
            "--event-name",
            "purchase=sale",
        ]
    )

    body = json.loads(capsys.readouterr().out)
    assert body["data"][0]["attributes"]["event_name"] == "sale"


def test_advertiser_id_comes_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRITEO_ADVERTISER_ID", "7654321")

    main(["payload", _write(tmp_path, GUIDE_ORDER)])

    assert json.loads(capsys.readouterr().out)["data"][0]["attributes"]["advertiser_id"] == 7654321


def test_payload_prints_exactly_the_body_and_nothing_else(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["payload", _write(tmp_path, GUIDE_ORDER), "--advertiser-id", "1234567"])

    captured = capsys.readouterr()
    assert code == 0
    assert captured.err == ""
    assert json.loads(captured.out)["data"][0]["type"] == "Conversion"
    assert '"value": 149.90' in captured.out
    assert captured.out.startswith("{\n  ")  # pretty-printed


def test_payload_with_errors_prints_issues_to_stderr_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["payload", _write(tmp_path, guide_order(order_id=None)), "--advertiser-id", "1"])

    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert "order_id" in captured.err


@pytest.mark.parametrize(
    ("args", "content", "message"),
    [
        (["validate", "{missing}"], None, "no such file"),
        (["validate", "{file}"], "{not json", "not valid JSON (line 1)"),
        (["validate", "{file}"], b"\xff\xfe\x00", "not UTF-8"),
        (["validate", "{file}", "--bogus"], "{}", "unrecognized arguments: --bogus"),
        (
            ["validate", "{file}", "--event-name", "purchase"],
            "{}",
            "--event-name expects EVENT=NAME",
        ),
        (["payload"], None, "required: ORDER.json"),
        (["validate", "{dir}"], None, "is a folder"),
    ],
)
def test_usage_problems_exit_2_with_one_line_and_no_traceback(
    tmp_path: Path, args: list[str], content: str | bytes | None, message: str
) -> None:
    target = tmp_path / "order.json"
    if isinstance(content, bytes):
        target.write_bytes(content)
    elif content is not None:
        target.write_text(content, encoding="utf-8")
    argv = [
        a.replace("{file}", str(target))
        .replace("{missing}", str(tmp_path / "nope.json"))
        .replace("{dir}", str(tmp_path))
        for a in args
    ]

    done = subprocess.run(
        [sys.executable, "-m", "criteo_console", *argv], capture_output=True, text=True, timeout=60
    )

    assert done.returncode == 2
    assert done.stdout == ""
    assert message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_raw_email_never_printed_by_any_command(tmp_path: Path) -> None:
    good = _write(tmp_path, guide_order(email=RAW_EMAIL, email_sha256=None), "good.json")
    bad = _write(
        tmp_path, guide_order(email=RAW_EMAIL, email_sha256=None, customer_id=RAW_EMAIL), "bad.json"
    )
    outputs = []
    for args in (
        ["validate", good, "--advertiser-id", "1"],
        ["validate", good, "--advertiser-id", "1", "--json"],
        ["payload", good, "--advertiser-id", "1"],
        ["validate", bad, "--advertiser-id", "1", "--json"],
        ["validate", bad, "--advertiser-id", "1"],
        ["payload", bad, "--advertiser-id", "1"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "criteo_console", *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        outputs.append(done.stdout + done.stderr)

    joined = "\n".join(outputs)
    assert "jane.shopper@example.com" not in joined.lower()
    assert "customer-id-contains-email" in joined
