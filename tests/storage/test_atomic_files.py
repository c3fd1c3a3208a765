"""One atomic writer for text (settings, exports, the log) and bytes (the sign-off report)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from criteo_console.storage.files import atomic_writer, write_atomically


def test_bytes_and_text_replace_the_file_whole_and_privately(tmp_path: Path) -> None:
    pdf, text = tmp_path / "signoff.pdf", tmp_path / "export.csv"
    pdf.write_bytes(b"old")
    write_atomically(pdf, b"%PDF-1.7\r\n\x00\xff")
    with atomic_writer(text, newline="") as out:
        out.write("a,b\r\n")
    assert pdf.read_bytes() == b"%PDF-1.7\r\n\x00\xff"
    assert text.read_bytes() == b"a,b\r\n"
    for path in (pdf, text):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv", "signoff.pdf"]


def test_a_failed_write_leaves_the_previous_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "signoff.json"
    path.write_bytes(b"previous")
    with pytest.raises(TypeError):
        write_atomically(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["signoff.json"]
