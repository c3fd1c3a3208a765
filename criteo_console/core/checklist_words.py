"""What each of the six checks says before it has been worked on.

``core.checklist`` returns these words and the sidebar paints them from the first paint on,
before the rules are loaded: the first profile then changes nothing in the sidebar (start-up
time, and no entry that grows under the user's eyes). No imports, on purpose.
"""

from __future__ import annotations


def not_tested(button: str | None = None) -> str:
    """Check 1 before any test. The sidebar names the page (the button on Connect reads "Test
    connection" or, while the form has unsaved changes, "Save and test"); Connect itself names
    the button as it reads."""
    if button is None:
        return "Not tested yet: test the connection on Connect."
    return f"Not tested yet: press “{button}”."


NOT_TESTED = not_tested()
CHECKED_AFTER_TOKEN = "Checked after the token."
COMPOSE_FIRST = "Compose a test order."
NOT_SENT = "Not sent yet: validate, then send."

# check number -> its words before anything was done
NOT_STARTED: dict[int, str] = {
    1: NOT_TESTED,
    2: CHECKED_AFTER_TOKEN,
    3: COMPOSE_FIRST,
    4: COMPOSE_FIRST,
    5: COMPOSE_FIRST,
    6: NOT_SENT,
}
