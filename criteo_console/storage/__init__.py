"""Profiles, the secret store (OS keyring or session-only memory) and the SQLite event log.

No Qt here; the UI calls these off its thread (every call is blocking but short).

The names below are loaded on first use (module ``__getattr__``): ``from
criteo_console.storage import StoragePaths`` does not import the keyring, SQLite and the
core's rules (start-up time).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from criteo_console.core.redaction import LeakRefused, redact_headers
    from criteo_console.storage.envfile import (
        Credentials,
        EnvFileInvalid,
        credentials_from_environment,
        read_env_file,
    )
    from criteo_console.storage.event_log import (
        OUTCOME_UNKNOWN,
        Attempt,
        EventLog,
        ImportResult,
        LogFilter,
        LogFromNewerVersion,
        LogPathUnusable,
        LogUnavailable,
        LogUnreadable,
    )
    from criteo_console.storage.faults import Fault, StorageFault
    from criteo_console.storage.files import move_aside
    from criteo_console.storage.paths import StoragePaths
    from criteo_console.storage.profile_model import (
        FieldError,
        Profile,
        ProfileInvalid,
        sandbox_profile,
        validate_profile,
    )
    from criteo_console.storage.profiles import (
        EnvImport,
        ProfileNotFound,
        ProfileStore,
        SavedSecret,
        SecretLookup,
        SecretState,
        SettingsUnreadable,
    )
    from criteo_console.storage.secrets import (
        InMemoryKeyring,
        KeyringSecretStore,
        SecretStore,
        SecretStoreLocked,
        SessionSecretStore,
        StoreState,
        StoreStatus,
        open_secret_store,
    )

# public name -> the module that defines it
_LAZY: dict[str, str] = {
    "LeakRefused": "criteo_console.core.redaction",
    "redact_headers": "criteo_console.core.redaction",
    "Credentials": "criteo_console.storage.envfile",
    "EnvFileInvalid": "criteo_console.storage.envfile",
    "credentials_from_environment": "criteo_console.storage.envfile",
    "read_env_file": "criteo_console.storage.envfile",
    "OUTCOME_UNKNOWN": "criteo_console.storage.event_log",
    "Attempt": "criteo_console.storage.event_log",
    "EventLog": "criteo_console.storage.event_log",
    "ImportResult": "criteo_console.storage.event_log",
    "LogFilter": "criteo_console.storage.event_log",
    "LogFromNewerVersion": "criteo_console.storage.event_log",
    "LogPathUnusable": "criteo_console.storage.event_log",
    "LogUnavailable": "criteo_console.storage.event_log",
    "LogUnreadable": "criteo_console.storage.event_log",
    "Fault": "criteo_console.storage.faults",
    "StorageFault": "criteo_console.storage.faults",
    "move_aside": "criteo_console.storage.files",
    "StoragePaths": "criteo_console.storage.paths",
    "FieldError": "criteo_console.storage.profile_model",
    "Profile": "criteo_console.storage.profile_model",
    "ProfileInvalid": "criteo_console.storage.profile_model",
    "sandbox_profile": "criteo_console.storage.profile_model",
    "validate_profile": "criteo_console.storage.profile_model",
    "EnvImport": "criteo_console.storage.profiles",
    "ProfileNotFound": "criteo_console.storage.profiles",
    "ProfileStore": "criteo_console.storage.profiles",
    "SavedSecret": "criteo_console.storage.profiles",
    "SecretLookup": "criteo_console.storage.profiles",
    "SecretState": "criteo_console.storage.profiles",
    "SettingsUnreadable": "criteo_console.storage.profiles",
    "InMemoryKeyring": "criteo_console.storage.secrets",
    "KeyringSecretStore": "criteo_console.storage.secrets",
    "SecretStore": "criteo_console.storage.secrets",
    "SecretStoreLocked": "criteo_console.storage.secrets",
    "SessionSecretStore": "criteo_console.storage.secrets",
    "StoreState": "criteo_console.storage.secrets",
    "StoreStatus": "criteo_console.storage.secrets",
    "open_secret_store": "criteo_console.storage.secrets",
}

__all__ = [
    "OUTCOME_UNKNOWN",
    "Attempt",
    "Credentials",
    "EnvFileInvalid",
    "EnvImport",
    "EventLog",
    "Fault",
    "FieldError",
    "ImportResult",
    "InMemoryKeyring",
    "KeyringSecretStore",
    "LeakRefused",
    "LogFilter",
    "LogFromNewerVersion",
    "LogPathUnusable",
    "LogUnavailable",
    "LogUnreadable",
    "Profile",
    "ProfileInvalid",
    "ProfileNotFound",
    "ProfileStore",
    "SavedSecret",
    "SecretLookup",
    "SecretState",
    "SecretStore",
    "SecretStoreLocked",
    "SessionSecretStore",
    "SettingsUnreadable",
    "StorageFault",
    "StoragePaths",
    "StoreState",
    "StoreStatus",
    "credentials_from_environment",
    "move_aside",
    "open_secret_store",
    "read_env_file",
    "redact_headers",
    "sandbox_profile",
    "validate_profile",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # once loaded, a plain module attribute
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
