"""Known-answer tests of gap filling (mechanics.clean.gaps, science.md 7.2)."""

from __future__ import annotations

import numpy as np
import pytest

from mechanics.clean import fill_gaps
from mechanics.clean.gaps import interpolate_run, max_gap_frames, runs
from mechanics.pose.skeleton import INDEX, N_LANDMARKS
from mechanics.sequence import PoseSequence


def track(fps: float = 30.0, seconds: float = 2.0, noise: float = 0.0,
          seed: int = 0) -> PoseSequence:
    """Every landmark on a smooth 1.4 Hz orbit (x, y, z and world), jitter optional."""
    t = np.arange(round(seconds * fps)) / fps
    j = np.arange(N_LANDMARKS)[None, :]
    phase = 2 * np.pi * 1.4 * t[:, None] + 0.2 * j
    image = np.stack([300 + 40 * np.sin(phase) + 3 * j, 400 + 25 * np.cos(phase),
                      10 * np.sin(phase + 1)], -1)
    if noise:
        image[..., :2] += np.random.default_rng(seed).normal(0, noise, image[..., :2].shape)
    world = image / 250.0
    vis = 0.6 + 0.3 * np.cos(phase) ** 2
    return PoseSequence(time=t, image=image, visibility=vis, world=world, meta={"fps": fps})


def gap(seq: PoseSequence, name: str, a: int, b: int) -> None:
    """Remove landmark ``name`` from frames a..b (inclusive) in image, world and visibility."""
    seq.image[a:b + 1, INDEX[name]] = np.nan
    seq.world[a:b + 1, INDEX[name]] = np.nan
    seq.visibility[a:b + 1, INDEX[name]] = np.nan


def test_runs_and_max_gap_frames() -> None:
    assert runs(np.array([0, 1, 1, 0, 1, 0, 0, 1], bool)) == [(1, 2), (4, 4), (7, 7)]
    assert runs(np.zeros(4, bool)) == []
    assert max_gap_frames(0.1, 30) == 3
    assert max_gap_frames(0.1, 60) == 6
    assert max_gap_frames(0.1, 120) == 12
    assert max_gap_frames(0.1, 29.97) == 2
    assert max_gap_frames(0.1, float("nan")) == 0


def test_linear_and_cubic_known_answers() -> None:
    t = np.arange(20) / 30.0
    line = 5.0 + 3.0 * t
    y = line.copy()
    y[8:10] = np.nan                                         # 2 frames: linear, exact on a line
    vals, method = interpolate_run(t, y, 8, 9)
    assert method == "linear"
    np.testing.assert_allclose(vals, line[8:10])
    cubic = 2.0 - t + 4.0 * t ** 2 - 7.0 * t ** 3
    y = cubic.copy()
    y[8:11] = np.nan                                         # 3 frames: cubic, exact on a cubic
    vals, method = interpolate_run(t, y, 8, 10)
    assert method == "cubic"
    np.testing.assert_allclose(vals, cubic[8:11], atol=1e-9)
    y = cubic.copy()
    y[[6, 8, 9, 10]] = np.nan                                # one support sample on the left
    assert interpolate_run(t, y, 8, 10)[1] == "linear"
    y[:8] = np.nan
    assert interpolate_run(t, y, 0, 10) == (None, "none")


@pytest.mark.parametrize("fps", [30, 60, 120])
def test_short_gaps_filled_long_gaps_reported(fps: int) -> None:
    truth = track(fps)
    seq = truth.copy()
    n_max = max_gap_frames(0.1, fps)
    gap(seq, "left_ankle", 10, 10)                           # 1 frame
    gap(seq, "left_ankle", 20, 21)                           # 2 frames
    gap(seq, "right_knee", 15, 15 + n_max - 1)               # exactly max_gap_s
    gap(seq, "right_wrist", 12, 12 + n_max)                  # one frame too long
    gap(seq, "nose", 0, 2)                                   # at the start: never extrapolated
    gap(seq, "left_hip", len(seq) - 1, len(seq) - 1)         # at the end
    out = fill_gaps(seq)
    summary = out.meta["cleaning"]["fill_gaps"]
    assert summary["gaps_filled"] == 3
    assert summary["frames_filled"] == 3 + n_max
    assert summary["landmarks_filled"] == 2
    assert summary["n_gaps_left"] == 3
    t = seq.time
    assert [g[0] for g in summary["gaps_left"]] == ["nose", "right_wrist", "left_hip"]
    np.testing.assert_allclose([g[1:] for g in summary["gaps_left"]],
                               [[t[0], t[2]], [t[12], t[12 + n_max]], [t[-1], t[-1]]], atol=1e-6)
    assert summary["frames_left"] == 3 + n_max + 1 + 1
    assert out.provenance[-1]["step"] == "fill_gaps"
    assert out.provenance[-1]["gaps_left"] == summary["gaps_left"]
    for name in ("right_wrist", "nose", "left_hip"):
        assert np.array_equal(np.isnan(out.image[:, INDEX[name]]),
                              np.isnan(seq.image[:, INDEX[name]]))
    for name in ("left_ankle", "right_knee"):
        j = INDEX[name]
        assert np.isfinite(out.image[:, j]).all() and np.isfinite(out.world[:, j]).all()
        assert np.isfinite(out.visibility[:, j]).all()
        err = np.abs(out.image[:, j] - truth.image[:, j])
        # linear over 2 missing frames: |error| <= max|x''| (3 dt)^2 / 8 (40 px at 1.4 Hz)
        bound = 40 * (2 * np.pi * 1.4) ** 2 * (3 / fps) ** 2 / 8
        assert err.max() < bound + 0.05
        np.testing.assert_allclose(out.world[:, j], truth.world[:, j], atol=(bound + 0.05) / 250)
    # detected samples untouched
    ok = np.isfinite(seq.image)
    assert np.array_equal(out.image[ok], seq.image[ok])


def test_longer_max_gap_fills_more() -> None:
    seq = track(30)
    gap(seq, "right_heel", 10, 15)                           # 0.2 s
    assert fill_gaps(seq).meta["cleaning"]["fill_gaps"]["n_gaps_left"] == 1
    out = fill_gaps(seq, max_gap_s=0.25)
    assert out.meta["cleaning"]["fill_gaps"]["gaps_filled"] == 1
    assert out.meta["cleaning"]["fill_gaps"]["cubic"] == 1


def test_fill_with_noise_stays_close() -> None:
    truth = track(60)
    seq = track(60, noise=1.5, seed=4)
    for k, name in enumerate(("left_ankle", "right_ankle", "left_wrist", "right_knee")):
        gap(seq, name, 20 + 17 * k, 20 + 17 * k + 1 + k)     # 2..5 frames
    out = fill_gaps(seq)
    filled = np.isnan(seq.image[..., 0]) & np.isfinite(out.image[..., 0])
    assert filled.sum() == 2 + 3 + 4 + 5
    err = np.linalg.norm(out.image[..., :2] - truth.image[..., :2], axis=-1)[filled]
    assert err.mean() < 2.5 and err.max() < 6.0


def test_whole_pose_missing_is_one_entry() -> None:
    seq = track(30)
    seq.image[40:50] = np.nan                                # nobody detected for 10 frames
    seq.image[:2] = np.nan                                   # nor in the first two
    seq.image[45:47, INDEX["left_knee"]] = np.nan
    out = fill_gaps(seq)
    summary = out.meta["cleaning"]["fill_gaps"]
    assert [g[0] for g in summary["gaps_left"]] == ["all", "all"]
    np.testing.assert_allclose([g[1:] for g in summary["gaps_left"]],
                               [[0, 1 / 30], [40 / 30, 49 / 30]], atol=1e-6)
    assert summary["gaps_filled"] == 0


def test_input_not_mutated_and_without_world() -> None:
    seq = track(30)
    seq.world = None
    gap_idx = INDEX["left_elbow"]
    seq.image[5:7, gap_idx] = np.nan
    before = seq.copy()
    out = fill_gaps(seq)
    assert np.array_equal(seq.image, before.image, equal_nan=True)
    assert "cleaning" not in seq.meta
    assert out.world is None
    assert np.isfinite(out.image[:, gap_idx]).all()
    assert "world_gaps_filled" not in out.meta["cleaning"]["fill_gaps"]
