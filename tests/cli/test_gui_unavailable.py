"""When Qt cannot load (libEGL missing on a bare Linux), the console says so in one line and
exits non-zero, instead of printing the help and reporting success."""

from __future__ import annotations

import subprocess
import sys
import textwrap

# The same failure a machine without libEGL gives, raised when PySide6 is imported.
NO_EGL = textwrap.dedent(
    """
    import importlib.abc, sys

    class NoEgl(importlib.abc.MetaPathFinder):
        def find_spec(self, fullname, path, target=None):
            if fullname.split(".")[0] == "PySide6":
                raise ImportError(
                    "libEGL.so.1: cannot open shared object file: No such file or directory"
                )

    sys.meta_path.insert(0, NoEgl())
    from criteo_console.cli import main
    sys.exit(main([]))
    """
)


def test_a_console_that_cannot_load_qt_exits_non_zero_with_the_reason_in_one_line(
    tmp_path: object,
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", NO_EGL],
        capture_output=True,
        text=True,
        timeout=60,
        env={"CRITEO_CONSOLE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "libEGL.so.1" in lines[0] and "cannot start" in lines[0]
    assert "usage:" not in done.stdout + done.stderr
