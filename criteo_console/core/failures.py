"""Why an attempt failed, in a marketer's words: one line per stored failure kind.

The kinds are those ``criteo/results.py`` ``Kind`` records and the session's cancellations;
the event log, its exports and the sign-off report read them here.
"""

from __future__ import annotations

REASONS = {
    "scope": "advertiser not reachable with these credentials",
    "auth": "wrong client id or secret (or the token was refused)",
    "rejected": "Criteo refused the order's content",
    "rate-limited": "too many requests: Criteo asked to slow down",
    "server": "Criteo had a problem on its side",
    "network": "Criteo could not be reached (network)",
    "timeout": "Criteo did not answer in time",
    "retired": "this API version is no longer served",
    "tls": "the server's certificate was refused",
    "bad-response": "Criteo's answer could not be read",
    "refused-url": "the address is not secure (HTTPS needed)",
    "cancelled": "cancelled before sending",
    "cancelled-in-flight": "cancelled while on its way",
    "redirected": "Criteo answered with a redirect to another address",
}


def reason_text(reason: str | None, name: str = "Criteo") -> str | None:
    """Why an attempt failed, in plain words (an unknown code is shown as it is).

    ``name``: the destination's name ("the sandbox"), so the words follow where it went.
    """
    if not reason:
        return None
    text = REASONS.get(reason, reason.replace("-", " "))
    return text.replace("Criteo", name) if name != "Criteo" else text
