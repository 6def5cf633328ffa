"""Shared fixtures.

``shared_data`` is the one door to ../shared/data (real clips and motion capture): tests that
need it skip cleanly when it is absent. Nothing from there is ever copied into the project.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """Path of ../shared/data (or $MECHANICS_SHARED_DATA); skip when it is not there."""
    path = Path(os.environ.get("MECHANICS_SHARED_DATA", ROOT.parent / "shared" / "data"))
    if not path.is_dir():
        pytest.skip(f"shared data not found at {path}")
    return path
