"""Page 5, rotation and torque transfer (arm swing, angular-momentum metrics and curves
when the analysis has them; what it cannot have, and the set-up that would allow it) and
page 6, coordination (thigh-shank angle-angle plots, coupling-angle distributions and the
arm-leg relative phase when the analysis has them)."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from mechanics.analysis import Analysis, Metric
from mechanics.report import figures, style
from mechanics.report.extras import array, per_side, result, topic_metrics
from mechanics.report.figures import ARMS, has_bins, sagittal_allowed, strikes_by_side
from mechanics.report.layout import TextFlow, table

SIDES = ("left", "right")

#: rotation / torque-transfer quantities, the words that find their metrics, and the camera
#: set-up and data that would make them measurable (science.md 0.3, 3, 4.5)
EXPECTED = (
    ("Pelvis and thorax rotation (yaw), hip-shoulder separation",
     ("pelvis", "thorax", "separation", "yaw"),
     "no single-phone view is enough: calibrated on synthetic runners through this pose "
     "model, every view (side, 30-45 deg oblique, front, back) reads a 7-31 deg artefact "
     "on a trunk that does not rotate (docs/rotation.md). Use 3D motion capture or IMUs."),
    ("Vertical angular momentum, arm-leg cancellation",
     ("momentum", "cancellation"),
     "3D world landmarks (a video, not a 2D landmark file) for the de Leva (1996) segment "
     "model (science.md 4.4-4.5); exploratory, never clinical."),
    ("Top-down trunk moment", ("trunk_vertical_moment", "torque"),
     "3D world landmarks and the body mass (--mass); ground reaction forces and stance-leg "
     "joint moments need force plates and are never claimed (science.md 4.5)."),
)


def metrics_table(fig: Figure, metrics: dict[str, Metric], top: float) -> float:
    """A metric table (value, left, right, unit, confidence) from ``top`` down; returns the
    figure y below it."""
    rows = [["metric", "value", "left", "right", "unit", "confidence"]]
    colours: list[list] = [[None] * 6]
    gids: list[list] = [[None] * 6]
    for n, m in metrics.items():
        rows.append([style.metric_label(n), style.fmt(m.value, m.unit),
                     style.fmt(m.left, m.unit), style.fmt(m.right, m.unit), m.unit,
                     style.confidence_label(m.confidence)])
        colours.append([None, None, style.LEFT, style.RIGHT, None, None])
        gids.append([None, f"metric:{n}:value", f"metric:{n}:left", f"metric:{n}:right",
                     None, None])
    h = 0.0175 * len(rows)
    ax = fig.add_axes((style.MARGIN_L, top - h, style.MARGIN_R - style.MARGIN_L, h))
    bottom = table(ax, rows, [0.0, 0.40, 0.52, 0.63, 0.74, 0.86], colours=colours,
                   gids=gids, size=style.SMALL, row_h=1.0 / len(rows) / 1.02)
    return top - h * (1 - bottom) - 0.015


def _arm_swing(fig: Figure, analysis: Analysis, top: float) -> float:
    """Shoulder flexion and elbow flexion over the gait cycle, left vs right."""
    for i, (title, key, ylabel) in enumerate(ARMS):
        ax = fig.add_axes((style.MARGIN_L + 0.05 + i * 0.46, top - 0.19, 0.36, 0.15))
        used = figures.angle_cycles(ax, analysis, key, ylabel, toe_off=False)
        ax.set_title(title, loc="left", fontsize=style.BODY)
        if i == 0:
            ax.legend(handles=style.side_legend_handles(), loc="lower left", ncol=2,
                      bbox_to_anchor=(0.0, 1.1), fontsize=style.SMALL)
        if not sum(used.values()):
            style.message(ax, "no complete stride")
    return top - 0.255


def _momentum(fig: Figure, analysis: Analysis, top: float) -> float:
    """Vertical angular momentum of the upper body, lower body and arms over time, and the
    top-down trunk moment, when the analysis holds them."""
    bm = result(analysis, "momentum")
    moment = result(analysis, "trunk_moment_nm")
    time = array(bm, "time") if bm is not None else None
    if time is None:
        return top
    ax = fig.add_axes((style.MARGIN_L + 0.05, top - 0.19, 0.36, 0.14))
    figures.momentum(ax, bm)
    ax.set_title("Vertical angular momentum (model-based)", loc="left", fontsize=style.BODY)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.1), ncol=3, fontsize=style.SMALL)
    if moment is not None and np.shape(moment) == time.shape:
        ax2 = fig.add_axes((style.MARGIN_L + 0.51, top - 0.19, 0.36, 0.14))
        figures.trunk_moment(ax2, time, moment)
        ax2.set_title("Top-down trunk moment (model-based)", loc="left", fontsize=style.BODY)
    return top - 0.255


def _not_measurable(fig: Figure, metrics: dict[str, Metric], y: float) -> None:
    flow = TextFlow(fig, style.MARGIN_L, style.MARGIN_R, y)
    for title, words, setup in EXPECTED:
        found = {n: m for n, m in metrics.items() if any(w in n for w in words)}
        if any(m.measurable for m in found.values()):
            continue
        reasons = sorted({m.reason for m in found.values() if m.reason})
        why = f" ({'; '.join(reasons)})" if reasons else ""
        if not flow.fits(title + why + setup, style.SMALL):
            break
        flow.para(f"{title}: not measurable from this view/data{why}.", style.BODY,
                  weight="bold", gid="message", after=0.1)
        flow.para(f"Would need: {setup}", style.SMALL, colour=style.GREY, after=0.5)


def page_rotation(analysis: Analysis) -> Figure:
    """Page 5 (see the module docstring)."""
    fig = style.new_page("Rotation and torque transfer", analysis.source,
                         "Arm swing, trunk rotation and angular momentum: what this clip "
                         "supports.")
    flow = TextFlow(fig, style.MARGIN_L, style.MARGIN_R, 0.905)
    flow.para("\"Torque transfer\" is reported as kinematics and segment dynamics that can be "
              "estimated without force plates (science.md 4.5): arm swing, trunk rotation, "
              "segment angular momentum and how much the arms cancel the legs' momentum. "
              "Shoulder flexion + = upper arm ahead of the trunk line; elbow 0 = straight.",
              style.SMALL, colour=style.GREY)
    found = topic_metrics(analysis.metrics, "rotation")
    y = metrics_table(fig, found, flow.y) if found else flow.y
    arms_ok = any(m.measurable for n, m in found.items() if "shoulder" in n or "arm_sw" in n)
    if analysis.angles is not None and sagittal_allowed(analysis.source.get("view")) \
            and arms_ok:
        y = _arm_swing(fig, analysis, y - 0.02)
    if any(m.measurable for n, m in analysis.metrics.items() if "momentum" in n):
        y = _momentum(fig, analysis, y - 0.01)
    _not_measurable(fig, analysis.metrics, y)
    return fig


def page_coordination(analysis: Analysis) -> Figure:
    """Page 6 (see the module docstring)."""
    fig = style.new_page("Coordination", analysis.source,
                         "How the thigh and shank, and the arms and legs, move together.")
    flow = TextFlow(fig, style.MARGIN_L, style.MARGIN_R, 0.905)
    view = analysis.source.get("view")
    strikes = strikes_by_side(analysis)
    if not sagittal_allowed(view) or analysis.angles is None or not strikes:
        why = (f"a {view} view: segment angles need a side view (science.md 0.3)"
               if not sagittal_allowed(view) else "no gait events were detected")
        flow.para(f"Coordination not measurable from {why}.", style.LARGE, weight="bold",
                  gid="message")
        return fig
    flow.para("Angle-angle plots: thigh angle (x) against shank angle (y), both from the "
              "vertical, + = forward (science.md 2.3). Thin lines: single strides; thick: "
              "mean; dot: foot strike. A tight, repeatable loop means a consistent pattern "
              "(science.md 5).", style.SMALL, colour=style.GREY)
    y = _angle_angle_panels(fig, analysis, strikes, flow.y - 0.01)
    found = topic_metrics(analysis.metrics, "coordination")
    if found:
        y = metrics_table(fig, found, y)
    y = _coupling_bins(fig, analysis.metrics.get("thigh_shank_coupling"), y)
    crp = analysis.metrics.get("arm_leg_relative_phase_deg")
    if crp is not None and crp.measurable:
        y = _relative_phase(fig, result(analysis, "arm_leg"), y)
    else:
        y -= 0.25 if _has_bins(analysis.metrics) else 0.0
    if not found:
        TextFlow(fig, style.MARGIN_L, style.MARGIN_R, y).para(
            "Coupling-angle distributions (vector coding) and continuous relative phase are "
            "not in this analysis (science.md 5.1-5.3).", style.BODY, colour=style.GREY,
            gid="message")
    return fig


def _angle_angle_panels(fig: Figure, analysis: Analysis, strikes: dict[str, np.ndarray],
                        top: float) -> float:
    axes = []
    for i, side in enumerate(SIDES):
        ax = fig.add_axes((style.MARGIN_L + 0.05 + i * 0.46, top - 0.3, 0.36, 0.24))
        n = figures.thigh_shank(ax, analysis, side)
        ax.set_title(f"{side.capitalize()} thigh-shank", loc="left",
                     color=style.SIDE_COLOUR[side])
        if n:
            ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.08), ncol=2,
                      fontsize=style.SMALL)
            axes.append(ax)
        else:
            style.message(ax, f"no complete {side} stride")
    if len(axes) == 2:  # same scales, so the sides compare at a glance
        for get, set_ in (("get_xlim", "set_xlim"), ("get_ylim", "set_ylim")):
            lims = [getattr(ax, get)() for ax in axes]
            for ax in axes:
                getattr(ax, set_)(min(v[0] for v in lims), max(v[1] for v in lims))
    return top - 0.36


def _has_bins(metrics: dict[str, Metric]) -> bool:
    return has_bins(metrics.get("thigh_shank_coupling"))


def _coupling_bins(fig: Figure, m: Metric | None, top: float) -> float:
    """Coupling-angle distribution per side from the metric's detail (% of the stride)."""
    if not has_bins(m):
        return top
    ax = fig.add_axes((style.MARGIN_L + 0.05, top - 0.19, 0.36, 0.13))
    figures.coupling_bins(ax, m)
    ax.set_title("Coupling-angle distribution", loc="left", fontsize=style.BODY)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.1), ncol=2, fontsize=style.SMALL)
    return top  # the relative-phase panel goes beside it, on the same row


def _relative_phase(fig: Figure, crp, top: float) -> float:
    """Arm-leg continuous relative phase, mean +- circular SD over the stride, per side."""
    sides = per_side(crp) if crp is not None else {}
    if not sides:
        return top - 0.25
    ax = fig.add_axes((style.MARGIN_L + 0.51, top - 0.19, 0.36, 0.13))
    figures.relative_phase(ax, crp)
    ax.set_title("Arm-leg relative phase (CRP)", loc="left", fontsize=style.BODY)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.1), ncol=2, fontsize=style.SMALL)
    return top - 0.25
