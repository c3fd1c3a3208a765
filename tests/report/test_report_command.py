"""`criteo-console report` and `report verify`: three files, signed, tamper-evident."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from criteo_console.cli import main
from criteo_console.core.report.verify import embedded_json
from tests.e2e.conftest import RAW_EMAIL
from tests.report.conftest import DictKeyring

pytestmark = pytest.mark.usefixtures("three_orders")
REPORT = ["report", "--profile", "Sandbox", "--reviewer", "Ana Silva", "--client", "Maison Lune"]


def write(folder: Path, *extra: str) -> int:
    return main([*REPORT, "--output", str(folder), *extra])


def test_three_files_are_written_for_the_profiles_orders(
    tmp_path: Path, os_keyring: DictKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"

    assert write(out) == 0

    printed = capsys.readouterr().out
    assert "3 order(s)" in printed and "A rehearsal, not a sign-off" in printed
    document = json.loads((out / "signoff.json").read_text(encoding="utf-8"))
    assert document["verdict"] == "rehearsal"
    assert document["destination"]["kind"] == "local"
    assert document["advertiser"] == {"id": "1234567", "name": "Sandbox Shop"}
    assert [o["order_id"] for o in document["orders"]] == ["WEB-1001", "WEB-1002", "WEB-1003"]
    assert document["signing_key"]["kept"] == "os-secret-store"
    assert document["signing_key"]["fingerprint"] in printed
    assert "WEB-1002" in (out / "signoff.html").read_text(encoding="utf-8")
    assert (out / "signoff.pdf").read_bytes().startswith(b"%PDF")
    assert embedded_json((out / "signoff.pdf").read_bytes()) == (out / "signoff.json").read_bytes()
    for name in ("signoff.pdf", "signoff.html", "signoff.json"):  # private, like every export
        assert (out / name).stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in out.iterdir()) == ["signoff.html", "signoff.json", "signoff.pdf"]


def test_the_key_is_made_once_and_kept_in_the_os_store(
    tmp_path: Path, os_keyring: DictKeyring
) -> None:
    assert write(tmp_path / "a") == 0
    assert write(tmp_path / "b") == 0

    def fingerprint(folder: Path) -> str:
        return json.loads((folder / "signoff.json").read_text())["signing_key"]["fingerprint"]

    assert fingerprint(tmp_path / "a") == fingerprint(tmp_path / "b")
    assert len(os_keyring.passwords) == 1


def test_without_an_os_store_the_report_says_its_key_is_for_this_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from criteo_console.commands import report
    from criteo_console.storage.secrets import SessionSecretStore

    monkeypatch.setattr(report, "secret_store", SessionSecretStore)

    assert write(tmp_path / "out") == 0

    assert "only for this session" in capsys.readouterr().err
    assert "only for this session" in (tmp_path / "out" / "signoff.html").read_text()


def test_verify_passes_untouched_files(
    tmp_path: Path, os_keyring: DictKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert write(tmp_path) == 0
    capsys.readouterr()

    for name in ("signoff.pdf", "signoff.json"):
        assert main(["report", "verify", str(tmp_path / name)]) == 0
        line = capsys.readouterr().out
        assert line.startswith("Intact") and line.count("\n") == 1


def test_one_changed_digit_in_the_json_fails_verify(
    tmp_path: Path, os_keyring: DictKeyring, capsys: pytest.CaptureFixture[str]
) -> None:
    assert write(tmp_path) == 0
    path = tmp_path / "signoff.json"
    path.write_text(path.read_text().replace('"44.98"', '"44.99"', 1))
    capsys.readouterr()

    assert main(["report", "verify", str(path)]) == 1
    assert capsys.readouterr().out.startswith("Altered")


@pytest.mark.parametrize("where", [0.1, 0.5, 0.9, -3])
def test_one_changed_byte_in_the_pdf_fails_verify(
    tmp_path: Path, os_keyring: DictKeyring, capsys: pytest.CaptureFixture[str], where: float
) -> None:
    assert write(tmp_path) == 0
    path = tmp_path / "signoff.pdf"
    data = bytearray(path.read_bytes())
    at = int(len(data) * where) if where > 0 else len(data) + int(where)
    data[at] = data[at] ^ 0x01
    path.write_bytes(bytes(data))
    capsys.readouterr()

    assert main(["report", "verify", str(path)]) == 1
    assert capsys.readouterr().out.startswith(("Altered", "Not signed"))


def test_a_changed_byte_inside_the_attached_json_fails_verify(
    tmp_path: Path, os_keyring: DictKeyring
) -> None:
    assert write(tmp_path) == 0
    path = tmp_path / "signoff.pdf"
    data = path.read_bytes()
    spec = data.index(b"/EF <</F")
    at = data.rindex(b"stream\n", 0, spec) + 20  # inside the attachment's compressed bytes
    path.write_bytes(data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :])

    assert main(["report", "verify", str(path)]) == 1


def test_verify_of_a_missing_or_foreign_file_is_unreadable(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("hello")

    assert main(["report", "verify", str(tmp_path / "nope.pdf")]) == 2
    assert main(["report", "verify", str(tmp_path / "notes.txt")]) == 2
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Cannot read") and lines[1].startswith("Not a sign-off report")


def test_nothing_to_report_and_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "out")
    assert main(["report", "--profile", "Shop FR", "--reviewer", "Ana", "--output", out]) == 1
    assert "Nothing to report" in capsys.readouterr().err
    assert write(tmp_path / "later", "--since", "2999-01-01") == 1
    assert main(["report", "--profile", "Sandbox", "--output", out]) == 2
    assert "--reviewer" in capsys.readouterr().err
    assert write(tmp_path / "x", "--since", "last week") == 2
    assert "not a date" in capsys.readouterr().err
    assert write(tmp_path / "x", "--attempt", "99") == 2
    assert not (tmp_path / "out").exists()


def test_only_the_named_attempts_are_reported(tmp_path: Path, os_keyring: DictKeyring) -> None:
    assert write(tmp_path, "--attempt", "2") == 0

    document = json.loads((tmp_path / "signoff.json").read_text())
    assert [o["order_id"] for o in document["orders"]] == ["WEB-1002"]
    assert document["warnings"][0]["code"] == "value-mismatch"


def test_no_secret_token_or_raw_email_in_pdf_text_html_or_json(
    tmp_path: Path, os_keyring: DictKeyring
) -> None:
    assert write(tmp_path) == 0
    texts = {
        "json": (tmp_path / "signoff.json").read_text(encoding="utf-8"),
        "html": (tmp_path / "signoff.html").read_text(encoding="utf-8"),
        "pdf attachment": (embedded_json((tmp_path / "signoff.pdf").read_bytes()) or b"").decode(),
    }
    if shutil.which("pdftotext"):  # poppler-utils: the words a reader of the PDF sees
        texts["pdf text"] = subprocess.run(
            ["pdftotext", str(tmp_path / "signoff.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert texts["pdf text"].count("REHEARSAL") >= texts["pdf text"].count("\f")
        assert "WEB-1003" in texts["pdf text"]
    private_key = os_keyring.passwords.popitem()[1]
    for name, text in texts.items():
        lowered = text.lower()
        assert RAW_EMAIL.strip().lower() not in lowered, name
        assert "sandbox-secret" not in text, name
        assert private_key not in text, name
        for token in re.finditer("access_token", text):  # its value is always masked
            assert "•••" in text[token.end() : token.end() + 24], name
