"""Stride-periodic reference of the leg-label repair (mechanics.clean.periodic), known answers."""

from __future__ import annotations

import numpy as np
import pytest

from mechanics.clean import repair_left_right
from mechanics.clean.periodic import periodic_distances, shifted, stride_lag
from tests.unit.test_clean_identity import FOOT, INDEX, runner


def test_shifted_interpolates_between_frames_and_is_nan_outside():
    q = np.arange(10.0)[:, None]                     # Q(t) = t
    out = shifted(q, 0.3)[:, 0]
    assert np.allclose(out[:9], np.arange(9) + 0.3)
    assert out[9] == pytest.approx(9.0)              # 9.3: the nearer sample, frame 9
    assert np.isnan(shifted(q, 0.7)[9, 0])          # 9.7: nearer to frame 10, outside
    assert np.allclose(shifted(q, -2.0)[2:, 0], np.arange(8))
    assert np.isnan(shifted(q, -2.0)[:2, 0]).all()


def test_shifted_uses_the_nearer_sample_next_to_a_gap():
    q = np.arange(6.0)[:, None]
    q[3] = np.nan
    out = shifted(q, 0.2)[:, 0]
    assert out[1] == pytest.approx(1.2)
    assert out[2] == pytest.approx(2.0)             # 2.2: frame 3 missing, frame 2 nearer
    assert np.isnan(out[3])                         # 3.2: the nearer frame 3 is missing
    assert shifted(q, 0.8)[3, 0] == pytest.approx(4.0)   # 3.8: frame 4 nearer


@pytest.mark.parametrize("period", [21.4, 23.75, 40.2])
def test_stride_lag_finds_a_fractional_period(period: float):
    """A periodic limb path whose stride is not a whole number of frames (30 fps)."""
    t = np.arange(150.0)
    phase = 2 * np.pi * t / period
    Q = np.zeros((t.size, 2, 4, 2))
    for limb, shift in ((0, 0.0), (1, np.pi)):
        for j in range(4):
            Q[:, limb, j, 0] = 0.8 * np.sin(phase + shift + 0.3 * j)
            Q[:, limb, j, 1] = 0.3 * np.cos(2 * (phase + shift) + 0.2 * j)
    lag = stride_lag(Q, 30.0)
    assert lag == pytest.approx(period, abs=0.1)


def test_stride_lag_none_for_motion_that_does_not_repeat():
    rng = np.random.default_rng(0)
    Q = np.cumsum(rng.normal(0, 0.2, (150, 2, 4, 2)), axis=0)
    assert stride_lag(Q, 30.0) is None


def test_periodic_distances_only_raise():
    d = np.array([0.1, 0.3, 0.2, 0.4])
    d_per = np.array([0.5, 0.1, np.nan, np.inf])
    out = periodic_distances(d, d_per, 0.5)
    assert out == pytest.approx([0.3, 0.3, 0.2, 0.4])


@pytest.mark.parametrize("start", [0.3, 0.45])
@pytest.mark.parametrize("pull", [0.4, 0.5])
def test_short_run_of_floating_foot_is_dropped_by_the_periodic_witness(start, pull):
    """30 fps: for 3 frames the right foot's labels float 40-50 % of the way to the left
    foot (~180 px apart). The run pulls the 4 Hz trajectory, so the trajectory alone keeps
    samples 70-100 px off; the same phase one and two strides away rejects them."""
    truth = runner(30, "side")
    seq = runner(30, "side", noise=1.5, seed=3)
    frames = np.arange(int(start * len(seq)), int(start * len(seq)) + 3)
    foot = [INDEX[f"right_{n}"] for n in FOOT]
    other = [INDEX[f"left_{n}"] for n in FOOT]
    seq.image[np.ix_(frames, foot)] += pull * (truth.image[np.ix_(frames, other)]
                                               - truth.image[np.ix_(frames, foot)])

    def kept_off(weight: float) -> int:
        out = repair_left_right(seq, periodic_weight=weight)
        err = np.linalg.norm(out.image[np.ix_(frames, foot)][..., :2]
                             - truth.image[np.ix_(frames, foot)][..., :2], axis=-1)
        return int((err > 30.0).sum())               # 0.3 thigh lengths (100 px)

    assert kept_off(0.0) > 0
    assert kept_off(0.5) == 0
