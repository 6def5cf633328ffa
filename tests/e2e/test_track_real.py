"""``mechanics track`` on real phone clips (../shared/data/videos) through the real model."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from mechanics.pose.skeleton import INDEX
from mechanics.sequence import PoseSequence
from tests import clips
from tests.e2e.cli import run

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def treadmill(shared_data):
    return shared_data / "videos" / "treadmill_side_male_part1.mp4"


@pytest.fixture(scope="module")
def treadmill_track(treadmill, tmp_path_factory):
    out = tmp_path_factory.mktemp("treadmill")
    proc = run("track", treadmill, "--out", out)
    assert proc.returncode == 0, proc.stderr
    return out


def test_treadmill_ankles_present(treadmill_track):
    seq = PoseSequence.from_csv(treadmill_track / "landmarks.csv")
    assert len(seq) == 180
    present = seq.present()
    for name in ("left_ankle", "right_ankle"):
        assert present[:, INDEX[name]].mean() >= 0.97, name
    np.testing.assert_allclose(np.diff(seq.time), 1 / 30, atol=1e-3)


def test_treadmill_overlay_has_every_frame(treadmill_track):
    cap = cv2.VideoCapture(str(treadmill_track / "overlay.mp4"))
    assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 180
    ok, frame = cap.read()
    assert ok and frame.shape[:2] == (1280, 720)


def test_rotated_portrait_is_upright(treadmill, make_once, tmp_path):
    rotated = make_once("treadmill_rot.mp4", lambda p: clips.rotated_portrait(treadmill, p, 2))
    proc = run("track", rotated, "--out", tmp_path, "--no-overlay")
    assert proc.returncode == 0, proc.stderr
    seq = PoseSequence.from_csv(tmp_path / "landmarks.csv")
    assert seq.meta["rotation"] == 90 and (seq.meta["width"], seq.meta["height"]) == (720, 1280)
    nose_y = seq.image[:, INDEX["nose"], 1]
    ankle_y = np.nanmax(seq.image[:, [INDEX["left_ankle"], INDEX["right_ankle"]], 1], axis=1)
    ok = np.isfinite(nose_y) & np.isfinite(ankle_y)
    assert ok.mean() > 0.9
    assert (nose_y[ok] < ankle_y[ok] - 300).mean() > 0.98


def test_variable_frame_rate_times(treadmill, make_once, tmp_path):
    vfr = make_once("treadmill_vfr.mp4", lambda p: clips.variable_frame_rate(treadmill, p, 2))
    proc = run("track", vfr, "--out", tmp_path, "--no-overlay")
    assert proc.returncode == 0, proc.stderr
    seq = PoseSequence.from_csv(tmp_path / "landmarks.csv")
    assert len(seq) == 40
    steps = np.round(np.diff(seq.time) * 30).astype(int)
    assert set(steps.tolist()) == {1, 2}


@pytest.fixture(scope="module")
def sports2d(shared_data):
    return shared_data / "videos" / "walk_side_outdoor_2persons_sports2d_demo.mp4"


def _walker_checks(seq: PoseSequence) -> None:
    """The woman walks right to left across the grass, frames ~59-201; the man is on the
    box and later runs off to the right (../shared/docs/pose-model.md, checked by eye)."""
    hip_x = seq.image[:, [INDEX["left_hip"], INDEX["right_hip"]], 0].mean(axis=1)
    detected = np.flatnonzero(np.isfinite(hip_x))
    assert detected[0] <= 70 and detected[-1] >= 185
    assert (detected >= 50).mean() > 0.95
    assert hip_x[80] - hip_x[180] > 400  # walking right to left


def test_sports2d_walker_is_chosen(sports2d, tmp_path):
    proc = run("track", sports2d, "--out", tmp_path, "--no-overlay")
    assert proc.returncode == 0, proc.stderr
    _walker_checks(PoseSequence.from_csv(tmp_path / "landmarks.csv"))


def test_sports2d_subject_override(sports2d, tmp_path):
    walker = run("track", sports2d, "--out", tmp_path / "w", "--no-overlay",
                 "--subject", "1390,750")
    assert walker.returncode == 0, walker.stderr
    _walker_checks(PoseSequence.from_csv(tmp_path / "w" / "landmarks.csv"))
    man = run("track", sports2d, "--out", tmp_path / "m", "--no-overlay",
              "--subject", "690,400")  # the man on the box, first seen at frame 3
    assert man.returncode == 0, man.stderr
    seq = PoseSequence.from_csv(tmp_path / "m" / "landmarks.csv")
    hip_y = seq.image[:, [INDEX["left_hip"], INDEX["right_hip"]], 1].mean(axis=1)
    detected = np.flatnonzero(np.isfinite(hip_y))
    assert detected[0] == 3
    assert np.nanmedian(hip_y) < 600  # up on the box, not the walker on the grass (~740)
