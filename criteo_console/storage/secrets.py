"""The client secret lives in the OS secret store, or only in memory for this session.

Like Vorta, the backend is chosen by trying it and the active one is reported to the user.
Unlike Vorta, there is no plaintext fallback: without a usable OS store the secret is kept
in memory until the console closes. Every keyring call goes through one lock because the
Secret Service / Keychain backends are not thread-safe and the UI calls them off its thread.
"""

from __future__ import annotations

import abc
import enum
import logging
import sys
import threading
from dataclasses import dataclass

import keyring
import keyring.backend
import keyring.errors

log = logging.getLogger("criteo_console.storage")

SERVICE_NAME = "TrackLayer Criteo Console"


def _no_store_found() -> str:
    if sys.platform == "darwin":
        return "the macOS Keychain did not answer"
    if sys.platform == "win32":
        return "the Windows Credential Manager did not answer"
    return "no password store, such as GNOME Keyring or KWallet, is running in this desktop session"


NO_STORE_FOUND = _no_store_found()
SWITCHED_OFF = (
    "saving passwords is switched off in this computer's keyring settings "
    "(PYTHON_KEYRING_BACKEND or keyringrc.cfg): ask whoever set it up"
)

SESSION_ONLY_MESSAGE = (
    "Your secret is kept only until you close the console; you'll be asked again next time."
)
POSSIBLY_LOCKED_MESSAGE = (
    "Your system keyring seems to be locked, so a saved secret may be there but unreadable. "
    "Unlock it (log in to your desktop session or open your password manager) and try again, "
    "or enter the secret again."
)


class StoreState(enum.Enum):
    OK = "ok"
    SESSION_ONLY = "session-only"
    POSSIBLY_LOCKED = "possibly-locked"


@dataclass(frozen=True)
class StoreStatus:
    state: StoreState
    message: str
    reason: str = ""


class SecretStoreLocked(Exception):
    """The OS store refused to read or write because it is locked."""


class SecretStore(abc.ABC):
    """Get, set and delete a profile's client secret by a stable key (the profile id)."""

    backend_name: str
    is_os_store: bool

    @property
    @abc.abstractmethod
    def status(self) -> StoreStatus: ...

    @abc.abstractmethod
    def get(self, key: str) -> str | None: ...

    @abc.abstractmethod
    def set(self, key: str, secret: str) -> None: ...

    @abc.abstractmethod
    def delete(self, key: str) -> None: ...


class SessionSecretStore(SecretStore):
    """Memory only: forgotten when the process exits. Never touches the disk."""

    is_os_store = False

    def __init__(self, reason: str = "no OS secret store is available") -> None:
        self.backend_name = "session memory"
        self._reason = reason
        self._secrets: dict[str, str] = {}
        self._lock = threading.Lock()

    @property
    def status(self) -> StoreStatus:
        return StoreStatus(StoreState.SESSION_ONLY, SESSION_ONLY_MESSAGE, self._reason)

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._secrets.get(key)

    def set(self, key: str, secret: str) -> None:
        with self._lock:
            self._secrets[key] = secret

    def delete(self, key: str) -> None:
        with self._lock:
            self._secrets.pop(key, None)


class KeyringSecretStore(SecretStore):
    """A working ``keyring`` backend; on a write failure the secret is kept for the session."""

    def __init__(self, backend: keyring.backend.KeyringBackend, service: str = SERVICE_NAME):
        self._backend = backend
        self._service = service
        self.backend_name = backend_label(backend)
        self.is_os_store = not isinstance(backend, InMemoryKeyring)
        self._lock = threading.Lock()
        self._session = SessionSecretStore()
        self._status = StoreStatus(StoreState.OK, f"Secrets are saved in {self.backend_name}.")

    @property
    def status(self) -> StoreStatus:
        return self._status

    def get(self, key: str) -> str | None:
        kept = self._session.get(key)
        if kept is not None:
            return kept
        try:
            with self._lock:
                return self._backend.get_password(self._service, key)
        except keyring.errors.KeyringLocked as exc:
            self._mark_locked(exc)
            raise SecretStoreLocked(POSSIBLY_LOCKED_MESSAGE) from None
        except Exception as exc:
            if _looks_locked(exc):
                self._mark_locked(exc)
                raise SecretStoreLocked(POSSIBLY_LOCKED_MESSAGE) from None
            raise

    def set(self, key: str, secret: str) -> None:
        try:
            with self._lock:
                self._backend.set_password(self._service, key, secret)
        except Exception as exc:
            # Keep the user working: this session still has the secret, and we say so.
            self._session.set(key, secret)
            state = StoreState.POSSIBLY_LOCKED if _looks_locked(exc) else StoreState.SESSION_ONLY
            self._status = StoreStatus(
                state,
                SESSION_ONLY_MESSAGE,
                f"{self.backend_name} refused to save it ({type(exc).__name__})",
            )
            return
        self._session.delete(key)

    def delete(self, key: str) -> None:
        self._session.delete(key)
        try:
            with self._lock:
                self._backend.delete_password(self._service, key)
        except keyring.errors.PasswordDeleteError:
            pass  # nothing saved under that key: deleting is already done

    def _mark_locked(self, exc: BaseException) -> None:
        self._status = StoreStatus(
            StoreState.POSSIBLY_LOCKED, POSSIBLY_LOCKED_MESSAGE, type(exc).__name__
        )


def _looks_locked(exc: BaseException) -> bool:
    if isinstance(exc, keyring.errors.KeyringLocked):
        return True
    return "lock" in type(exc).__name__.lower() or "locked" in str(exc).lower()


def backend_label(backend: keyring.backend.KeyringBackend) -> str:
    name = getattr(backend, "name", "") or type(backend).__name__
    return str(name)


def rejection_reason(backend: keyring.backend.KeyringBackend) -> str | None:
    """Why a backend cannot hold secrets for us, or None if it is a real OS store."""
    # Plain words: this is shown on Connect. Which keyring backend it was goes to the log.
    module = type(backend).__module__
    if module.startswith("keyring.backends.fail"):
        return NO_STORE_FOUND
    if module.startswith("keyring.backends.null"):
        return SWITCHED_OFF
    if module.startswith("keyrings.alt") or "plaintext" in type(backend).__name__.lower():
        return f"{backend_label(backend)} would write secrets to a file; we do not allow that"
    if module.startswith("keyring.backends.chainer"):
        return NO_STORE_FOUND
    return None


def platform_backend() -> keyring.backend.KeyringBackend:
    """The keyring the user configured, else this platform's own store, imported alone.

    ``keyring.get_keyring()`` imports and probes every backend it knows (on Linux its macOS
    one too, which searches for the Security framework: 75–145 ms of start-up). The same
    choice is made here directly; only when the platform's store is unusable does keyring's
    full detection run, for its own answer and reason.
    """
    import os
    import sys

    import keyring.core

    if getattr(keyring.core, "_keyring_backend", None) is not None:
        return keyring.get_keyring()  # chosen in this process already (keyring.set_keyring)
    configured = keyring.core.load_env() or keyring.core.load_config()
    if configured is not None:
        return configured
    candidates: list[tuple[str, str]] = []
    if sys.platform == "darwin":
        candidates = [("keyring.backends.macOS", "Keyring")]
    elif sys.platform == "win32":
        candidates = [("keyring.backends.Windows", "WinVaultKeyring")]
    elif sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        # Both speak D-Bus and refuse without a session bus: then not even imported (their
        # crypto and D-Bus libraries cost ~100 ms on a server or in CI).
        if os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
            candidates = [
                ("keyring.backends.SecretService", "Keyring"),
                ("keyring.backends.kwallet", "DBusKeyring"),
            ]
        else:
            candidates = [("keyring.backends.fail", "Keyring")]
    import importlib

    for module, name in candidates:
        try:
            backend_class = getattr(importlib.import_module(module), name)
            backend: keyring.backend.KeyringBackend = backend_class()
            backend.priority  # noqa: B018 (raises when this store cannot be used here)
        except Exception:
            continue
        return backend
    if candidates:  # none usable: what keyring's detection would end with, without its cost
        from keyring.backends import fail

        nothing: keyring.backend.KeyringBackend = fail.Keyring()  # type: ignore[no-untyped-call]
        return nothing
    return keyring.get_keyring()


def choose_backend(
    candidate: keyring.backend.KeyringBackend | None = None,
) -> tuple[keyring.backend.KeyringBackend | None, str]:
    """Try the configured backend (or ``candidate``); return it or None with the reason."""
    try:
        backend = candidate if candidate is not None else platform_backend()
    except Exception as exc:
        return None, f"the keyring library could not start ({type(exc).__name__})"
    inner = getattr(backend, "backends", None)
    if type(backend).__module__.startswith("keyring.backends.chainer") and inner:
        reasons = []
        for member in inner:
            reason = rejection_reason(member)
            if reason is None:
                return member, ""
            log.info("keyring backend %s not used: %s", type(member).__module__, reason)
            reasons.append(reason)
        return None, "; ".join(dict.fromkeys(reasons))  # each reason once
    reason = rejection_reason(backend)
    if reason:
        log.info("keyring backend %s not used: %s", type(backend).__module__, reason)
    return (None, reason) if reason else (backend, "")


def open_secret_store(
    backend: keyring.backend.KeyringBackend | None = None, service: str = SERVICE_NAME
) -> SecretStore:
    """The OS store if one works (probed with a harmless read), else session-only memory."""
    chosen, reason = choose_backend(backend)
    if chosen is None:
        return SessionSecretStore(reason)
    store = KeyringSecretStore(chosen, service)
    try:
        store.get("__tracklayer_probe__")
    except SecretStoreLocked:
        return store  # a locked store is still the right place; its status says "locked"
    except Exception as exc:
        return SessionSecretStore(f"{store.backend_name} did not answer ({type(exc).__name__})")
    return store


class InMemoryKeyring(keyring.backend.KeyringBackend):
    """A keyring backend that keeps secrets in a dict: for tests and demos only."""

    priority = 1
    # Never picked by keyring's own auto-detection: only when passed in explicitly.
    viable = False

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.passwords: dict[tuple[str, str], str] = {}

    @property
    def name(self) -> str:
        return "in-memory test keyring"

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        try:
            del self.passwords[(service, username)]
        except KeyError:
            raise keyring.errors.PasswordDeleteError("not found") from None
