"""The key that signs sign-off reports: created on first use, kept in the OS secret store.

Without an OS store the key lives in memory for this session only, and every report signed
with it says so (its fingerprint will not be seen again).
"""

from __future__ import annotations

import binascii

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from criteo_console.core.report.signing import (
    SigningKey,
    new_private_key,
    private_from_text,
    private_to_text,
)
from criteo_console.storage.secrets import SecretStore, SecretStoreLocked, StoreState

KEY_NAME = "report-signing-key"
OS_STORE = "os-secret-store"
SESSION_ONLY = "session-only"
SESSION_ONLY_NOTE = (
    "No OS secret store was available, so this key exists only for this session: later "
    "reports will carry another fingerprint."
)
LOCKED_NOTE = (
    "The OS secret store is locked, so the saved report key could not be read: this report "
    "was signed with a key for this session only, under another fingerprint."
)


def signing_key(store: SecretStore) -> SigningKey:
    """The report key from ``store``, made and saved there on first use."""
    try:
        saved = store.get(KEY_NAME)
    except SecretStoreLocked:
        # The saved key may be there, unreadable: never overwrite it with a new one.
        return SigningKey(new_private_key(), SESSION_ONLY, LOCKED_NOTE)
    private: Ed25519PrivateKey | None = None
    if saved:
        try:
            private = private_from_text(saved)
        except (binascii.Error, ValueError):
            private = None  # a damaged entry: replace it rather than fail every report
    if private is None:
        private = new_private_key()
        store.set(KEY_NAME, private_to_text(private))  # a session-only store keeps it in memory
    if store.is_os_store and store.status.state is StoreState.OK:
        return SigningKey(private, OS_STORE)
    return SigningKey(private, SESSION_ONLY, SESSION_ONLY_NOTE)
