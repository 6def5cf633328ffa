"""Leg kinematics of the synthetic runner: stance foot on the ground, swing splines, knee IK.

Foot and shoe
    The foot has two segments: the rear foot (heel -> first metatarsal head, MTP, at 72 %
    of the foot length [design]) and the toes (MTP -> toe tip), joined at the MTP joint. The
    shoe's outsole-and-midsole (``SHOE_SOLE_M`` = 3 cm, :mod:`mechanics.synth.body`) lies
    under both. The landmarks sit on the foot's sole line, the top of the shoe sole: heel =
    back of the rear foot, foot_index = toe tip. Under load the sole compresses: during
    contact the foot (ankle, heel, foot_index, the shoe's upper) sinks by up to
    ``COMPRESSION`` = 2 cm, eased in over the first and out over the last 25 ms of the
    contact, while the outsole stays on the ground. 2 cm is what the heel marker of a real
    shod runner settles after force onset (RBDS001, 17-21 mm over ~25 ms, measured for
    :mod:`mechanics.gait.events`), so the synthetic heel and toe approach and leave the
    ground the way real ones do (heel-pad and midsole compression and the heel's roll
    lumped into one vertical sink).
Stance (exact ground contact)
    The outsole rolls on the ground without slipping: while the rear-foot pitch phi > 0 (toe
    up) the rigid foot pivots on the heel; while phi < 0 on the toe tip, and from heel rise
    (45 % of stance) the toes stay flat on the ground while the rear foot pivots about the
    MTP joint; from 75 % of stance the toes roll onto their tip (toe pitch to -15 deg at
    toe-off, so the MTP joint is dorsiflexed by 55 - 15 = 40 deg at toe-off, within the
    ~30-50 deg of running [design]). The pivot is fixed to the belt (treadmill: moves
    backward at belt speed; overground: fixed in the world). So the foot's lowest point is
    exactly at z = 0 for the whole contact. phi goes from the foot-strike angle to 0 (foot
    flat) by 15 % of stance and from 0 at 45 % to -55 deg (heel rise) at toe-off.
Swing
    The ankle follows cubic Hermite splines through key poses given as joint angles (thigh
    angle from vertical, knee flexion, ankle dorsiflexion) shaped like published running
    kinematics (knee peak ~100-110 deg at ~45 % of swing, thigh peak flexion ~30 deg late in
    swing; e.g. Novacheck 1998 Gait Posture 7:77-95 [M]). Position and horizontal velocity
    match the stance at toe-off and at foot strike; the vertical velocity jumps by
    +/-0.4 m/s there (push-off, touchdown impact), so the foot leaves and meets the ground
    from above. The toes keep their toe-off pitch at first and ease onto the rear foot's
    (MTP back to 0) over the first 0.1 s of swing. Two
    safety nets keep unusual parameter sets valid: a smooth lift
    Delta x :func:`lift_shape` of the ankle (zero with zero slope at both ends, peak at
    75 % of swing) whenever the sole would come closer than 3 cm x that shape to the
    ground, and a smooth saturation of the hip -> ankle distance above 99 % of the leg.
Knee
    Two-link inverse kinematics (de Leva thigh and shank lengths), knee bending forward.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.interpolate import CubicHermiteSpline

from mechanics.errors import MechanicsError
from mechanics.synth.body import SHOE_SOLE_M, Body

TOE_OFF_PITCH = np.radians(55.0)   # rear-foot sole angle at toe-off (heel up)
TOE_TIP_PITCH = np.radians(15.0)   # toe segment angle at toe-off (rolled onto the tip)
FLAT_FROM, HEEL_RISE_FROM, TOE_ROLL_FROM = 0.15, 0.45, 0.75   # fractions of stance
MTP_FRACTION = 0.72                # heel -> MTP joint along the foot [design]
TOE_RELAX_S = 0.1                  # s after toe-off for the toes to straighten
COMPRESSION = 0.02                 # m, sole compression under load (RBDS001 heel settling)
COMPRESSION_RAMP_S = 0.025         # s, its ease-in after foot strike and ease-out before toe-off
KICK = 0.4                         # m/s vertical velocity jump at toe-off / foot strike
KNEE_MIN_STANCE = np.radians(18.0)  # knee flexion where the stance leg is most extended
CLEARANCE = 0.03                   # m, minimum sole height in mid-swing (x sin^2 weight)
SOFT_REACH, MAX_REACH = 0.99, 0.999  # hip -> ankle limits in swing (fractions of leg length)
#: swing key poses: fraction of swing, thigh angle, knee flexion (None = speed-dependent
#: peak), ankle dorsiflexion (deg)
SWING_KEYS = ((0.15, -16.0, 70.0, -20.0), (0.42, 8.0, None, -10.0),
              (0.68, 30.0, 85.0, 5.0), (0.86, 31.0, 40.0, 10.0))

HipFn = Callable[[np.ndarray], np.ndarray]


def peak_swing_knee(speed: float) -> float:
    """Peak swing knee flexion (rad): 70 + 10 x speed deg, clipped to 90-130 deg [design]."""
    return np.radians(np.clip(70.0 + 10.0 * speed, 90.0, 130.0))


def lift_shape(w: np.ndarray) -> np.ndarray:
    """sin^2(pi w^2.41): 0 with zero slope at w = 0 and 1, peak 1 at w = 0.75 (late swing)."""
    return np.sin(np.pi * np.clip(w, 0.0, 1.0) ** 2.41) ** 2


def rotate_xz(x: np.ndarray, z: np.ndarray, phi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rotate sagittal vectors (x forward, z up) by phi (rad, + = toe up)."""
    c, s = np.cos(phi), np.sin(phi)
    return x * c - z * s, x * s + z * c


@dataclass(frozen=True)
class StanceFoot:
    """Rolling foot during one contact; positions relative to the belt offset ``b0``."""

    body: Body
    contact: float          # s
    speed: float            # m/s, belt speed (0 when the world frame is used)
    strike: float           # rad, sole angle at foot strike

    def pitch(self, tau: np.ndarray) -> np.ndarray:
        """Rear-foot sole pitch (rad) at time ``tau`` after foot strike."""
        s = np.clip(tau / self.contact, 0.0, 1.0)
        u1 = np.clip(s / FLAT_FROM, 0.0, 1.0)
        u2 = np.clip((s - HEEL_RISE_FROM) / (1.0 - HEEL_RISE_FROM), 0.0, 1.0)
        return self.strike * (1.0 - smoothstep(u1)) - TOE_OFF_PITCH * u2 * u2

    def toe_pitch(self, tau: np.ndarray) -> np.ndarray:
        """Toe segment pitch (rad): with the rear foot until heel rise, then flat, then rolled
        onto the tip from ``TOE_ROLL_FROM`` of stance."""
        s = np.clip(np.asarray(tau, dtype=float) / self.contact, 0.0, 1.0)
        u = np.clip((s - TOE_ROLL_FROM) / (1.0 - TOE_ROLL_FROM), 0.0, 1.0)
        return np.where(s < HEEL_RISE_FROM, self.pitch(tau), -TOE_TIP_PITCH * smoothstep(u))

    def sink(self, tau: np.ndarray) -> np.ndarray:
        """Sole compression (m): the foot's sink into the shoe sole at ``tau`` in stance."""
        tau = np.asarray(tau, dtype=float)
        on = smoothstep(np.clip(tau / COMPRESSION_RAMP_S, 0.0, 1.0))
        off = smoothstep(np.clip((self.contact - tau) / COMPRESSION_RAMP_S, 0.0, 1.0))
        return COMPRESSION * on * off

    def sole(self, tau: np.ndarray, b0: float) -> dict[str, np.ndarray]:
        """Foot points (:func:`foot_points`) at ``tau`` for heel-contact offset ``b0`` (m)."""
        tau = np.asarray(tau, dtype=float)
        phi, psi = self.pitch(tau), self.toe_pitch(tau)
        length = self.body.foot
        rear, toes = MTP_FRACTION * length, (1.0 - MTP_FRACTION) * length
        ground = b0 - self.speed * tau       # belt point under the heel when the foot is flat
        mtp_x = ground + length - toes * np.cos(psi)      # toe tip fixed at ground + length
        mtp_z = -toes * np.sin(psi)
        heel_x = np.where(phi >= 0, ground, mtp_x - rear * np.cos(phi))
        heel_z = np.where(phi >= 0, 0.0, mtp_z - rear * np.sin(phi))
        return foot_points(self.body, heel_x, heel_z, phi, psi, self.sink(tau))


def smoothstep(u: np.ndarray) -> np.ndarray:
    """3u^2 - 2u^3 on [0, 1]: 0 -> 1 with zero slope at both ends."""
    return u * u * (3.0 - 2.0 * u)


def foot_points(body: Body, heel_x: np.ndarray, heel_z: np.ndarray, phi: np.ndarray,
                psi: np.ndarray, sink: np.ndarray | float = 0.0) -> dict[str, np.ndarray]:
    """Points of the two-segment foot (x, z arrays, m) from the outsole's heel point.

    ``phi``, ``psi``: rear-foot and toe pitch (rad, + = toe up); ``sink``: sole compression
    (m). Keys: ``heel_x/z``, ``mtp_x/z``, ``toe_x/z`` (landmarks on the sole line, top of the
    shoe sole), ``sole_heel_x/z``, ``sole_mtp_x/z``, ``sole_toe_x/z`` (outsole, on the
    ground in stance), ``ankle_x/z``, ``pitch``, ``toe_pitch``.
    """
    rear, toes = MTP_FRACTION * body.foot, (1.0 - MTP_FRACTION) * body.foot
    mx, mz = heel_x + rear * np.cos(phi), heel_z + rear * np.sin(phi)
    tx, tz = mx + toes * np.cos(psi), mz + toes * np.sin(psi)
    ox, oz = rotate_xz(np.asarray(body.heel_to_ankle), np.asarray(body.ankle_height), phi)
    ux, uz = rotate_xz(np.asarray(0.0), np.asarray(SHOE_SOLE_M), phi)
    vx, vz = rotate_xz(np.asarray(0.0), np.asarray(SHOE_SOLE_M), psi)
    return {"heel_x": heel_x + ux, "heel_z": heel_z + uz - sink,
            "mtp_x": mx + ux, "mtp_z": mz + uz - sink,
            "toe_x": tx + vx, "toe_z": tz + vz - sink,
            "sole_heel_x": heel_x, "sole_heel_z": heel_z, "sole_mtp_x": mx, "sole_mtp_z": mz,
            "sole_toe_x": tx, "sole_toe_z": tz,
            "ankle_x": heel_x + ox, "ankle_z": heel_z + oz - sink, "pitch": phi,
            "toe_pitch": psi}


def reach_at(knee_flexion: float, body: Body) -> float:
    """Hip -> ankle distance (m) for a given knee flexion (rad)."""
    a, b = body.thigh, body.shank
    return float(np.sqrt(a * a + b * b + 2 * a * b * np.cos(knee_flexion)))


def best_contact_offset(foot: StanceFoot, hip: HipFn, strike_time: float, ankle_y: float,
                        height_offset: Callable[[np.ndarray], np.ndarray]) -> tuple[float, float]:
    """Heel-contact offset b0 that lets the pelvis ride highest with the knee >= 18 deg.

    Returns
    -------
    (edge_height_max, b0) : float, float
        The highest mid-hip height at foot strike that keeps hip -> ankle within reach for the
        whole contact, and the offset (m, ahead of the mean pelvis) that achieves it.
    """
    tau = np.linspace(0.0, foot.contact, 241)
    hips = hip(strike_time + tau)
    dz_pelvis = height_offset(strike_time + tau)
    reach = reach_at(KNEE_MIN_STANCE, foot.body)
    sole = foot.sole(tau, 0.0)
    offsets = np.linspace(-0.6, 1.2, 721)
    dx = sole["ankle_x"][None, :] + offsets[:, None] - hips[None, :, 0]
    dy = ankle_y - hips[:, 1]
    room = reach**2 - dx**2 - dy[None, :] ** 2
    fits = (room > 0).all(axis=1)
    height = np.min(sole["ankle_z"] - dz_pelvis + np.sqrt(np.maximum(room, 0.0)), axis=1)
    height = np.where(fits, height, -np.inf)
    best = int(np.argmax(height))
    if not np.isfinite(height[best]):
        raise MechanicsError(
            f"contact length speed x contact time = {foot.speed * foot.contact:.2f} m is too "
            f"long for a {foot.body.stature:g} m runner: lower the speed or the duty factor")
    return float(height[best]), float(offsets[best])


def knee_ik(hip: np.ndarray, ankle: np.ndarray, body: Body) -> np.ndarray:
    """Knee positions (n, 3) from hip and ankle (n, 3), knee bending toward +x."""
    v = ankle - hip
    d = np.linalg.norm(v, axis=1)
    if np.any(d > body.leg * (1 + 1e-9)):
        raise MechanicsError("internal: synthetic leg over-extended (please report)")
    u = v / d[:, None]
    pole = np.array([1.0, 0.0, 0.0])[None, :] - u[:, :1] * u
    pole /= np.linalg.norm(pole, axis=1)[:, None]
    a, b = body.thigh, body.shank
    cos_a = np.clip((a * a + d * d - b * b) / (2 * a * d), -1.0, 1.0)
    return hip + a * (cos_a[:, None] * u + np.sqrt(1 - cos_a**2)[:, None] * pole)


class LegModel:
    """One leg over a stride: exact stance on the ground, spline swing, IK knee.

    Parameters
    ----------
    side : {'left', 'right'}
    body : Body
    contact, stride, strike_time : float
        This side's contact time, the stride time and one of its foot-strike times (s).
    speed : float
        Belt / running speed (m/s).
    strike_angle : float
        Sole angle at foot strike (rad, + = toe up).
    b0 : float
        Heel-contact point at foot strike, ahead of the mean pelvis (m).
    hip : callable
        t (n,) -> this side's hip joint centre (n, 3), treadmill frame.
    """

    def __init__(self, side: str, body: Body, contact: float, stride: float, strike_time: float,
                 speed: float, strike_angle: float, b0: float, hip: HipFn) -> None:
        self.side, self.body, self.hip = side, body, hip
        self.contact, self.stride, self.strike_time = contact, stride, strike_time
        self.b0, self.speed = b0, speed
        self.stance = StanceFoot(body, contact, speed, strike_angle)
        sign = 1.0 if side == "left" else -1.0
        self.ankle_y = sign * (body.hip_width / 2.0 - 0.02)
        self._build_swing()

    def _stance_state(self, tau: float) -> tuple[np.ndarray, np.ndarray]:
        """(ankle x, ankle z, pitch) and their time derivatives at ``tau`` in stance."""
        eps = 1e-5
        lo, hi = max(tau - eps, 0.0), min(tau + eps, self.contact)
        a, b = self.stance.sole(np.array([lo, hi]), self.b0), self.stance.sole(
            np.array([tau]), self.b0)
        keys = ("ankle_x", "ankle_z", "pitch")
        value = np.array([b[k][0] for k in keys])
        rate = np.array([(a[k][1] - a[k][0]) / (hi - lo) for k in keys])
        return value, rate

    def _build_swing(self) -> None:
        swing = self.stride - self.contact
        t_off = self.strike_time + self.contact
        knots = [0.0]
        start, start_rate = self._stance_state(self.contact)
        end, end_rate = self._stance_state(0.0)
        values = [start]
        for frac, thigh, knee, dorsi in SWING_KEYS:
            th = np.radians(thigh)
            kn = peak_swing_knee(self.speed) if knee is None else np.radians(knee)
            hip = self.hip(np.array([t_off + frac * swing]))[0]
            shank = th - kn
            x = hip[0] + self.body.thigh * np.sin(th) + self.body.shank * np.sin(shank)
            z = hip[2] - self.body.thigh * np.cos(th) - self.body.shank * np.cos(shank)
            knots.append(frac * swing)
            values.append(np.array([x, z, shank + np.radians(dorsi)]))
        knots.append(swing)
        values.append(end)
        knots_a, values_a = np.array(knots), np.array(values)
        slopes = np.gradient(values_a, knots_a, axis=0)
        slopes[0] = start_rate + np.array([0.0, KICK, 0.0])
        slopes[-1] = end_rate - np.array([0.0, KICK, 0.0])
        self._swing = CubicHermiteSpline(knots_a, values_a, slopes, axis=0)
        self._lift = 0.0
        u = np.linspace(0.0, swing, 401)[1:-1]
        low = self._swing_sole(u, self.strike_time + self.contact + u)
        bump = lift_shape(u / swing)
        self._lift = max(0.0, float(np.max(CLEARANCE - low / bump)))

    @property
    def lift(self) -> float:
        """Extra mid-swing lift of the ankle added for ground clearance (m)."""
        return self._lift

    def _swing_ankle(self, u: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Ankle (n, 3) and sole pitch (n,) at ``u`` s after toe-off (absolute time ``t``)."""
        sw = self._swing(u)
        swing = self.stride - self.contact
        ankle = np.stack([sw[:, 0], np.full(u.size, self.ankle_y),
                          sw[:, 1] + self._lift * lift_shape(u / swing)], axis=1)
        hip = self.hip(t)
        v = ankle - hip
        d = np.linalg.norm(v, axis=1)
        d0, d1 = SOFT_REACH * self.body.leg, MAX_REACH * self.body.leg
        soft = np.where(d > d0, d0 + (d1 - d0) * np.tanh((d - d0) / (d1 - d0)), d)
        return hip + v * (soft / d)[:, None], sw[:, 2]

    def _toe_pitch(self, u: np.ndarray, phi: np.ndarray) -> np.ndarray:
        """Toe pitch (rad) ``u`` s after toe-off, rear-foot pitch ``phi``: held at its toe-off
        value (zero rate, as in stance) and eased onto the rear foot's pitch (MTP back to 0)
        over ``TOE_RELAX_S``."""
        hold = 1.0 - smoothstep(np.clip(u / TOE_RELAX_S, 0.0, 1.0))
        return self.stance.toe_pitch(self.contact) * hold + phi * (1.0 - hold)

    def _swing_sole(self, u: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Lowest outsole height (m) in swing."""
        ankle, phi = self._swing_ankle(u, t)
        ox, oz = rotate_xz(np.asarray(self.body.heel_to_ankle),
                           np.asarray(self.body.ankle_height), phi)
        pts = foot_points(self.body, ankle[:, 0] - ox, ankle[:, 2] - oz, phi,
                          self._toe_pitch(u, phi))
        return np.minimum.reduce([pts[f"sole_{k}_z"] for k in ("heel", "mtp", "toe")])

    def evaluate(self, t: np.ndarray) -> dict[str, np.ndarray]:
        """Hip, knee, ankle, heel, foot_index, MTP and outsole points (n, 3), sole pitch (n,)
        and contact (n,) at t (see :func:`foot_points` for the foot's points)."""
        t = np.atleast_1d(np.asarray(t, dtype=float))
        tau = np.mod(t - self.strike_time, self.stride)
        on = tau < self.contact
        feet = self.stance.sole(np.where(on, tau, 0.0), self.b0)
        u = np.where(on, 0.0, tau - self.contact)
        sw, sw_phi = self._swing_ankle(u, t)
        sink = self.stance.sink(tau)                # 0 from toe-off on
        ax = np.where(on, feet["ankle_x"], sw[:, 0])
        az = np.where(on, feet["ankle_z"], sw[:, 2])
        phi = np.where(on, feet["pitch"], sw_phi)
        psi = np.where(on, feet["toe_pitch"], self._toe_pitch(u, sw_phi))
        ox, oz = rotate_xz(np.asarray(self.body.heel_to_ankle),
                           np.asarray(self.body.ankle_height), phi)
        pts = foot_points(self.body, ax - ox, az + sink - oz, phi, psi, sink)
        y = np.full(t.size, self.ankle_y)
        hip = self.hip(t)
        ankle = np.stack([ax, y, az], axis=1)

        def point(key: str) -> np.ndarray:
            return np.stack([pts[f"{key}_x"], y, pts[f"{key}_z"]], axis=1)

        return {"hip": hip, "knee": knee_ik(hip, ankle, self.body), "ankle": ankle,
                "heel": point("heel"), "foot_index": point("toe"), "mtp": point("mtp"),
                "sole_heel": point("sole_heel"), "sole_mtp": point("sole_mtp"),
                "sole_toe": point("sole_toe"), "pitch": phi, "contact": on}
