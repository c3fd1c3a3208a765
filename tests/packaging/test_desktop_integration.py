"""The .desktop entry and AppStream metainfo pass the standard validators and agree."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET

from tests.packaging.helpers import APP_ID, DESKTOP_FILE, METAINFO_FILE, ROOT, unavailable


def _run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    path = shutil.which(tool)
    if path is None:
        unavailable(f"{tool} is not installed")
    assert path is not None
    return subprocess.run([path, *args], capture_output=True, text=True, check=False, timeout=60)


def test_desktop_file_passes_desktop_file_validate() -> None:
    result = _run("desktop-file-validate", str(DESKTOP_FILE))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "error" not in (result.stdout + result.stderr).lower()


def test_metainfo_passes_appstreamcli_validate() -> None:
    result = _run("appstreamcli", "validate", "--no-net", str(METAINFO_FILE))

    assert result.returncode == 0, result.stdout + result.stderr


def test_desktop_entry_starts_the_console_with_its_icon() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(DESKTOP_FILE, encoding="utf-8")
    desktop = entry["Desktop Entry"]

    assert desktop["Exec"].split()[0] == "criteo-console"
    assert desktop["Icon"] == APP_ID
    assert desktop["Name"] == "TrackLayer Criteo Console"
    assert desktop["Terminal"] == "false"


def test_metainfo_points_at_the_desktop_entry_and_the_command() -> None:
    root = ET.parse(METAINFO_FILE).getroot()

    assert root.findtext("id") == APP_ID
    assert root.find("launchable[@type='desktop-id']").text == DESKTOP_FILE.name  # type: ignore[union-attr]
    assert root.findtext("provides/binary") == "criteo-console"
    version = (ROOT / "pyproject.toml").read_text(encoding="utf-8").split('version = "')[1]
    assert root.find("releases/release").get("version") == version.split('"')[0]  # type: ignore[union-attr]
