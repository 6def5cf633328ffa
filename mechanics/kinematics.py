"""Sagittal-plane kinematics from a side view, independent of which way the runner faces.

Sign convention (science.md section 2.3, THE convention of this project). Image y is flipped
to point up and ``d`` = +1 when the runner faces image right, -1 when facing left, so that
"forward" is always ``d * x``. The angle of a segment is the angle of its distal-pointing
vector from the downward vertical, positive forward; the trunk uses its upward vector
(mid-hip -> mid-shoulder) from the upward vertical, positive = forward lean::

    theta_trunk   = atan2(d (x_MS - x_MH), y_MS - y_MH)      (y up)
    theta_thigh   = atan2(d (x_knee - x_hip), y_hip - y_knee)
    theta_shank   = atan2(d (x_ankle - x_knee), y_knee - y_ankle)   + = ankle ahead of knee
    theta_uarm    = atan2(d (x_elbow - x_sh), y_sh - y_elbow)
    theta_farm    = atan2(d (x_wrist - x_elbow), y_elbow - y_wrist)
    theta_foot    = atan2(y_toe - y_heel, d (x_toe - x_heel)) - foot_offset   + = toe up
    knee_flexion  = theta_thigh - theta_shank         0 = straight, + = flexed
    hip_flexion   = theta_thigh + theta_trunk         + = flexion, - = extension
    ankle_dorsi   = theta_foot - theta_shank          + = dorsiflexion, - = plantarflexion
    shoulder_flex = theta_uarm + theta_trunk          + = arm in front of the trunk line
    elbow_flexion = theta_farm - theta_uarm           0 = straight

All angles in degrees. The elbow flexion is wrapped to (-180, 180]: a forearm pointing up
and back (theta_farm past +180 deg, e.g. a sprinter's arm far forward with the elbow flexed
more than 180 - theta_uarm) would otherwise read below -180 deg instead of its flexion.
A level camera is assumed (vertical = image y); the 2D planar assumption holds for a camera
perpendicular to the running direction (science.md 0.3).
Events come from :mod:`mechanics.gait`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np

from mechanics.sequence import PoseSequence

if TYPE_CHECKING:
    from mechanics.gait.events import Events

SIDES = ("left", "right")


def segment_angle(proximal: np.ndarray, distal: np.ndarray, d: int) -> np.ndarray:
    """Angle (deg) of the proximal->distal vector from the downward vertical, + = forward.

    ``proximal``, ``distal``: (T, 2) image pixels (y down); ``d``: +1 facing image right.
    """
    dx = d * (distal[:, 0] - proximal[:, 0])
    down = distal[:, 1] - proximal[:, 1]            # image y grows downward
    return np.degrees(np.arctan2(dx, down))


def wrap_deg(angle: np.ndarray) -> np.ndarray:
    """Angle(s) (deg) wrapped to (-180, 180]; NaN stays NaN."""
    return 180.0 - np.mod(180.0 - angle, 360.0)


def trunk_angle(mid_hip: np.ndarray, mid_shoulder: np.ndarray, d: int) -> np.ndarray:
    """Trunk lean (deg) from the upward vertical, + = forward lean (science.md 2.3)."""
    dx = d * (mid_shoulder[:, 0] - mid_hip[:, 0])
    up = mid_hip[:, 1] - mid_shoulder[:, 1]
    return np.degrees(np.arctan2(dx, up))


def foot_angle(heel: np.ndarray, toe: np.ndarray, d: int, offset_deg: float = 0.0) -> np.ndarray:
    """Foot angle (deg) of heel->toe from the horizontal, + = toe up, minus a standing offset."""
    up = heel[:, 1] - toe[:, 1]
    return np.degrees(np.arctan2(up, d * (toe[:, 0] - heel[:, 0]))) - offset_deg


def knee_flexion_from_points(hip: np.ndarray, knee: np.ndarray, ankle: np.ndarray,
                             d: int) -> np.ndarray:
    """Knee flexion (deg) = theta_thigh - theta_shank; 0 = straight leg."""
    return segment_angle(hip, knee, d) - segment_angle(knee, ankle, d)


def leg_length_px(points: Mapping[str, np.ndarray]) -> float:
    """Leg length (px): median hip-knee plus median knee-ankle length, mean of both sides.

    ``points`` maps landmark names ('left_hip', ...) to (T, 2) pixel tracks. The median of
    each segment is robust to the foreshortening and jitter of single frames. NaN if absent.
    """
    lens = []
    for s in SIDES:
        th = np.linalg.norm(points[f"{s}_hip"] - points[f"{s}_knee"], axis=1)
        sh = np.linalg.norm(points[f"{s}_knee"] - points[f"{s}_ankle"], axis=1)
        if np.isfinite(th).any() and np.isfinite(sh).any():
            lens.append(np.nanmedian(th) + np.nanmedian(sh))
    return float(np.mean(lens)) if lens else math.nan


@dataclass
class Angles:
    """Sagittal angle time series of one clip (deg), see the module docstring.

    ``series`` keys: 'trunk_lean' and, for side in left/right, '{side}_thigh', '{side}_shank',
    '{side}_foot', '{side}_upper_arm', '{side}_forearm', '{side}_hip_flexion',
    '{side}_knee_flexion', '{side}_ankle_dorsiflexion', '{side}_shoulder_flexion',
    '{side}_elbow_flexion'. Each is (T,) with NaN where a landmark is missing.
    """

    time: np.ndarray
    direction: int
    series: dict[str, np.ndarray]

    def __getitem__(self, key: str) -> np.ndarray:
        return self.series[key]

    def at(self, key: str, t: float) -> float:
        """Value of one series at time ``t`` (s), linearly interpolated; NaN if unknown."""
        y = self.series[key]
        ok = np.isfinite(y)
        if ok.sum() < 2 or not np.isfinite(t) or t < self.time[ok][0] or t > self.time[ok][-1]:
            return math.nan
        k = int(np.searchsorted(self.time, t))
        lo, hi = max(k - 1, 0), min(k, y.size - 1)
        if not (ok[lo] and ok[hi]):
            return math.nan
        return float(np.interp(t, self.time[ok], y[ok]))


def mid_point(seq: PoseSequence, part: str) -> np.ndarray:
    """(T, 2) image midpoint of the left and right ``part`` (e.g. 'hip' -> mid-hip), px."""
    return (seq.xy(f"left_{part}") + seq.xy(f"right_{part}")) / 2


def sagittal_angles(seq: PoseSequence, direction: int | None = None,
                    foot_offset_deg: float = 0.0) -> Angles:
    """All sagittal angles of a side-view sequence (deg); ``direction`` default: detected.

    No filtering happens here: pass a cleaned/filtered sequence (science.md 7.1).
    ``foot_offset_deg`` is the heel->toe angle of the standing foot (subtracted).
    """
    if direction is None:
        from mechanics.view import facing_direction
        direction = facing_direction(seq)[0] or 1
    d = direction
    trunk = trunk_angle(mid_point(seq, "hip"), mid_point(seq, "shoulder"), d)
    out = {"trunk_lean": trunk}
    for s in SIDES:
        p = {n: seq.xy(f"{s}_{n}") for n in ("shoulder", "elbow", "wrist", "hip", "knee",
                                              "ankle", "heel", "foot_index")}
        thigh = segment_angle(p["hip"], p["knee"], d)
        shank = segment_angle(p["knee"], p["ankle"], d)
        foot = foot_angle(p["heel"], p["foot_index"], d, foot_offset_deg)
        uarm = segment_angle(p["shoulder"], p["elbow"], d)
        farm = segment_angle(p["elbow"], p["wrist"], d)
        out.update({f"{s}_thigh": thigh, f"{s}_shank": shank, f"{s}_foot": foot,
                    f"{s}_upper_arm": uarm, f"{s}_forearm": farm,
                    f"{s}_hip_flexion": thigh + trunk, f"{s}_knee_flexion": thigh - shank,
                    f"{s}_ankle_dorsiflexion": foot - shank,
                    f"{s}_shoulder_flexion": uarm + trunk,
                    f"{s}_elbow_flexion": wrap_deg(farm - uarm)})
    return Angles(seq.time, d, out)


@dataclass
class ContactKinematics:
    """Kinematics of one ground contact (deg unless stated).

    Attributes
    ----------
    side, strike_s, off_s : the contact (s).
    knee_flexion_strike_deg : knee flexion at foot strike.
    knee_flexion_peak_stance_deg : maximum knee flexion between FS and TO.
    hip_extension_off_deg : hip extension at toe-off (= -hip flexion; + = extended;
        needs the shoulders for the trunk line, else NaN).
    shank_angle_strike_deg : theta_shank at FS (+ = ankle ahead of knee, science.md 2.3).
    foot_strike_angle_deg : foot angle at FS (+ = toe up, heel first; minus standing offset).
    trunk_lean_strike_deg : trunk lean at FS (+ = forward).
    overstride_leg : d (x_heel - x_MH) at FS in leg lengths (+ = heel ahead of the mid-hip).
    overstride_m : the same in metres when a scale (m/px) is given, else NaN.
    """

    side: str
    strike_s: float
    off_s: float
    knee_flexion_strike_deg: float
    knee_flexion_peak_stance_deg: float
    hip_extension_off_deg: float
    shank_angle_strike_deg: float
    foot_strike_angle_deg: float
    trunk_lean_strike_deg: float
    overstride_leg: float
    overstride_m: float


def _peak_between(angles: Angles, key: str, t0: float, t1: float) -> float:
    y = angles[key]
    m = (angles.time >= t0) & (angles.time <= t1) & np.isfinite(y)
    return float(np.max(y[m])) if m.any() else math.nan


def _overstride_px(seq: PoseSequence, side: str, t: float, d: int) -> float:
    x = seq.xy(f"{side}_heel")[:, 0] - mid_point(seq, "hip")[:, 0]
    ok = np.isfinite(x)
    if ok.sum() < 2 or not np.isfinite(t):
        return math.nan
    return float(d * np.interp(t, seq.time[ok], x[ok]))


def contact_kinematics(seq: PoseSequence, events: Events, angles: Angles | None = None, *,
                       scale_m_per_px: float | None = None,
                       foot_offset_deg: float = 0.0) -> list[ContactKinematics]:
    """Per-contact kinematics (FS, stance, TO) for every valid contact of ``events``.

    Overstride is normalised by the leg length (:func:`leg_length_px`) and, with
    ``scale_m_per_px``, also given in metres (science.md 2.3).
    """
    if angles is None:
        angles = sagittal_angles(seq, events.direction, foot_offset_deg)
    d = angles.direction
    leg = leg_length_px({n: seq.xy(n) for n in (f"{s}_{p}" for s in SIDES
                                                for p in ("hip", "knee", "ankle"))})
    out = []
    for c in events.contacts:
        if not c.valid:
            continue
        s = c.side
        over = _overstride_px(seq, s, c.strike_s, d)
        out.append(ContactKinematics(
            side=s, strike_s=c.strike_s, off_s=c.off_s,
            knee_flexion_strike_deg=angles.at(f"{s}_knee_flexion", c.strike_s),
            knee_flexion_peak_stance_deg=_peak_between(angles, f"{s}_knee_flexion",
                                                       c.strike_s, c.off_s),
            hip_extension_off_deg=-angles.at(f"{s}_hip_flexion", c.off_s),
            shank_angle_strike_deg=angles.at(f"{s}_shank", c.strike_s),
            foot_strike_angle_deg=angles.at(f"{s}_foot", c.strike_s),
            trunk_lean_strike_deg=angles.at("trunk_lean", c.strike_s),
            overstride_leg=over / leg if np.isfinite(leg) and leg > 0 else math.nan,
            overstride_m=over * scale_m_per_px if scale_m_per_px else math.nan))
    return out


def _nanstat(values: list[float]) -> tuple[float, float]:
    a = np.array(values, dtype=float)
    a = a[np.isfinite(a)]
    if a.size == 0:
        return math.nan, math.nan
    return float(a.mean()), float(a.std(ddof=1)) if a.size > 1 else 0.0


def summarize_kinematics(records: list[ContactKinematics], angles: Angles | None = None
                         ) -> dict[str, float]:
    """Mean and SD (``{metric}_mean`` / ``{metric}_sd``) of the per-contact metrics, per side
    (``left_...``/``right_...``) and over both; plus, from ``angles``, the mean trunk lean and
    per side the shoulder flexion/extension peaks (95th / 5th percentile, deg) and the mean
    elbow flexion (deg) over the clip.
    """
    out: dict[str, float] = {}
    if records:
        keys = [k for k in asdict(records[0]) if k not in ("side", "strike_s", "off_s")]
        for prefix, group in (("", records), *((f"{s}_", [r for r in records if r.side == s])
                                               for s in SIDES)):
            for k in keys:
                m, sd = _nanstat([getattr(r, k) for r in group])
                out[f"{prefix}{k}_mean"], out[f"{prefix}{k}_sd"] = m, sd
    if angles is not None:
        out["trunk_lean_mean_deg"] = _nanstat(list(angles["trunk_lean"]))[0]
        for s in SIDES:
            sh = angles[f"{s}_shoulder_flexion"]
            ok = sh[np.isfinite(sh)]
            out[f"{s}_shoulder_flexion_peak_deg"] = float(np.percentile(ok, 95)) if ok.size \
                else math.nan
            out[f"{s}_shoulder_extension_peak_deg"] = float(-np.percentile(ok, 5)) if ok.size \
                else math.nan
            out[f"{s}_elbow_flexion_mean_deg"] = _nanstat(list(angles[f"{s}_elbow_flexion"]))[0]
    return out
