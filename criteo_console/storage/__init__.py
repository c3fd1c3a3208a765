"""Profiles, the secret store (OS keyring or session-only memory) and the SQLite event log.

No Qt here; the UI calls these off its thread (every call is blocking but short).
"""

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
