"""Where the console keeps its settings and its event log.

``CRITEO_CONSOLE_HOME`` puts both under one folder (tests, portable installs, the CLI on a
build machine); otherwise the platform's standard config and data folders are used.
``CRITEO_CONSOLE_LOG`` points the event log at a specific file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_DIR_NAME = "TrackLayerCriteoConsole"
ENV_HOME = "CRITEO_CONSOLE_HOME"
ENV_LOG = "CRITEO_CONSOLE_LOG"
SETTINGS_FILE_NAME = "profiles.json"
LOG_FILE_NAME = "event-log.sqlite3"


@dataclass(frozen=True)
class StoragePaths:
    config_dir: Path
    data_dir: Path
    log_file: Path

    @property
    def settings_file(self) -> Path:
        return self.config_dir / SETTINGS_FILE_NAME

    @property
    def console_dirs(self) -> frozenset[Path]:
        """The folders that belong to the console (kept private); a folder holding a log
        named by ``CRITEO_CONSOLE_LOG`` is the user's, not ours."""
        return frozenset({self.config_dir, self.data_dir})

    @classmethod
    def resolve(
        cls, home: Path | None = None, environ: Mapping[str, str] | None = None
    ) -> StoragePaths:
        """Constructor argument first, then the environment, then the platform defaults."""
        env = os.environ if environ is None else environ
        if home is None and env.get(ENV_HOME):
            home = Path(env[ENV_HOME]).expanduser()
        if home is not None:
            config_dir = data_dir = home
        else:
            config_dir = Path(platformdirs.user_config_dir(APP_DIR_NAME, appauthor=False))
            data_dir = Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False))
        log_override = env.get(ENV_LOG)
        log_file = Path(log_override).expanduser() if log_override else data_dir / LOG_FILE_NAME
        return cls(config_dir=config_dir, data_dir=data_dir, log_file=log_file)
