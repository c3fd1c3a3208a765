"""The error every headless command raises for a usage problem (exit 2, one plain line).

Here, not in ``cli.py``: commands sit below the entry point and never import it (the import
contracts in pyproject.toml keep them from reaching the window through it).
"""

from __future__ import annotations


class UsageError(Exception):
    """A problem with how the command was called: exit 2 with a one-line message."""
