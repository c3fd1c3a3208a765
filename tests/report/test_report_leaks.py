"""The leak test over all three files: a real secret and the tokens a sandbox issued."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from criteo_console.cli import main
from criteo_console.core.report.verify import embedded_json
from tests.e2e.conftest import CLIENT_SECRET, RAW_EMAIL
from tests.report.conftest import DictKeyring


def test_a_real_secret_and_the_issued_tokens_never_reach_the_report(
    tmp_path: Path, os_keyring: DictKeyring, env_sends: list[str]
) -> None:
    code = main(
        ["report", "--profile", "credentials from the environment", "--reviewer", "Ana",
         "--output", str(tmp_path / "out")]
    )  # fmt: skip

    assert code == 0
    out = tmp_path / "out"
    blobs = [(out / n).read_bytes() for n in ("signoff.json", "signoff.html", "signoff.pdf")]
    blobs.append(embedded_json(blobs[2]) or b"")
    if shutil.which("pdftotext"):
        blobs.append(subprocess.run(["pdftotext", str(out / "signoff.pdf"), "-"],
                                    capture_output=True, check=True).stdout)  # fmt: skip
    for blob in blobs:
        text = blob.decode("utf-8", "replace")
        for needle in (CLIENT_SECRET, *env_sends, RAW_EMAIL.strip()):
            assert needle.lower() not in text.lower()


def test_a_secret_or_email_that_slipped_into_the_log_is_masked_in_every_file(
    tmp_path: Path, qapp: object
) -> None:
    from criteo_console.core.report.document import ReportRequest
    from criteo_console.session.report_files import write_signoff
    from criteo_console.storage.secrets import SessionSecretStore
    from criteo_console.ui.report_pdf import render_pdf
    from tests.core.report.conftest import attempt

    logged = attempt("A-1")
    logged["response_body"] = logged["response_body"].replace(
        '"warnings": []',
        f'"warnings": [{{"detail": "echo: jane.doe@example.com {CLIENT_SECRET}"}}]',
    )

    write_signoff(
        [logged], ReportRequest(reviewer="Ana"), tmp_path, SessionSecretStore(), render_pdf,
        [CLIENT_SECRET],
    )  # fmt: skip

    for name in ("signoff.json", "signoff.html"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert "jane.doe@example.com" not in text and CLIENT_SECRET not in text
        assert "echo: •••@••• •••" in text
    attached = (embedded_json((tmp_path / "signoff.pdf").read_bytes()) or b"").decode()
    assert "jane.doe" not in attached and "echo: •••@••• •••" in attached


def test_a_secret_that_redaction_cannot_reach_stops_the_report(
    tmp_path: Path, qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from criteo_console.core.report.document import ReportRequest
    from criteo_console.session import report_files
    from criteo_console.storage.secrets import SessionSecretStore
    from criteo_console.ui.report_pdf import render_pdf
    from tests.core.report.conftest import attempt

    # A redaction that misses a spelling must not mean a leak: the final guard refuses.
    monkeypatch.setattr(report_files, "redactor", lambda _secrets: lambda text: text)
    logged = attempt("A-1", error_explanation=f"echo {CLIENT_SECRET}")

    with pytest.raises(report_files.ReportRefused, match="not written"):
        report_files.write_signoff(
            [logged], ReportRequest(reviewer="Ana"), tmp_path / "out", SessionSecretStore(),
            render_pdf, [CLIENT_SECRET],
        )  # fmt: skip
    assert not (tmp_path / "out").exists()
