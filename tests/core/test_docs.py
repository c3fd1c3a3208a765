"""docs/order-input.md lists every issue code the validation can produce."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOT_ISSUE_CODES = {
    "comma-decimal",
    "too-large",
    "no-offset",
    "utf-8",
}  # internal reasons, not issues


def test_every_issue_code_is_documented() -> None:
    core = ROOT / "criteo_console/core"
    sources = [
        core / "validation.py",
        core / "events.py",
        core / "visit.py",
        *sorted((core / "destinations").glob("*.py")),
    ]
    literal = set()
    for source in sources:
        literal |= set(re.findall(r'"([a-z0-9]+(?:-[a-z0-9]+)+)"', source.read_text()))
    generated = {
        f"{prefix}-{suffix}"
        for prefix in ("value", "item-price")
        for suffix in ("missing", "not-a-number", "negative", "too-many-decimals", "too-large")
    }
    documented = set(
        re.findall(r"`([a-z0-9]+(?:-[a-z0-9]+)+)`", (ROOT / "docs/order-input.md").read_text())
    )

    missing = (literal - NOT_ISSUE_CODES) | generated
    assert sorted(missing - documented) == []
