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
