"""Event naming: each canonical event maps to the exact Criteo name set up in the account."""

from __future__ import annotations

import difflib
from collections.abc import Mapping

from criteo_console.core.identifiers import contains_email
from criteo_console.core.issues import Issue, error, quoted, warning

DEFAULT_EVENT_NAMES: Mapping[str, str] = {"purchase": "purchase"}
# The canonical events a profile can map (the integration guide's purchase first).
CANONICAL_EVENTS = (
    "purchase",
    "add_to_cart",
    "view_item",
    "view_list",
    "view_home",
    "view_basket",
    "begin_checkout",
    "add_payment_info",
    "login",
)


def _quoted(text: str) -> str:
    return quoted(text)


def near_miss_reason(given: str, expected: str) -> str | None:
    """How ``given`` differs from ``expected`` when it is almost the same word, else None."""
    if given == expected:
        return None
    if given.strip() != given and given.strip() == expected:
        return "has extra spaces around it"
    if given.lower() == expected.lower():
        return "differs only in upper/lower case (names are case-sensitive)"
    squashed = given.strip().lower().replace("-", "_").replace(" ", "_")
    if squashed == expected.lower():
        return "uses different separators"
    if expected.lower() in squashed or squashed in expected.lower():
        return "has extra or missing letters"
    matcher = difflib.SequenceMatcher(a=squashed, b=expected.lower())
    # The cheap upper bounds first: a 5 MB name is ruled out by its length alone.
    if matcher.real_quick_ratio() >= 0.8 and matcher.ratio() >= 0.8:
        return "looks like a typo"
    return None


def resolve_event(given: str, mapping: Mapping[str, str]) -> tuple[str | None, Issue | None]:
    """Find the canonical event the order names; explain near-misses instead of guessing."""
    if given in mapping:
        return given, None
    for canonical in mapping:
        reason = near_miss_reason(given, canonical)
        if reason:
            return None, error(
                "event",
                "event-name-near-miss",
                f"The event is spelled {_quoted(given)}, which {reason}. This profile's event is "
                f"spelled exactly {_quoted(canonical)}: change it to {_quoted(canonical)}.",
            )
    known = ", ".join(_quoted(name) for name in mapping) or "none"
    return None, error(
        "event",
        "event-unknown",
        f"The event {_quoted(given)} is not mapped to a Criteo event in this profile (mapped: "
        f"{known}). Use one of those, or add it on the Event mapping page.",
    )


def check_event_mapping(mapping: Mapping[str, str]) -> list[Issue]:
    """Problems in a profile's canonical -> Criteo event-name table."""
    issues: list[Issue] = []
    for canonical, criteo_name in mapping.items():
        field = f"event_names.{canonical}"
        if canonical not in CANONICAL_EVENTS:
            close = [known for known in CANONICAL_EVENTS if near_miss_reason(canonical, known)]
            hint = f" Did you mean “{close[0]}”?" if close else ""
            issues.append(
                error(
                    field,
                    "event-mapping-unknown-event",
                    f"{_quoted(canonical)} is not one of the console's events "
                    f"({', '.join(CANONICAL_EVENTS)}).{hint}",
                )
            )
            continue
        if not criteo_name.strip():
            issues.append(
                error(
                    field,
                    "event-name-empty",
                    f"The Criteo event name for “{canonical}” is empty. Enter the name exactly "
                    "as it is configured in the advertiser's Criteo account.",
                )
            )
            continue
        if contains_email(criteo_name):
            issues.append(
                error(
                    field,
                    "event-name-contains-email",
                    f"The Criteo event name for “{canonical}” contains an email address, which "
                    "would be sent to Criteo unhashed. Enter the event name exactly as it is "
                    "configured in the advertiser's Criteo account.",
                )
            )
        elif criteo_name != criteo_name.strip():
            issues.append(
                error(
                    field,
                    "event-name-whitespace",
                    f"The Criteo event name for “{canonical}” has spaces before or after it; "
                    "Criteo would not recognise it. Remove the spaces.",
                )
            )
        elif criteo_name != canonical and near_miss_reason(criteo_name, canonical):
            issues.append(
                warning(
                    field,
                    "event-name-near-miss",
                    f"“{canonical}” is sent as {_quoted(criteo_name)}, which "
                    f"{near_miss_reason(criteo_name, canonical)}. Criteo event names must match "
                    "the advertiser account exactly: check the spelling there.",
                )
            )
    return issues
