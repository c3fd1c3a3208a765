"""The JSON view edits only changed lines, yet always shows exactly the text it was given."""

from __future__ import annotations

import random

from pytestqt.qtbot import QtBot

from criteo_console.ui.json_view import JsonView


def test_line_diffs_always_leave_exactly_the_new_text(qtbot: QtBot) -> None:
    view = JsonView()
    qtbot.addWidget(view)
    rng = random.Random(7)
    lines = [f'  "k{n}": {n},' for n in range(30)]
    for _ in range(300):
        edit = rng.choice(["change", "insert", "delete", "clear", "same"])
        if edit == "change" and lines:
            lines[rng.randrange(len(lines))] = f'  "x": {rng.random()},'
        elif edit == "insert":
            at = rng.randrange(len(lines) + 1)
            lines[at:at] = [f'  "n{rng.randrange(99)}": true,'] * rng.randint(1, 3)
        elif edit == "delete" and lines:
            at = rng.randrange(len(lines))
            del lines[at : at + rng.randint(1, 3)]
        elif edit == "clear" and rng.random() < 0.1:
            lines = []
        text = "\n".join(lines)

        view.set_json_text(text)

        assert view.toPlainText() == text
        assert view.json_text() == text


def test_unchanged_text_is_not_touched(qtbot: QtBot) -> None:
    view = JsonView()
    qtbot.addWidget(view)
    assert view.set_json_text('{\n  "a": 1\n}')

    assert not view.set_json_text('{\n  "a": 1\n}')
