"""Page 1, the summary: the clip and what its frame rate allows, five to eight headline
numbers with a plain-language line and a traffic light, and the top three observations.

Every number printed is a :class:`Metric` value or a ``source`` fact of the analysis,
formatted with :func:`mechanics.report.style.fmt`; the value texts carry a ``gid``
(``metric:<name>:value|left|right``, ``source:<key>``) so tests can check them against
``metrics.json``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure
from matplotlib.patches import Circle

from mechanics.analysis import Analysis, Metric
from mechanics.report import style
from mechanics.report.extras import symmetry_rows
from mechanics.report.layout import TextFlow, line_height
from mechanics.report.references import Reference, known_speed, light

#: headline candidates in order of priority (the first measurable five to eight are shown)
HEADLINES = ("cadence_spm", "contact_time_s", "flight_time_s", "duty_factor",
             "step_length_m", "vertical_oscillation_cm", "trunk_lean_deg",
             "knee_flexion_at_contact_deg", "overstride_leg_lengths",
             "shank_angle_at_contact_deg", "shoulder_flexion_range_deg")
MIN_HEADLINES, MAX_HEADLINES = 5, 8

#: plain-language line of each headline metric
PLAIN = {
    "cadence_spm": "Steps per minute, both feet counted.",
    "step_time_s": "Time from one foot landing to the other foot landing.",
    "contact_time_s": "How long each foot stays on the ground in a step.",
    "flight_time_s": "Time in the air after each foot leaves the ground.",
    "duty_factor": "Share of each stride that one foot spends on the ground.",
    "step_length_m": "Distance covered from one foot landing to the other.",
    "speed_mps": "Running speed.",
    "vertical_oscillation_cm": "How far the hips rise and fall in each stride.",
    "trunk_lean_deg": "Forward lean of the upper body from vertical.",
    "knee_flexion_at_contact_deg": "How bent the knee is as the foot lands (0 = straight).",
    "peak_stance_knee_flexion_deg": "Deepest knee bend while the foot is on the ground.",
    "shank_angle_at_contact_deg": "Shin angle at landing; positive = foot reaching ahead "
                                  "of the knee.",
    "foot_strike_angle_deg": "Foot angle at landing; positive = heel first.",
    "overstride_leg_lengths": "How far ahead of the hips the heel lands, in leg lengths.",
    "hip_extension_at_toe_off_deg": "How far the thigh swings behind the trunk at push-off.",
    "elbow_angle_deg": "Average elbow bend (0 = straight arm).",
    "shoulder_flexion_range_deg": "Forward-backward range of the upper arm swing.",
}

LIGHT_WORDS = {"green": "in the typical range", "amber": "just outside the typical range",
               "red": "outside the typical range"}


@dataclass
class Headline:
    """One headline number: the metric, its light and the reference range used."""

    name: str
    metric: Metric
    light: str | None
    reference: Reference | None


def headlines(analysis: Analysis) -> list[Headline]:
    """Five to eight headline metrics: measurable ones first, in :data:`HEADLINES` order;
    not-measurable ones fill up to five so the page says what could not be measured."""
    speed = known_speed(analysis.metrics, analysis.source)
    sprint = bool(analysis.source.get("sprint"))
    rows = []
    for name in HEADLINES:
        m = analysis.metrics.get(name)
        if m is not None:
            lt, ref = light(name, m, speed, sprint)
            rows.append(Headline(name, m, lt, ref))
    good = [h for h in rows if h.metric.measurable][:MAX_HEADLINES]
    missing = [h for h in rows if not h.metric.measurable]
    return good + missing[:max(0, MIN_HEADLINES - len(good))]


def frame_rate_text(source: dict[str, Any]) -> str:
    """What the clip's frame rate allows (science.md 1.4)."""
    fps = source.get("fps")
    if not isinstance(fps, int | float) or not math.isfinite(fps) or fps <= 0:
        return "frame rate unknown"
    sd = 1000.0 / fps / math.sqrt(12.0)
    if fps >= 119.5:
        allows = "enough for contact and flight times, also in sprinting"
    elif fps >= 59.5:
        allows = ("enough for contact and flight times in distance running; sprinting "
                  "needs at least 120 fps")
    else:
        allows = ("cadence and angles are fine, but contact and flight times are rough: "
                  "at least 60 fps is needed")
    return f"{allows} (frame timing alone blurs each event by {sd:.1f} ms SD; science.md 1.4)."


def athlete_text(source: dict[str, Any]) -> str:
    """The athlete data given on the command line, or 'none given'."""
    parts = []
    if source.get("height_m"):
        parts.append(f"height {source['height_m']:.2f} m")
    if source.get("mass_kg"):
        parts.append(f"mass {source['mass_kg']:.0f} kg")
    if source.get("sex"):
        parts.append({"m": "male", "f": "female"}.get(source["sex"], str(source["sex"])))
    if source.get("treadmill_speed_m_s"):
        parts.append(f"treadmill speed {source['treadmill_speed_m_s']:.2f} m/s")
    if source.get("sprint"):
        parts.append("sprint analysis")
    if not parts:
        return "none given (without height or treadmill speed, distances and speed cannot " \
               "be scaled)"
    return ", ".join(parts)


def _view_text(s: dict[str, Any]) -> str:
    view = s.get("view") or "unknown"
    conf = s.get("view_confidence")
    text = f"{view} view"
    if isinstance(conf, int | float):
        text += f" (confidence {conf:.2f})"
    if view in ("side", "oblique") and s.get("facing") in ("left", "right"):
        text += f", runner faces image {s['facing']}"
    if view in ("side", "oblique") and s.get("near_side"):
        text += f", {s['near_side']} side nearer the camera"
    if s.get("mode"):
        text += f"; {s['mode']}"
    return text + "."


def _clip_facts(s: dict[str, Any]) -> list[tuple[str, str, str]]:
    name = Path(str(s.get("file") or "input")).name
    size = f", {s['width']}x{s['height']} px" if s.get("width") else ""
    kind = "video" if s.get("input") == "video" else "landmark file"
    dur = s.get("duration_s")
    clip = f"{name} ({kind}), {dur:.2f} s, {s.get('frames')} frames{size}." if isinstance(
        dur, int | float) else f"{name} ({kind}), {s.get('frames')} frames{size}."
    fps, cap = s.get("fps"), s.get("capture_fps")
    rate = f"{fps:.1f} fps" if isinstance(fps, int | float) else "unknown"
    if isinstance(cap, int | float) and isinstance(fps, int | float) and abs(cap - fps) > 0.5:
        rate += f" (captured at {cap:.0f} fps)"
    return [("Clip", clip, "source:clip"),
            ("Frame rate", f"{rate}: {frame_rate_text(s)}", "source:fps"),
            ("Camera view", _view_text(s), "source:view"),
            ("Athlete data", athlete_text(s), "source:athlete")]


def limits_text(s: dict[str, Any]) -> str | None:
    """A plain sentence when the clip cannot support most numbers (too short, wrong view)."""
    n, view = s.get("n_strides"), s.get("view")
    if isinstance(n, int) and n < 2:
        return (f"Too short to measure most numbers: {n} complete stride"
                f"{'' if n == 1 else 's'} detected, two or more are needed. Film at least "
                "10 s of steady running.")
    if view in ("front", "back"):
        return (f"A {view} view: cadence, timing and vertical oscillation only. Joint angles, "
                "step length, overstride and arm swing need a side view (camera "
                "perpendicular to the running direction, at hip height; science.md 0.3).")
    if view == "unknown":
        return ("The camera view could not be determined (shoulders or hips missing), so "
                "every grade is lowered.")
    return None


def _draw_facts(fig: Figure, s: dict[str, Any], y: float) -> float:
    for label, text, gid in _clip_facts(s):
        fig.text(style.MARGIN_L, y, label, fontsize=style.BODY, fontweight="bold", va="top")
        flow = TextFlow(fig, 0.24, style.MARGIN_R, y)
        flow.para(text, style.BODY, gid=gid, after=0.35)
        y = flow.y
    return y


def _value_texts(fig: Figure, h: Headline, x: float, y: float) -> None:
    m, name = h.metric, h.name
    if not m.measurable:
        fig.text(x, y, "not measurable", fontsize=style.LARGE, fontweight="bold",
                 color=style.GREY, va="top")
        return
    fig.text(x, y, style.fmt_unit(m.value, m.unit), fontsize=style.LARGE + 1,
             fontweight="bold", va="top", gid=f"metric:{name}:value")
    yy = y - line_height(fig, style.LARGE + 1)
    if math.isfinite(m.left) or math.isfinite(m.right):
        fig.text(x, yy, f"L {style.fmt(m.left, m.unit)}", color=style.LEFT,
                 fontsize=style.BODY, va="top", gid=f"metric:{name}:left")
        fig.text(x + 0.085, yy, f"R {style.fmt(m.right, m.unit)}", color=style.RIGHT,
                 fontsize=style.BODY, va="top", gid=f"metric:{name}:right")


def _headline_row(fig: Figure, h: Headline, y: float, cite: dict[str, int]) -> float:
    """Draw one headline row with its top at ``y``; returns the y below it."""
    x_label, x_value, x_conf = 0.115, 0.52, 0.74
    if h.light:  # a hollow light: the value is low confidence
        solid = h.metric.confidence in ("medium", "high")
        colour = style.LIGHTS[h.light]
        fig.add_artist(Circle((style.MARGIN_L + 0.012, y - 0.0085), 0.0085,
                              transform=fig.transFigure, fc=colour if solid else "white",
                              ec=colour, lw=2.0))
    fig.text(x_label, y, style.metric_label(h.name), fontsize=style.LARGE,
             fontweight="bold", va="top")
    words = PLAIN.get(h.name, h.metric.definition)
    if not h.metric.measurable:
        words = f"{words} Not measurable: {h.metric.reason}."
    flow = TextFlow(fig, x_label, x_value - 0.015, y - line_height(fig, style.LARGE))
    flow.para(words, style.SMALL, colour=style.GREY, gid=f"plain:{h.name}", after=0.0)
    _value_texts(fig, h, x_value, y)
    right = TextFlow(fig, x_conf, style.MARGIN_R, y)
    conf = style.confidence_label(h.metric.confidence)
    right.para(f"{conf} confidence" if h.metric.measurable else "", style.BODY, after=0.1)
    if h.reference is not None and h.metric.measurable:
        key = cite.setdefault(h.reference.source, len(cite) + 1)
        light_word = LIGHT_WORDS.get(h.light or "", "")
        ref = h.reference.text(h.metric.unit, style.DIGITS.get(h.metric.unit, 2))
        if light_word:
            right.para(light_word, style.SMALL, colour=style.GREY, after=0.0)
        right.para(f"range {ref} [{key}]", style.SMALL, colour=style.GREY,
                   gid=f"ref:{h.name}", after=0.0)
    return min(flow.y, right.y, y - 0.045) - 0.012


def _sources_block(fig: Figure, cite: dict[str, int], y: float) -> float:
    flow = TextFlow(fig, style.MARGIN_L, style.MARGIN_R, y)
    flow.para("Traffic lights compare a value with the range typical of healthy recreational "
              "runners: green inside, amber close, red further out; a hollow light marks a "
              "low-confidence value; no light where science.md gives no range. They "
              "describe, they do not diagnose.",
              style.SMALL, colour=style.GREY, gid="note", after=0.3)
    for src, k in sorted(cite.items(), key=lambda kv: kv[1]):
        flow.para(f"[{k}] {src}", style.SMALL, colour=style.GREY, gid="ref:source",
                  after=0.1)
    return flow.y


def observations(analysis: Analysis, rows: list[Headline]) -> list[str]:
    """The top three observations, generated from the metrics (no numbers recomputed):
    left-right differences the symmetry block flags, values outside the typical range,
    what is not measurable or low confidence and why, values just outside the range, then
    the analysis notes (e.g. far-side limbs)."""
    out: list[str] = []
    flagged = [n for n, row in symmetry_rows(analysis).items() if row.flagged]
    if flagged:
        out.append(f"Left-right difference beyond the stride-to-stride variability and the "
                   f"measurement error: {_names(flagged)} (page 7).")
    red = [h.name for h in rows if h.light == "red"]
    if red:
        out.append(f"Outside the typical range for recreational runners: {_names(red)}. "
                   "Check the confidence before acting on it; worth a look with a coach.")
    out += _grouped(analysis.metrics, "not_measurable", "Not measurable here")
    out += _grouped(analysis.metrics, "low", "Low confidence")
    amber = [h.name for h in rows if h.light == "amber"]
    if amber:
        out.append(f"Just outside the typical range: {_names(amber)}.")
    out += [n[:1].upper() + n[1:] + "." for n in analysis.source.get("notes", [])
            if n and not n.startswith("events detected")]
    if not out:
        out.append("All headline numbers are within their typical ranges, at the confidence "
                   "shown.")
    return out[:3]


def _names(names: list[str]) -> str:
    labels = [style.metric_label(n).lower() for n in names]
    shown = ", ".join(labels[:4])
    return shown + (f" and {len(labels) - 4} more" if len(labels) > 4 else "")


#: a reason longer than this is cut to its first clause on page 1 (whole in metrics.json)
SHORT_REASON = 110


def _short(reason: str) -> str:
    """``reason`` cut to its first clause (before ": " or "; " outside parentheses) when
    it is long."""
    if len(reason) <= SHORT_REASON:
        return reason
    depth = 0
    for i, ch in enumerate(reason):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and ch in ":;" and reason[i + 1:i + 2] == " ":
            return reason[:i] + " (the reason in full: metrics.json)"
    return reason


def _grouped(metrics: dict[str, Metric], grade: str, lead: str) -> list[str]:
    by_reason: dict[str, list[str]] = {}
    for name, m in metrics.items():
        if m.confidence == grade and m.reason:
            by_reason.setdefault(_short(m.reason), []).append(name)
    return [f"{lead}: {_names(names)}. Why: {reason}."
            for reason, names in sorted(by_reason.items(), key=lambda kv: -len(kv[1]))]


def page_summary(analysis: Analysis) -> Figure:
    """Page 1 (see the module docstring)."""
    s = analysis.source
    fig = style.new_page("Running mechanics summary", s,
                         "Numbers from this clip, how sure they are, and how they compare.")
    y = _draw_facts(fig, s, 0.905) - 0.008
    banner = limits_text(s)
    if banner:
        flow = TextFlow(fig, style.MARGIN_L, style.MARGIN_R, y)
        flow.para(banner, style.LARGE, weight="bold", colour=style.LIGHTS["red"],
                  gid="message", after=0.6)
        y = flow.y
    fig.text(style.MARGIN_L, y, "Headline numbers", fontsize=style.LARGE + 1,
             fontweight="bold", va="top")
    y -= 0.03
    cite: dict[str, int] = {}
    rows = headlines(analysis)
    for h in rows:
        y = _headline_row(fig, h, y, cite)
    fig.text(style.MARGIN_L, y, "Top observations", fontsize=style.LARGE + 1,
             fontweight="bold", va="top")
    flow = TextFlow(fig, style.MARGIN_L, style.MARGIN_R, y - 0.026)
    for i, text in enumerate(observations(analysis, rows), 1):
        flow.para(f"{i}. {text}", style.BODY, gid="obs", after=0.3)
    _sources_block(fig, cite, flow.y - 0.005)
    return fig
