"""Raw metric values (value, left, right) and the per-step table from the gait and
kinematics results. No grading here (see :mod:`mechanics.analysis.confidence`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from mechanics.gait import GaitResult, Step
from mechanics.kinematics import ContactKinematics

NAN = math.nan
Triple = tuple[float, float, float]

#: metric name -> ContactKinematics attribute (per-contact sagittal metrics)
CONTACT_KEYS = {
    "knee_flexion_at_contact_deg": "knee_flexion_strike_deg",
    "peak_stance_knee_flexion_deg": "knee_flexion_peak_stance_deg",
    "shank_angle_at_contact_deg": "shank_angle_strike_deg",
    "foot_strike_angle_deg": "foot_strike_angle_deg",
    "overstride_leg_lengths": "overstride_leg",
    "hip_extension_at_toe_off_deg": "hip_extension_off_deg",
}


def _mean(values: list[float]) -> float:
    a = np.asarray(values, dtype=float)
    a = a[np.isfinite(a)]
    return float(a.mean()) if a.size else NAN


def _sides(steps: list[Step], fn: Callable[[Step], float]) -> tuple[float, float]:
    """Per-side means of ``fn(step)`` (left, right)."""
    left = _mean([fn(s) for s in steps if s.side == "left"])
    right = _mean([fn(s) for s in steps if s.side == "right"])
    return left, right


def _both(left: float, right: float) -> float:
    return _mean([left, right])


def gait_values(gait: GaitResult) -> dict[str, Triple]:
    """(value, left, right) of the spatiotemporal metrics (NaN = not computed)."""
    s, steps = gait.summary, gait.steps
    out: dict[str, Triple] = {"cadence_spm": (s.cadence_spm, NAN, NAN)}
    out["step_time_s"] = (s.step_time_s, *_sides(steps, lambda x: x.step_s))
    out["contact_time_s"] = (s.contact_time_s, s.contact_time_left_s, s.contact_time_right_s)
    out["flight_time_s"] = (s.flight_time_s, *_sides(steps, lambda x: x.flight_s))
    out["duty_factor"] = (s.duty_factor, *_sides(steps, lambda x: x.contact_s / x.stride_s))
    out["step_length_m"] = (s.step_length_m, *_sides(steps, lambda x: x.length_m))
    out["speed_mps"] = (s.speed_m_s, NAN, NAN)
    out["vertical_oscillation_cm"] = (s.vertical_oscillation_cm, NAN, NAN)
    return out


def kinematics_values(summary: dict[str, float]) -> dict[str, Triple]:
    """(value, left, right) of the angle metrics from :func:`summarize_kinematics` output."""
    g = summary.get
    out: dict[str, Triple] = {"trunk_lean_deg": (g("trunk_lean_mean_deg", NAN), NAN, NAN)}
    for name, key in CONTACT_KEYS.items():
        out[name] = (g(f"{key}_mean", NAN), g(f"left_{key}_mean", NAN),
                     g(f"right_{key}_mean", NAN))
    elbow = [g(f"{s}_elbow_flexion_mean_deg", NAN) for s in ("left", "right")]
    out["elbow_angle_deg"] = (_both(*elbow), *elbow)
    swing = [g(f"{s}_shoulder_flexion_peak_deg", NAN) + g(f"{s}_shoulder_extension_peak_deg", NAN)
             for s in ("left", "right")]
    out["shoulder_flexion_range_deg"] = (_both(*swing), *swing)
    return out


#: columns of the per-step table (steps.csv), units in the names
STEP_COLUMNS = ("step", "side", "foot_strike_s", "toe_off_s", "contact_s", "flight_s", "step_s",
                "stride_s", "swing_s", "duty_factor", "step_length_m", "event_method",
                *CONTACT_KEYS, "trunk_lean_at_contact_deg")


def _f(v: float, digits: int = 4) -> float:
    return round(float(v), digits) if v is not None and math.isfinite(v) else NAN


def step_rows(gait: GaitResult, contacts: list[ContactKinematics]) -> list[dict[str, Any]]:
    """One dict per step (units in the keys): events, times, length and contact kinematics.

    The step is opened by the foot strike of ``side``; kinematics belong to that contact.
    """
    by_strike = {round(k.strike_s, 6): k for k in contacts}
    methods = {round(c.strike_s, 6): c.method for c in gait.events.contacts}
    rows = []
    for i, s in enumerate(gait.steps):
        k = by_strike.get(round(s.strike_s, 6))
        row: dict[str, Any] = {
            "step": i + 1, "side": s.side, "foot_strike_s": _f(s.strike_s),
            "toe_off_s": _f(s.off_s), "contact_s": _f(s.contact_s), "flight_s": _f(s.flight_s),
            "step_s": _f(s.step_s), "stride_s": _f(s.stride_s), "swing_s": _f(s.swing_s),
            "duty_factor": _f(s.contact_s / s.stride_s), "step_length_m": _f(s.length_m),
            "event_method": methods.get(round(s.strike_s, 6), ""),
        }
        for name, key in CONTACT_KEYS.items():
            row[name] = _f(getattr(k, key), 2) if k is not None else NAN
        row["trunk_lean_at_contact_deg"] = _f(k.trunk_lean_strike_deg, 2) if k else NAN
        rows.append(row)
    return rows


def event_regularity(gait: GaitResult) -> tuple[float, float, float]:
    """(irregular share, stride-time CV, step-time CV) of the detected events.

    Irregular contacts: invalid, from the Zeni fallback, followed by a contact of the same
    foot (no contralateral contact between them) or by a contralateral strike before their
    own toe-off (no flight: walking). The share is of the contacts that can be judged: the
    last one and those whose toe-off is unknown (clip end) have no verdict. The step-time CV
    is the larger of the two sides' (steps opened by that side's foot strike): a steady
    asymmetry leaves it small, a foot strike detected frames off makes it large while the
    stride times, which span both, may still look steady.
    """
    contacts = gait.events.contacts
    if not contacts:
        return 0.0, NAN, NAN
    bad = {id(c) for c in contacts if not c.valid or c.method != "contact"}
    judged = set(bad)
    valid = [c for c in contacts if c.valid]
    for a, b in zip(valid[:-1], valid[1:], strict=True):
        if np.isfinite(a.off_s) or a.side == b.side:
            judged.add(id(a))
        if a.side == b.side or b.strike_s < a.off_s:
            bad.add(id(a))
    stride = _cv(np.array([s.stride_s for s in gait.steps], dtype=float))
    sides = [_cv(np.array([s.step_s for s in gait.steps if s.side == side], dtype=float))
             for side in ("left", "right")]
    step = max((v for v in sides if np.isfinite(v)), default=NAN)
    return (len(bad) / len(judged) if judged else 0.0), stride, step


def _cv(x: np.ndarray) -> float:
    """Coefficient of variation of the finite values (NaN below two)."""
    x = x[np.isfinite(x)]
    return float(x.std(ddof=1) / x.mean()) if x.size >= 2 else NAN
