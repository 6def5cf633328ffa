"""Rotation estimators (mechanics.rotation) and their rules (mechanics.rotation_calibration):
analytic yaw of rotated lines, wrap, stride averaging, peak lag, the calibrated rules."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mechanics import rotation
from mechanics import rotation_calibration as cal
from mechanics.analysis import analyze_sequence
from mechanics.cycles import cut_strides
from mechanics.pose.skeleton import INDEX
from mechanics.sequence import PoseSequence
from tests.unit.test_analysis_extended import world_runner

STRIDE = 0.7
FPS = 60.0


def _line(psi_deg, forward, up, width=0.18):
    """Left and right points of a line of ``width`` yawed by psi (+ = left forward)."""
    f, u = np.asarray(forward, float), np.asarray(up, float)
    left_axis = np.cross(u, f)
    psi = np.radians(np.atleast_1d(psi_deg))[:, None]
    half = width / 2 * (np.sin(psi) * f + np.cos(psi) * left_axis)
    return half, -half


@pytest.mark.parametrize(("forward", "up"), [
    ((1, 0, 0), (0, 0, 1)), ((-1, 0, 0), (0, 0, 1)), ((0.6, -0.8, 0), (0, 0, 1)),
    ((1, 0, 0), (0, -1, 0)), ((-1, 0, 0), (0, -1, 0)), ((0, 0, 1), (0, -1, 0)),
    ((0.6, 0, -0.8), (0, -1, 0))])
def test_yaw_of_a_known_rotated_line(forward, up) -> None:
    """Synth world (z up) and MediaPipe world (y down) axes, facing either way."""
    psi = np.array([-80.0, -30.0, -5.0, 0.0, 12.5, 45.0, 89.0])
    left, right = _line(psi, forward, up)
    assert rotation.yaw_deg(left, right, forward, up) == pytest.approx(psi, abs=1e-9)


def test_yaw_sign_both_facing_directions() -> None:
    """Running +x or -x (synth world: z up): left hip forward is + in both."""
    for travel in (1.0, -1.0):
        f = np.array([travel, 0.0, 0.0])
        left_axis = np.cross([0, 0, 1.0], f)                 # runner's left
        left = 0.09 * left_axis + 0.02 * f                    # left hip slightly ahead
        right = -0.09 * left_axis - 0.02 * f
        assert rotation.yaw_deg(left, right, f, [0, 0, 1]) > 0
        assert rotation.yaw_deg(right, left, f, [0, 0, 1]) < 0   # labels swapped: sign flips


def test_wrap() -> None:
    got = rotation.wrap180([190.0, -190.0, 180.0, -180.0, 540.0, 0.0, 359.0])
    assert got == pytest.approx([-170.0, 170.0, 180.0, 180.0, 180.0, 0.0, -1.0])


def _world_seq(psi_deg: np.ndarray, forward, swap_at: int | None = None) -> PoseSequence:
    """A track whose world hip and shoulder lines (MediaPipe axes: y down) have yaw psi;
    the shoulders counter-rotate with 1.5 x psi."""
    n = psi_deg.size
    seq = PoseSequence.empty(n, fps=FPS)
    seq.time = np.arange(n) / FPS
    for part, k, width in (("hip", 1.0, 0.18), ("shoulder", -1.5, 0.36)):
        left, right = _line(k * psi_deg, forward, (0, -1, 0), width)
        if swap_at is not None:
            left[swap_at], right[swap_at] = right[swap_at].copy(), left[swap_at].copy()
        seq.world[:, INDEX[f"left_{part}"]] = left
        seq.world[:, INDEX[f"right_{part}"]] = right
    return seq


@pytest.mark.parametrize("forward", [(1, 0, 0), (-1, 0, 0), (0, 0, -1), (0.7, 0, 0.7)])
def test_world_yaw_any_view_mean_removed(forward) -> None:
    """Side (facing right/left), front (facing the camera: -z) and oblique: the trial mean
    is removed and + stays 'left forward' without knowing the travel direction."""
    t = np.arange(120) / FPS
    psi = 3.0 + 10.0 * np.cos(2 * np.pi * t / STRIDE)
    seq = _world_seq(psi, np.asarray(forward, float) / np.linalg.norm(forward))
    got = rotation.world_yaw(seq, "hip")
    assert got == pytest.approx(psi - psi.mean(), abs=0.05)
    assert rotation.world_yaw(seq, "shoulder") == pytest.approx(-1.5 * (psi - psi.mean()),
                                                                abs=0.1)


def test_world_yaw_drops_a_label_swap() -> None:
    t = np.arange(60) / FPS
    seq = _world_seq(8.0 * np.cos(2 * np.pi * t / STRIDE), (1, 0, 0), swap_at=20)
    got = rotation.world_yaw(seq, "hip")
    assert math.isnan(got[20]) and np.isfinite(np.delete(got, 20)).all()


def test_image_yaw_from_foreshortening() -> None:
    """dx = facing x W sin(psi), W = ratio x torso length: recovered for both facings."""
    t = np.arange(120) / FPS
    psi = 15.0 * np.sin(2 * np.pi * t / STRIDE)
    for facing in (1, -1):
        seq = PoseSequence.empty(t.size, world=False, fps=FPS)
        seq.time = t
        torso, width = 150.0, rotation.WIDTH_RATIO["hip"] * 150.0
        for side, sign in (("left", 1.0), ("right", -1.0)):
            x = 500.0 + facing * sign * width / 2 * np.sin(np.radians(psi))
            seq.image[:, INDEX[f"{side}_hip"], :2] = np.column_stack([x, np.full(t.size, 400)])
            seq.image[:, INDEX[f"{side}_shoulder"], :2] = np.column_stack(
                [np.full(t.size, 500.0), np.full(t.size, 400.0 - torso)])
        assert rotation.image_yaw(seq, "hip", facing) == pytest.approx(psi - psi.mean(),
                                                                       abs=0.05)
        assert np.isnan(rotation.image_yaw(seq, "hip", 0)).all()


def _strides(signal: np.ndarray, t: np.ndarray) -> rotation.Strides:
    return cut_strides(signal, t, np.arange(0.05, t[-1], STRIDE))


def test_stride_averaged_p2p_of_a_noisy_sinusoid() -> None:
    rng = np.random.default_rng(1)
    t = np.arange(int(10 * STRIDE * FPS)) / FPS
    clean = 10.0 * np.cos(2 * np.pi * (t - 0.05) / STRIDE)             # p2p 20 deg
    cyc = rotation.summarize_cycles(_strides(clean + rng.normal(0, 3.0, t.size), t))
    assert cyc.n == 9
    assert cyc.range_deg == pytest.approx(20.0, abs=1.0)
    assert cyc.stride_range_deg > cyc.range_deg + 5.0       # raw per-stride p2p: noise bias
    assert cyc.peak_pct == pytest.approx(0.0, abs=2.0) or cyc.peak_pct > 98.0
    peak_velocity = 10.0 * 2 * np.pi / STRIDE                     # deg/s
    assert cyc.velocity_peak_deg_s == pytest.approx(peak_velocity, rel=0.06)
    # three harmonics keep a second-harmonic component, one does not: 10 cos + 4 cos 2x
    # spans 14 (at 0) to -7.125 (cos = -0.625)
    h2 = clean + 4.0 * np.cos(4 * np.pi * (t - 0.05) / STRIDE)
    assert rotation.summarize_cycles(_strides(h2, t), 1).range_deg == pytest.approx(20.0,
                                                                                   abs=0.1)
    assert rotation.summarize_cycles(_strides(h2, t), 3).range_deg == pytest.approx(21.125,
                                                                                   abs=0.2)


@pytest.mark.parametrize("delay", [0.5, 0.3, 0.1, 0.9])
def test_lag_of_peaks(delay) -> None:
    t = np.arange(int(8 * STRIDE * FPS)) / FPS
    ph = 2 * np.pi * (t - 0.05) / STRIDE
    pelvis = rotation.summarize_cycles(_strides(6.0 * np.cos(ph), t))
    thorax = rotation.summarize_cycles(_strides(9.0 * np.cos(ph - 2 * np.pi * delay), t))
    lag = rotation.lag_pct(pelvis, thorax)
    assert min(abs(lag - 100 * delay), 100 - abs(lag - 100 * delay)) < 1.0


def test_estimate_counter_rotation_and_fallback_windows() -> None:
    t = np.arange(int(6 * STRIDE * FPS)) / FPS
    psi = 10.0 * np.cos(2 * np.pi * (t - 0.05) / STRIDE)
    seq = _world_seq(psi, (1, 0, 0))
    strikes = np.arange(0.05, t[-1], STRIDE)
    est = rotation.estimate(seq, "world", {"left": strikes, "right": strikes[:2] + 0.35},
                            period_s=STRIDE)
    assert est.cut == "foot_strikes" and est.n_strides == 5
    assert est.cycles["pelvis"].range_deg == pytest.approx(20.0, abs=0.2)
    assert est.cycles["thorax"].range_deg == pytest.approx(30.0, abs=0.3)
    assert est.cycles["separation"].range_deg == pytest.approx(50.0, abs=0.5)
    assert est.lag_pct == pytest.approx(50.0, abs=1.0)
    # no events: windows of the stride period (arbitrary phase), same amplitudes and lag
    est = rotation.estimate(seq, "world", None, period_s=STRIDE)
    assert est.cut == "autocorrelation" and est.n_strides == 5
    assert est.cycles["separation"].range_deg == pytest.approx(50.0, abs=0.5)
    assert est.lag_pct == pytest.approx(50.0, abs=1.0)
    with pytest.raises(ValueError):
        rotation.estimate(seq, "depth")


def test_consistent_strikes_and_ankle_period() -> None:
    fs = np.array([0.1, 0.8, 1.5, 2.9, 3.6])                  # 2.2 missed
    assert rotation.consistent_strikes(fs, 0.7) == pytest.approx(fs)
    assert rotation.consistent_strikes(np.array([0.1, 1.5, 2.2]), 0.7) == pytest.approx(
        [1.5, 2.2])
    t = np.arange(int(3.0 * 30)) / 30.0
    seq = PoseSequence.empty(t.size, world=False, fps=30.0)
    seq.time = t
    for side, ph in (("left", 0.0), ("right", np.pi)):
        x = 500 + 80 * np.sin(2 * np.pi * t / STRIDE + ph)
        y = 600 - 20 * np.clip(np.sin(2 * np.pi * t / STRIDE + ph), 0, None)
        seq.image[:, INDEX[f"{side}_ankle"], :2] = np.column_stack([x, y])
        seq.image[:, INDEX[f"{side}_hip"], :2] = np.column_stack([np.full(t.size, 500.0),
                                                                  np.full(t.size, 400.0)])
    assert rotation.ankle_period(seq) == pytest.approx(STRIDE, abs=1 / 30)


# ---------------------------------------------------------------- rules (calibration)
def test_rules_follow_the_table() -> None:
    for view in cal.CALIBRATION:
        method = cal.choose_method(view)
        for metric, line in cal.METRICS.items():
            floor, worst = cal.CALIBRATION[view][method][line]
            rule = cal.assess(metric, view if view in ("front", "back") else "side",
                              {"side": 86.0, "oblique30": 77.0, "oblique45": 66.0}.get(
                                  view, math.nan))
            assert rule.calibration_view == view and rule.method == method
            assert rule.measurable == (max(floor, worst) < cal.RESOLVE_DEG / 2)
            if not rule.measurable:
                assert rule.reason.startswith("not measurable from this view")
                assert f"{floor:.0f} deg" in rule.reason and "docs/rotation.md" in rule.reason
    unknown = cal.assess("pelvis_rotation_range_deg", "unknown")
    assert not unknown.measurable and "unknown" in unknown.reason
    assert cal.calibration_view("oblique", 45.0) == "oblique45"


def test_method_choice_is_the_smaller_summed_error() -> None:
    for view, methods in cal.CALIBRATION.items():
        sums = {m: sum(max(v) for v in lines.values()) for m, lines in methods.items()}
        assert sums[cal.choose_method(view)] == min(sums.values())


@pytest.fixture
def resolvable_side(monkeypatch):
    """Pretend the side view was calibrated with a 2-deg error for every line."""
    table = {**cal.CALIBRATION, "side": {m: {ln: (2.0, 2.0) for ln in cal.LINE_NAMES}
                                        for m in ("world", "image")}}
    monkeypatch.setattr(cal, "CALIBRATION", table)


def test_analysis_reports_rotation_only_where_calibrated(resolvable_side) -> None:
    a = analyze_sequence(world_runner(), treadmill_speed_m_s=2.5)
    for name in cal.METRICS:
        m = a.metrics[name]
        assert m.confidence == "low" and "model-based" in m.reason, (name, m.reason)
        assert m.value == pytest.approx(0.0, abs=0.5)   # no rotation in this runner
        assert m.detail["method"] == "world" and m.detail["calibration_view"] == "side"
    assert "pelvis_thorax" in a.results and a.results["rotation"].method == "world"
    seq = world_runner()
    seq.world = None
    a = analyze_sequence(seq, treadmill_speed_m_s=2.5)
    assert "needs 3D world landmarks" in a.metrics["pelvis_rotation_range_deg"].reason


def test_analysis_rotation_not_measurable_with_the_measured_table() -> None:
    a = analyze_sequence(world_runner(), treadmill_speed_m_s=2.5)
    for name in cal.METRICS:
        m = a.metrics[name]
        assert m.confidence == "not_measurable" and math.isnan(m.value)
        assert m.reason.startswith("not measurable from this view (side")
    assert "pelvis_thorax" not in a.results
    assert a.results["rotation"].method == cal.choose_method("side")
