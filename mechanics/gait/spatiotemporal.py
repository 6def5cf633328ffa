"""Steps, strides and per-trial spatiotemporal parameters (science.md section 1.6).

Per contact ``i`` of foot ``k`` (times in s)::

    step      t_step  = FS_contra(next) - FS_k(i)
    contact   t_c     = TO_k(i) - FS_k(i)
    flight    t_f     = t_step - t_c            (negative => no flight => not running)
    stride    T       = FS_k(i+1) - FS_k(i)
    swing     t_sw    = T - t_c
    cadence   = 120 / mean(T)  steps/min  (= 60 / mean(t_step); falls back to it)
    duty factor DF = t_c / T   (state definition: share of the stride one foot is on the
                                ground; per-step t_c / t_step = 2 DF is NOT used)

Scale and speed. The runner's speed over the ground in pixels/s is the same expression on a
treadmill, overground with a fixed camera and with a panning camera: the mid-hip's mean
horizontal velocity over whole strides minus the velocity of the stance foot (which is the
ground's, taken over the middle half of each contact), both along the direction of travel.
With a metres-per-pixel scale it becomes m/s. The scale comes from either

- the treadmill belt speed: ``m/px = v_belt / speed_px``; or
- the runner's height: body pixel height from median segment lengths with Drillis & Contini
  proportions (thigh 0.245 H, shank 0.246 H, hip-to-shoulder 0.288 H; Winter 2009 [M]).

Step length = speed x t_step (science.md 1.6: treadmill SL = v t_step; the same identity
overground). Vertical oscillation = median over strides of the mid-hip's vertical range
(peak to trough), in cm. All spatial values assume the runner stays in a plane
perpendicular to the optical axis (science.md 1.6, scale calibration).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from mechanics.gait.events import SIDES, Contact, Events, event_tracks
from mechanics.gait.signals import event_cutoff
from mechanics.sequence import PoseSequence

#: Drillis & Contini segment lengths as a share of body height (Winter 2009) [M]
THIGH_H, SHANK_H, TRUNK_H = 0.245, 0.246, 0.288


@dataclass
class Step:
    """One step, opened by the foot strike of ``side`` (times in s, length in m).

    ``next_strike_s`` is the next contralateral foot strike; NaN fields mean the needed
    event is missing (lost foot, clip edge) or implausible.
    """

    side: str
    strike_s: float
    off_s: float
    next_strike_s: float
    contact_s: float
    step_s: float
    flight_s: float
    stride_s: float
    swing_s: float
    length_m: float = math.nan


@dataclass
class GaitSummary:
    """Per-trial spatiotemporal parameters (means over steps/strides unless stated).

    Attributes
    ----------
    n_steps, n_strides : counts used.
    cadence_spm : steps per minute. step_time_s, stride_time_s, contact_time_s,
        flight_time_s, swing_time_s : mean times, s. contact_time_sd_s : SD of t_c, s.
    contact_time_left_s, contact_time_right_s : per-side mean contact, s.
    duty_factor : mean of t_c / T (state definition).
    speed_m_s, step_length_m, stride_length_m : need a scale (NaN otherwise).
    vertical_oscillation_cm : mid-hip vertical range per stride, median, cm (needs a scale).
    speed_px_s : speed over the ground in pixels/s. scale_m_per_px, scale_source :
        'belt', 'height' or None.
    mode : 'treadmill' (runner stationary in the image) or 'overground'.
    confidence : event timing confidence ('ok'/'low', science.md 1.4). notes : caveats.
    """

    n_steps: int
    n_strides: int
    cadence_spm: float
    step_time_s: float
    stride_time_s: float
    contact_time_s: float
    contact_time_sd_s: float
    flight_time_s: float
    swing_time_s: float
    contact_time_left_s: float
    contact_time_right_s: float
    duty_factor: float
    speed_m_s: float
    step_length_m: float
    stride_length_m: float
    vertical_oscillation_cm: float
    speed_px_s: float
    scale_m_per_px: float
    scale_source: str | None
    mode: str
    confidence: str
    notes: list[str] = field(default_factory=list)


def _mean(values: list[float] | np.ndarray) -> float:
    a = np.asarray(values, dtype=float)
    a = a[np.isfinite(a)]
    return float(a.mean()) if a.size else math.nan


def build_steps(events: Events) -> list[Step]:
    """Steps from the valid contacts (science.md 1.6 formulas, module docstring).

    A step or stride longer than 0.75 / 1.5 stride estimates means a contact was missed in
    between; its times are NaN instead of wrong.
    """
    valid = [c for c in events.contacts if c.valid]
    t_est = events.stride_estimate_s if np.isfinite(events.stride_estimate_s) else math.inf
    steps = []
    for i, c in enumerate(valid):
        nxt = valid[i + 1] if i + 1 < len(valid) else None
        same = next((n for n in valid[i + 1:] if n.side == c.side), None)
        step = nxt.strike_s - c.strike_s if nxt is not None and nxt.side != c.side else math.nan
        step = step if step < 0.75 * t_est else math.nan
        stride = same.strike_s - c.strike_s if same is not None else math.nan
        stride = stride if stride < 1.5 * t_est else math.nan
        steps.append(Step(
            side=c.side, strike_s=c.strike_s, off_s=c.off_s,
            next_strike_s=c.strike_s + step, contact_s=c.contact_s, step_s=step,
            flight_s=step - c.contact_s, stride_s=stride, swing_s=stride - c.contact_s))
    return steps


def _stance_frames(time: np.ndarray, c: Contact) -> np.ndarray:
    """Frame indices of the middle half of a contact."""
    a = c.strike_s + 0.25 * c.contact_s
    b = c.off_s - 0.25 * c.contact_s
    return np.flatnonzero((time >= a) & (time <= b))


def _mean_hip_velocity(time: np.ndarray, x_mh: np.ndarray, events: Events) -> float:
    """Median over strides of the mid-hip's mean horizontal velocity (px/s, along travel)."""
    ok = np.isfinite(x_mh)
    if ok.sum() < 2:
        return math.nan
    vel = []
    for side in SIDES:
        fs = events.strikes(side)
        for a, b in zip(fs[:-1], fs[1:], strict=True):
            xa, xb = np.interp([a, b], time[ok], x_mh[ok])
            vel.append(events.direction * (xb - xa) / (b - a))
    return float(np.median(vel)) if vel else math.nan


def ground_speed_px(seq: PoseSequence, events: Events) -> tuple[float, float]:
    """(runner speed over the ground, mid-hip image speed), px/s, along the travel direction.

    Ground speed = mean mid-hip velocity over whole strides minus the velocity of the
    ground, i.e. of the stance foot (mean of heel and foot_index, median over the middle half
    of each contact). The same formula holds on a treadmill (hip still, foot moving back at
    belt speed), overground (foot still, hip moving) and with a steadily panning camera.
    """
    tr = event_tracks(seq, event_cutoff(seq.fps))
    t = seq.time
    foot_v = []
    for c in events.contacts:
        if not (c.valid and np.isfinite(c.off_s)):
            continue
        k = _stance_frames(t, c)
        foot = (tr[f"{c.side}_heel"][:, 0] + tr[f"{c.side}_foot_index"][:, 0]) / 2
        vf = np.gradient(foot, t)[k]
        vf = vf[np.isfinite(vf)]
        if vf.size >= 2:
            foot_v.append(events.direction * float(np.median(vf)))
    hip_v = _mean_hip_velocity(t, tr["mid_hip"][:, 0], events)
    if not foot_v or not np.isfinite(hip_v):
        return math.nan, hip_v
    return hip_v - float(np.median(foot_v)), hip_v


def body_height_px(seq: PoseSequence) -> float:
    """Standing body height (px) from median thigh, shank and trunk lengths (Drillis-Contini).

    Uses thigh + shank + hip-to-shoulder when the shoulders are tracked, else the legs only.
    """
    segs = {"thigh": [], "shank": [], "trunk": []}
    for s in SIDES:
        for name, a, b in (("thigh", "hip", "knee"), ("shank", "knee", "ankle"),
                           ("trunk", "hip", "shoulder")):
            d = np.linalg.norm(seq.xy(f"{s}_{a}") - seq.xy(f"{s}_{b}"), axis=1)
            if np.isfinite(d).any():
                segs[name].append(float(np.nanmedian(d)))
    thigh, shank, trunk = (_mean(segs[k]) for k in ("thigh", "shank", "trunk"))
    if not (np.isfinite(thigh) and np.isfinite(shank)):
        return math.nan
    if np.isfinite(trunk):
        return (thigh + shank + trunk) / (THIGH_H + SHANK_H + TRUNK_H)
    return (thigh + shank) / (THIGH_H + SHANK_H)


def vertical_oscillation_px(seq: PoseSequence, events: Events) -> float:
    """Median over strides of the mid-hip's vertical range (px), strides of the left foot
    (right if the left has none)."""
    tr = event_tracks(seq, event_cutoff(seq.fps))
    y, t = tr["mid_hip"][:, 1], seq.time
    for side in SIDES:
        fs = events.strikes(side)
        ranges = []
        for a, b in zip(fs[:-1], fs[1:], strict=True):
            if b - a > 1.5 * events.stride_estimate_s:
                continue
            seg = y[(t >= a) & (t < b)]
            if seg.size >= 3 and np.isfinite(seg).all():
                ranges.append(float(seg.max() - seg.min()))
        if ranges:
            return float(np.median(ranges))
    return math.nan


def _scale(seq: PoseSequence, speed_px: float, height_m: float | None,
           belt_speed_m_s: float | None) -> tuple[float, str | None]:
    """Metres per pixel and its source: the belt speed wins over the height."""
    if belt_speed_m_s and np.isfinite(speed_px) and speed_px > 0:
        return belt_speed_m_s / speed_px, "belt"
    if height_m:
        h_px = body_height_px(seq)
        if np.isfinite(h_px) and h_px > 0:
            return height_m / h_px, "height"
    return math.nan, None


def _times(steps: list[Step]) -> dict[str, float]:
    """Mean times of a step list (s) and the derived cadence and duty factor."""
    step_t = _mean([s.step_s for s in steps])
    stride_t = _mean([s.stride_s for s in steps])
    cadence = 120.0 / stride_t if np.isfinite(stride_t) else 60.0 / step_t
    contact = np.array([s.contact_s for s in steps], dtype=float)
    ok = contact[np.isfinite(contact)]
    return {
        "cadence_spm": float(cadence), "step_time_s": step_t, "stride_time_s": stride_t,
        "contact_time_s": _mean(contact),
        "contact_time_sd_s": float(ok.std(ddof=1)) if ok.size > 1 else math.nan,
        "flight_time_s": _mean([s.flight_s for s in steps]),
        "swing_time_s": _mean([s.swing_s for s in steps]),
        "duty_factor": _mean([s.contact_s / s.stride_s for s in steps]),
        "contact_time_left_s": _mean([s.contact_s for s in steps if s.side == "left"]),
        "contact_time_right_s": _mean([s.contact_s for s in steps if s.side == "right"]),
    }


def summarize(seq: PoseSequence, events: Events, steps: list[Step] | None = None, *,
              height_m: float | None = None, belt_speed_m_s: float | None = None
              ) -> GaitSummary:
    """Per-trial parameters (module docstring). Fills ``Step.length_m`` when a scale exists.

    Parameters
    ----------
    height_m : runner's standing height, m (scale from the body's pixel height).
    belt_speed_m_s : treadmill belt speed, m/s (preferred scale when given).
    """
    steps = build_steps(events) if steps is None else steps
    times = _times(steps)
    speed_px, hip_px = ground_speed_px(seq, events)
    scale, source = _scale(seq, speed_px, height_m, belt_speed_m_s)
    speed = speed_px * scale if source else math.nan
    if belt_speed_m_s and source == "belt":
        speed = float(belt_speed_m_s)
    for s in steps:
        s.length_m = speed * s.step_s
    step_len = _mean([s.length_m for s in steps])
    mode = "treadmill" if np.isfinite(hip_px) and abs(hip_px) < 0.25 * speed_px \
        else "overground"
    notes = list(events.notes)
    if np.isfinite(times["flight_time_s"]) and times["flight_time_s"] <= 0:
        notes.append("no flight phase: walking or not a side view")
    return GaitSummary(
        n_steps=int(np.isfinite([s.step_s for s in steps]).sum()),
        n_strides=int(np.isfinite([s.stride_s for s in steps]).sum()),
        **times, speed_m_s=float(speed), step_length_m=step_len,
        stride_length_m=2 * step_len,
        vertical_oscillation_cm=100.0 * vertical_oscillation_px(seq, events) * scale,
        speed_px_s=speed_px, scale_m_per_px=scale, scale_source=source, mode=mode,
        confidence=events.confidence, notes=notes)


@dataclass
class GaitResult:
    """Everything :func:`analyze_gait` computes."""

    events: Events
    steps: list[Step]
    summary: GaitSummary


def analyze_gait(seq: PoseSequence, *, height_m: float | None = None,
                 belt_speed_m_s: float | None = None, sprint: bool = False,
                 **detector: float) -> GaitResult:
    """Detect events, build steps and summarise (``detector`` keywords go to detect_events)."""
    from mechanics.gait.events import detect_events

    events = detect_events(seq, sprint=sprint, **detector)
    steps = build_steps(events)
    summary = summarize(seq, events, steps, height_m=height_m, belt_speed_m_s=belt_speed_m_s)
    return GaitResult(events, steps, summary)
