"""Sagittal angles from known geometry, identical for both facing directions (science.md 2.3)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mechanics.gait.events import Contact, Events
from mechanics.kinematics import (
    contact_kinematics,
    leg_length_px,
    sagittal_angles,
    summarize_kinematics,
)
from mechanics.pose.skeleton import INDEX
from mechanics.sequence import PoseSequence

LENGTHS = {"trunk": 250.0, "thigh": 200.0, "shank": 190.0, "foot": 100.0, "uarm": 140.0,
           "farm": 120.0}
ANGLES = {"trunk": 8.0, "thigh": 25.0, "shank": 12.0, "foot": 15.0, "uarm": -30.0,
          "farm": 55.0}


def _down(deg: float, length: float) -> np.ndarray:
    """Distal vector (forward, up) at ``deg`` from the downward vertical, + forward."""
    r = math.radians(deg)
    return length * np.array([math.sin(r), -math.cos(r)])


def _pose_fu(a: dict[str, float], heel_ahead: float = 0.0) -> dict[str, np.ndarray]:
    """Landmarks in a (forward, up) frame for segment angles ``a`` (deg)."""
    mh = np.array([0.0, 0.0])
    r = math.radians(a["trunk"])
    ms = mh + LENGTHS["trunk"] * np.array([math.sin(r), math.cos(r)])
    knee = mh + _down(a["thigh"], LENGTHS["thigh"])
    ankle = knee + _down(a["shank"], LENGTHS["shank"])
    heel = ankle + np.array([-20.0 + heel_ahead, -40.0])
    f = math.radians(a["foot"])
    toe = heel + LENGTHS["foot"] * np.array([math.cos(f), math.sin(f)])
    elbow = ms + _down(a["uarm"], LENGTHS["uarm"])
    wrist = elbow + _down(a["farm"], LENGTHS["farm"])
    return {"hip": mh, "shoulder": ms, "knee": knee, "ankle": ankle, "heel": heel,
            "foot_index": toe, "elbow": elbow, "wrist": wrist}


def make_seq(a: dict[str, float], d: int, n: int = 5, fps: float = 100.0) -> PoseSequence:
    """A still pose seen from the side; runner faces image right (d=1) or left (d=-1)."""
    seq = PoseSequence.empty(n, world=False, fps=fps)
    seq.time = np.arange(n) / fps
    for name, fu in _pose_fu(a).items():
        img = np.array([700.0 + d * fu[0], 500.0 - fu[1]])     # image y down
        for side in ("left", "right"):
            seq.image[:, INDEX[f"{side}_{name}"], :2] = img
            seq.visibility[:, INDEX[f"{side}_{name}"]] = 1.0
    return seq


EXPECTED = {
    "trunk_lean": ANGLES["trunk"],
    "left_thigh": ANGLES["thigh"],
    "left_shank": ANGLES["shank"],
    "left_foot": ANGLES["foot"],
    "left_knee_flexion": ANGLES["thigh"] - ANGLES["shank"],
    "left_hip_flexion": ANGLES["thigh"] + ANGLES["trunk"],
    "left_ankle_dorsiflexion": ANGLES["foot"] - ANGLES["shank"],
    "left_shoulder_flexion": ANGLES["uarm"] + ANGLES["trunk"],
    "left_elbow_flexion": ANGLES["farm"] - ANGLES["uarm"],
}


@pytest.mark.parametrize("d", [1, -1])
def test_known_geometry_gives_known_angles(d: int) -> None:
    ang = sagittal_angles(make_seq(ANGLES, d))
    assert ang.direction == d
    for key, want in EXPECTED.items():
        np.testing.assert_allclose(ang[key], want, atol=1e-9, err_msg=key)
        np.testing.assert_allclose(ang[key.replace("left", "right")], want, atol=1e-9)


def test_facing_direction_does_not_change_angles() -> None:
    right = sagittal_angles(make_seq(ANGLES, 1))
    left = sagittal_angles(make_seq(ANGLES, -1))
    for key in right.series:
        np.testing.assert_allclose(right[key], left[key], atol=1e-9, err_msg=key)


def test_upright_straight_pose_is_zero() -> None:
    zero = dict.fromkeys(ANGLES, 0.0)
    ang = sagittal_angles(make_seq(zero, 1))
    for key in ("trunk_lean", "left_knee_flexion", "left_hip_flexion", "left_ankle_dorsiflexion",
                "left_shoulder_flexion", "left_elbow_flexion"):
        np.testing.assert_allclose(ang[key], 0.0, atol=1e-9)


def test_signs_match_the_convention() -> None:
    # forward lean, thigh forward, ankle ahead of knee, toe up: all positive
    a = {"trunk": 10.0, "thigh": 30.0, "shank": 5.0, "foot": 20.0, "uarm": 20.0, "farm": 80.0}
    for d in (1, -1):
        ang = sagittal_angles(make_seq(a, d))
        assert ang["trunk_lean"][0] > 0 and ang["left_shank"][0] > 0
        assert ang["left_foot"][0] > 0 and ang["left_knee_flexion"][0] > 0
    # arm behind the trunk line: shoulder extension (negative flexion)
    b = dict(a, uarm=-40.0)
    assert sagittal_angles(make_seq(b, -1))["left_shoulder_flexion"][0] == pytest.approx(-30.0)


def test_foot_offset_is_subtracted() -> None:
    ang = sagittal_angles(make_seq(ANGLES, 1), foot_offset_deg=4.0)
    np.testing.assert_allclose(ang["left_foot"], ANGLES["foot"] - 4.0)


def test_leg_length() -> None:
    seq = make_seq(ANGLES, 1)
    pts = {n: seq.xy(n) for n in ("left_hip", "left_knee", "left_ankle", "right_hip",
                                  "right_knee", "right_ankle")}
    assert leg_length_px(pts) == pytest.approx(LENGTHS["thigh"] + LENGTHS["shank"])


@pytest.mark.parametrize("d", [1, -1])
def test_contact_kinematics(d: int) -> None:
    seq = make_seq(ANGLES, d, n=30)
    ev = Events([Contact("left", 0.05, 0.2), Contact("right", 0.1, 0.25, valid=False)],
                direction=d, stride_estimate_s=0.7, fps=100.0, confidence="ok")
    rec = contact_kinematics(seq, ev, scale_m_per_px=0.002)
    assert len(rec) == 1
    r = rec[0]
    assert r.knee_flexion_strike_deg == pytest.approx(ANGLES["thigh"] - ANGLES["shank"])
    assert r.knee_flexion_peak_stance_deg == pytest.approx(ANGLES["thigh"] - ANGLES["shank"])
    assert r.hip_extension_off_deg == pytest.approx(-(ANGLES["thigh"] + ANGLES["trunk"]))
    assert r.shank_angle_strike_deg == pytest.approx(ANGLES["shank"])
    assert r.foot_strike_angle_deg == pytest.approx(ANGLES["foot"])
    assert r.trunk_lean_strike_deg == pytest.approx(ANGLES["trunk"])
    heel_fwd = _pose_fu(ANGLES)["heel"][0]
    leg = LENGTHS["thigh"] + LENGTHS["shank"]
    assert r.overstride_leg == pytest.approx(heel_fwd / leg)
    assert r.overstride_m == pytest.approx(heel_fwd * 0.002)
    summary = summarize_kinematics(rec, sagittal_angles(seq))
    assert summary["left_knee_flexion_strike_deg_mean"] == pytest.approx(13.0)
    assert summary["left_shoulder_flexion_peak_deg"] == pytest.approx(-22.0)
    assert summary["left_elbow_flexion_mean_deg"] == pytest.approx(85.0)


def test_missing_landmarks_give_nan() -> None:
    seq = make_seq(ANGLES, 1)
    seq.image[2, INDEX["left_knee"]] = np.nan
    ang = sagittal_angles(seq)
    assert np.isnan(ang["left_knee_flexion"][2]) and np.isfinite(ang["left_knee_flexion"][1])
    assert math.isnan(ang.at("left_knee_flexion", 0.02))
    assert ang.at("left_knee_flexion", 0.005) == pytest.approx(13.0)


def test_elbow_flexion_is_wrapped_for_a_forearm_pointing_up_and_back():
    """Upper arm 55 deg forward, forearm 185 deg (pointing up and slightly back): the
    flexion is 130 deg, not -230 deg (wrap to (-180, 180])."""
    from mechanics.kinematics import wrap_deg

    assert wrap_deg(np.array([185.0 - 55.0 - 360.0]))[0] == pytest.approx(130.0)
    assert wrap_deg(np.array([180.0, -180.0, 0.0, 540.0])).tolist() == [180.0, 180.0, 0.0, 180.0]
    assert np.isnan(wrap_deg(np.array([np.nan]))[0])
