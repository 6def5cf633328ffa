"""Every bad input to ``mechanics track``: one line naming the file, non-zero exit, no
traceback, and no output file left behind."""

from __future__ import annotations

import pytest

from tests import clips
from tests.e2e.cli import run


def _check_refused(proc, path, out_dir, words):
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert str(path) in lines[0] and any(w in lines[0] for w in words), lines[0]
    leftovers = list(out_dir.iterdir()) if out_dir.is_dir() else []
    assert leftovers == [], leftovers


@pytest.fixture(scope="module")
def no_person(make_once):
    return make_once("noise.mp4", lambda p: clips.noise_clip(p, n=20))


@pytest.mark.parametrize("kind, words", [
    ("missing", ["file not found"]),
    ("empty", ["empty file"]),
    ("text", ["cannot be opened", "not a video"]),
    ("audio", ["no video track"]),
    ("truncated", ["truncated", "cannot be opened"]),
    ("no_person", ["no person"]),
])
def test_bad_clip(tmp_path, make_once, no_person, kind, words):
    if kind == "truncated":
        path = tmp_path / "truncated.mp4"
        fast = make_once("noise_fast.mp4", lambda p: clips.faststart(no_person, p))
        clips.truncated(fast, path, 0.4)
    elif kind == "no_person":
        path = no_person
    else:
        path = clips.bad_file(kind, tmp_path, make_once)
    out_dir = tmp_path / "out"
    proc = run("track", path, "--out", out_dir)
    _check_refused(proc, path, out_dir, words)


def test_unwritable_output_folder(tmp_path, no_person):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    out_dir = blocker / "out"
    proc = run("track", no_person, "--out", out_dir)
    assert proc.returncode != 0
    line = proc.stderr.strip()
    assert "\n" not in line and str(out_dir) in line and "output folder" in line
    assert "Traceback" not in proc.stderr


def test_debug_flag_shows_traceback(tmp_path):
    proc = run("--debug", "track", tmp_path / "nope.mp4", "--out", tmp_path / "o")
    assert proc.returncode != 0 and "Traceback" in proc.stderr
