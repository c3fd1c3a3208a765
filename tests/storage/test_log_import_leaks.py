"""`log import` is held to the same leak rules as a send: a row carrying a raw email, an
unmasked token or secret is refused, said plainly, and nothing of it is stored."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from criteo_console.cli import main
from criteo_console.storage import EventLog, StoragePaths

from .log_helpers import record

TOKEN = "eyJhbGciOiJIUzI1NiJ9.CANARY-token-31aa"


def exported_row(tmp_path: Path, order_id: str) -> dict[str, object]:
    with EventLog(tmp_path / f"{order_id}.sqlite3") as source:
        record(source, order_id)
        out = io.StringIO()
        source.export(out, "jsonl")
    row: dict[str, object] = json.loads(out.getvalue())
    return row


@pytest.mark.usefixtures("home")
def test_rows_that_carry_a_secret_or_a_raw_email_are_refused_and_the_rest_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = exported_row(tmp_path, "PS-1")
    leaks = {
        "request_body": {"request_body": '{"email": "Jane.Doe@Example.com"}'},
        "request_headers": {"request_headers": {"Authorization": f"Bearer {TOKEN}"}},
        "response_body": {"response_body": '{"access_token": "' + TOKEN[:20]},
        "steps": {"steps": [{"step": "token", "request_body": "client_secret=hunter2hunter2"}]},
    }
    rows = [clean]
    for number, (_, change) in enumerate(leaks.items(), start=2):
        rows.append({**exported_row(tmp_path, f"PS-{number}"), **change})
    source = tmp_path / "import.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))

    assert main(["log", "import", str(source)]) == 1
    out = capsys.readouterr()
    assert out.out.startswith("1 attempts added")
    refused = out.err.splitlines()
    assert refused == [
        "Line 2 refused: its request_body contains a raw email address, which the event log "
        "never stores (the same rule as for a send); nothing from this line was imported.",
        "Line 3 refused: its request_headers contains a Bearer credential, which the event "
        "log never stores (the same rule as for a send); nothing from this line was imported.",
        "Line 4 refused: its response_body contains an unmasked access_token, which the event "
        "log never stores (the same rule as for a send); nothing from this line was imported.",
        "Line 5 refused: its steps contains an unmasked client_secret, which the event log "
        "never stores (the same rule as for a send); nothing from this line was imported.",
    ]
    data = StoragePaths.resolve().log_file.read_bytes().lower()
    for value in (b"jane.doe", b"canary-token", b"hunter2"):
        assert value not in data
    with EventLog(StoragePaths.resolve().log_file) as log:
        assert [a.order_id for a in log.page()] == ["PS-1"]
