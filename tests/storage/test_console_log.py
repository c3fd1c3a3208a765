"""console.log is private (0600 in a 0700 folder, also when they existed with wider modes) and
a full or read-only disk never turns logging into tracebacks: records go to stderr."""

from __future__ import annotations

import errno
import io
import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from criteo_console.storage import files as files_module
from criteo_console.storage.console_log import ConsoleLogHandler, open_console_log

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def logger() -> Iterator[logging.Logger]:
    log = logging.getLogger("criteo_console.test_console_log")
    log.propagate = False
    log.setLevel(logging.INFO)
    yield log
    for handler in list(log.handlers):
        log.removeHandler(handler)
        handler.close()


@posix_only
def test_console_log_and_its_folder_are_private_even_when_they_were_not(
    home: Path, logger: logging.Logger
) -> None:
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    (home / "console.log").write_text("from an older version\n", encoding="utf-8")
    (home / "console.log").chmod(0o644)
    previous = os.umask(0o022)
    try:
        logger.addHandler(open_console_log(home))
        logger.info("console started")
    finally:
        os.umask(previous)
    assert _mode(home) == 0o700
    assert _mode(home / "console.log") == 0o600
    assert "console started" in (home / "console.log").read_text(encoding="utf-8")


@posix_only
def test_a_new_console_log_is_born_private(home: Path, logger: logging.Logger) -> None:
    previous = os.umask(0o022)
    try:
        logger.addHandler(open_console_log(home))
        logger.info("console started")
    finally:
        os.umask(previous)
    assert (_mode(home), _mode(home / "console.log")) == (0o700, 0o600)


@posix_only
def test_a_folder_that_is_not_the_consoles_is_left_as_it_is(tmp_path: Path, home: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    files_module.ensure_private_dir(shared)
    assert _mode(shared) == 0o755


def _full_disk(self: ConsoleLogHandler) -> Any:
    return open("/dev/full", "w", encoding="utf-8")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_disk_sends_records_to_stderr_without_a_logging_error(
    home: Path,
    logger: logging.Logger,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(ConsoleLogHandler, "_open", _full_disk)
    stderr = io.StringIO()
    logger.addHandler(open_console_log(home, stderr=stderr))
    logger.warning("first")
    logger.warning("second")
    assert "Logging error" not in capsys.readouterr().err
    lines = stderr.getvalue().splitlines()
    assert len(lines) == 3, lines
    assert "console.log cannot be written: the disk is full" in lines[0]
    assert lines[1].endswith("first")
    assert lines[2].endswith("second")


@pytest.mark.parametrize(
    ("code", "words"), [(errno.EROFS, "read-only"), (errno.EACCES, "may not write")]
)
def test_a_read_only_folder_sends_records_to_stderr(
    home: Path,
    logger: logging.Logger,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    code: int,
    words: str,
) -> None:
    home.mkdir()

    def refuse(*args: Any, **kwargs: Any) -> int:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(files_module.os, "open", refuse)
    stderr = io.StringIO()
    logger.addHandler(open_console_log(home, stderr=stderr))
    logger.error("something to say")
    assert "Logging error" not in capsys.readouterr().err
    notice, record = stderr.getvalue().splitlines()
    assert words in notice
    assert record.endswith("something to say")


@posix_only
def test_an_older_world_readable_profiles_file_and_folder_are_tightened_on_open(
    home: Path,
) -> None:
    from criteo_console.storage import InMemoryKeyring, KeyringSecretStore, ProfileStore

    ProfileStore(KeyringSecretStore(InMemoryKeyring()), home / "profiles.json")
    home.chmod(0o755)
    (home / "profiles.json").chmod(0o644)
    ProfileStore(KeyringSecretStore(InMemoryKeyring()), home / "profiles.json")
    assert (_mode(home), _mode(home / "profiles.json")) == (0o700, 0o600)
