"""The parametric 3D runner: timing -> pelvis -> legs (exact ground contact) -> upper body.

World frame: x = direction of travel, y = runner's left, z = up, ground plane z = 0, metres.
Treadmill: the mean pelvis stays at x = y = 0 and the stance foot moves backward at belt
speed. Overground: everything moves forward at ``speed`` (x_pelvis = speed x (t - t_pass))
and the stance foot is still in the world.

Landmark definitions (all 33 MediaPipe names are produced):

- hips / shoulders: the hip / shoulder JOINT CENTRES. Measured on this figure, MediaPipe's
  mid-hip lies within 2.5 cm of the joint centres' midpoint in a direction that changes with
  the view (side: 1.9 cm lower; front: 2.5 cm higher) and its mid-shoulder within 0.5 cm, so
  no fixed offset would describe it (docs/cleaning.md);
- knee, ankle, elbow, wrist: joint centres; heel: back of the foot's sole line; foot_index:
  toe tip on the sole line (the sole line is the top of the 3 cm shoe sole, which
  compresses by up to 2 cm in contact, :mod:`mechanics.synth.legs`); pinky / index /
  thumb: knuckles of a loose fist;
- face points on the head (see :mod:`mechanics.synth.upper`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mechanics.errors import MechanicsError
from mechanics.pose.skeleton import LANDMARK_NAMES, other_side
from mechanics.synth import upper
from mechanics.synth.body import Body, make_body
from mechanics.synth.legs import LegModel, StanceFoot, best_contact_offset
from mechanics.synth.params import SynthParams
from mechanics.synth.pelvis import PelvisModel
from mechanics.synth.timing import SIDES, GaitTiming, make_timing

CROUCH_LIMIT = 0.9   # mid-hip at foot strike must be >= 90 % of the standing hip height
MAX_LIFT = 0.15      # m, largest swing-foot lift the model may add (legs.py)


@dataclass
class Pose:
    """Positions of the runner at n instants (world frame, metres).

    Attributes
    ----------
    time : (n,) seconds.
    points : name -> (n, 3); the 33 landmark names plus 'mid_hip', 'mid_shoulder',
        'suprasternale', 'head_centre'.
    pelvis_yaw, thorax_yaw : (n,) rad (+ = left side forward).
    pitch : side -> (n,) sole pitch (rad, + = toe up).
    contact : side -> (n,) bool, foot on the ground.
    """

    time: np.ndarray
    points: dict[str, np.ndarray]
    pelvis_yaw: np.ndarray
    thorax_yaw: np.ndarray
    pitch: dict[str, np.ndarray]
    contact: dict[str, np.ndarray]

    def landmarks(self) -> np.ndarray:
        """(n, 33, 3) array in MediaPipe landmark order."""
        return np.stack([self.points[name] for name in LANDMARK_NAMES], axis=1)

    def frame(self, i: int) -> Pose:
        """The pose at one instant (arrays keep a leading axis of length 1)."""
        sl = slice(i, i + 1)
        return Pose(self.time[sl], {k: v[sl] for k, v in self.points.items()},
                    self.pelvis_yaw[sl], self.thorax_yaw[sl],
                    {k: v[sl] for k, v in self.pitch.items()},
                    {k: v[sl] for k, v in self.contact.items()})


class RunnerModel:
    """A perfectly periodic runner built from :class:`SynthParams`.

    Examples
    --------
    >>> model = RunnerModel(SynthParams(cadence=180, duty_factor=0.3))
    >>> pose = model.pose(np.arange(0, 2, 1 / 60))
    >>> pose.landmarks().shape
    (120, 33, 3)
    """

    def __init__(self, params: SynthParams) -> None:
        self.params = params
        self.body: Body = make_body(params.stature, params.sex)
        self.timing: GaitTiming = make_timing(params.cadence, params.duty_factor,
                                              params.asymmetry, params.first_strike)
        pelvis = PelvisModel(self.timing, params.oscillation(),
                             np.radians(params.pelvis_rotation), self.body.hip_width)
        pelvis.check()
        self.legs: dict[str, LegModel] = {}
        self.pelvis = self._fit_legs(pelvis)
        self._check_stride()

    def _fit_legs(self, pelvis: PelvisModel) -> PelvisModel:
        """Choose the pelvis height and each foot's contact point, then build the legs."""
        p, tm = self.params, self.timing
        fits = {}
        for side in SIDES:
            foot = StanceFoot(self.body, tm.contact[side], p.speed,
                              np.radians(p.foot_strike_angle))
            sign = 1.0 if side == "left" else -1.0
            fits[side] = best_contact_offset(
                foot, lambda t, s=side: pelvis.hip(t, s), tm.first_strike[side],
                sign * (self.body.hip_width / 2.0 - 0.02), pelvis.height_offset)
        edge = min(f[0] for f in fits.values())
        if edge < CROUCH_LIMIT * self.body.hip_height:
            longest = p.speed * max(tm.contact.values())
            raise MechanicsError(
                f"contact length speed x contact time = {longest:.2f} m is too long for a "
                f"{p.stature:g} m runner: lower the speed or the duty factor")
        pelvis = PelvisModel(tm, pelvis.oscillation, pelvis.rotation, pelvis.hip_width, edge)
        for side in SIDES:
            self.legs[side] = LegModel(
                side, self.body, tm.contact[side], tm.stride_time, tm.first_strike[side],
                p.speed, np.radians(p.foot_strike_angle), fits[side][1],
                lambda t, s=side: pelvis.hip(t, s))
        return pelvis

    def _check_stride(self) -> None:
        """Refuse parameters whose swing foot would touch the ground or the leg over-extend."""
        t = self.timing.first_strike["left"] + np.linspace(0, self.timing.stride_time, 1201)
        for side, leg in self.legs.items():
            pts = leg.evaluate(t)
            low = np.minimum.reduce([pts[k][:, 2] for k in ("sole_heel", "sole_mtp",
                                                             "sole_toe")])
            swing = ~pts["contact"]
            tau = np.mod(t - leg.strike_time, leg.stride) - leg.contact
            inner = swing & (tau > 0.01) & (tau < leg.stride - leg.contact - 0.01)
            if np.any(low[inner] <= 0.0) or leg.lift > MAX_LIFT:
                raise MechanicsError(
                    f"with these parameters the {side} swing foot scrapes the ground: "
                    "change cadence, speed or duty factor")

    def pose(self, t: np.ndarray) -> Pose:
        """Positions of every landmark at times ``t`` (s)."""
        p = self.params
        t = np.atleast_1d(np.asarray(t, dtype=float))
        points: dict[str, np.ndarray] = {}
        pitch, contact = {}, {}
        for side, leg in self.legs.items():
            res = leg.evaluate(t)
            for name in ("hip", "knee", "ankle", "heel", "foot_index", "mtp", "sole_heel",
                         "sole_mtp", "sole_toe"):
                points[f"{side}_{name}"] = res[name]
            pitch[side], contact[side] = res["pitch"], res["contact"]
        mid_hip = self.pelvis.centre(t)
        lean = np.radians(p.trunk_lean)
        thorax_yaw = self.thorax_yaw(t)
        points.update(upper.shoulders(mid_hip, thorax_yaw, lean, self.body))
        points["mid_hip"] = mid_hip
        for side in SIDES:
            uarm, elbow = self.arm_angles(t, side)
            res = upper.arm(points[f"{side}_shoulder"], uarm, elbow, side, self.body)
            points.update({f"{side}_{k}": v for k, v in res.items()})
        points.update(upper.head(points["suprasternale"], lean, self.body))
        if not p.treadmill:
            shift = p.speed * (t - self.pass_time())
            for v in points.values():
                v[:, 0] += shift
        return Pose(t, points, self.pelvis.yaw(t), thorax_yaw, pitch, contact)

    def thorax_yaw(self, t: np.ndarray) -> np.ndarray:
        """Shoulder-line yaw psi_T (rad), opposite in phase to the pelvis."""
        tm = self.timing
        phase = 2 * np.pi * tm.since_strike(t, "left") / tm.stride_time
        return -0.5 * np.radians(self.params.thorax_rotation) * np.cos(phase)

    def arm_angles(self, t: np.ndarray, side: str) -> tuple[np.ndarray, np.ndarray]:
        """Upper-arm sagittal angle from the downward vertical and elbow flexion (rad).

        The arm is most forward at the contralateral foot strike.
        """
        p, tm = self.params, self.timing
        c = np.cos(2 * np.pi * tm.since_strike(t, other_side(side)) / tm.stride_time)
        flex = np.radians(p.arm_swing_centre + 0.5 * p.arm_swing * c)
        uarm = flex - np.radians(p.trunk_lean)
        elbow = np.radians(p.elbow_angle + 0.5 * p.elbow_range * c)
        return uarm, elbow

    def pass_time(self) -> float:
        """Overground: the time the mean pelvis passes x = 0 (s), chosen per view."""
        p = self.params
        if p.view == "front":
            return p.seconds
        if p.view == "back":
            return 0.0
        return p.seconds / 2.0
