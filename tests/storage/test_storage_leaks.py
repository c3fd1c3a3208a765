"""After import, sends, export and re-import, no file holds the secret, token or raw email."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from criteo_console.storage import EventLog, LeakRefused, ProfileStore, StoragePaths

from .log_helpers import email_hash, record

SECRET = "Zk9+q&r=T-LEAK-CANARY-secret-8c1f"
TOKEN = "eyJhbGciOi-LEAK-CANARY-token-77aa"
RAW_EMAIL = "  John.Doe+Leak@Example.COM "


def _spellings(value: str) -> list[bytes]:
    forms = {value, value.strip(), value.strip().lower(), quote(value), quote_plus(value)}
    forms.add(json.dumps(value)[1:-1])
    return [f.encode("utf-8") for f in forms if f]


def test_nothing_on_disk_holds_a_secret(tmp_path: Path, home: Path, profiles: ProfileStore) -> None:
    incoming = tmp_path / "incoming"  # the user's .env lives outside the console's folders
    incoming.mkdir()
    env = incoming / "acme.env"
    env.write_text(
        f'CRITEO_CLIENT_ID=acme\nCRITEO_CLIENT_SECRET="{SECRET}"\nCRITEO_ADVERTISER_ID=1234567\n',
        encoding="utf-8",
    )
    profiles.import_env_file(env, "ACME")
    assert profiles.secret("ACME").secret == SECRET

    paths = StoragePaths.resolve()
    exports = home / "exports"
    exports.mkdir()
    forbidden = (SECRET, TOKEN, RAW_EMAIL.strip())
    with EventLog(paths.log_file, forbidden=forbidden) as log:
        accepted = record(log, "PS-1", email=RAW_EMAIL, token=TOKEN)
        log.complete_attempt(accepted, state="accepted", http_status=200, trace_id="t-ok")
        rejected = record(log, "PS-2", email=RAW_EMAIL, token=TOKEN)
        log.complete_attempt(
            rejected,
            state="rejected",
            http_status=403,
            response_body='{"errors":[{"code":"insufficient-advertisers-permissions"}]}',
            trace_id="t-403",
        )
        stored = log.get(accepted)
        assert stored is not None
        assert stored.request_body is not None
        assert email_hash(RAW_EMAIL) in stored.request_body
        with (exports / "log.jsonl").open("w", encoding="utf-8") as out:
            log.export(out, "jsonl")
        with (exports / "log.csv").open("w", encoding="utf-8", newline="") as out:
            log.export(out, "csv")
    with EventLog(home / "reimported.sqlite3") as other, (exports / "log.jsonl").open() as src:
        assert other.import_jsonl(src).added == 2

    files = [p for p in home.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"profiles.json", "event-log.sqlite3", "log.jsonl", "log.csv"}
    for path in files:
        data = path.read_bytes()
        for value in (SECRET, TOKEN, RAW_EMAIL):
            for spelling in _spellings(value):
                assert spelling not in data, f"{path.name} holds a secret"


def test_guard_refuses_a_row_that_would_store_a_secret(log: EventLog) -> None:
    log.forbid(TOKEN, RAW_EMAIL.strip())
    with pytest.raises(LeakRefused, match="request_body") as caught:
        log.begin_attempt(
            profile="P",
            environment="criteo",
            advertiser_id=1,
            event_name="purchase",
            order_id="A",
            value="1",
            currency="EUR",
            request_body=json.dumps({"email": RAW_EMAIL.strip().lower()}),
        )
    assert RAW_EMAIL.strip() not in str(caught.value)
    attempt = record(log, "B", token=TOKEN)  # the Authorization header is redacted first
    with pytest.raises(LeakRefused, match="response_body"):
        log.complete_attempt(attempt, state="failed", response_body=f"echo {TOKEN}")
    assert log.count() == 1
    row = log.get(attempt)
    assert row is not None
    assert row.state == "pending"
