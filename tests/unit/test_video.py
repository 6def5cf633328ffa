"""video.py: rotation flag, per-frame timestamps, capture rate, bad files."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from mechanics.errors import MechanicsError
from mechanics.video import iter_frames, probe
from tests import clips


def _portrait_frames(n: int = 45, w: int = 360, h: int = 640):
    """Portrait frames with a white square in the top-left corner and a moving bar."""
    for i in range(n):
        f = np.full((h, w, 3), 60, np.uint8)
        f[20:120, 20:120] = 255
        f[h - 40:h - 20, (i * 5) % (w - 20):(i * 5) % (w - 20) + 20] = (0, 0, 255)
        yield f


@pytest.fixture(scope="module")
def portrait(make_once):
    return make_once("portrait.mp4", lambda p: clips.write_frames(p, _portrait_frames()))


def test_plain_clip_facts_and_times(portrait):
    info = probe(portrait)
    assert (info.width, info.height) == (360, 640)
    assert info.fps == pytest.approx(30.0)
    assert info.capture_fps_source == "playback"
    times = np.array([f.time_s for f in iter_frames(info)])
    assert len(times) == 45
    np.testing.assert_allclose(np.diff(times), 1 / 30, atol=1e-3)


def test_rotation_flag_gives_upright_frames(portrait, make_once):
    rotated = make_once("portrait_rot.mp4", lambda p: clips.rotated_portrait(portrait, p))
    raw = cv2.VideoCapture(str(rotated))
    raw.set(cv2.CAP_PROP_ORIENTATION_AUTO, 0)
    assert raw.read()[1].shape[:2] == (360, 640)  # stored sideways
    info = probe(rotated)
    assert info.rotation == 90
    assert (info.width, info.height) == (360, 640)
    first = next(iter(iter_frames(info))).bgr
    assert first.shape[:2] == (640, 360)
    assert first[70, 70].mean() > 200  # the white square is top-left again
    assert first[640 - 70, 360 - 70].mean() < 120


def test_variable_frame_rate_uses_each_frames_timestamp(portrait, make_once):
    vfr = make_once("portrait_vfr.mp4", lambda p: clips.variable_frame_rate(portrait, p))
    info = probe(vfr)
    times = np.array([f.time_s for f in iter_frames(info)])
    assert len(times) == 30  # 45 frames, every third dropped
    gaps = np.round(np.diff(times) * 30).astype(int)
    assert set(gaps.tolist()) == {1, 2}  # 33 ms and 67 ms steps, not a nominal rate
    assert times[-1] == pytest.approx(43 / 30, abs=2e-3)


def test_capture_fps_from_container_and_user(portrait, make_once):
    slow = make_once("portrait_slow.mp4", lambda p: clips.slow_motion_tagged(portrait, p))
    info = probe(slow)
    assert info.capture_fps == pytest.approx(240.0)
    assert info.capture_fps_source == "container"
    times = [f.time_s for f in iter_frames(info)]
    assert times[1] - times[0] == pytest.approx(1 / 240, abs=1e-4)
    user = probe(portrait, capture_fps=120)
    assert user.capture_fps_source == "user" and user.time_scale == pytest.approx(0.25)


@pytest.mark.parametrize("kind, message", [
    ("missing", "file not found"),
    ("empty", "empty file"),
    ("text", "cannot be opened"),
    ("audio", "no video track"),
])
def test_bad_files_give_one_clear_line(tmp_path, make_once, kind, message):
    path = clips.bad_file(kind, tmp_path, make_once)
    with pytest.raises(MechanicsError) as err:
        probe(path)
    text = str(err.value)
    assert message in text and str(path) in text and "\n" not in text


def test_truncated_clip_is_refused(portrait, make_once, tmp_path):
    fast = make_once("portrait_fast.mp4", lambda p: clips.faststart(portrait, p))
    cut = clips.truncated(fast, tmp_path / "cut.mp4", 0.5)
    with pytest.raises(MechanicsError, match="truncated"):
        info = probe(cut)
        for _ in iter_frames(info):
            pass
    cut_end = clips.truncated(portrait, tmp_path / "cut_end.mp4", 0.5)  # index at the end
    with pytest.raises(MechanicsError, match="cannot be opened|truncated"):
        probe(cut_end)
