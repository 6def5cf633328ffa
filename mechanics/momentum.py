"""Segment inertia (de Leva 1996) and vertical angular momentum from 3D world landmarks.

Every number here is a **model-based estimate (unvalidated against motion capture)**:
monocular MediaPipe world landmarks, an approximate landmark-to-segment mapping and
population-mean inertia (science.md 0.3, 4.3-4.5).

Input: world landmarks (T, 33, 3) in metres (MediaPipe order, NaN = missing), hip-centred and
camera-aligned: x right, **y down**, z away from the camera. The vertical is therefore
``up = (0, -1, 0)`` (:data:`UP`); this assumes a levelled, static camera (science.md 0.2,
4.4: the frame must not rotate). Times in s, mass in kg, angular momentum in kg m^2/s about
the vertical (+ = counter-clockwise seen from above), moments in N m.

Segments (science.md 4.3 mapping, approximate; parameters in :mod:`mechanics.inertia`):
upper arm shoulder->elbow, forearm elbow->wrist, hand wrist->mid(pinky, index) (knuckle
proxy for MET3), thigh hip->knee, shank knee->ankle, foot heel->foot_index; head = point mass
at the mid-ear (its spin is ignored: it contributes little to H_z); trunk MS->MH split at the
junction J into thorax (MS->J, rotating with the shoulder line) and pelvis (J->MH, rotating
with the hip line), see :func:`mechanics.inertia.trunk_split`.

Angular momentum of segment i about a point P moving with velocity V (science.md 4.4)::

    H_i = (r_i - P) x m_i (v_i - V)  +  H_local,i
    H_local = m (k_perp L)^2 (e x de/dt)          two-landmark segments, k_perp =
                                                   (r_sag + r_trans)/2, L = median length
    H_local = R diag(I_ap, I_ml, I_long) R^T omega trunk parts

Partition (stated choice, science.md 4.4): lower body H_L = pelvis + thighs, shanks, feet;
upper body H_U = thorax + head + arms (upper arms, forearms, hands). Both about the
whole-body COM; H_W = H_U + H_L. Normalisation ``H_z / (M v h_COM)`` (Herr & Popovic 2008).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from mechanics.cycles import cut_strides
from mechanics.inertia import (
    DE_LEVA,
    LOWER_TRUNK_SHARE,
    SegmentParams,
    TrunkPart,
    trunk_split,
    whole_body_fraction,
)
from mechanics.pose.skeleton import INDEX

__all__ = ["DE_LEVA", "LOWER_TRUNK_SHARE", "REQUIRED", "UP", "BodyMomentum", "SegmentParams",
           "SegmentState", "TrunkPart", "about", "angular_momentum", "arm_share",
           "cancellation_index", "centre_of_mass", "com_height", "junction", "limb_state",
           "normalised", "segment_states", "stride_peaks", "trunk_split", "trunk_vertical_moment",
           "upper_lower_correlation", "whole_body_fraction", "world_coverage"]

#: the vertical in MediaPipe world coordinates (y points down)
UP = np.array([0.0, -1.0, 0.0])
SIDES = ("left", "right")

#: two-landmark segments: (name, origin landmarks, end landmarks, de Leva row, group)
LIMBS = (("upper_arm", ("shoulder",), ("elbow",), "upper_arm", "upper"),
         ("forearm", ("elbow",), ("wrist",), "forearm", "upper"),
         ("hand", ("wrist",), ("pinky", "index"), "hand", "upper"),
         ("thigh", ("hip",), ("knee",), "thigh", "lower"),
         ("shank", ("knee",), ("ankle",), "shank", "lower"),
         ("foot", ("heel",), ("foot_index",), "foot", "lower"))
ARM_ROWS = ("upper_arm", "forearm", "hand")
#: landmarks without which nothing is computed (hands and head are optional)
REQUIRED = tuple(f"{s}_{p}" for s in SIDES for p in ("shoulder", "elbow", "wrist", "hip",
                                                     "knee", "ankle", "heel", "foot_index"))


@dataclass
class SegmentState:
    """Kinematics of one segment: name, group ('upper'/'lower'), arm, mass (kg), CM (T, 3) m,
    CM velocity (T, 3) m/s and local (spin) angular momentum (T, 3) kg m^2/s."""

    name: str
    group: str
    arm: bool
    mass: float
    com: np.ndarray
    vel: np.ndarray
    h_local: np.ndarray


def _point(world: np.ndarray, names: Sequence[str]) -> np.ndarray:
    return np.mean([world[:, INDEX[n], :] for n in names], axis=0)


def _deriv(x: np.ndarray, time: np.ndarray) -> np.ndarray:
    """Central-difference time derivative along axis 0 (NaN propagates locally)."""
    if x.shape[0] < 2:
        return np.full(x.shape, np.nan)
    return np.gradient(x, time, axis=0)


def limb_state(p0: np.ndarray, p1: np.ndarray, time: np.ndarray, params: SegmentParams,
               mass_kg: float, name: str = "segment", group: str = "upper",
               arm: bool = False) -> SegmentState:
    """State of a two-landmark segment from origin ``p0`` to end ``p1`` ((T, 3) m).

    Mass ``params.mass x mass_kg``; CM at ``params.cm`` of the way; local term
    ``m (k_perp L)^2 (e x de/dt)`` with the median length L (the spin about the long axis
    is unobservable and neglected: bounded by ``m (r_long L)^2 |omega_long|``).
    """
    seg = np.asarray(p1, dtype=float) - np.asarray(p0, dtype=float)
    length = np.linalg.norm(seg, axis=1)
    L = float(np.nanmedian(length)) if np.isfinite(length).any() else math.nan
    m = params.mass * mass_kg
    com = p0 + params.cm * seg
    with np.errstate(invalid="ignore", divide="ignore"):
        e = seg / length[:, None]
    k_perp = (params.r_sag + params.r_trans) / 2.0
    h_local = m * (k_perp * L) ** 2 * np.cross(e, _deriv(e, time))
    return SegmentState(name, group, arm, m, com, _deriv(com, time), h_local)


def _limb(world: np.ndarray, time: np.ndarray, side: str, spec: tuple, table: dict,
          mass_kg: float) -> SegmentState:
    name, origin, end, row, group = spec
    p0 = _point(world, [f"{side}_{n}" for n in origin])
    p1 = _point(world, [f"{side}_{n}" for n in end])
    return limb_state(p0, p1, time, table[row], mass_kg, f"{side}_{name}", group,
                      row in ARM_ROWS)


def _frame(long_vec: np.ndarray, line: np.ndarray) -> np.ndarray:
    """(T, 3, 3) rotation with columns (antero-posterior, medio-lateral, long axis)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        ez = long_vec / np.linalg.norm(long_vec, axis=1, keepdims=True)
        ml = line - (line * ez).sum(axis=1, keepdims=True) * ez
        ey = ml / np.linalg.norm(ml, axis=1, keepdims=True)
    return np.stack([np.cross(ey, ez), ey, ez], axis=2)


def _spin(R: np.ndarray, time: np.ndarray, inertia: np.ndarray) -> np.ndarray:
    """Local angular momentum R diag(I) R^T omega, omega from skew(dR/dt R^T)."""
    W = np.einsum("tij,tkj->tik", _deriv(R, time), R)
    omega = 0.5 * np.stack([W[:, 2, 1] - W[:, 1, 2], W[:, 0, 2] - W[:, 2, 0],
                            W[:, 1, 0] - W[:, 0, 1]], axis=1)
    body = np.einsum("tji,tj->ti", R, omega) * inertia          # I (R^T omega)
    return np.einsum("tij,tj->ti", R, body)


def junction(world: np.ndarray, sex: str = "m") -> np.ndarray:
    """(T, 3) lumbo-pelvic junction J = MH + j (MS - MH) (module docstring)."""
    mh = _point(world, ("left_hip", "right_hip"))
    ms = _point(world, ("left_shoulder", "right_shoulder"))
    return mh + LOWER_TRUNK_SHARE[sex] * (ms - mh)


def _trunk(world: np.ndarray, time: np.ndarray, sex: str, mass_kg: float
           ) -> list[SegmentState]:
    mh = _point(world, ("left_hip", "right_hip"))
    axis = _point(world, ("left_shoulder", "right_shoulder")) - mh
    lengths = np.linalg.norm(axis, axis=1)
    L = float(np.nanmedian(lengths)) if np.isfinite(lengths).any() else math.nan
    thorax, pelvis, _ = trunk_split(sex)
    lines = {"thorax": world[:, INDEX["right_shoulder"]] - world[:, INDEX["left_shoulder"]],
             "pelvis": world[:, INDEX["right_hip"]] - world[:, INDEX["left_hip"]]}
    out = []
    for name, part, group in (("thorax", thorax, "upper"), ("pelvis", pelvis, "lower")):
        m = part.mass * mass_kg
        com = mh + part.u_cm * axis
        inertia = m * (L * np.array([part.k_ap, part.k_ml, part.k_long])) ** 2
        h = _spin(_frame(axis, lines[name]), time, inertia)
        out.append(SegmentState(name, group, False, m, com, _deriv(com, time), h))
    return out


def _present(world: np.ndarray, names: Sequence[str]) -> bool:
    return all(np.isfinite(world[:, INDEX[n], 0]).any() for n in names)


def segment_states(world: np.ndarray, time: np.ndarray, mass_kg: float = 70.0,
                   sex: str = "m") -> tuple[list[SegmentState], tuple[str, ...]]:
    """(segment states, omitted optional segments) of the 16-segment model.

    Hands (no pinky/index) and head (no ears) absent from the whole clip are omitted and
    named; every other segment is always included (NaN where its landmarks are missing).
    """
    world = np.asarray(world, dtype=float).reshape(-1, 33, 3)
    time = np.asarray(time, dtype=float)
    table = DE_LEVA[sex]
    states = _trunk(world, time, sex, mass_kg)
    omitted: list[str] = []
    for side in SIDES:
        for spec in LIMBS:
            names = [f"{side}_{n}" for n in spec[1] + spec[2]]
            if spec[0] == "hand" and not _present(world, names):
                omitted.append(f"{side}_hand")
                continue
            states.append(_limb(world, time, side, spec, table, mass_kg))
    if _present(world, ("left_ear", "right_ear")):
        com = _point(world, ("left_ear", "right_ear"))
        states.append(SegmentState("head", "upper", False, table["head"].mass * mass_kg, com,
                                   _deriv(com, time), np.zeros_like(com)))
    else:
        omitted.append("head")
    return states, tuple(omitted)


def about(states: Sequence[SegmentState], point: np.ndarray, vel: np.ndarray) -> np.ndarray:
    """(T, 3) total angular momentum of ``states`` about ``point`` moving with ``vel``."""
    total = np.zeros_like(point)
    for s in states:
        total = total + np.cross(s.com - point, s.mass * (s.vel - vel)) + s.h_local
    return total


def centre_of_mass(states: Sequence[SegmentState]) -> tuple[np.ndarray, np.ndarray, float]:
    """(COM (T, 3), COM velocity (T, 3), total mass kg) of ``states``."""
    m = sum(s.mass for s in states)
    com = sum(s.mass * s.com for s in states) / m
    vel = sum(s.mass * s.vel for s in states) / m
    return com, vel, m


@dataclass
class BodyMomentum:
    """Vertical angular momentum H_z (kg m^2/s, + = counter-clockwise from above), all
    about the whole-body COM: per segment, upper body, lower body, both arms, whole body.
    ``com`` (T, 3) m in the world frame; ``omitted``: optional segments left out."""

    time: np.ndarray
    segments: dict[str, np.ndarray]
    upper: np.ndarray
    lower: np.ndarray
    arms: np.ndarray
    whole: np.ndarray
    com: np.ndarray
    mass_kg: float
    sex: str
    omitted: tuple[str, ...] = field(default_factory=tuple)


def angular_momentum(world: np.ndarray, time: np.ndarray, mass_kg: float = 70.0,
                     sex: str = "m", up: np.ndarray = UP) -> BodyMomentum:
    """Segment, upper-, lower-body and whole-body H_z about the whole-body COM (TT1).

    Parameters
    ----------
    world : (T, 33, 3) world landmarks, m (module docstring for axes). time : (T,) s.
    mass_kg : body mass (H scales linearly with it; ratios do not depend on it).
    sex : 'm' or 'f' (de Leva table). up : unit vertical in world coordinates.
    """
    time = np.asarray(time, dtype=float)
    states, omitted = segment_states(world, time, mass_kg, sex)
    com, vel, _ = centre_of_mass(states)
    u = np.asarray(up, dtype=float) / np.linalg.norm(up)
    segs = {s.name: about([s], com, vel) @ u for s in states}

    def total(keep) -> np.ndarray:
        return sum((segs[s.name] for s in states if keep(s)), np.zeros(time.shape))

    upper, lower = total(lambda s: s.group == "upper"), total(lambda s: s.group == "lower")
    return BodyMomentum(time, segs, upper, lower, total(lambda s: s.arm), upper + lower, com,
                        mass_kg, sex, omitted)


# ---------------------------------------------------------------- TT1 normalisation
def com_height(world: np.ndarray, com: np.ndarray, up: np.ndarray = UP) -> float:
    """Approximate COM height above the ground, m: median over frames of the COM's height
    above the lowest heel or toe landmark (the stance foot is on the ground; flight frames
    bias it slightly low). NaN without feet."""
    u = np.asarray(up, dtype=float) / np.linalg.norm(up)
    feet = np.stack([world[:, INDEX[f"{s}_{p}"]] @ u for s in SIDES
                     for p in ("heel", "foot_index")], axis=1)
    ok = np.isfinite(feet).any(axis=1) & np.isfinite(com).all(axis=1)
    if not ok.any():
        return math.nan
    return float(np.median(com[ok] @ u - np.nanmin(feet[ok], axis=1)))


def normalised(h: np.ndarray, mass_kg: float, speed_m_s: float, com_height_m: float
               ) -> np.ndarray:
    """Dimensionless ``H_z / (M v h_COM)`` (Herr & Popovic 2008); NaN if v or h unknown."""
    scale = mass_kg * speed_m_s * com_height_m
    if not (math.isfinite(scale) and scale > 0):
        return np.full(np.shape(h), np.nan)
    return np.asarray(h, dtype=float) / scale


# ---------------------------------------------------------------- TT2, TT3, TT5
def _cut(signals: Sequence[np.ndarray], time: np.ndarray, strikes: np.ndarray
         ) -> np.ndarray:
    """(n, 101, k) complete time-normalised strides of k signals (mechanics.cycles)."""
    cut = cut_strides(np.column_stack(signals), np.asarray(time, dtype=float), strikes)
    data = cut.data.reshape(-1, cut.percent.size, len(signals))
    return data[np.isfinite(data).all(axis=(1, 2))]


def cancellation_index(h_upper: np.ndarray, h_lower: np.ndarray, time: np.ndarray,
                       strikes: np.ndarray) -> np.ndarray:
    """TT2 per stride: ``1 - int|H_U + H_L| dt / int(|H_U| + |H_L|) dt`` (1 = perfect).

    Strides run between consecutive ``strikes`` (one foot, s); model-based estimate.
    """
    d = _cut([h_upper, h_lower], time, strikes)
    num = np.trapezoid(np.abs(d[:, :, 0] + d[:, :, 1]), axis=1)
    den = np.trapezoid(np.abs(d[:, :, 0]) + np.abs(d[:, :, 1]), axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, 1.0 - num / den, np.nan)


def arm_share(h_arms: np.ndarray, h_lower: np.ndarray, time: np.ndarray,
              strikes: np.ndarray) -> np.ndarray:
    """TT5 per stride: ``p2p(H_arms,z) / p2p(H_L,z)`` (model-based estimate)."""
    d = _cut([h_arms, h_lower], time, strikes)
    p2p = np.ptp(d, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(p2p[:, 1] > 0, p2p[:, 0] / p2p[:, 1], np.nan)


def _pearson(a: np.ndarray, b: np.ndarray) -> float:
    ok = np.isfinite(a) & np.isfinite(b)
    if ok.sum() < 3 or np.std(a[ok]) == 0 or np.std(b[ok]) == 0:
        return math.nan
    return float(np.corrcoef(a[ok], b[ok])[0, 1])


def upper_lower_correlation(h_upper: np.ndarray, h_lower: np.ndarray, time: np.ndarray,
                            strikes: np.ndarray) -> tuple[float, float]:
    """TT3: (Pearson r of H_U,z and H_L,z, lag at max |cross-correlation| in % stride).

    Samples between the first and last strike of ``strikes`` (one foot). Lags up to half a
    stride; the lag is that of the cross-correlation extremum with the sign of r (there
    |cc| is largest; for periodic signals the opposite extremum half a stride away can be
    as large). Positive lag = the upper body follows: ``H_U(t) ~ +-H_L(t - lag)``. Expected
    strongly negative r (Hinrichs 1987); model-based estimate.
    """
    t = np.asarray(time, dtype=float)
    fs = np.sort(np.asarray(strikes, dtype=float))
    if fs.size < 2 or t.size < 4:
        return math.nan, math.nan
    inside = (t >= fs[0]) & (t <= fs[-1])
    u, low = np.asarray(h_upper)[inside], np.asarray(h_lower)[inside]
    r = _pearson(u, low)
    stride = float(np.median(np.diff(fs)))
    dt = float(np.median(np.diff(t)))
    max_k = min(int(round(0.5 * stride / dt)), u.size - 3)
    if not math.isfinite(r) or max_k < 1:
        return r, math.nan
    lags = np.arange(-max_k, max_k + 1)
    cc = np.array([_pearson(u[k:], low[:low.size - k]) if k >= 0 else
                   _pearson(u[:u.size + k], low[-k:]) for k in lags])
    if not np.isfinite(cc).any():
        return r, math.nan
    best = int(lags[np.nanargmax(np.sign(r) * cc)])
    return r, 100.0 * best * dt / stride


# ---------------------------------------------------------------- TT6
def trunk_vertical_moment(world: np.ndarray, time: np.ndarray, mass_kg: float,
                          sex: str = "m", up: np.ndarray = UP,
                          origin_acc: np.ndarray | None = None) -> np.ndarray:
    """TT6: estimated net vertical moment transmitted between trunk and pelvis, N m.

    Top-down on the upper-body subsystem U = thorax + head + arms (no ground contact),
    about its COM C_U, at the junction J (science.md 4.5)::

        M_J,z = d/dt[H_U about C_U]_z - [(r_J - r_CU) x m_U a_CU]_z

    (gravity is vertical: its term has no z component). ``a_CU`` must be inertial: world
    landmarks are hip-centred, so pass the hip centre's own acceleration as ``origin_acc``
    ((T, 3) m/s^2 in world axes, e.g. from the scaled 2D image track; the depth component
    stays unknown). Without it the translation term uses relative accelerations only.
    Second derivatives: the landmarks must be low-pass filtered. Model-based estimate,
    exploratory; never "torque transfer efficiency".
    """
    time = np.asarray(time, dtype=float)
    states, _ = segment_states(world, time, mass_kg, sex)
    upper = [s for s in states if s.group == "upper"]
    c_u, v_u, m_u = centre_of_mass(upper)
    u = np.asarray(up, dtype=float) / np.linalg.norm(up)
    dh = _deriv(about(upper, c_u, v_u) @ u, time)
    acc = _deriv(v_u, time)
    if origin_acc is not None:
        acc = acc + np.asarray(origin_acc, dtype=float)
    arm = junction(np.asarray(world, dtype=float).reshape(-1, 33, 3), sex) - c_u
    return dh - np.cross(arm, m_u * acc) @ u


def stride_peaks(signal: np.ndarray, time: np.ndarray, strikes: np.ndarray) -> np.ndarray:
    """Per-stride maximum of ``|signal|`` (e.g. the TT6 peak), strides between ``strikes``."""
    d = _cut([np.abs(np.asarray(signal, dtype=float))], time, strikes)
    return d[:, :, 0].max(axis=1) if d.size else np.zeros(0)


def world_coverage(world: np.ndarray | None) -> float:
    """Share of frames in which every :data:`REQUIRED` world landmark is finite (0 if None)."""
    if world is None or len(world) == 0:
        return 0.0
    idx = [INDEX[n] for n in REQUIRED]
    return float(np.isfinite(np.asarray(world)[:, idx, :]).all(axis=(1, 2)).mean())
