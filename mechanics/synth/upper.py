"""Trunk, arms and head of the synthetic runner (world frame: x forward, y left, z up).

- Trunk: a rigid axis from mid-hip, leaning forward by ``trunk_lean`` (science.md 2.3:
  angle of mid-hip -> mid-shoulder from the upward vertical, + = forward), constant.
- Shoulder line: horizontal, yawed by psi_T (science.md 3.1, + = left shoulder forward),
  counter-rotating with the pelvis.
- Upper arm: its sagittal angle from the downward vertical is
  theta_uarm = shoulder_flex - trunk_lean (science.md 2.3), with shoulder_flex a cosine of
  stride phase (peak-to-peak = arm swing) peaking forward at the contralateral foot strike.
  The arm is also abducted 10 deg; that lateral tilt does not change theta_uarm, which is
  atan2(dx, -dz) of shoulder -> elbow by construction.
- Elbow: flexion (0 = straight; 180 deg - the included angle) oscillating around its mean,
  most flexed when the arm is forward; the forearm turns 20 deg toward the midline.
- Head: upright, facing the direction of travel (the neck absorbs the trunk lean and the
  thorax rotation). Face points are design values in units of stature.
"""

from __future__ import annotations

import numpy as np

from mechanics.synth.body import Body

ABDUCTION = np.radians(10.0)
FOREARM_INWARD = np.radians(20.0)

#: head-centre-relative face points, units of stature (x forward, y left, z up) [design]
FACE = {
    "nose": (0.062, 0.0, -0.012),
    "left_eye_inner": (0.050, 0.010, 0.002), "left_eye": (0.049, 0.019, 0.002),
    "left_eye_outer": (0.045, 0.028, 0.002),
    "right_eye_inner": (0.050, -0.010, 0.002), "right_eye": (0.049, -0.019, 0.002),
    "right_eye_outer": (0.045, -0.028, 0.002),
    "left_ear": (-0.004, 0.046, -0.004), "right_ear": (-0.004, -0.046, -0.004),
    "mouth_left": (0.052, 0.014, -0.032), "mouth_right": (0.052, -0.014, -0.032),
}
#: head centre relative to the suprasternale when upright, units of stature [design]
HEAD_FROM_NECK = (-0.012, 0.0, 0.099)


def trunk_axis(lean: float) -> np.ndarray:
    """Unit vector mid-hip -> mid-shoulder for a forward lean (rad)."""
    return np.array([np.sin(lean), 0.0, np.cos(lean)])


def shoulders(mid_hip: np.ndarray, yaw: np.ndarray, lean: float,
              body: Body) -> dict[str, np.ndarray]:
    """Shoulder joint centres, mid-shoulder and suprasternale (n, 3)."""
    axis = trunk_axis(lean)
    mid = mid_hip + body.shoulder_to_hip * axis
    half = body.shoulder_width / 2.0
    line = np.stack([np.sin(yaw), np.cos(yaw), np.zeros_like(yaw)], axis=1) * half
    return {"left_shoulder": mid + line, "right_shoulder": mid - line, "mid_shoulder": mid,
            "suprasternale": mid_hip + body.trunk * axis}


def arm(shoulder: np.ndarray, uarm_angle: np.ndarray, elbow_flex: np.ndarray, side: str,
        body: Body) -> dict[str, np.ndarray]:
    """Elbow, wrist and hand points (n, 3) of one arm.

    Parameters
    ----------
    shoulder : (n, 3) shoulder joint centre.
    uarm_angle : (n,) sagittal upper-arm angle from the downward vertical (rad, + forward).
    elbow_flex : (n,) elbow flexion (rad, 0 = straight).
    side : 'left' or 'right'.
    """
    out_y = 1.0 if side == "left" else -1.0
    cb, sb = np.cos(ABDUCTION), np.sin(ABDUCTION)
    u = np.stack([cb * np.sin(uarm_angle), np.full_like(uarm_angle, out_y * sb),
                  -cb * np.cos(uarm_angle)], axis=1)
    elbow = shoulder + body.upper_arm * u
    fwd = np.array([1.0, 0.0, 0.0]) - u[:, :1] * u
    fwd /= np.linalg.norm(fwd, axis=1)[:, None]
    side_dir = np.cross(u, fwd)
    side_dir *= np.sign(-out_y * side_dir[:, 1])[:, None]      # toward the midline
    bend = np.cos(FOREARM_INWARD) * fwd + np.sin(FOREARM_INWARD) * side_dir
    f = np.cos(elbow_flex)[:, None] * u + np.sin(elbow_flex)[:, None] * bend
    wrist = elbow + body.forearm * f
    return {"elbow": elbow, "wrist": wrist, **hand(wrist, f, out_y, body)}


def hand(wrist: np.ndarray, f: np.ndarray, out_y: float, body: Body) -> dict[str, np.ndarray]:
    """Knuckle points of a loose fist (pinky, index, thumb), palm facing the midline."""
    palm = np.array([0.0, -out_y, 0.0]) - (f[:, 1:2] * -out_y) * f
    palm /= np.linalg.norm(palm, axis=1)[:, None]
    up = np.cross(f, palm)
    up *= np.sign(up[:, 2] + 1e-9)[:, None]          # knuckle line: index side up
    h = body.hand
    return {"index": wrist + h * (0.85 * f + 0.22 * up),
            "pinky": wrist + h * (0.75 * f - 0.25 * up),
            "thumb": wrist + h * (0.50 * f + 0.20 * up + 0.22 * palm)}


def head(suprasternale: np.ndarray, lean: float, body: Body) -> dict[str, np.ndarray]:
    """Head centre and the 11 face landmarks (n, 3); the neck tilts by half the lean."""
    tilt = lean / 2.0
    hx, _, hz = (np.array(HEAD_FROM_NECK) * body.stature)
    offset = np.array([hx * np.cos(tilt) + hz * np.sin(tilt), 0.0,
                       -hx * np.sin(tilt) + hz * np.cos(tilt)])
    centre = suprasternale + offset
    out = {"head_centre": centre}
    for name, rel in FACE.items():
        out[name] = centre + np.array(rel) * body.stature
    return out
