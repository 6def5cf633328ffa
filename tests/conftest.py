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


@pytest.fixture(scope="session")
def clip_cache(tmp_path_factory, worker_id) -> Path:
    """A folder shared by all xdist workers of this run, for clips rendered once per run."""
    base = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        base = base.parent
    path = base / "clips"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture(scope="session")
def make_once(clip_cache):
    """``make_once(name, build)`` -> path: build ``clip_cache/name`` once per test run.

    ``build(path)`` writes the file (or, for a name without a suffix, fills the folder it is
    given); a lock file keeps xdist workers from building twice.
    """
    import fcntl

    def _make(name: str, build) -> Path:
        target = clip_cache / name
        with open(clip_cache / f"{name}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not target.exists():
                tmp = target.with_name(f"tmp.{target.name}")
                if not target.suffix:
                    tmp.mkdir(exist_ok=True)
                build(tmp)
                tmp.replace(target)
        return target

    return _make
