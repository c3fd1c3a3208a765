from __future__ import annotations

from pathlib import Path

import pytest

from criteo_console.storage import (
    EnvFileInvalid,
    ProfileStore,
    credentials_from_environment,
    read_env_file,
)
from criteo_console.storage.envfile import parse_env_text

GOOD = """\
# Criteo credentials for ACME (STEP 02)
export CRITEO_CLIENT_ID=acme-client
CRITEO_CLIENT_SECRET="Zk9+q&r=T#x\\"y"   # inline comment
CRITEO_ADVERTISER_ID='1234567'
UNRELATED=ignored
"""


def test_env_file_with_quotes_comments_and_export(tmp_path: Path) -> None:
    path = tmp_path / "acme.env"
    path.write_text(GOOD, encoding="utf-8")
    creds = read_env_file(path)
    assert creds.secret == 'Zk9+q&r=T#x"y'
    assert creds.profile.client_id == "acme-client"
    assert creds.profile.advertiser_id == 1234567
    assert creds.profile.name == "acme"
    assert creds.profile.environment == "criteo"


def test_unquoted_values_keep_special_characters() -> None:
    values, errors = parse_env_text("A=a+b&c=d#e\nB = spaced value # comment\nC=\n")
    assert errors == []
    assert values == {"A": "a+b&c=d#e", "B": "spaced value", "C": ""}


def test_import_puts_secret_in_store_and_warns_about_plaintext(
    tmp_path: Path, profiles: ProfileStore
) -> None:
    path = tmp_path / "acme.env"
    path.write_text(GOOD, encoding="utf-8")
    result = profiles.import_env_file(path, name="ACME Shoes")
    assert result.profile.name == "ACME Shoes"
    assert profiles.secret("ACME Shoes").secret == 'Zk9+q&r=T#x"y'
    assert str(path) in result.notice
    assert "plain text" in result.notice
    assert b"Zk9+q" not in profiles.path.read_bytes()


@pytest.mark.parametrize(
    ("text", "field", "words"),
    [
        ("CRITEO_CLIENT_ID=a\nCRITEO_ADVERTISER_ID=1\n", "CRITEO_CLIENT_SECRET", "missing"),
        ("CRITEO_CLIENT_SECRET=s\nCRITEO_ADVERTISER_ID=1\n", "CRITEO_CLIENT_ID", "missing"),
        (
            "CRITEO_CLIENT_ID=a\nCRITEO_CLIENT_SECRET=s\nCRITEO_ADVERTISER_ID=12ab\n",
            "CRITEO_ADVERTISER_ID",
            "whole number",
        ),
        ("CRITEO_CLIENT_ID=a\njust some words\n", "line 2", "expected NAME=value"),
        ('CRITEO_CLIENT_SECRET="never closed\n', "CRITEO_CLIENT_SECRET", "never closed"),
    ],
)
def test_bad_env_files_name_the_problem(tmp_path: Path, text: str, field: str, words: str) -> None:
    path = tmp_path / "bad.env"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EnvFileInvalid) as caught:
        read_env_file(path)
    matching = [e for e in caught.value.errors if e.field == field]
    assert matching, caught.value.errors
    assert words in matching[0].message


def test_errors_never_echo_the_secret(tmp_path: Path) -> None:
    path = tmp_path / "bad.env"
    path.write_text("CRITEO_CLIENT_SECRET=\"hunter2-top-secret' trailing\n", encoding="utf-8")
    with pytest.raises(EnvFileInvalid) as caught:
        read_env_file(path)
    assert "hunter2" not in str(caught.value)


def test_headless_commands_read_the_same_variables_from_the_environment() -> None:
    creds = credentials_from_environment(
        {
            "CRITEO_CLIENT_ID": "c",
            "CRITEO_CLIENT_SECRET": "s+&=",
            "CRITEO_ADVERTISER_ID": "77",
            "CRITEO_API_VERSION": "2025-01",
        }
    )
    assert creds.secret == "s+&="
    assert creds.profile.advertiser_id == 77
    assert creds.profile.api_version == "2025-01"
    with pytest.raises(EnvFileInvalid, match="CRITEO_CLIENT_SECRET is missing"):
        credentials_from_environment({"CRITEO_CLIENT_ID": "c", "CRITEO_ADVERTISER_ID": "77"})
