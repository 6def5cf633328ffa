"""Confidence grades of the reported metrics: every rule in one place.

A metric's grade starts from :data:`VIEW_GRADES` (its family and the camera view: the
validity matrix of science.md 0.3 and the guidance of science.md 10), then :data:`RULES` are
applied in order. A rule whose effect is ``'not_measurable'`` ends the grading with its
reason; a rule whose effect is a grade caps the grade there and adds its reason. The last
rule turns a value that could not be computed into ``'not_measurable'``, so a metric is
never invented and never raises.

=============  ====================================  =================  =======================
rule           families                              effect             when
=============  ====================================  =================  =======================
view           spatial, sagittal, trunk, arms,       not_measurable     front/back view
               coordination
view           frontal_arms                          not_measurable     side view
strides        all                                   not_measurable     fewer than 2 strides
scale          spatial, vertical                     not_measurable     no --height and no
                                                                        --treadmill-speed
upper_body     metrics needing shoulders/arms        not_measurable     landmarks detected in
                                                                        < 50 % of frames
rotation       rotation                              not_measurable     the view's calibrated
                                                                        error is not below
                                                                        5 deg (docs/rotation.md),
                                                                        or its estimator needs
                                                                        absent world landmarks
world          metrics needing world landmarks       not_measurable     no 3D world landmarks
                                                                        in >= 50 % of frames
mass           metrics needing the body mass         not_measurable     no --mass
frame_rate     timing                                low                < 60 fps (sprint: 120)
events         timing, sagittal, coordination        low                irregular events
events         cadence, spatial                      medium             irregular events
model          momentum, rotation                    low                always (model-based
                                                                        estimate)
value          all                                   not_measurable     no finite value
=============  ====================================  =================  =======================

"Irregular events": more than 25 % of the contacts failed the detector's sanity checks,
came from its fallback (no ground contact found), broke the left/right alternation or
overlapped the other foot's contact (no flight: walking), or the stride times, or one side's
step times, vary by more than 10 % (coefficient of variation; steady running varies by a few
per cent [M]; RBDS001: stride times 1.5-4 %, the larger side's step times 3.0 %). A foot
strike detected several frames off shows in the step times of its side (real 30 fps
treadmill clip: 16-17 % per side, stride times 8 %); a steady left/right difference does
not. The sagittal metrics are read at the events, so they drop with them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from mechanics.analysis.metrics import GRADES, MetricSpec
from mechanics.rotation_calibration import assess
from mechanics.view import MIN_FPS_DISTANCE, MIN_FPS_SPRINT

VIEWS = ("side", "oblique", "front", "back", "unknown")

#: base grade by metric family and camera view (columns: VIEWS); None = not measurable
VIEW_GRADES: dict[str, tuple[str | None, ...]] = {
    #             side      oblique   front     back      unknown
    "cadence":  ("high",   "medium", "medium", "medium", "medium"),
    "timing":   ("medium", "low",    "low",    "low",    "low"),
    "spatial":  ("medium", "low",    None,     None,     "low"),
    "vertical": ("medium", "low",    "medium", "medium", "low"),
    "sagittal": ("medium", "low",    None,     None,     "low"),
    "trunk":    ("medium", "low",    None,     None,     "low"),
    "arms":     ("medium", "low",    None,     None,     "low"),
    "frontal_arms": (None, "low",    "medium", "medium", "low"),
    "coordination": ("medium", "low", None,   None,     "low"),
    "momentum": ("low",    "low",    "low",    "low",    "low"),
    "rotation": ("low",    "low",    "low",    "low",    "low"),
}

MIN_STRIDES = 2
#: a landmark group counts as present when detected in at least this share of frames
MIN_PRESENT_SHARE = 0.5
#: irregular events: share of bad contacts above this, or stride-time or one side's
#: step-time CV above MAX_STRIDE_CV
MAX_IRREGULAR_SHARE = 0.25
MAX_STRIDE_CV = 0.10

#: landmark groups checked by the upper_body rule ('world' and 'mass' have their own rules)
LANDMARK_GROUPS = ("shoulders", "arms")
MODEL_REASON = ("model-based estimate (unvalidated against motion capture): monocular 3D world "
                "landmarks and population-mean segment inertia (science.md 0.3, 4.4); "
                "exploratory, never clinical")

ROTATION_REASON = ("model-based estimate (unvalidated against motion capture): yaw of the hip "
                   "and shoulder landmark lines, calibrated on synthetic runners only "
                   "(science.md 3, docs/rotation.md)")

_VIEW_REASON = {"oblique": "oblique camera view: planar times and angles are approximate "
                           "(science.md 0.3)",
                "unknown": "camera view could not be determined (shoulders/hips missing)"}


@dataclass
class Context:
    """What the rules look at.

    Attributes
    ----------
    view : one of :data:`VIEWS`. fps : frame rate of the track, Hz. sprint : sprint analysis.
    n_strides : strides with a valid stride time. scale_source : 'belt', 'height' or None.
    present : landmark group ('shoulders', 'arms', 'world') -> detected in enough frames
        ('world': every world landmark of the segment model).
    irregular_share : share of contacts that are invalid, fallback or out of alternation.
    stride_cv : coefficient of variation of the stride times (NaN if < 2 strides).
    step_cv : the larger of the two sides' step-time coefficients of variation (NaN if
        neither side has 2 steps).
    mass_kg : body mass given by the user, kg (None = not given).
    view_yaw_deg : body yaw relative to the camera from the view detector, deg (0 = frontal,
        90 = side on; picks the calibrated view of the rotation rule).
    """

    view: str
    fps: float
    sprint: bool
    n_strides: int
    scale_source: str | None
    present: dict[str, bool]
    irregular_share: float = 0.0
    stride_cv: float = math.nan
    step_cv: float = math.nan
    mass_kg: float | None = None
    view_yaw_deg: float = math.nan


Test = Callable[[Context, MetricSpec, tuple[float, float, float]], str | None]


@dataclass(frozen=True)
class Rule:
    """One confidence rule: when ``test`` returns a reason, apply ``effect``."""

    name: str
    families: frozenset[str]
    effect: str
    test: Test


def _view(c: Context, s: MetricSpec, v: tuple[float, float, float]) -> str | None:
    if _base(s.family, c.view) is None:
        need = "a front or back view" if s.family == "frontal_arms" else "a side view"
        return f"{s.family} metrics need {need} (camera view: {c.view}; science.md 0.3)"
    return None


def _strides(c: Context, s: MetricSpec, v: tuple[float, float, float]) -> str | None:
    if c.n_strides < MIN_STRIDES:
        return f"fewer than {MIN_STRIDES} strides detected ({c.n_strides})"
    return None


def _scale(c: Context, s: MetricSpec, v: tuple[float, float, float]) -> str | None:
    if c.scale_source is None:
        return ("needs a scale: give the runner's height (--height) or the treadmill belt "
                "speed (--treadmill-speed)")
    return None


def _upper_body(c: Context, s: MetricSpec, v: tuple[float, float, float]) -> str | None:
    if any(not c.present.get(g, False) for g in s.needs if g in LANDMARK_GROUPS):
        return "upper-body landmarks absent"
    return None


def _world(c: Context, s: MetricSpec, v: tuple[float, float, float]) -> str | None:
    if s.family == "rotation":          # the rotation rule checks it for the view's estimator
        return None
    if "world" in s.needs and not c.present.get("world", False):
        return ("needs 3D world landmarks (absent: e.g. a landmark CSV without the _wx/_wy/_wz "
                "columns, such as one converted from motion capture)")
    return None


def _mass(c: Context, s: MetricSpec, v: tuple[float, float, float]) -> str | None:
    if "mass" in s.needs and c.mass_kg is None:
        return "needs the runner's body mass (--mass)"
    return None


def _model(c: Context, s: MetricSpec, v: tuple[float, float, float]) -> str | None:
    return ROTATION_REASON if s.family == "rotation" else MODEL_REASON


def _rotation(c: Context, s: MetricSpec, v: tuple[float, float, float]) -> str | None:
    """The calibrated view rule of docs/rotation.md; the world landmarks when its
    estimator needs them."""
    rule = assess(s.name, c.view, c.view_yaw_deg)
    if not rule.measurable:
        return rule.reason
    if rule.method == "world" and not c.present.get("world", False):
        return f"the {c.view}-view rotation estimator needs 3D world landmarks (absent)"
    return None


def _frame_rate(c: Context, s: MetricSpec, v: tuple[float, float, float]) -> str | None:
    limit = MIN_FPS_SPRINT if c.sprint else MIN_FPS_DISTANCE
    if math.isfinite(c.fps) and c.fps >= limit - 0.5:
        return None
    what = "sprinting" if c.sprint else "distance running"
    sd = 1000.0 / c.fps / math.sqrt(12) if c.fps > 0 else math.nan
    return (f"{c.fps:.0f} fps is below the {limit:.0f} fps needed for contact and flight times "
            f"in {what} (frame quantisation alone: {sd:.1f} ms SD per event; science.md 1.4)")


def _events(c: Context, s: MetricSpec, v: tuple[float, float, float]) -> str | None:
    return irregular_events(c)


def irregular_events(c: Context) -> str | None:
    """Why the gait events are irregular (module notes), or None when they are regular."""
    bad = c.irregular_share > MAX_IRREGULAR_SHARE
    cv = any(math.isfinite(x) and x > MAX_STRIDE_CV for x in (c.stride_cv, c.step_cv))
    if not (bad or cv):
        return None
    step = f", one side's step-time CV {100 * c.step_cv:.0f} %" if math.isfinite(c.step_cv) else ""
    return (f"irregular gait events ({100 * c.irregular_share:.0f} % of contacts invalid, "
            f"fallback or out of alternation; stride-time CV {100 * c.stride_cv:.0f} %{step})")


def _value(c: Context, s: MetricSpec, v: tuple[float, float, float]) -> str | None:
    if math.isfinite(v[0]):
        return None
    return "could not be computed (landmarks missing around the gait events)"


_ALL = frozenset(VIEW_GRADES)

#: the rules, in the order they are applied (see the module docstring table)
RULES: tuple[Rule, ...] = (
    Rule("view", _ALL, "not_measurable", _view),
    Rule("strides", _ALL, "not_measurable", _strides),
    Rule("scale", frozenset({"spatial", "vertical"}), "not_measurable", _scale),
    Rule("upper_body", _ALL, "not_measurable", _upper_body),
    Rule("rotation", frozenset({"rotation"}), "not_measurable", _rotation),
    Rule("world", _ALL, "not_measurable", _world),
    Rule("mass", _ALL, "not_measurable", _mass),
    Rule("frame_rate", frozenset({"timing"}), "low", _frame_rate),
    Rule("events", frozenset({"timing", "sagittal", "coordination"}), "low", _events),
    Rule("events", frozenset({"cadence", "spatial"}), "medium", _events),
    Rule("model", frozenset({"momentum", "rotation"}), "low", _model),
    Rule("value", _ALL, "not_measurable", _value),
)


def _base(family: str, view: str) -> str | None:
    col = VIEWS.index(view) if view in VIEWS else VIEWS.index("unknown")
    return VIEW_GRADES[family][col]


def grade(spec: MetricSpec, ctx: Context, values: tuple[float, float, float]
          ) -> tuple[str, str]:
    """(confidence, reason) of one metric with (value, left, right) ``values``."""
    base = _base(spec.family, ctx.view)
    best = _base(spec.family, "side")
    current = base or "not_measurable"
    reasons = [_VIEW_REASON.get(ctx.view, "")] if base != best and base is not None else []
    for rule in RULES:
        if spec.family not in rule.families:
            continue
        why = rule.test(ctx, spec, values)
        if why is None:
            continue
        if rule.effect == "not_measurable":
            return "not_measurable", why
        if GRADES.index(rule.effect) < GRADES.index(current):
            current = rule.effect
        reasons.append(why)
    return current, "; ".join(r for r in reasons if r)
