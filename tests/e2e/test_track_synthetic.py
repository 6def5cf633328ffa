"""``mechanics track`` on synthetic runners with exact truth, through the real pose model."""

from __future__ import annotations

import numpy as np
import pytest

from mechanics.pose.skeleton import INDEX
from mechanics.sequence import PoseSequence
from mechanics.synth import read_truth, render_clip, truth_path
from tests.e2e.cli import run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def small_runner(make_once):
    """A runner 20 % of a 1280x720 frame's height (11 % of its long side): too small for
    the full-frame detector (../shared/docs/pose-model.md 4.4)."""
    folder = make_once("small_runner", lambda d: render_clip(
        d / "clip.mp4", seconds=2, fps=30, figure_fraction=0.2))
    return folder / "clip.mp4"


def test_small_runner_is_followed_with_a_crop(small_runner, tmp_path):
    proc = run("track", small_runner, "--out", tmp_path, "--no-overlay")
    assert proc.returncode == 0, proc.stderr
    seq = PoseSequence.from_csv(tmp_path / "landmarks.csv")
    truth = read_truth(truth_path(small_runner))
    true_xy = np.asarray(truth["frames"]["image"], float)[:, :, :2]
    assert "crop" in seq.provenance[0]["crop"]
    for name in ("left_ankle", "right_ankle", "left_knee", "right_knee"):
        err = np.linalg.norm(seq.image[:, INDEX[name], :2] - true_xy[:, INDEX[name]], axis=1)
        assert np.isfinite(err).mean() >= 0.95, name
        assert np.nanmedian(err) < 10.0, name  # the runner is 144 px tall


def test_small_runner_is_missed_without_the_crop(small_runner, tmp_path):
    proc = run("track", small_runner, "--out", tmp_path, "--no-overlay", "--crop", "never")
    assert proc.returncode != 0 and "no person" in proc.stderr


def test_slow_motion_clip_keeps_playback_rate_in_overlay(make_once, tmp_path):
    """A clip played at 30 frames/s but captured at 120: the track is on real time (1/120 s
    steps), the overlay plays like the clip (30 frames/s, same frame count)."""
    import cv2

    from tests import clips

    folder = make_once("slowmo_runner", lambda d: render_clip(d / "clip.mp4", seconds=1,
                                                              fps=30))
    tagged = clips.slow_motion_tagged(folder / "clip.mp4", tmp_path / "slow.mp4", 120.0)
    proc = run("track", tagged, "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    seq = PoseSequence.from_csv(tmp_path / "out" / "landmarks_raw.csv")
    np.testing.assert_allclose(np.diff(seq.time), 1 / 120, atol=1e-4)
    cap = cv2.VideoCapture(str(tmp_path / "out" / "overlay.mp4"))
    assert cap.get(cv2.CAP_PROP_FPS) == pytest.approx(30.0, abs=0.1)
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == len(seq)
