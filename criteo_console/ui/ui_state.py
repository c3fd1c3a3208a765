"""Small choices the window remembers between runs (the folder of the last .env import), in
ui-state.json beside the settings file. Never a secret: only folder names."""

from __future__ import annotations

import json
from pathlib import Path

FILE_NAME = "ui-state.json"


def read(config_dir: Path | None, key: str) -> str | None:
    if config_dir is None:
        return None
    try:
        value = json.loads((config_dir / FILE_NAME).read_text(encoding="utf-8")).get(key)
    except (OSError, ValueError, AttributeError):
        return None  # missing or damaged: the default is used
    return value if isinstance(value, str) else None


def remember(config_dir: Path | None, key: str, value: str) -> None:
    if config_dir is None:
        return
    path = config_dir / FILE_NAME
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(state, dict):
            state = {}
    except (OSError, ValueError):
        state = {}
    state[key] = value
    try:
        config_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(state, indent=2), encoding="utf-8")
    except OSError:
        pass  # not remembering a folder is no reason to fail an import
