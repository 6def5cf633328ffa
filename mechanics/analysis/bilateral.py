"""The ``symmetry`` block of ``metrics.json``: every bilateral metric, left vs right.

For each metric with left and right values (``per_side`` in :data:`SPECS`)::

    {"left", "right", "difference", "symmetry_angle_pct", "variability", "flag"}

(:func:`mechanics.symmetry.bilateral_entry`): ``left``/``right`` are the metric's reported
values, ``difference`` = left - right in its unit, ``symmetry_angle_pct`` the Zifchock
symmetry angle (withheld for quantities near or crossing zero: :data:`NO_RATIO`),
``variability`` the pooled stride-to-stride SD of the per-step or per-stride values of the two
sides, and ``flag`` is True only when |L - R| exceeds both that SD and the pipeline's
measured error for a left-right difference of the metric (:func:`lr_error`; science.md 6.3).

Measurement errors (same unit as the metric; where each figure comes from):

=============================  ===============================================================
contact_time_s                 22.8 ms (>= 60 fps) / 27.4 ms (< 60 fps): contact-time MAE vs
                               force plates, RBDS001 virtual landmarks with 5 px noise
                               (docs/metrics.md; "expect the 5 px rows or worse" for pose)
step_time_s                    sqrt(2) x foot-strike median abs error of the same rows
                               (10.5 / 18.1 ms) = 14.8 / 25.6 ms [D]
flight_time_s                  sqrt(FS^2 + TO^2) errors of the same rows = 15.7 / 20.6 ms [D]
duty_factor                    contact-time error / mean stride time [D]
step_length_m                  speed x step-time error [D] (the scale is common to both sides)
angles (deg)                   5 deg: 2D pose sagittal angles ~5-8 deg RMSE (science.md 10),
                               lower end since an offset common to both sides cancels
overstride_leg_lengths         0.04 leg lengths [D]: hip landmark 30-50 mm from the joint
                               centre (Needham et al. 2021, science.md 4.3) / ~0.9 m leg
arm_leg_relative_phase_deg     10 deg [D]: 5 deg angle error on a ~25-30 deg swing amplitude,
                               atan(5 / 27.5)
thigh_shank_coupling           unknown (no validation): never flagged
=============================  ===============================================================

The errors are per-step figures compared with the difference of side means: conservative,
because side-specific errors (far-side occlusion) do not average out over steps.

Left-right artefact of a side view (:data:`SIDE_VIEW_LR_ERR`). A side camera sees the near
limbs whole and the far limbs partly hidden, and MediaPipe's far-side landmarks are biased:
on symmetric synthetic runners (no asymmetry at all) tracked with the full model the
pipeline reports, e.g., step times 10-40 ms apart (foot strikes of the two feet biased
differently), knee flexion at contact up to 9.5 deg apart and far arm swings 8-11 deg
smaller (docs/symmetry.md, "Left-right artefact of a side view"). The flag's error
is therefore the larger of the figure above and a tolerance bound of the |L - R| measured
on ten symmetric runners: a difference that the pipeline produces on a symmetric runner
is not reported as the runner's asymmetry.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mechanics.analysis.metrics import SPECS, Metric
from mechanics.analysis.values import CONTACT_KEYS
from mechanics.gait import GaitResult
from mechanics.kinematics import ContactKinematics
from mechanics.symmetry import bilateral_entry

SIDES = ("left", "right")
#: bilateral metrics near or crossing zero: absolute difference only, no symmetry angle
NO_RATIO = frozenset({"shank_angle_at_contact_deg", "foot_strike_angle_deg",
                      "overstride_leg_lengths", "hip_extension_at_toe_off_deg",
                      "arm_leg_relative_phase_deg"})
#: (>= 60 fps, < 60 fps) per-event figures from docs/metrics.md (RBDS001, 5 px noise), s
CONTACT_MAE_S = (0.0228, 0.0274)
FS_ERR_S = (0.0105, 0.0181)
TO_ERR_S = (0.0117, 0.0098)
ANGLE_ERR_DEG = 5.0
OVERSTRIDE_ERR_LEG = 0.04
PHASE_ERR_DEG = 10.0
#: left-right artefact of a side view in the metric's unit: a 99 % / 95 % normal tolerance
#: bound |mean +- 3.53 SD| of L - R over ten symmetric synthetic runners through MediaPipe
#: (full model, side view, right side near, 4 s; 160-185 spm, 3.0-4.2 m/s, 30/60/120 fps;
#: NIST/SEMATECH e-Handbook 7.2.6.3 for the factor); docs/symmetry.md has the table. Arm
#: metrics: largest |L - R| of four such runners before the far arm was withheld in a side
#: view (they apply where both arms are reported)
SIDE_VIEW_LR_ERR = {
    "step_time_s": 0.082, "contact_time_s": 0.046, "flight_time_s": 0.044,
    "duty_factor": 0.067, "step_length_m": 0.305, "knee_flexion_at_contact_deg": 16.9,
    "peak_stance_knee_flexion_deg": 8.9, "shank_angle_at_contact_deg": 10.9,
    "foot_strike_angle_deg": 8.6, "overstride_leg_lengths": 0.092,
    "hip_extension_at_toe_off_deg": 6.3, "elbow_angle_deg": 15.3,
    "shoulder_flexion_range_deg": 11.0, "arm_swing_range_deg": 11.1,
    "arm_leg_relative_phase_deg": 11.6,
}
ANGLE_METRICS = frozenset({"knee_flexion_at_contact_deg", "peak_stance_knee_flexion_deg",
                           "shank_angle_at_contact_deg", "foot_strike_angle_deg",
                           "hip_extension_at_toe_off_deg", "elbow_angle_deg",
                           "shoulder_flexion_range_deg", "arm_swing_range_deg"})


def measurement_error(name: str, fps: float, stride_s: float = math.nan,
                      speed_m_s: float = math.nan) -> float:
    """The pipeline's measurement error for metric ``name`` in its unit; NaN = unknown.

    ``fps`` selects the 60 / 30 fps rows; ``stride_s`` and ``speed_m_s`` (means of the clip)
    convert time errors for the duty factor and step length. Sources: module docstring.
    """
    row = 0 if math.isfinite(fps) and fps >= 59.5 else 1
    step = math.sqrt(2.0) * FS_ERR_S[row]
    errors = {"contact_time_s": CONTACT_MAE_S[row], "step_time_s": step,
              "flight_time_s": math.hypot(FS_ERR_S[row], TO_ERR_S[row]),
              "duty_factor": CONTACT_MAE_S[row] / stride_s if stride_s > 0 else math.nan,
              "step_length_m": speed_m_s * step,
              "overstride_leg_lengths": OVERSTRIDE_ERR_LEG,
              "arm_leg_relative_phase_deg": PHASE_ERR_DEG}
    if name in ANGLE_METRICS:
        return ANGLE_ERR_DEG
    return float(errors.get(name, math.nan))


def lr_error(name: str, fps: float, stride_s: float = math.nan,
             speed_m_s: float = math.nan) -> float:
    """The error a left-right difference of metric ``name`` must exceed to be flagged: the
    larger of :func:`measurement_error` and the side-view artefact
    :data:`SIDE_VIEW_LR_ERR` (module notes); NaN (never flagged) when the metric's own
    error is unknown."""
    err = measurement_error(name, fps, stride_s, speed_m_s)
    side = SIDE_VIEW_LR_ERR.get(name, math.nan)
    return max(err, side) if math.isfinite(err) and math.isfinite(side) else err


def _by_side(pairs: list[tuple[str, float]]) -> dict[str, np.ndarray]:
    return {s: np.array([v for side, v in pairs if side == s], dtype=float) for s in SIDES}


def step_samples(gait: GaitResult, contacts: list[ContactKinematics]
                 ) -> dict[str, dict[str, np.ndarray]]:
    """Per-step values by metric and side: spatiotemporal (steps) and contact kinematics."""
    steps = gait.steps
    out = {
        "step_time_s": _by_side([(s.side, s.step_s) for s in steps]),
        "contact_time_s": _by_side([(s.side, s.contact_s) for s in steps]),
        "flight_time_s": _by_side([(s.side, s.flight_s) for s in steps]),
        "duty_factor": _by_side([(s.side, s.contact_s / s.stride_s) for s in steps]),
        "step_length_m": _by_side([(s.side, s.length_m) for s in steps]),
    }
    for name, key in CONTACT_KEYS.items():
        out[name] = _by_side([(k.side, getattr(k, key)) for k in contacts])
    return out


def symmetry_block(metrics: dict[str, Metric], samples: dict[str, dict[str, np.ndarray]],
                   fps: float, stride_s: float = math.nan, speed_m_s: float = math.nan,
                   regular_events: bool = True) -> dict[str, dict[str, Any]]:
    """``{metric: entry}`` for every bilateral metric of :data:`SPECS` (module docstring).

    A metric that is not measurable gets an entry of nulls with ``flag`` False. With
    ``regular_events`` False nothing is flagged: the measured errors assume events detected
    as on the validation data, and a foot strike detected frames off makes a left-right
    difference of its own.
    """
    out = {}
    for spec in SPECS:
        if not spec.per_side or spec.name not in metrics:
            continue
        m = metrics[spec.name]
        if not m.measurable:
            out[spec.name] = bilateral_entry(math.nan, math.nan)
            continue
        per = samples.get(spec.name, {})
        err = lr_error(spec.name, fps, stride_s, speed_m_s) if regular_events else math.nan
        out[spec.name] = bilateral_entry(
            m.left, m.right, per.get("left"), per.get("right"),
            error=err if math.isfinite(err) else None, ratio=spec.name not in NO_RATIO)
    return out
