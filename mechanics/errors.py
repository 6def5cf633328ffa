"""User-facing errors.

A :class:`MechanicsError` carries one line that names the file and the problem. The CLI
prints it (without a traceback unless ``--debug``) and exits non-zero.
"""

from __future__ import annotations

from pathlib import Path


class MechanicsError(Exception):
    """An error the user can act on; ``str(err)`` is the one line shown to them."""

    def __init__(self, message: str, path: str | Path | None = None) -> None:
        self.path = None if path is None else Path(path)
        super().__init__(f"{path}: {message}" if path is not None else message)


class ModelMissingError(MechanicsError):
    """A pose model bundle is not installed (analysis never downloads it)."""


class NoPersonError(MechanicsError):
    """No person (or no runner) was found in a clip."""
