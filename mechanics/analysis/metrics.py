"""The reported metrics: one :class:`Metric` per name, and the table that defines them.

:data:`SPECS` is the single list of what ``mechanics analyze`` reports: name, unit, metric
family (which decides the confidence rules in :mod:`mechanics.analysis.confidence`), whether
the metric has a left and a right value, the landmarks it needs beyond the legs, a
one-sentence definition and its reference (section of ../shared/docs/science.md plus the
paper). ``docs/metrics.md`` is written from the same table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

#: confidence grades, worst first
GRADES = ("not_measurable", "low", "medium", "high")


@dataclass(frozen=True)
class MetricSpec:
    """Static description of one metric.

    Attributes
    ----------
    name : key in ``metrics.json`` (the unit is part of the name).
    unit : unit string ('steps/min', 's', 'm', 'm/s', 'cm', 'deg', 'fraction', 'leg lengths',
        'sh. widths' (shoulder widths), 'ratio', 'r', 'N m').
    family : 'cadence', 'timing', 'spatial', 'vertical', 'sagittal', 'trunk', 'arms',
        'frontal_arms' (front/back views),
        'coordination', 'momentum' or 'rotation'.
    per_side : the metric has left and right values.
    needs : inputs needed besides the legs: landmark groups ('shoulders', 'arms'), 3D world
        landmarks ('world'; rotation: only where the view's estimator uses them) or the body
        mass ('mass').
    definition : one sentence. reference : science.md section and paper(s).
    """

    name: str
    unit: str
    family: str
    per_side: bool
    needs: tuple[str, ...]
    definition: str
    reference: str


_EVENTS = "Zeni et al. 2008; Fellin et al. 2010 (events); Fukuchi et al. 2017 (RBDS)"
_MODEL = ("Model-based estimate (unvalidated against motion capture) from 3D world landmarks "
          "and de Leva (1996) segment inertia, vertical angular momentum about the whole-body "
          "COM; ")
_INERTIA = "de Leva 1996; Hinrichs 1987; Herr & Popovic 2008"
_YAW = ("Model-based estimate (unvalidated against motion capture), reported only in a camera "
        "view where its error on synthetic runners of known rotation is below 5 deg "
        "(docs/rotation.md): ")
_YAW_P2P = (", per-trial mean removed, cut into strides at foot strikes and averaged; the "
            "value is the peak-to-peak of the stride-frequency component of the mean curve.")
_YAW_REF = ("science.md 3.1-3.5, 10; Schache et al. (lumbo-pelvic-hip rotations in running); "
            "Nagahara et al. 2018; docs/rotation.md")

SPECS: tuple[MetricSpec, ...] = (
    MetricSpec("cadence_spm", "steps/min", "cadence", False, (),
               "Steps per minute, 120 / mean stride time (stride = foot strike to the next "
               "foot strike of the same foot).",
               f"science.md 1.6, 2.1; {_EVENTS}"),
    MetricSpec("step_time_s", "s", "cadence", True, (),
               "Mean time from a foot strike to the next contralateral foot strike; left/right "
               "= steps opened by the left/right foot strike.",
               f"science.md 1.6; {_EVENTS}"),
    MetricSpec("contact_time_s", "s", "timing", True, (),
               "Mean ground contact time, toe-off minus foot strike of the same contact.",
               f"science.md 1.4-1.6; {_EVENTS}"),
    MetricSpec("flight_time_s", "s", "timing", True, (),
               "Mean flight time, step time minus contact time (time with neither foot on the "
               "ground after that foot's toe-off).",
               f"science.md 1.6; {_EVENTS}"),
    MetricSpec("duty_factor", "fraction", "timing", True, (),
               "Duty factor = contact time / stride time, the share of a stride one foot is on "
               "the ground (not the per-step t_c / t_step, which is twice as large).",
               f"science.md 1.6, 2.1; {_EVENTS}"),
    MetricSpec("step_length_m", "m", "spatial", True, (),
               "Mean step length, speed over the ground x step time.",
               "science.md 1.6; Stenum et al. 2021; Fukuchi et al. 2017 (RBDS)"),
    MetricSpec("speed_mps", "m/s", "spatial", False, (),
               "Running speed over the ground: the treadmill belt speed when given, else the "
               "mid-hip velocity minus the stance-foot velocity scaled by the runner's height.",
               "science.md 1.6"),
    MetricSpec("vertical_oscillation_cm", "cm", "vertical", False, (),
               "Median over strides of the mid-hip's vertical peak-to-trough range.",
               "science.md 2.1, 10; Folland et al. 2017; Fukuchi et al. 2017 (RBDS)"),
    MetricSpec("trunk_lean_deg", "deg", "trunk", False, ("shoulders",),
               "Mean angle of the mid-hip to mid-shoulder line from the vertical over the clip, "
               "positive = forward lean.",
               "science.md 2.1, 2.3; Thorstensson et al. 1984; Bramah et al. 2018"),
    MetricSpec("knee_flexion_at_contact_deg", "deg", "sagittal", True, (),
               "Knee flexion (thigh angle minus shank angle, 0 = straight) at foot strike, "
               "mean over contacts.",
               "science.md 2.1, 2.3; Bramah et al. 2018; Fukuchi et al. 2017 (RBDS)"),
    MetricSpec("peak_stance_knee_flexion_deg", "deg", "sagittal", True, (),
               "Maximum knee flexion between foot strike and toe-off, mean over contacts.",
               "science.md 2.1, 2.3; Heiderscheit et al. 2011; Fukuchi et al. 2017 (RBDS)"),
    MetricSpec("shank_angle_at_contact_deg", "deg", "sagittal", True, (),
               "Angle of the knee-to-ankle line from the vertical at foot strike, positive = "
               "ankle ahead of the knee (shin reaching forward), mean over contacts.",
               "science.md 2.3; Souza 2016"),
    MetricSpec("foot_strike_angle_deg", "deg", "sagittal", True, (),
               "Angle of the heel-to-toe line from the horizontal at foot strike, positive = "
               "toe up (heel first); no standing offset is subtracted.",
               "science.md 1.5; Altman & Davis 2012"),
    MetricSpec("overstride_leg_lengths", "leg lengths", "sagittal", True, (),
               "Horizontal distance of the heel ahead of the mid-hip at foot strike divided by "
               "the leg length (hip-knee + knee-ankle), mean over contacts.",
               "science.md 2.3; Lieberman et al. 2015"),
    MetricSpec("hip_extension_at_toe_off_deg", "deg", "sagittal", True, ("shoulders",),
               "Hip extension at toe-off, -(thigh angle + trunk lean), positive = thigh behind "
               "the trunk line, mean over contacts.",
               "science.md 2.3; Fukuchi et al. 2017 (RBDS)"),
    MetricSpec("elbow_angle_deg", "deg", "arms", True, ("shoulders", "arms"),
               "Mean elbow flexion over the clip, forearm angle minus upper-arm angle "
               "(0 = straight arm).",
               "science.md 4.2; Hinrichs 1987"),
    MetricSpec("shoulder_flexion_range_deg", "deg", "arms", True, ("shoulders", "arms"),
               "Arm swing amplitude: 95th minus 5th percentile of shoulder flexion (upper arm "
               "relative to the trunk line) over the clip.",
               "science.md 4.2; Hinrichs 1987; Arellano & Kram 2014"),
    MetricSpec("arm_swing_range_deg", "deg", "arms", True, ("shoulders", "arms"),
               "Arm swing range: peak-to-peak (maximum minus minimum) shoulder flexion within "
               "each stride of that side's foot, mean over strides.",
               "science.md 4.2; Hinrichs 1987"),
    MetricSpec("hand_excursion_leg_lengths", "leg lengths", "arms", True, ("shoulders", "arms"),
               "Fore-aft hand excursion: per stride of that side's foot, maximum minus minimum "
               "of the wrist's position relative to the mid-hip in the running direction, "
               "in leg lengths; mean over strides.",
               "science.md 4.2 (hand excursion, AP range of the wrist relative to MH)"),
    MetricSpec("arm_crossover_shoulder_widths", "sh. widths", "frontal_arms", True,
               ("shoulders", "arms"),
               "Arm crossing the midline (front or back view): per stride, the farthest the "
               "wrist goes past the mid-shoulder toward the other side, in shoulder widths "
               "(+ = crosses the midline, - = stays on its own side); mean over strides.",
               "science.md 4.2 (mid-line crossing, front view)"),
    MetricSpec("thigh_shank_coupling", "deg", "coordination", True, (),
               "Thigh-shank vector coding over time-normalised strides: mean coupling angle "
               "variability (CAV); detail gives the % of the stride in-phase, anti-phase, "
               "proximal (thigh) and distal (shank) phase.",
               "science.md 5.2, 5.3; Chang et al. 2008; Needham et al. 2014"),
    MetricSpec("arm_leg_relative_phase_deg", "deg", "coordination", True, ("shoulders", "arms"),
               "Mean absolute continuous relative phase (Hilbert) between shoulder flexion and "
               "the opposite hip flexion (left = left arm with right leg), 0 = in phase; "
               "detail gives the deviation phase.",
               "science.md 4.2, 5.1, 4.5 TT8; Lamb & Stoeckl 2014"),
    MetricSpec("angular_momentum_cancellation_index", "fraction", "momentum", False,
               ("world",),
               _MODEL + "1 - integral of abs(H_upper + H_lower) / integral of (abs(H_upper) + "
               "abs(H_lower)) per stride, median over strides; 1 = perfect cancellation.",
               f"science.md 4.4, 4.5 TT2; {_INERTIA}"),
    MetricSpec("upper_lower_momentum_correlation", "r", "momentum", False, ("world",),
               _MODEL + "Pearson r between upper- and lower-body vertical angular momentum "
               "over the strides (expected strongly negative); detail gives the lag at the "
               "maximum absolute cross-correlation in % of the stride.",
               f"science.md 4.5 TT3; {_INERTIA}"),
    MetricSpec("arm_momentum_share", "ratio", "momentum", False, ("world",),
               _MODEL + "peak-to-peak vertical angular momentum of both arms divided by that of "
               "the lower body, per stride, median over strides.",
               f"science.md 4.5 TT5; {_INERTIA}"),
    MetricSpec("trunk_vertical_moment_peak_nm", "N m", "momentum", False, ("world", "mass"),
               "Model-based estimate (unvalidated against motion capture): estimated net "
               "vertical moment transmitted between trunk and pelvis (top-down, "
               "model-based) on the upper body (thorax, head, arms), peak absolute value per "
               "stride, "
               "median over strides; exploratory.",
               f"science.md 4.5 TT6; {_INERTIA}"),
    MetricSpec("pelvis_rotation_range_deg", "deg", "rotation", False, ("world",),
               _YAW + "pelvis rotation range, yaw of the right-to-left hip line about the "
               "vertical (+ = left hip forward)" + _YAW_P2P, _YAW_REF),
    MetricSpec("thorax_rotation_range_deg", "deg", "rotation", False, ("shoulders", "world"),
               _YAW + "shoulder-line rotation range (a proxy for thorax rotation), yaw of the "
               "right-to-left shoulder line about the vertical" + _YAW_P2P, _YAW_REF),
    MetricSpec("hip_shoulder_separation_deg", "deg", "rotation", False,
               ("shoulders", "world"),
               _YAW + "hip-shoulder separation range, wrap(shoulder-line yaw - pelvis yaw)"
               + _YAW_P2P[:-1] + "; detail gives the lag of the shoulder-line peak after "
               "the pelvis peak in % of the stride.", _YAW_REF),
)

SPEC: dict[str, MetricSpec] = {s.name: s for s in SPECS}


def _num(v: Any) -> float:
    """A JSON value (number or null) as float, NaN for null."""
    return math.nan if v is None else float(v)


def _json(v: float) -> float | None:
    """A float for JSON: NaN and infinities become None (null)."""
    return float(v) if v is not None and math.isfinite(v) else None


def _json_tree(v: Any) -> Any:
    """A JSON-safe copy of a detail tree: non-finite floats become None."""
    if isinstance(v, dict):
        return {str(k): _json_tree(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_json_tree(x) for x in v]
    if isinstance(v, bool | int | str) or v is None:
        return v
    return _json(float(v))


@dataclass
class Metric:
    """One reported metric (a ``metrics.json`` entry).

    Attributes
    ----------
    value : the metric over both sides (NaN when not measurable).
    left, right : per-side values (NaN when not per side or not measurable).
    unit : see :class:`MetricSpec`.
    confidence : 'high', 'medium', 'low' or 'not_measurable'.
    definition, reference : from :data:`SPECS`.
    reason : why not measurable or why the grade is low (empty otherwise); may carry a note.
    detail : extra numbers of a composite metric (e.g. vector-coding bins per side); empty
        for most metrics, and then absent from ``metrics.json``.
    """

    value: float
    left: float
    right: float
    unit: str
    confidence: str
    definition: str
    reference: str
    reason: str = ""
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def measurable(self) -> bool:
        """True unless the confidence is 'not_measurable'."""
        return self.confidence != "not_measurable"

    def add_note(self, note: str) -> None:
        """Append ``note`` to the reason ("; "-separated)."""
        self.reason = f"{self.reason}; {note}" if self.reason else note

    def to_dict(self) -> dict[str, Any]:
        """The ``metrics.json`` entry (NaN -> None); ``detail`` only when not empty."""
        out = {"value": _json(self.value), "left": _json(self.left),
               "right": _json(self.right), "unit": self.unit, "confidence": self.confidence,
               "definition": self.definition, "reference": self.reference,
               "reason": self.reason}
        if self.detail:
            out["detail"] = _json_tree(self.detail)
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Metric:
        """Inverse of :meth:`to_dict` (None -> NaN)."""
        return cls(value=_num(d.get("value")), left=_num(d.get("left")),
                   right=_num(d.get("right")), unit=str(d["unit"]),
                   confidence=str(d["confidence"]), definition=str(d.get("definition", "")),
                   reference=str(d.get("reference", "")), reason=str(d.get("reason", "")),
                   detail=dict(d.get("detail") or {}))
