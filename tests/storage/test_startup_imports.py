"""Start-up cost: opening the secret store and the http client imports only what is used —
not keyring's macOS backend on Linux, not httpx's command-line tool (click, rich, pygments)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
from criteo_console.storage import open_secret_store
from criteo_console.criteo import make_http_client
open_secret_store()
make_http_client()
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in
      ("rich", "click", "pygments") or m.startswith("keyring.backends"))))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="the Linux backends are the ones checked")
def test_opening_the_store_and_client_skips_unused_imports() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert not [m for m in loaded if m.split(".")[0] in ("rich", "click", "pygments")]
    assert "keyring.backends.macOS" not in loaded and "keyring.backends.Windows" not in loaded


LAZY_PROBE = """
import json, sys
import criteo_console.core.redaction
from criteo_console.storage import StoragePaths
StoragePaths.resolve()
print(json.dumps(sorted(sys.modules)))
"""


def test_packages_load_their_names_on_first_use() -> None:
    """``core`` and ``storage`` do not import every module when one name is asked for: the
    log's redaction and the storage paths come without the rules, the currency table, the
    keyring or SQLite (start-up time)."""
    done = subprocess.run(
        [sys.executable, "-c", LAZY_PROBE], capture_output=True, text=True, timeout=60, check=True
    )
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    heavy = {
        "criteo_console.core.validation",
        "criteo_console.core.money",
        "criteo_console.core.destinations",
        "iso4217",
        "keyring",
        "sqlite3",
        "criteo_console.storage.secrets",
        "criteo_console.storage.event_log",
    }
    assert not heavy & loaded, sorted(heavy & loaded)


@pytest.mark.parametrize("package", ["criteo_console.core", "criteo_console.storage"])
def test_every_public_name_still_resolves(package: str) -> None:
    import importlib

    module = importlib.import_module(package)
    for name in module.__all__:
        assert getattr(module, name) is not None, name
        assert name in dir(module)
    with pytest.raises(AttributeError):
        module.no_such_name  # noqa: B018
