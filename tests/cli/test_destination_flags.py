"""`validate`, `payload`: --destination, --account, --mapping-key, --site-type."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from criteo_console.cli import main
from criteo_console.commands._order_input import DESTINATION_CHOICES
from criteo_console.core.destinations import DESTINATION_NAMES
from tests.core.orders import DROP, guide_order

RAW_EMAIL = "  Jane.Shopper@Example.COM "
EVENTS = ["--destination", "events", "--account", "12345", "--mapping-key", "caller-77"]


def _write(tmp_path: Path, order: Any) -> str:
    path = tmp_path / "order.json"
    path.write_text(json.dumps(order), encoding="utf-8")
    return str(path)


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("CRITEO_ACCOUNT_ID", "CRITEO_CALLER_ID", "CRITEO_ADVERTISER_ID"):
        monkeypatch.delenv(name, raising=False)


def test_payload_for_the_events_api_is_exactly_the_s2s_body(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    order = guide_order(
        email=RAW_EMAIL,
        email_sha256=DROP,
        gum_id="d0f3a1c2e4b5",
        ip="81.2.69.160",
        user_agent="Mozilla/5.0",
        page_url="https://shop.example/thanks",
    )
    code = main(["payload", _write(tmp_path, order), *EVENTS, "--site-type", "m"])

    out = capsys.readouterr()
    normalised = b"jane.shopper@example.com"
    md5 = hashlib.md5(normalised).hexdigest()
    assert code == 0, out.err
    assert json.loads(out.out) == {
        "account": "12345",
        "site_type": "m",
        "id": {
            "mapping_key": "caller-77",
            "mapped_user_id": "d0f3a1c2e4b5",
            "email": {
                "sha256": hashlib.sha256(normalised).hexdigest(),
                "md5": md5,
                "sha256_md5": hashlib.sha256(md5.encode()).hexdigest(),
            },
        },
        "ip": "81.2.69.160",
        "useragent": "Mozilla/5.0",
        "full_url": "https://shop.example/thanks",
        "events": [
            {
                "event": "trackTransaction",
                "id": "PS-10428",
                "currency": "EUR",
                "timestamp": "2026-04-24T13:14:58.000Z",
                "item": [
                    {"id": "SKU-BLK-42", "price": 79.95, "quantity": 1},
                    {"id": "SKU-GRN-11", "price": 69.95, "quantity": 1},
                ],
            }
        ],
    }
    assert "jane" not in (out.out + out.err).lower()


def test_payload_without_a_destination_is_still_the_guides_body(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    order = guide_order(gum_id="d0f3a1c2e4b5")
    assert main(["payload", _write(tmp_path, order), "--advertiser-id", "1234567"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert list(body) == ["data"]
    assert "gum" not in json.dumps(body)


def test_account_and_caller_id_come_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CRITEO_ACCOUNT_ID", "777")
    monkeypatch.setenv("CRITEO_CALLER_ID", "env-caller")
    assert main(["payload", _write(tmp_path, guide_order()), "--destination", "events"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert (body["account"], body["id"]["mapping_key"]) == ("777", "env-caller")


def test_validate_names_each_missing_events_setting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, guide_order())
    code = main(["validate", path, "--destination", "events", "--site-type", "tablet", "--json"])

    out = json.loads(capsys.readouterr().out)
    assert code == 1 and out["payload"] is None
    assert {(i["field"], i["code"]) for i in out["issues"] if i["level"] == "error"} == {
        ("account", "account-missing"),
        ("mapping_key", "mapping-key-missing"),
        ("site_type", "site-type-invalid"),
    }


def test_validate_says_where_the_order_goes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", _write(tmp_path, guide_order()), *EVENTS]) == 0
    out = capsys.readouterr().out
    assert "Destination: Events API (s2s)." in out
    assert "more than 15 minutes ago" in out  # the guide's sale is months old


def test_an_unknown_destination_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["payload", _write(tmp_path, guide_order()), "--destination", "webhook"])
    assert exc.value.code == 2
    assert "conversions" in capsys.readouterr().err


def test_the_cli_lists_the_registrys_destinations() -> None:
    assert DESTINATION_CHOICES == DESTINATION_NAMES
