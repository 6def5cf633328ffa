"""Run the chain once: clean -> view -> events -> steps -> summary -> kinematics -> extended
metrics (arm swing, coordination, angular momentum) -> graded metrics -> symmetry block.

Two copies of the track are used (science.md 7.1: "detect events on a lightly filtered copy
and compute angles on the standard copy"):

- the *event copy*: left/right repaired and gap-filled but not low-passed; the event detector
  applies its own light low-pass (12 Hz, 18 Hz sprint). Measured on RBDS001 with 2 px noise
  at 60 fps, detecting on the fully cleaned copy (automatic cut-off ~4.5 Hz) moved foot
  strikes 12 ms early on average instead of 1.5 ms;
- the *cleaned copy* (:func:`mechanics.clean.clean`): angles and the landmark CSV.

A track that is already cleaned (its provenance holds a ``lowpass`` step) is used as both
copies, with a note.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mechanics.analysis.bilateral import step_samples, symmetry_block
from mechanics.analysis.confidence import MIN_PRESENT_SHARE, Context, grade, irregular_events
from mechanics.analysis.extended import extended_values
from mechanics.analysis.metrics import SPECS, Metric
from mechanics.analysis.result import Analysis
from mechanics.analysis.values import (
    event_regularity,
    gait_values,
    kinematics_values,
    step_rows,
)
from mechanics.errors import MechanicsError
from mechanics.gait import GaitResult, analyze_gait
from mechanics.kinematics import (
    contact_kinematics,
    sagittal_angles,
    summarize_kinematics,
)
from mechanics.momentum import world_coverage
from mechanics.pose.skeleton import INDEX, other_side
from mechanics.sequence import PoseSequence
from mechanics.view import ViewEstimate, detect_view

if TYPE_CHECKING:
    pass

#: fewer frames than this cannot hold two strides at any frame rate worth analysing
MIN_FRAMES = 10
SIDES = ("left", "right")
#: arm metrics whose far-side value a side view cannot support: through MediaPipe the far arm
#: (hidden behind the trunk) read 9-16 deg short in arm swing and ~15 deg off in elbow angle
#: on synthetic runners of known swing (docs/arm-swing.md, "Validation")
FAR_ARM_WITHHELD = ("elbow_angle_deg", "shoulder_flexion_range_deg", "arm_swing_range_deg",
                    "hand_excursion_leg_lengths")
#: what the lighter pose models measurably get wrong (synthetic runners through MediaPipe,
#: docs/metrics.md "Gait events on the synthetic runner", docs/arm-swing.md "Validation")
#: start of the source note saying why no left-right difference is flagged (the report's
#: symmetry page finds it by this)
FLAGS_WITHHELD = "left-right differences not flagged"
MODEL_NOTES = {
    "contact_time_s": "with the {model} model contact times read 25-33 ms long on synthetic "
                      "runners (foot strikes early); --model heavy was within one frame",
    "arm_swing_range_deg": "with the {model} model the near-arm swing read up to 8.5 deg "
                           "short on synthetic runners (40 deg swing); --model heavy was "
                           "within 1.3 deg",
}
MODEL_NOTES["flight_time_s"] = MODEL_NOTES["duty_factor"] = MODEL_NOTES["contact_time_s"]
_GROUPS = {"shoulders": ("shoulder",), "arms": ("shoulder", "elbow", "wrist")}



def is_cleaned(seq: PoseSequence) -> bool:
    """True when the track was already low-pass filtered by :mod:`mechanics.clean`."""
    return any(p.get("step") == "lowpass" and "skipped" not in p for p in seq.provenance)


def _prepare(seq: PoseSequence) -> tuple[PoseSequence, PoseSequence, str]:
    """(cleaned copy, event copy, note on the event copy); see the module docstring."""
    if is_cleaned(seq):
        note = ("events detected on the already low-passed input track: foot strikes may be "
                "early (science.md 7.1); analyse the raw track (landmarks_raw.csv) instead")
        return seq.copy(), seq.copy(), note
    from mechanics.clean import clean_stages

    events_copy, cleaned = clean_stages(seq)
    return cleaned, events_copy, "events detected on the repaired, gap-filled, unfiltered track"


def _present(seq: PoseSequence) -> dict[str, bool]:
    """Landmark group -> detected (both sides for shoulders, one whole arm for arms, every
    world landmark of the segment model for world)."""
    ok = seq.present()
    share = {n: float(ok[:, INDEX[n]].mean()) if len(seq) else 0.0 for n in INDEX}
    shoulders = all(share[f"{s}_shoulder"] >= MIN_PRESENT_SHARE for s in SIDES)
    arms = any(all(share[f"{s}_{p}"] >= MIN_PRESENT_SHARE for p in _GROUPS["arms"])
               for s in SIDES)
    world = world_coverage(seq.world) >= MIN_PRESENT_SHARE
    return {"shoulders": shoulders, "arms": arms, "world": world}


def _check_inputs(seq: PoseSequence, height_m: float | None, mass_kg: float | None,
                  sex: str | None, speed: float | None) -> None:
    """Raise :class:`MechanicsError` for unusable input (one line)."""
    if len(seq) < MIN_FRAMES:
        raise MechanicsError(f"too few frames to analyse ({len(seq)}; need {MIN_FRAMES})")
    for name, v, lo, hi, unit in (("height", height_m, 0.5, 2.5, "m"),
                                  ("mass", mass_kg, 15.0, 300.0, "kg"),
                                  ("treadmill speed", speed, 0.3, 15.0, "m/s")):
        if v is not None and not (math.isfinite(v) and lo <= v <= hi):
            raise MechanicsError(f"{name} must be between {lo:g} and {hi:g} {unit} (got {v:g})")
    if sex not in (None, "m", "f"):
        raise MechanicsError(f"sex must be 'm' or 'f' (got {sex!r})")


def build_metrics(values: dict[str, tuple[float, float, float]], ctx: Context,
                  details: dict[str, dict[str, Any]] | None = None) -> dict[str, Metric]:
    """One graded :class:`Metric` per spec; not-measurable metrics carry no numbers.

    ``details``: metric name -> ``detail`` of composite metrics (dropped when not measurable).
    """
    details = details or {}
    out = {}
    for spec in SPECS:
        v = values.get(spec.name, (math.nan, math.nan, math.nan))
        if not spec.per_side:
            v = (v[0], math.nan, math.nan)
        conf, reason = grade(spec, ctx, v)
        if conf == "not_measurable":
            v = (math.nan, math.nan, math.nan)
        detail = details.get(spec.name, {}) if conf != "not_measurable" else {}
        out[spec.name] = Metric(float(v[0]), float(v[1]), float(v[2]), spec.unit, conf,
                                spec.definition, spec.reference, reason, dict(detail))
    return out


def _round(v: Any, digits: int = 4) -> Any:
    if isinstance(v, float):
        return round(v, digits) if math.isfinite(v) else None
    return v


def _source(seq: PoseSequence, view: ViewEstimate, gait: GaitResult,
            subject: dict[str, Any], notes: list[str]) -> dict[str, Any]:
    """The ``source`` block of the analysis (JSON-able)."""
    from mechanics import __version__

    m, s = seq.meta, gait.summary
    src = {
        "file": m.get("source"), "input": "landmarks", "frames": len(seq),
        "duration_s": float(seq.time[-1] - seq.time[0]), "fps": seq.fps,
        "capture_fps": m.get("capture_fps"), "playback_fps": m.get("playback_fps"),
        "width": m.get("width"), "height": m.get("height"), "model": m.get("model"),
        "view": view.view, "view_confidence": view.confidence, "yaw_deg": view.yaw_deg,
        "facing": {1: "right", -1: "left"}.get(gait.events.direction, "unknown"),
        "near_side": view.near_side, "mode": s.mode, "scale_source": s.scale_source,
        "scale_m_per_px": s.scale_m_per_px, "n_contacts": len(gait.events.contacts),
        "n_steps": s.n_steps, "n_strides": s.n_strides, **subject,
        "cleaning": m.get("cleaning", {}).get("summary"), "notes": notes,
        "mechanics_version": __version__,
    }
    return {k: _round(v) for k, v in src.items()}


def _notes(events_note: str, gait: GaitResult, view: ViewEstimate, subject: dict,
           world: bool) -> list[str]:
    notes = [events_note, *gait.summary.notes]
    if view.view == "side" and view.near_side:
        far = other_side(view.near_side)
        notes.append(f"side view: the {far} limbs are the far side (partly occluded), their "
                     "values are less reliable (science.md 1.3)")
    if world and subject.get("mass_kg") is None:
        notes.append("no body mass (--mass): the trunk vertical moment is not measurable; the "
                     "angular-momentum ratios do not depend on the mass")
    if world and subject.get("sex") is None:
        notes.append("no sex (--sex): segment inertia from the male de Leva (1996) table")
    return notes


def _withhold_far_arm(metrics: dict[str, Metric], view: ViewEstimate) -> None:
    """Side view: the far arm's values of :data:`FAR_ARM_WITHHELD` become NaN and the
    metric's value is the near arm's, with the reason (in place)."""
    if view.view != "side" or view.near_side not in SIDES:
        return
    near, far = view.near_side, other_side(view.near_side)
    for name in FAR_ARM_WITHHELD:
        m = metrics.get(name)
        if m is None or not m.measurable or not math.isfinite(getattr(m, near)):
            continue
        setattr(m, far, math.nan)
        m.value = getattr(m, near)
        m.add_note(f"{far} (far) arm withheld: hidden behind the trunk in a side view it read "
                   "9-16 deg off on synthetic runners (docs/arm-swing.md); value = the near arm")


def _model_notes(metrics: dict[str, Metric], model: str | None) -> None:
    """Tracked with the full or lite model: say what it measurably gets wrong (in place)."""
    if model not in ("full", "lite"):
        return
    for name, text in MODEL_NOTES.items():
        m = metrics.get(name)
        if m is not None and m.measurable:
            m.add_note(text.format(model=model))


def _context(cleaned: PoseSequence, view: ViewEstimate, gait: GaitResult,
             sprint: bool, mass_kg: float | None) -> Context:
    irregular, cv, step_cv = event_regularity(gait)
    return Context(view=view.view, fps=cleaned.fps, sprint=sprint,
                   n_strides=gait.summary.n_strides, scale_source=gait.summary.scale_source,
                   present=_present(cleaned), irregular_share=irregular, stride_cv=cv,
                   step_cv=step_cv,
                   mass_kg=mass_kg, view_yaw_deg=view.yaw_deg)


def analyze_sequence(seq: PoseSequence, *, height_m: float | None = None,
                     mass_kg: float | None = None, sex: str | None = None,
                     treadmill_speed_m_s: float | None = None,
                     sprint: bool = False) -> Analysis:
    """Analyse a landmark track: every metric of :data:`SPECS`, graded, with provenance.

    Parameters
    ----------
    seq : raw or cleaned landmark track (image pixels; not modified).
    height_m : runner's standing height, m (image scale when no treadmill speed).
    mass_kg : body mass, kg (segment inertia: needed for the trunk vertical moment).
    sex : 'm' or 'f' (de Leva segment table; male when not given).
    treadmill_speed_m_s : treadmill belt speed, m/s (preferred image scale; it is the speed).
    sprint : sprinting (event cut-off 18 Hz; contact times need 120 fps).

    Raises
    ------
    MechanicsError
        Fewer than :data:`MIN_FRAMES` frames or out-of-range subject data. Metrics never
        raise: what cannot be computed is 'not_measurable' with a reason.
    """
    _check_inputs(seq, height_m, mass_kg, sex, treadmill_speed_m_s)
    cleaned, events_copy, events_note = _prepare(seq)
    view = detect_view(cleaned)
    gait = analyze_gait(events_copy, height_m=height_m, belt_speed_m_s=treadmill_speed_m_s,
                        sprint=sprint)
    angles = sagittal_angles(cleaned, gait.events.direction)
    scale = gait.summary.scale_m_per_px
    contacts = contact_kinematics(cleaned, gait.events, angles,
                                  scale_m_per_px=scale if np.isfinite(scale) else None)
    extra = extended_values(cleaned, gait, angles, mass_kg=mass_kg, sex=sex, view=view)
    values = {**gait_values(gait), **kinematics_values(summarize_kinematics(contacts, angles)),
              **extra.values}
    ctx = _context(cleaned, view, gait, sprint, mass_kg)
    metrics = build_metrics(values, ctx, extra.details)
    _withhold_far_arm(metrics, view)
    _model_notes(metrics, seq.meta.get("model"))
    irregular = irregular_events(ctx)
    symmetry = symmetry_block(metrics, {**step_samples(gait, contacts), **extra.samples},
                              ctx.fps, gait.summary.stride_time_s, gait.summary.speed_m_s,
                              regular_events=irregular is None)
    if treadmill_speed_m_s and metrics["speed_mps"].measurable:
        metrics["speed_mps"].reason = "the treadmill belt speed given"
    subject = {"height_m": height_m, "mass_kg": mass_kg, "sex": sex,
               "treadmill_speed_m_s": treadmill_speed_m_s, "sprint": sprint}
    notes = _notes(events_note, gait, view, subject, ctx.present["world"])
    if irregular is not None:
        notes.append(f"{FLAGS_WITHHELD}: {irregular}; the measured errors "
                     "behind the flags assume regular events")
    source = _source(cleaned, view, gait, subject, notes)
    provenance = [*cleaned.provenance,
                  *(p for p in events_copy.provenance if p.get("step") == "gait_events")]
    provenance.append({"step": "analyze", "events_on": events_note, "view": view.view,
                       "fps": _round(cleaned.fps), "n_strides": ctx.n_strides,
                       "irregular_contact_share": _round(ctx.irregular_share),
                       "stride_time_cv": _round(ctx.stride_cv),
                       "step_time_cv": _round(ctx.step_cv)})
    return Analysis(source=source, metrics=metrics, steps=step_rows(gait, contacts),
                    provenance=provenance, sequence=cleaned, raw=seq, gait=gait,
                    contacts=contacts, angles=angles, view=view, symmetry=symmetry,
                    results=extra.results)


def analyze(path: str | Path, *, height_m: float | None = None, mass_kg: float | None = None,
            sex: str | None = None, treadmill_speed_m_s: float | None = None,
            sprint: bool = False, model: str = "full",
            subject: tuple[float, float] | None = None, capture_fps: float | None = None,
            progress: Callable[[int], None] | None = None) -> Analysis:
    """Analyse a clip (tracked with the pose model) or a landmark CSV (suffix ``.csv``).

    ``model``, ``subject`` (x, y pixels) and ``capture_fps`` configure the tracker
    (:class:`mechanics.pose.tracker.TrackOptions`) and apply to video input only;
    ``progress(n)`` is called as frames are tracked. Other keywords: :func:`analyze_sequence`.

    Raises
    ------
    MechanicsError
        Unreadable input, no runner, tracker options given for a CSV, or bad subject data.
    """
    path = Path(path)
    if path.suffix.lower() == ".csv":
        if subject is not None or capture_fps is not None:
            raise MechanicsError("--subject and --capture-fps apply to video input only", path)
        seq, kind = PoseSequence.from_csv(path), "landmarks"
    else:
        from mechanics.pose.tracker import TrackOptions, track_video

        options = TrackOptions(model=model, subject=subject, capture_fps=capture_fps)
        seq, kind = track_video(path, options, progress=progress), "video"
    result = analyze_sequence(seq, height_m=height_m, mass_kg=mass_kg, sex=sex,
                              treadmill_speed_m_s=treadmill_speed_m_s, sprint=sprint)
    result.source.update(file=str(path), input=kind)
    return result
