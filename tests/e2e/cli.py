"""Run the ``mechanics`` command as a user would (a subprocess)."""

from __future__ import annotations

import subprocess
import sys


def run(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """``python -m mechanics ARGS``; returns the completed process (text output)."""
    return subprocess.run([sys.executable, "-m", "mechanics", *map(str, args)],
                          capture_output=True, text=True, timeout=timeout)
