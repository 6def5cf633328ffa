"""Known-answer tests of the zero-lag Butterworth filter and Winter's residual analysis
(mechanics.clean.filtering; science.md 7.1; Winter 2009, ch. 3)."""

from __future__ import annotations

import numpy as np
import pytest

from mechanics.clean import (
    butter_filtfilt,
    cutoff_bounds,
    design_cutoff,
    dual_pass_correction,
    lowpass,
    residual_analysis,
    stride_frequency,
)
from mechanics.pose.skeleton import INDEX, N_LANDMARKS
from mechanics.sequence import PoseSequence

STRIDE_HZ = 1.4


def amplitude_phase(y: np.ndarray, t: np.ndarray, f: float) -> tuple[float, float]:
    """Amplitude and phase (rad) of the ``f`` Hz component of ``y`` (least squares)."""
    basis = np.stack([np.sin(2 * np.pi * f * t), np.cos(2 * np.pi * f * t)], 1)
    (s, c), *_ = np.linalg.lstsq(basis, y, rcond=None)
    return float(np.hypot(s, c)), float(np.arctan2(c, s))


def gait_signal(fs: float, harmonics: int, noise: float, seconds: float = 6.0,
                seed: int = 0, falloff: float = 1.0) -> np.ndarray:
    """Sum of stride harmonics (40/h**falloff px each) plus white noise (px)."""
    t = np.arange(round(seconds * fs)) / fs
    x = sum(40.0 / h ** falloff * np.sin(2 * np.pi * STRIDE_HZ * h * t + h)
            for h in range(1, harmonics + 1))
    return x + np.random.default_rng(seed).normal(0, noise, t.size)


def test_dual_pass_correction() -> None:
    assert dual_pass_correction() == pytest.approx(0.802, abs=5e-4)
    # f_c / 0.802 for f_c << fs; exact (pre-warped) otherwise
    assert design_cutoff(1.0, 1000.0) == pytest.approx(1.0 / 0.802, rel=1e-3)
    assert design_cutoff(6.0, 30.0) < 15.0


@pytest.mark.parametrize(("fs", "fc"), [(30, 6.0), (60, 8.0), (120, 10.0), (240, 12.0)])
def test_minus_3_db_at_the_cutoff(fs: float, fc: float) -> None:
    t = np.arange(round(20 * fs)) / fs
    y = butter_filtfilt(np.sin(2 * np.pi * fc * t), fs, fc)
    inner = slice(len(t) // 4, -len(t) // 4)
    amp, _ = amplitude_phase(y[inner], t[inner], fc)
    assert amp == pytest.approx(1 / np.sqrt(2), abs=0.01)


def test_passband_stopband_and_zero_lag() -> None:
    fs = 60.0
    t = np.arange(round(10 * fs)) / fs
    inner = slice(60, -60)
    x2 = 10 * np.sin(2 * np.pi * 2.0 * t + 0.3)
    y2 = butter_filtfilt(x2, fs, 8.0)
    amp, phase = amplitude_phase(y2[inner], t[inner], 2.0)
    amp0, phase0 = amplitude_phase(x2[inner], t[inner], 2.0)
    assert 1 - amp / amp0 < 0.01                          # < 1 % loss at 2 Hz
    assert abs(phase - phase0) < 1e-3                     # zero lag (rad)
    assert np.argmax(y2[60:120]) == np.argmax(x2[60:120])
    y15 = butter_filtfilt(np.sin(2 * np.pi * 15.0 * t), fs, 8.0)
    assert amplitude_phase(y15[inner], t[inner], 15.0)[0] < 0.1   # > 20 dB down
    # the automatic cut-off keeps the 2 Hz signal too
    seq = _sequence(x2[:, None] + np.zeros((1, N_LANDMARKS)), fs)
    out = lowpass(seq)
    amp_auto, _ = amplitude_phase(out.image[inner, 0, 0], t[inner], 2.0)
    assert 1 - amp_auto / amp0 < 0.01


def test_nan_runs_stay_nan_and_short_runs_untouched() -> None:
    fs = 60.0
    rng = np.random.default_rng(1)
    x = np.sin(2 * np.pi * 1.0 * np.arange(200) / fs) + rng.normal(0, 0.2, 200)
    x[50:60] = np.nan
    x[100:103] = np.nan
    x[103:106] = [1.0, 2.0, 3.0]                           # a 3-sample run: left as is
    x[106:110] = np.nan
    x[110:116] = rng.normal(0, 1, 6)                      # a 6-sample run: padded filtfilt
    x[116:118] = np.nan
    y = butter_filtfilt(x, fs, 6.0)
    assert np.array_equal(np.isnan(y), np.isnan(x))
    np.testing.assert_array_equal(y[103:106], [1.0, 2.0, 3.0])
    assert np.isfinite(y[110:116]).all()
    truth = np.sin(2 * np.pi * 1.0 * np.arange(200) / fs)
    ok = np.r_[10:45, 65:95, 125:190]
    assert np.std(y[ok] - truth[ok]) < 0.5 * np.std(x[ok] - truth[ok])


def test_residual_analysis_estimates_the_noise() -> None:
    for sigma in (0.5, 2.0):
        r = residual_analysis(gait_signal(120, 3, sigma), 120)
        assert r.noise_rms == pytest.approx(sigma, rel=0.25)
        assert r.fit_hz == (30.0, 54.0)


def test_residual_cutoff_scales_sensibly() -> None:
    def fc(fs: float, harmonics: int = 4, noise: float = 1.0) -> float:
        return residual_analysis(gait_signal(fs, harmonics, noise, seed=3), fs).cutoff_hz

    by_rate = [fc(fs) for fs in (30, 60, 120, 240)]
    assert all(b >= a - 0.2 for a, b in zip(by_rate, by_rate[1:], strict=False))
    assert by_rate[-1] > by_rate[0] + 1.0                 # higher frame rate: higher cut-off
    assert fc(120, harmonics=2) < fc(120, harmonics=4) < fc(120, harmonics=8)  # bandwidth
    assert fc(120, noise=0.5) > fc(120, noise=1.0) > fc(120, noise=4.0)      # more noise: lower
    assert 4.0 < fc(60) < 12.0
    assert np.isnan(residual_analysis(np.full(100, np.nan), 60).cutoff_hz)


def test_cutoff_bounds() -> None:
    assert cutoff_bounds(30) == (4.0, 12.0)
    assert cutoff_bounds(60) == (4.0, 12.0)
    assert cutoff_bounds(20) == (4.0, 8.0)
    assert cutoff_bounds(8) == (3.2, 3.2)


def _sequence(xy: np.ndarray, fs: float, world: bool = True) -> PoseSequence:
    """All 33 landmarks with x = y = ``xy`` (T, 33) (+ an offset), z and visibility ramps."""
    n = xy.shape[0]
    image = np.stack([xy + 300, xy + 200, np.tile(np.linspace(-5, 5, n)[:, None], 33)], -1)
    vis = np.tile(np.linspace(0.5, 1.0, n)[:, None], (1, N_LANDMARKS))
    return PoseSequence(time=np.arange(n) / fs, image=image, visibility=vis,
                        world=image / 100.0 if world else None, meta={"fps": fs})


@pytest.mark.parametrize("fs", [30.0, 60.0, 120.0])
def test_lowpass_sequence_auto_cutoff(fs: float) -> None:
    clean_x = np.stack([gait_signal(fs, 6, 0.0, seconds=4, falloff=2)] * N_LANDMARKS, 1)
    rng = np.random.default_rng(int(fs))
    seq = _sequence(clean_x + rng.normal(0, 1.5, clean_x.shape), fs)
    seq.image[30:40, INDEX["left_ankle"]] = np.nan
    seq.world[30:40, INDEX["left_ankle"]] = np.nan
    before = seq.copy()
    out = lowpass(seq)
    assert np.array_equal(seq.image, before.image, equal_nan=True)       # input untouched
    entry = out.provenance[-1]
    lo, hi = cutoff_bounds(fs)
    assert entry["step"] == "lowpass" and lo <= entry["cutoff_hz"] <= hi
    assert entry["rule"].startswith("median Winter residual-analysis")
    assert entry["residual_fit_range_hz"] == [pytest.approx(0.25 * fs), pytest.approx(0.45 * fs)]
    assert entry["clamp_hz"] == [lo, hi] and entry["n_signals"] == 16
    assert out.meta["cleaning"]["lowpass"]["cutoff_hz"] == entry["cutoff_hz"]
    assert np.array_equal(np.isnan(out.image), np.isnan(seq.image))
    assert np.array_equal(np.isnan(out.world), np.isnan(seq.world))
    np.testing.assert_array_equal(out.image[..., 2], seq.image[..., 2])  # z unchanged
    np.testing.assert_array_equal(out.visibility, seq.visibility)
    j = INDEX["right_knee"]
    err_in = seq.image[:, j, 0] - 300 - clean_x[:, j]
    err_out = out.image[:, j, 0] - 300 - clean_x[:, j]
    # Winter's cut-off balances distortion against noise: little to gain at 30 fps
    # (Nyquist 15 Hz), the error drops at higher frame rates
    gain = np.std(err_out[20:-20]) / np.std(err_in[20:-20])
    assert gain < (1.1 if fs < 60 else 0.8)
    np.testing.assert_allclose(out.world[:, j, 0], out.image[:, j, 0] / 100.0, atol=1e-9)


def test_lowpass_given_cutoff_and_errors() -> None:
    seq = _sequence(np.tile(gait_signal(30, 3, 1.0, seconds=2)[:, None], (1, 33)), 30,
                    world=False)
    out = lowpass(seq, cutoff_hz=6.0)
    assert out.provenance[-1]["cutoff_hz"] == 6.0 and out.provenance[-1]["rule"] == "given"
    assert out.provenance[-1]["design_cutoff_hz"] == pytest.approx(design_cutoff(6.0, 30.0),
                                                                   abs=1e-3)
    assert out.world is None
    with pytest.raises(ValueError, match="Nyquist"):
        lowpass(seq, cutoff_hz=16.0)
    few = lowpass(_sequence(np.zeros((2, 33)), 30))
    assert "skipped" in few.provenance[-1]


def test_cutoff_floor_follows_the_stride_frequency() -> None:
    """The automatic cut-off is at least the 6th stride harmonic (science.md 7.1)."""
    assert cutoff_bounds(30, 1.4) == (pytest.approx(8.4), 12.0)
    assert cutoff_bounds(30, float("nan")) == (4.0, 12.0)
    assert cutoff_bounds(20, 1.5) == (8.0, 8.0)                     # never above the ceiling
    fs = 30.0
    t = np.arange(round(6 * fs)) / fs
    xy = np.zeros((t.size, N_LANDMARKS))
    phase = 2 * np.pi * STRIDE_HZ * t
    xy[:, INDEX["left_ankle"]] = 80 * np.sin(phase) + 20 * np.sin(2 * phase)
    xy[:, INDEX["right_ankle"]] = 80 * np.sin(phase + np.pi) + 20 * np.sin(2 * phase)
    seq = _sequence(xy + np.random.default_rng(1).normal(0, 2.0, xy.shape), fs)
    assert stride_frequency(seq) == pytest.approx(STRIDE_HZ, rel=0.05)
    entry = lowpass(seq).provenance[-1]
    assert entry["stride_hz"] == pytest.approx(STRIDE_HZ, rel=0.05)
    assert entry["clamp_hz"][0] == pytest.approx(6 * entry["stride_hz"], abs=0.01)
    assert entry["cutoff_hz"] >= entry["clamp_hz"][0]
