"""Stride cutting and time normalisation (0-100 %, 101 points)."""

from __future__ import annotations

import numpy as np
import pytest

from mechanics.cycles import N_POINTS, cut_strides, mean_sd

FPS, T = 100.0, 0.73


def _signal(phase0: float = 0.2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    t = np.arange(0, 8.0, 1 / FPS)
    y = np.sin(2 * np.pi * (t - phase0) / T)
    strikes = phase0 + T * np.arange(11)                 # between frames (sub-frame)
    return t, y, strikes


def test_periodic_signal_gives_identical_strides() -> None:
    t, y, fs = _signal()
    s = cut_strides(y, t, fs)
    assert s.data.shape == (10, N_POINTS)
    assert s.percent[0] == 0 and s.percent[-1] == 100 and s.percent[50] == 50
    want = np.sin(2 * np.pi * s.percent / 100)
    # linear interpolation of a 100 Hz sine: error < (2 pi / (0.73*100))^2 / 8 ~ 1e-3
    np.testing.assert_allclose(s.data, np.broadcast_to(want, s.data.shape), atol=1.5e-3)
    mean, sd = mean_sd(s)
    np.testing.assert_allclose(mean, want, atol=1.5e-3)
    assert np.all(sd < 1e-3)
    np.testing.assert_allclose(s.duration_s, T)


def test_multichannel_signal() -> None:
    t, y, fs = _signal()
    s = cut_strides(np.column_stack([y, 2 * y, -y]), t, fs)
    assert s.data.shape == (10, N_POINTS, 3)
    np.testing.assert_allclose(s.data[..., 1], 2 * s.data[..., 0])
    assert s.mean().shape == (N_POINTS, 3)


def test_custom_number_of_points() -> None:
    t, y, fs = _signal()
    s = cut_strides(y, t, fs, n_points=51)
    assert s.data.shape == (10, 51) and s.percent[1] == 2.0


def test_missed_strike_drops_the_long_stride() -> None:
    t, y, fs = _signal()
    s = cut_strides(y, t, np.delete(fs, 4))
    assert s.n == 8
    assert np.all(s.duration_s < 1.5 * T)


def test_strides_outside_the_signal_are_dropped() -> None:
    t, y, fs = _signal()
    s = cut_strides(y, t, np.concatenate([[-0.6], fs, [fs[-1] + T]]))
    assert s.n == 10


def test_gaps() -> None:
    t, y, fs = _signal()
    y = y.copy()
    k = (t > fs[3] + 0.1) & (t < fs[3] + 0.4)           # 40 % of stride 3 missing
    y[k] = np.nan
    y[(t > fs[6] + 0.1) & (t < fs[6] + 0.12)] = np.nan  # 2-frame gap in stride 6: bridged
    s = cut_strides(y, t, fs)
    assert np.all(np.isnan(s.data[3]))
    assert np.all(np.isfinite(s.data[6]))
    mean, sd = s.mean(), s.sd()
    assert np.all(np.isfinite(mean)) and np.all(sd < 1e-3)


def test_long_gap_below_the_missing_share_is_not_bridged() -> None:
    t, y, fs = _signal()
    y = y.copy()
    y[(t > fs[2] + 0.2) & (t < fs[2] + 0.3)] = np.nan   # 9 frames (13 %): kept, not bridged
    s = cut_strides(y, t, fs)
    row = s.data[2]
    assert np.isnan(row).any() and np.isfinite(row).sum() > 70


@pytest.mark.parametrize("strikes", [np.array([]), np.array([1.0])])
def test_no_stride(strikes: np.ndarray) -> None:
    t, y, _ = _signal()
    s = cut_strides(y, t, strikes)
    assert s.n == 0 and s.data.shape == (0, N_POINTS)
    assert np.all(np.isnan(s.mean())) and np.all(np.isnan(s.sd()))
