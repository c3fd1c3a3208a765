"""`python -m build` gives a wheel that installs the command and finds its icons."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.packaging.helpers import ROOT, unavailable

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("build") is None:
        unavailable("the 'build' module is missing: pip install -e '.[packaging]'")
    out = tmp_path_factory.mktemp("wheel")
    # No isolation: the build must not download setuptools (tests use no network).
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if result.returncode != 0 and "Missing dependencies" in result.stdout + result.stderr:
        unavailable(f"build dependencies missing: {result.stdout[-300:]}")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    (path,) = out.glob("criteo_console-*.whl")
    return path


def test_wheel_ships_the_icons_and_the_lookup(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())

    assert "criteo_console/resources_path.py" in names
    assert "criteo_console/resources/icons/criteo-console.svg" in names
    for size in (16, 32, 48, 64, 128, 256, 512):
        assert f"criteo_console/resources/icons/criteo-console-{size}.png" in names


def test_wheel_declares_the_criteo_console_command(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        (entry_points,) = [n for n in archive.namelist() if n.endswith("entry_points.txt")]
        text = archive.read(entry_points).decode()

    assert "criteo-console = criteo_console.cli:main" in text


def test_installed_wheel_finds_its_icon_inside_the_installation(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)  # what an installer does with a pure-Python wheel
    # -S: no site-packages, so neither the checkout nor its editable install can answer.
    code = (
        "from criteo_console.resources_path import resource_path;"
        "print(resource_path('icons/criteo-console.svg'))"
    )
    result = subprocess.run(
        [sys.executable, "-S", "-c", code],
        cwd=tmp_path,
        env={"PYTHONPATH": str(target)},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    found = Path(result.stdout.strip())
    assert found == target / "criteo_console" / "resources" / "icons" / "criteo-console.svg"
    assert found.is_file()
