"""Raw values of the arm-swing, coordination and angular-momentum metrics (no grading).

Each function returns an :class:`Extra`: (value, left, right) triples by metric name, the
``detail`` of composite metrics, per-stride samples by side (for the symmetry block) and the
full results for reports. Nothing here raises on missing data: a value that cannot be
computed is NaN and :mod:`mechanics.analysis.confidence` grades it not measurable.

- arm swing (science.md 4.2): shoulder flexion cut into strides of the same side's foot
  (:func:`mechanics.cycles.cut_strides`); per stride the peak-to-peak range, the forward
  (flexion) and backward (extension) peaks, the 95th-5th percentile range and the mean elbow
  flexion;
- hand path (science.md 4.2): :mod:`mechanics.analysis.hands` (fore-aft excursion, midline
  crossing);
- coordination (science.md 5): :mod:`mechanics.coordination` on the sagittal angles;
- angular momentum (science.md 4.4-4.5): :mod:`mechanics.momentum` on the cleaned world
  landmarks. Without ``mass_kg`` a nominal 70 kg is used for the ratios (CI, r, arm share do
  not depend on the mass) and the trunk moment is not computed; without ``sex`` the male
  de Leva table is used (noted in the detail);
- rotation (science.md 3): :mod:`mechanics.rotation` with the estimator of the camera view
  (:func:`mechanics.rotation_calibration.assess`, docs/rotation.md); the pelvis-thorax
  relative phase only when both rotations are measurable in that view.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mechanics import coordination, momentum, rotation
from mechanics.analysis import hands
from mechanics.cycles import complete_strides
from mechanics.gait import GaitResult
from mechanics.kinematics import Angles
from mechanics.rotation_calibration import METRICS as ROTATION_METRICS
from mechanics.rotation_calibration import assess
from mechanics.sequence import PoseSequence
from mechanics.view import ViewEstimate

NAN = math.nan
SIDES = ("left", "right")
Triple = tuple[float, float, float]
#: mass used for mass-independent ratios when no --mass is given, kg
NOMINAL_MASS_KG = 70.0
#: world landmarks must cover this share of frames (as the 2D landmark groups)
MIN_WORLD_SHARE = 0.5
MOMENTUM_METRICS = ("angular_momentum_cancellation_index", "upper_lower_momentum_correlation",
                    "arm_momentum_share", "trunk_vertical_moment_peak_nm")


@dataclass
class Extra:
    """Values, details, per-stride samples and full results of the extended metrics."""

    values: dict[str, Triple] = field(default_factory=dict)
    details: dict[str, dict[str, Any]] = field(default_factory=dict)
    samples: dict[str, dict[str, np.ndarray]] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)

    def update(self, other: Extra) -> None:
        """Merge ``other`` into this one."""
        for name in ("values", "details", "samples", "results"):
            getattr(self, name).update(getattr(other, name))


def _mean(values: Any) -> float:
    a = np.asarray(values, dtype=float).ravel()
    a = a[np.isfinite(a)]
    return float(a.mean()) if a.size else NAN


def _median(values: Any) -> float:
    a = np.asarray(values, dtype=float).ravel()
    a = a[np.isfinite(a)]
    return float(np.median(a)) if a.size else NAN


def strikes_by_side(gait: GaitResult) -> dict[str, np.ndarray]:
    """Foot-strike times (s) of the valid contacts, by side."""
    return {s: np.array([c.strike_s for c in gait.events.side(s)], dtype=float) for s in SIDES}


def _triple(left: float, right: float) -> Triple:
    return (_mean([left, right]), left, right)


# ---------------------------------------------------------------- arm swing

def _arm_strides(angles: Angles, side: str, strikes: np.ndarray) -> dict[str, np.ndarray]:
    """Per-stride arm values of one side, deg (complete strides only)."""
    sh = complete_strides(angles[f"{side}_shoulder_flexion"], angles.time, strikes)
    el = complete_strides(angles[f"{side}_elbow_flexion"], angles.time, strikes)
    return {"range": sh.max(axis=1, initial=-np.inf) - sh.min(axis=1, initial=np.inf),
            "flexion": sh.max(axis=1, initial=-np.inf),
            "extension": -sh.min(axis=1, initial=np.inf),
            "p95_5": np.percentile(sh, 95, axis=1) - np.percentile(sh, 5, axis=1)
            if len(sh) else np.zeros(0),
            "elbow": el.mean(axis=1) if len(el) else np.zeros(0)}


def arm_values(angles: Angles, strikes: dict[str, np.ndarray]) -> Extra:
    """``arm_swing_range_deg`` and per-stride samples of the arm metrics (deg)."""
    per = {s: _arm_strides(angles, s, strikes[s]) for s in SIDES}
    out = Extra()
    out.values["arm_swing_range_deg"] = _triple(*(_mean(per[s]["range"]) for s in SIDES))
    out.details["arm_swing_range_deg"] = {
        s: {"flexion_peak_deg": _mean(per[s]["flexion"]),
            "extension_peak_deg": _mean(per[s]["extension"]),
            "n_strides": int(per[s]["range"].size)} for s in SIDES}
    out.samples["arm_swing_range_deg"] = {s: per[s]["range"] for s in SIDES}
    out.samples["shoulder_flexion_range_deg"] = {s: per[s]["p95_5"] for s in SIDES}
    out.samples["elbow_angle_deg"] = {s: per[s]["elbow"] for s in SIDES}
    return out


def hand_values(seq: PoseSequence, strikes: dict[str, np.ndarray], direction: int) -> Extra:
    """``hand_excursion_leg_lengths`` and ``arm_crossover_shoulder_widths``
    (:mod:`mechanics.analysis.hands`), with their per-stride samples."""
    out = Extra()
    for name, per in (("hand_excursion_leg_lengths",
                       hands.excursion_samples(seq, strikes, direction)),
                      ("arm_crossover_shoulder_widths", hands.crossover_samples(seq, strikes))):
        out.values[name] = _triple(*(_mean(per[s]) for s in SIDES))
        out.samples[name] = per
    return out


# ---------------------------------------------------------------- coordination
def coordination_values(angles: Angles, strikes: dict[str, np.ndarray]) -> Extra:
    """``thigh_shank_coupling`` (vector coding) and ``arm_leg_relative_phase_deg`` (CRP)."""
    out = Extra()
    vc = coordination.thigh_shank(angles.series, angles.time, strikes)
    out.values["thigh_shank_coupling"] = _triple(vc["left"].cav_deg, vc["right"].cav_deg)
    out.details["thigh_shank_coupling"] = {
        s: {**{f"{b}_pct": v.bins_pct[b] for b in coordination.BINS}, "cav_deg": v.cav_deg,
            "masked_pct": v.masked_pct, "n_strides": v.n} for s, v in vc.items()}
    crp = coordination.arm_leg(angles.series, angles.time, strikes)
    out.values["arm_leg_relative_phase_deg"] = _triple(crp["left"].marp_deg,
                                                       crp["right"].marp_deg)
    out.details["arm_leg_relative_phase_deg"] = {
        s: {"pair": f"{s} shoulder flexion vs {'right' if s == 'left' else 'left'} hip flexion",
            "deviation_phase_deg": r.dp_deg, "n_strides": r.n} for s, r in crp.items()}
    out.samples["arm_leg_relative_phase_deg"] = {s: r.stride_marp_deg for s, r in crp.items()}
    out.results.update(thigh_shank=vc, arm_leg=crp)
    return out


# ---------------------------------------------------------------- angular momentum
def hip_acceleration(seq: PoseSequence, scale_m_per_px: float) -> np.ndarray | None:
    """(T, 3) world-axis acceleration of the mid-hip (the world origin) from the image track,
    m/s^2: image x, y map to world x, y (both camera-aligned, y down); depth unknown (0).
    None without a finite scale."""
    if not (math.isfinite(scale_m_per_px) and scale_m_per_px > 0) or len(seq) < 3:
        return None
    mid = (seq.xy("left_hip") + seq.xy("right_hip")) / 2.0
    acc = np.gradient(np.gradient(mid, seq.time, axis=0), seq.time, axis=0) * scale_m_per_px
    return np.column_stack([acc, np.zeros(len(seq))])


def _pooled(fn: Callable[..., np.ndarray], bm: momentum.BodyMomentum, a: np.ndarray,
            b: np.ndarray, strikes: dict[str, np.ndarray]) -> np.ndarray:
    """Per-stride values of ``fn`` over the strides of both feet."""
    return np.concatenate([fn(a, b, bm.time, strikes[s]) for s in SIDES])


def _normalised_curves(seq: PoseSequence, bm: momentum.BodyMomentum,
                       speed_m_s: float) -> dict[str, Any]:
    """TT1 curves ``H_z / (M v h_COM)`` (Herr & Popovic 2008); empty without a speed."""
    h_com = momentum.com_height(seq.world, bm.com)
    curves = {k: momentum.normalised(getattr(bm, k), bm.mass_kg, speed_m_s, h_com)
              for k in ("upper", "lower", "arms", "whole")}
    if not np.isfinite(curves["whole"]).any():
        return {}
    return {"com_height_m": h_com, "speed_m_s": speed_m_s, **curves}


def momentum_values(seq: PoseSequence, strikes: dict[str, np.ndarray], *,
                    mass_kg: float | None, sex: str | None,
                    origin_acc: np.ndarray | None = None,
                    speed_m_s: float = NAN) -> Extra:
    """TT2, TT3, TT5 and TT6 (science.md 4.5) from the world landmarks of ``seq``; the
    results hold the H_z curves ('momentum') and, with a speed, the normalised TT1 curves
    ('momentum_normalised')."""
    out = Extra()
    out.values.update({n: (NAN, NAN, NAN) for n in MOMENTUM_METRICS})
    if momentum.world_coverage(seq.world) < MIN_WORLD_SHARE:
        return out
    table = sex or "m"
    bm = momentum.angular_momentum(seq.world, seq.time, mass_kg or NOMINAL_MASS_KG, table)
    ci = _pooled(momentum.cancellation_index, bm, bm.upper, bm.lower, strikes)
    share = _pooled(momentum.arm_share, bm, bm.arms, bm.lower, strikes)
    side = max(SIDES, key=lambda s: strikes[s].size)
    r, lag = momentum.upper_lower_correlation(bm.upper, bm.lower, bm.time, strikes[side])
    common = {"sex_table": table + ("" if sex else " (sex not given: male table)"),
              "omitted_segments": list(bm.omitted),
              "partition": "upper = thorax, head, arms; lower = pelvis, legs"}
    out.values["angular_momentum_cancellation_index"] = (_median(ci), NAN, NAN)
    out.values["upper_lower_momentum_correlation"] = (r, NAN, NAN)
    out.values["arm_momentum_share"] = (_median(share), NAN, NAN)
    out.details["angular_momentum_cancellation_index"] = {**common, "n_strides": int(ci.size)}
    out.details["upper_lower_momentum_correlation"] = {**common, "lag_pct_stride": lag}
    out.details["arm_momentum_share"] = {**common, "n_strides": int(share.size)}
    out.results["momentum"] = bm
    out.results["momentum_normalised"] = _normalised_curves(seq, bm, speed_m_s)
    if mass_kg is not None:
        mz = momentum.trunk_vertical_moment(seq.world, seq.time, mass_kg, table,
                                            origin_acc=origin_acc)
        peaks = np.concatenate([momentum.stride_peaks(mz, seq.time, strikes[s]) for s in SIDES])
        out.values["trunk_vertical_moment_peak_nm"] = (_median(peaks), NAN, NAN)
        out.details["trunk_vertical_moment_peak_nm"] = {
            **common, "n_strides": int(peaks.size),
            "hip_acceleration": "added from the scaled image track (x, y; depth unknown)"
            if origin_acc is not None else "not added (no image scale): hip-centred frame"}
        out.results["trunk_moment_nm"] = mz
    return out


# ---------------------------------------------------------------- rotation
def rotation_values(seq: PoseSequence, strikes: dict[str, np.ndarray], facing: int,
                    view: str, yaw_deg: float = NAN) -> Extra:
    """Pelvis and shoulder-line rotation ranges and their separation (deg), with the
    estimator chosen for ``view`` (docs/rotation.md). Results: 'rotation' (the
    :class:`mechanics.rotation.RotationEstimate`), 'rotation_rules' (metric ->
    :class:`mechanics.rotation_calibration.Assessment`) and, when both lines are measurable,
    'pelvis_thorax' (CRP, science.md 5.3)."""
    out = Extra()
    rules = {m: assess(m, view, yaw_deg) for m in ROTATION_METRICS}
    method = next(iter(rules.values())).method
    est = rotation.estimate(seq, method, strikes, facing=facing)
    for name, line in ROTATION_METRICS.items():
        c, rule = est.cycles[line], rules[name]
        out.values[name] = (c.range_deg, NAN, NAN)
        out.details[name] = {
            "method": method, "calibration_view": rule.calibration_view, "cut": est.cut,
            "n_strides": c.n, "stride_range_deg": c.stride_range_deg,
            "peak_angular_velocity_deg_s": c.velocity_peak_deg_s,
            "calibrated_floor_deg": rule.floor_deg, "calibrated_worst_error_deg": rule.worst_deg}
    out.details["hip_shoulder_separation_deg"]["thorax_peak_lag_pct_stride"] = est.lag_pct
    out.results.update(rotation=est, rotation_rules=rules)
    if rules["pelvis_rotation_range_deg"].measurable and \
            rules["thorax_rotation_range_deg"].measurable:
        side = max(SIDES, key=lambda s: strikes[s].size)
        out.results["pelvis_thorax"] = coordination.pelvis_thorax(
            est.pelvis, est.thorax, est.time, strikes[side])
    return out


def extended_values(seq: PoseSequence, gait: GaitResult, angles: Angles, *,
                    mass_kg: float | None = None, sex: str | None = None,
                    view: ViewEstimate | None = None) -> Extra:
    """All extended metrics of one analysis (see the module docstring)."""
    strikes = strikes_by_side(gait)
    out = arm_values(angles, strikes)
    out.update(hand_values(seq, strikes, gait.events.direction or 1))
    out.update(coordination_values(angles, strikes))
    acc = hip_acceleration(seq, gait.summary.scale_m_per_px)
    out.update(momentum_values(seq, strikes, mass_kg=mass_kg, sex=sex, origin_acc=acc,
                               speed_m_s=gait.summary.speed_m_s))
    out.update(rotation_values(seq, strikes, gait.events.direction,
                               view.view if view else "unknown",
                               view.yaw_deg if view else NAN))
    return out
