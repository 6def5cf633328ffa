"""Gait model: exact contact timing, ground contact, rotations and arm swing."""

from __future__ import annotations

import numpy as np
import pytest

from mechanics.errors import MechanicsError
from mechanics.synth.gait_model import RunnerModel
from mechanics.synth.params import SynthParams
from mechanics.synth.truth import derived_truth, sagittal_angle, yaw

SIDES = ("left", "right")


@pytest.fixture(scope="module")
def asym():
    return RunnerModel(SynthParams(cadence=176, speed=3.8, duty_factor=0.33, asymmetry=0.1))


def dense(model, strides=3.0, rate=4000.0):
    t0 = model.timing.first_strike["left"]
    t = t0 + np.arange(0, strides * model.timing.stride_time, 1 / rate)
    return t, model.pose(t)


def sole_low(pose, side):
    """Lowest outsole point (m above the ground)."""
    return np.minimum.reduce([pose.points[f"{side}_sole_{k}"][:, 2]
                              for k in ("heel", "mtp", "toe")])


def test_contact_times_duty_factor_and_asymmetry(asym):
    tm = asym.timing
    T = 120.0 / 176
    assert tm.stride_time == pytest.approx(T)
    assert (tm.contact["left"] + tm.contact["right"]) / 2 == pytest.approx(0.33 * T)
    assert tm.contact["right"] == pytest.approx(1.1 * tm.contact["left"])
    sym = RunnerModel(SynthParams(cadence=176, duty_factor=0.33)).timing
    assert sym.contact["left"] == pytest.approx(0.33 * T)
    assert sym.contact["right"] == pytest.approx(0.33 * T)


def test_cadence_from_event_list(asym):
    ev = asym.timing.events(10.0)
    strikes = sorted([(t, s) for s in SIDES for t in ev[s]["foot_strike"]])
    sides = [s for _, s in strikes]
    assert all(a != b for a, b in zip(sides, sides[1:], strict=False))   # alternate
    steps = np.diff([t for t, _ in strikes])
    assert 60.0 / steps.mean() == pytest.approx(176.0)
    for s in SIDES:
        tc = np.array(ev[s]["toe_off"][:5]) - np.array(ev[s]["foot_strike"][:5])
        assert np.allclose(tc, asym.timing.contact[s])


def test_geometric_contact_matches_timing(asym):
    t, pose = dense(asym)
    for side in SIDES:
        on = np.abs(sole_low(pose, side)) < 1e-9
        edges = np.flatnonzero(np.diff(on.astype(int)))
        starts, ends = edges[on[edges + 1]] + 1, edges[~on[edges + 1]] + 1
        lengths = t[ends[ends > starts[0]][:2]] - t[starts[:2]]
        assert np.allclose(lengths, asym.timing.contact[side], atol=2 / 4000), side
        assert np.all(on[pose.contact[side]])             # flagged contact => on the ground
        assert np.sum(on & ~pose.contact[side]) <= 3       # only at exact toe-off instants


def test_foot_on_ground_in_contact_and_above_in_flight(asym):
    t, pose = dense(asym)
    for side in SIDES:
        low = sole_low(pose, side)
        assert np.max(np.abs(low[pose.contact[side]])) < 1e-9
    flight = ~pose.contact["left"] & ~pose.contact["right"]
    tm = asym.timing
    # time to the nearer of this side's last toe-off and next foot strike
    gap = {}
    for s in SIDES:
        since = tm.since_strike(t, s)
        gap[s] = np.minimum(since - tm.contact[s], tm.stride_time - since)
    away = flight & (gap["left"] > 1e-6) & (gap["right"] > 1e-6)
    both = np.minimum(sole_low(pose, "left"), sole_low(pose, "right"))
    assert np.all(both[away] > 0)
    mid = flight & (np.minimum(gap["left"], gap["right"]) > 0.02)
    assert np.all(both[mid] > 0.005)
    assert flight.any()


@pytest.mark.parametrize("treadmill", [True, False])
def test_stance_foot_moves_with_belt_or_stays(treadmill):
    p = SynthParams(speed=4.0, treadmill=treadmill, foot_strike_angle=12.0)
    model = RunnerModel(p)
    t, pose = dense(model, strides=1.0)
    length = model.body.foot
    for side in SIDES:
        on = pose.contact[side]
        heel = pose.points[f"{side}_sole_heel"][on]
        toe = pose.points[f"{side}_sole_toe"][on]
        # on the heel while it is down, else on the toe tip (a flat toe segment stays put)
        material = np.where(heel[:, 2] < 1e-9, heel[:, 0], toe[:, 0] - length)
        belt = 0.0 if not treadmill else p.speed
        # the ground point under the flat heel moves at -belt speed (treadmill) or not at all
        steps = np.diff(t[on]) < 1.5 / 4000
        drift = np.diff(material + belt * t[on])[steps]
        assert np.max(np.abs(drift)) < 1e-9


def test_pelvis_lowest_at_mid_stance(asym):
    t, pose = dense(asym, strides=1.0)
    z = pose.points["mid_hip"][:, 2]
    tm = asym.timing
    for side in SIDES:
        on = pose.contact[side]
        t_low = t[on][np.argmin(z[on])]
        mid = tm.first_strike[side] + tm.contact[side] / 2
        assert abs(np.mod(t_low - mid + 0.1, tm.stride_time) - 0.1) < 1e-3


def test_rotation_ranges_from_3d_points():
    p = SynthParams(pelvis_rotation=14.0, thorax_rotation=26.0)
    t, pose = dense(RunnerModel(p), strides=1.0)
    pts = pose.points
    pelvis = yaw(pts["left_hip"], pts["right_hip"])
    thorax = yaw(pts["left_shoulder"], pts["right_shoulder"])
    assert np.ptp(pelvis) == pytest.approx(14.0, abs=1e-3)
    assert np.ptp(thorax) == pytest.approx(26.0, abs=1e-3)
    assert np.corrcoef(pelvis, thorax)[0, 1] < -0.999          # counter-rotation


@pytest.mark.parametrize("swing,lean", [(60.0, 8.0), (85.0, 3.0), (30.0, 15.0)])
def test_arm_swing_range_from_3d_points(swing, lean):
    p = SynthParams(arm_swing=swing, trunk_lean=lean, asymmetry=0.1)
    t, pose = dense(RunnerModel(p), strides=1.0)
    pts = pose.points
    trunk = np.degrees(np.arctan2(*(pts["mid_shoulder"] - pts["mid_hip"])[:, [0, 2]].T))
    assert np.allclose(trunk, lean)
    for side in SIDES:
        flex = sagittal_angle(pts[f"{side}_shoulder"], pts[f"{side}_elbow"]) + trunk
        assert np.ptp(flex) == pytest.approx(swing, abs=0.5)


def test_derived_truth_repeats_the_parameters(asym):
    truth = derived_truth(asym, samples=2000)
    p = asym.params
    assert truth["cadence_spm"] == pytest.approx(p.cadence)
    assert truth["duty_factor"]["mean"] == pytest.approx(p.duty_factor)
    assert truth["vertical_oscillation_m"] == pytest.approx(p.oscillation(), abs=1e-4)
    assert truth["pelvis_rotation_deg"] == pytest.approx(p.pelvis_rotation, abs=1e-3)
    assert truth["arm_swing_deg"]["left"] == pytest.approx(p.arm_swing, abs=0.01)
    assert truth["elbow_flexion_deg"]["right"]["mean"] == pytest.approx(p.elbow_angle, abs=0.1)
    knee = truth["knee_flexion_deg"]["left"]
    assert 5 < knee["min"] < 25 and 90 < knee["max"] < 120


@pytest.mark.parametrize("kwargs", [{"duty_factor": 0.49, "asymmetry": 0.3},
                                    {"speed": 8.0, "duty_factor": 0.4, "cadence": 150},
                                    {"view": "top"}])
def test_impossible_parameters_raise(kwargs):
    with pytest.raises(MechanicsError):
        RunnerModel(SynthParams(**kwargs))
