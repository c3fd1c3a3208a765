"""Every keyboard shortcut, once: the tooltips and Help ▸ Keyboard shortcuts read this table.

The Alt+number page shortcuts come from the sidebar's page list, so a new page gets its number
everywhere at once. Plain tuples: the table is read at the first paint (a dataclass would
import ``dataclasses`` before it).
"""

from __future__ import annotations

from criteo_console.ui.checklist import PAGE_ENTRIES, page_shortcut

# name -> (keys, what they do, where they work)
SHORTCUTS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "send": (
        ("Ctrl+Enter",),
        "Send the order (asks first when it is a real conversion)",
        "Compose, Send",
    ),
    "cancel_send": (("Esc",), "Cancel the send on its way", "Send"),
    "add_line": (("Insert",), "Add an item line", "Item lines table"),
    "duplicate_lines": (("Ctrl+D",), "Duplicate the selected item lines", "Item lines table"),
    "remove_lines": (("Ctrl+Delete",), "Remove the selected item lines", "Item lines table"),
    "paste_rows": (("Ctrl+V",), "Paste rows copied from a spreadsheet", "Item lines table"),
    "shortcuts": (("F1",), "Show this list of keyboard shortcuts", "Everywhere"),
}


def keys(name: str) -> str:
    """The first key sequence of shortcut ``name`` ("Ctrl+Enter"), to bind or to show."""
    return SHORTCUTS[name][0][0]


def with_keys(text: str, name: str) -> str:
    """A tooltip that names the shortcut: "Send the order (Ctrl+Enter)"."""
    return f"{text} ({' or '.join(SHORTCUTS[name][0])})"


def page_rows() -> list[tuple[str, str, str]]:
    return [(page_shortcut(page), f"Open {title}", "Everywhere") for page, title in PAGE_ENTRIES]


def all_rows() -> list[tuple[str, str, str]]:
    """(keys, action, where) for the help list: pages first, then the table above."""
    rows = page_rows()
    rows += [(" or ".join(k), action, where) for k, action, where in SHORTCUTS.values()]
    rows.append(("Alt + underlined letter", "Press the button or go to the field", "Everywhere"))
    rows.append(("↑ ↓ in the sidebar", "Move between pages", "Sidebar"))
    return rows


def help_html() -> str:
    def esc(text: str) -> str:
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    body = "".join(
        f"<tr><td><b>{esc(k)}</b></td><td>{esc(action)}</td><td>{esc(where)}</td></tr>"
        for k, action, where in all_rows()
    )
    return (
        "<table cellspacing='0' cellpadding='4'><tr><th align='left'>Keys</th>"
        f"<th align='left'>Does</th><th align='left'>Where</th></tr>{body}</table>"
    )
