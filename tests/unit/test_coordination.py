"""Continuous relative phase and vector coding: known answers (science.md 5, 9.2)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mechanics.coordination import (
    BINS,
    angular_deviation,
    arm_leg,
    circular_mean,
    coupling_bin,
    hilbert_phase,
    pelvis_thorax,
    relative_phase,
    thigh_shank,
    vector_coding,
    wrap_deg,
)

FPS, STRIDE = 100.0, 0.733          # 73.3 samples per stride: not a whole number
TIME = np.arange(0.0, 12 * STRIDE, 1.0 / FPS)
STRIKES = np.arange(0.1, TIME[-1], STRIDE)


def _sine(lag_deg: float = 0.0, amp: float = 1.0, offset: float = 0.0) -> np.ndarray:
    return offset + amp * np.sin(2 * np.pi * TIME / STRIDE - math.radians(lag_deg))


@pytest.mark.parametrize("lag", [0.0, 30.0, 90.0, 150.0, -60.0])
def test_crp_equals_the_lag_away_from_the_edges(lag: float) -> None:
    # different amplitudes and offsets: the phase does not depend on them
    crp = relative_phase(_sine(amp=25.0, offset=10.0), _sine(lag, amp=8.0, offset=-3.0),
                         TIME, STRIKES)
    assert crp.n == len(STRIKES) - 1 - 2                 # first and last stride discarded
    np.testing.assert_allclose(wrap_deg(crp.strides - lag), 0.0, atol=0.5)
    np.testing.assert_allclose(wrap_deg(crp.mean - lag), 0.0, atol=0.2)
    assert crp.marp_deg == pytest.approx(abs(lag), abs=0.2)
    assert crp.dp_deg < 0.5
    np.testing.assert_allclose(crp.stride_marp_deg, abs(lag), atol=0.3)
    assert crp.percent[0] == 0.0 and crp.percent[-1] == 100.0
    # mirror padding (science.md 5.1) leaves a few degrees near the kept edges
    mirror = relative_phase(_sine(amp=25.0), _sine(lag, amp=8.0), TIME, STRIKES, pad="reflect")
    np.testing.assert_allclose(wrap_deg(mirror.strides - lag), 0.0, atol=5.0)
    assert mirror.marp_deg == pytest.approx(abs(lag), abs=0.5)


def test_crp_anti_phase_is_180() -> None:
    crp = relative_phase(_sine(), -_sine(), TIME, STRIKES)
    assert crp.marp_deg == pytest.approx(180.0, abs=0.5)


def test_hilbert_phase_of_a_sine_with_gaps() -> None:
    x = _sine(amp=5.0, offset=2.0)
    x[300:303] = np.nan
    phase = hilbert_phase(x, period=STRIDE * FPS)
    assert np.isnan(phase[300:303]).all()
    mid = slice(200, 700)
    expected = 2 * np.pi * TIME[mid] / STRIDE - np.pi / 2          # sin = cos(. - pi/2)
    err = np.angle(np.exp(1j * (phase[mid] - expected)))
    assert np.nanmax(np.abs(err)) < 0.02
    assert np.isnan(hilbert_phase(np.full(50, np.nan))).all()


def test_circular_statistics() -> None:
    mean, r = circular_mean(np.array([350.0, 10.0]))
    assert mean == pytest.approx(0.0, abs=1e-9) or mean == pytest.approx(360.0)
    assert r == pytest.approx(math.cos(math.radians(10)))
    assert angular_deviation(np.array(1.0)) == 0.0
    assert float(angular_deviation(np.array(0.0))) == pytest.approx(math.degrees(math.sqrt(2)))


@pytest.mark.parametrize("k", [1.0, 2.0, 0.3])
def test_vector_coding_of_proportional_signals(k: float) -> None:
    theta1 = _sine(amp=20.0)
    vc = vector_coding(theta1, k * theta1, TIME, STRIKES)
    gamma = math.degrees(math.atan2(k, 1.0))
    g = vc.mean[np.isfinite(vc.mean)]
    # rising: atan2(k, 1); falling: the same line walked backwards (+180 deg)
    np.testing.assert_allclose(np.mod(g, 180.0), gamma, atol=1e-6)
    np.testing.assert_allclose(vc.cav[np.isfinite(vc.cav)], 0.0, atol=1e-4)
    assert sum(vc.bins_pct.values()) == pytest.approx(100.0)
    expected = "in_phase" if 22.5 <= gamma < 67.5 else "proximal_phase" if gamma < 22.5 \
        else "distal_phase"
    assert vc.bins_pct[expected] == pytest.approx(100.0)
    assert vc.n == len(STRIKES) - 1


def test_vector_coding_of_a_monotonic_ramp_is_atan2_k_1() -> None:
    t = np.linspace(0, 1, 101)
    vc = vector_coding(t, t, t, np.array([0.0, 1.0]))
    np.testing.assert_allclose(vc.mean, 45.0, atol=1e-9)
    assert vc.bins_pct["in_phase"] == 100.0 and vc.cav_deg == pytest.approx(0.0, abs=1e-6)


def test_anti_phase_gives_the_anti_phase_bin() -> None:
    theta1 = _sine(amp=20.0)
    vc = vector_coding(theta1, -theta1, TIME, STRIKES)
    assert vc.bins_pct["anti_phase"] == pytest.approx(100.0)
    g = vc.mean[np.isfinite(vc.mean)]
    assert set(np.round(g, 6)) <= {135.0, 315.0}


def test_bins_and_stationary_mask() -> None:
    names = coupling_bin(np.array([0.0, 22.5, 45.0, 90.0, 135.0, 180.0, 225.0, 270.0, 315.0,
                                   359.0, np.nan]))
    assert list(names) == ["proximal_phase", "in_phase", "in_phase", "distal_phase",
                           "anti_phase", "proximal_phase", "in_phase", "distal_phase",
                           "anti_phase", "proximal_phase", ""]
    # a pause in both signals is masked, not classified
    theta = _sine(amp=20.0)
    hold = np.mod(TIME - STRIKES[0], STRIDE) > 0.6 * STRIDE
    theta = np.where(hold, np.nan, theta)
    theta = np.interp(TIME, TIME[~hold], theta[~hold])
    theta[hold] = theta[np.argmax(hold)]
    vc = vector_coding(theta, 0.5 * theta, TIME, STRIKES)
    assert vc.masked_pct > 20.0
    assert sum(vc.bins_pct.values()) == pytest.approx(100.0)


def test_missing_data_never_raises() -> None:
    nan = np.full(TIME.size, np.nan)
    vc = vector_coding(nan, nan, TIME, STRIKES)
    assert all(math.isnan(vc.bins_pct[b]) for b in BINS) and math.isnan(vc.cav_deg)
    crp = relative_phase(_sine(), _sine(), TIME, np.zeros(0))
    assert crp.n == 0 and math.isnan(crp.marp_deg)


def test_pairs() -> None:
    # thigh leads the shank by a quarter stride, contralateral arm in phase with the hip
    series = {}
    for side, shift in (("left", 0.5), ("right", 0.0)):
        ph = 2 * np.pi * (TIME / STRIDE - shift)
        series[f"{side}_thigh"] = 20 * np.sin(ph)
        series[f"{side}_shank"] = 30 * np.sin(ph - np.pi / 2)
        series[f"{side}_hip_flexion"] = 25 * np.sin(ph)
        series[f"{side}_shoulder_flexion"] = 30 * np.sin(ph + np.pi)   # in phase with other hip
    strikes = {"right": STRIKES, "left": STRIKES + STRIDE / 2}
    vc = thigh_shank(series, TIME, strikes)
    assert set(vc) == {"left", "right"} and vc["left"].n > 5
    crp = arm_leg(series, TIME, strikes)
    for side in ("left", "right"):
        assert crp[side].marp_deg == pytest.approx(0.0, abs=1.0)
    assert pelvis_thorax(None, None, TIME, STRIKES) is None
    pt = pelvis_thorax(_sine(amp=8.0), _sine(160.0, amp=10.0), TIME, STRIKES)
    assert pt.marp_deg == pytest.approx(160.0, abs=1.0)
