"""Render a three-order sandbox sign-off report; its first two pages to docs/screenshots/.

A throw-away home folder, a loopback sandbox playing Criteo for "Maison Lune FR", a profile
labelled Criteo whose address is that sandbox (so the report must read as a rehearsal), three
sends, then ``criteo-console report``. Needs ``pdftoppm`` (poppler-utils).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
PROFILE = "Maison Lune FR"
SECRET = "mlfr-staging-secret-2026"


def _order(order_id: str, **changes: object) -> dict[str, object]:
    order: dict[str, object] = {
        "event": "purchase",
        "event_time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "order_id": order_id,
        "currency": "EUR",
        "value": "149.90",
        "items": [
            {"id": "SKU-BLK-42", "price": "79.95", "quantity": 1},
            {"id": "SKU-GRN-11", "price": "69.95", "quantity": 1},
        ],
        "email": "camille.durand@example.fr",
        "customer_id": "cust_78421",
    }
    order.update(changes)
    return order


def main() -> int:
    if shutil.which("pdftoppm") is None:
        print("pdftoppm is needed: apt-get install poppler-utils", file=sys.stderr)
        return 1
    from criteo_console.cli import main as cli
    from criteo_console.sandbox import SandboxConfig, SandboxServer

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["CRITEO_CONSOLE_HOME"] = str(folder / "home")
        os.environ["CRITEO_CLIENT_SECRET"] = SECRET
        config = SandboxConfig(
            client_id="mlfr-staging",
            client_secret=SECRET,
            advertisers={"1234567": "Maison Lune FR"},
        )
        orders = [
            _order("WEB-88211"),
            _order(
                "WEB-88213",
                value="44.98",
                items=[{"id": "TEA-07", "price": "22.52", "quantity": 2}],
            ),
            _order(
                "WEB-88214",
                value="59.00",
                items=[{"id": "MUG-02", "price": "29.50", "quantity": 2}],
            ),
        ]
        with SandboxServer(config) as server:
            add = ["profile", "add", "--name", PROFILE, "--advertiser-id", "1234567",
                   "--client-id", "mlfr-staging", "--environment", "criteo",
                   "--base-url", server.base_url, "--api-version", "2026-01"]  # fmt: skip
            assert cli(add) == 0
            for order in orders:
                path = folder / f"{order['order_id']}.json"
                path.write_text(json.dumps(order), encoding="utf-8")
                assert cli(["send", str(path), "--profile", PROFILE]) == 0
        report = folder / "report"
        code = cli(
            [
                "report",
                "--profile",
                PROFILE,
                "--reviewer",
                "Ana Silva",
                "--output",
                str(report),
                "--client",
                "Maison Lune SAS",
                "--agency",
                "Northwind Digital",
            ]
        )
        if code != 0:
            return code
        OUT.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "80",
                "-png",
                "-f",
                "1",
                "-l",
                "2",
                str(report / "signoff.pdf"),
                str(folder / "page"),
            ],
            check=True,
        )
        for number in (1, 2):
            shutil.copy(folder / f"page-{number}.png", OUT / f"signoff-page-{number}.png")
            print(OUT / f"signoff-page-{number}.png")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
