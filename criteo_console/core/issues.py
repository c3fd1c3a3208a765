"""What validation reports: one Issue per problem, in words a marketer understands."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem with the order or the profile.

    ``field`` uses the input spelling (``items[1].quantity``) so the UI can focus the field;
    ``code`` is a stable kebab-case id for scripts; ``message`` says what is wrong and what to
    do, and never quotes a raw email.
    """

    level: Level
    field: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {
            "level": self.level.value,
            "field": self.field,
            "code": self.code,
            "message": self.message,
        }


def error(field: str, code: str, message: str) -> Issue:
    return Issue(Level.ERROR, field, code, message)


def warning(field: str, code: str, message: str) -> Issue:
    return Issue(Level.WARNING, field, code, message)


def has_errors(issues: list[Issue]) -> bool:
    return any(issue.level is Level.ERROR for issue in issues)


def quoted(text: str, limit: int = 40, *, instead: str = "an email address (not shown)") -> str:
    """What the user typed, quoted for a message; ``instead`` when it may hold an address."""
    from criteo_console.core.identifiers import may_hold_email  # hashing: not at start-up

    if may_hold_email(text):
        return instead
    return f"“{shown(text, limit)}”"


def shown(text: str, limit: int = 40) -> str:
    """At most ``limit`` characters of user text, each control or invisible character as "?"
    (an escape sequence in a field name must not reach the terminal, a newline not split an
    issue's line)."""
    cut = text if len(text) <= limit else text[: limit - 1] + "…"
    return cut if cut.isprintable() else "".join(c if c.isprintable() else "?" for c in cut)
