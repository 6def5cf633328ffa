"""The demo's extra page, "ground truth vs measured": the synthetic runner's exact parameters
(``<clip>.truth.json`` -> ``truth``, :mod:`mechanics.synth.truth`) next to the metrics the
analysis measured from the rendered video, with the error and whether it is within the
pipeline's measurement error (:mod:`mechanics.report.tolerance`); and the true contacts
against the detected ones on a timeline.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from mechanics.analysis import Analysis
from mechanics.report import style
from mechanics.report.layout import TextFlow, table
from mechanics.report.tolerance import measurement_error

SIDES = ("left", "right")

#: (truth key path, metric, attribute) of each row; a path ending in 'left'/'right' reads a
#: side; the truth in metres of vertical oscillation is shown in cm
ROWS: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("cadence_spm",), "cadence_spm", "value"),
    (("step_time_s",), "step_time_s", "value"),
    (("contact_time_s", "left"), "contact_time_s", "left"),
    (("contact_time_s", "right"), "contact_time_s", "right"),
    (("flight_time_s", "after_left"), "flight_time_s", "left"),
    (("flight_time_s", "after_right"), "flight_time_s", "right"),
    (("duty_factor", "left"), "duty_factor", "left"),
    (("duty_factor", "right"), "duty_factor", "right"),
    (("step_length_m",), "step_length_m", "value"),
    (("speed_mps",), "speed_mps", "value"),
    (("vertical_oscillation_m",), "vertical_oscillation_cm", "value"),
    (("trunk_lean_deg",), "trunk_lean_deg", "value"),
    (("foot_strike_angle_deg",), "foot_strike_angle_deg", "value"),
    (("arm_swing_deg", "left"), "arm_swing_range_deg", "left"),
    (("arm_swing_deg", "right"), "arm_swing_range_deg", "right"),
    (("elbow_flexion_deg", "left", "mean"), "elbow_angle_deg", "left"),
    (("elbow_flexion_deg", "right", "mean"), "elbow_angle_deg", "right"),
)


@dataclass
class TruthRow:
    """One comparison: the truth, the measured value, their difference, the error bound."""

    label: str
    metric: str
    unit: str
    truth: float
    measured: float
    error: float
    confidence: str

    @property
    def difference(self) -> float:
        return self.measured - self.truth

    @property
    def verdict(self) -> str:
        if not math.isfinite(self.measured):
            return "not measured"
        if not math.isfinite(self.error):
            return "no error bound"
        return "within" if abs(self.difference) <= self.error else "outside"


def _get(tree: dict[str, Any], path: tuple[str, ...]) -> float:
    for key in path:
        if not isinstance(tree, dict) or key not in tree:
            return math.nan
        tree = tree[key]
    try:
        return float(tree)
    except (TypeError, ValueError):
        return math.nan


def truth_rows(truth: dict[str, Any], analysis: Analysis) -> list[TruthRow]:
    """The comparison rows for the metrics the analysis has (see :data:`ROWS`)."""
    t = truth.get("truth", truth)
    ms, fps = analysis.metrics, float(analysis.source.get("fps") or math.nan)
    belt = bool(analysis.source.get("treadmill_speed_m_s"))
    out = []
    for path, name, attr in ROWS:
        if name == "arm_swing_range_deg" and name not in ms:
            name = "shoulder_flexion_range_deg"
        m = ms.get(name)
        if m is None:
            continue
        value = _get(t, path) * (100.0 if name == "vertical_oscillation_cm" else 1.0)
        side = f" ({attr})" if attr != "value" else ""
        out.append(TruthRow(style.metric_label(name) + side, name, m.unit, value,
                            getattr(m, attr), measurement_error(name, m, ms, fps, belt),
                            m.confidence))
    return out


def _table(fig: Figure, rows: list[TruthRow], top: float) -> float:
    cells = [["quantity", "truth", "measured", "error", "expected error", "verdict"]]
    colours: list[list] = [[None] * 6]
    gids: list[list] = [[None] * 6]
    for r in rows:
        cells.append([r.label, style.fmt(r.truth, r.unit), style.fmt(r.measured, r.unit),
                      style.fmt(r.difference, r.unit),
                      "-" if not math.isfinite(r.error) else f"±{style.fmt(r.error, r.unit)}",
                      r.verdict])
        bad = r.verdict in ("outside", "not measured")
        colours.append([None] * 5 + [style.LIGHTS["red"] if bad else style.LIGHTS["green"]
                                     if r.verdict == "within" else style.GREY])
        gids.append([None, None, f"metric:{r.metric}:{_attr(r.label)}", None, None, None])
    h = 0.0165 * len(cells)
    ax = fig.add_axes((style.MARGIN_L, top - h, style.MARGIN_R - style.MARGIN_L, h))
    table(ax, cells, [0.0, 0.37, 0.49, 0.61, 0.72, 0.86], colours=colours, gids=gids,
          size=style.SMALL, row_h=1.0 / len(cells) / 1.02)
    return top - h - 0.02


def _attr(label: str) -> str:
    return "left" if label.endswith("(left)") else "right" if label.endswith("(right)") \
        else "value"


def _timeline(fig: Figure, truth: dict[str, Any], analysis: Analysis, top: float) -> None:
    """True contacts (outlined) above the detected ones (filled), per side, over time."""
    ax = fig.add_axes((style.MARGIN_L + 0.06, top - 0.15, 0.8, 0.12))
    ev = truth.get("events", {})
    for k, side in enumerate(SIDES):
        y = 3 - 2 * k
        colour = style.SIDE_COLOUR[side]
        fs = np.asarray(ev.get(side, {}).get("foot_strike", []), dtype=float)
        to = np.asarray(ev.get(side, {}).get("toe_off", []), dtype=float)
        for a, b in zip(fs, to[to > fs.min()] if fs.size and to.size else [], strict=False):
            ax.broken_barh([(a, b - a)], (y - 0.35, 0.7), facecolor="none", edgecolor=colour,
                           lw=1.2)
        if analysis.gait is not None:
            for c in analysis.gait.events.side(side):
                if math.isfinite(c.off_s):
                    ax.broken_barh([(c.strike_s, c.off_s - c.strike_s)], (y - 1.35, 0.7),
                                   color=colour)
    ax.set_yticks([3, 2, 1, 0], ["left truth", "left measured", "right truth",
                                 "right measured"])
    t = analysis.sequence.time
    ax.set_xlim(float(t[0]), float(t[-1]))
    ax.set_xlabel("time (s)")
    ax.set_title("Ground contacts: true (outlined) and detected (filled)", loc="left",
                 fontsize=style.BODY)
    ax.grid(axis="x", alpha=0.3)


def truth_page(truth: dict[str, Any]) -> Callable[[Analysis], Figure]:
    """A page builder comparing ``truth`` (a loaded truth.json) with the analysis."""

    def build(analysis: Analysis) -> Figure:
        fig = style.new_page("Ground truth vs measured", analysis.source,
                             "The synthetic runner's exact parameters against what the "
                             "analysis measured from its video.")
        p = truth.get("params", {})
        flow = TextFlow(fig, style.MARGIN_L, style.MARGIN_R, 0.905)
        flow.para(f"Synthetic runner: {p.get('view', 'side')} view, {p.get('fps', 0):.0f} fps, "
                  f"{p.get('seconds', 0):.1f} s, asymmetry {p.get('asymmetry', 0):+.2f} (right "
                  f"contact = {1 + p.get('asymmetry', 0):.2f} x left), speed "
                  f"{p.get('speed', 0):.2f} m/s. Tracked with the real pose model "
                  f"({analysis.source.get('model') or 'unknown'}). Error = measured - truth; "
                  "expected error: the pipeline's measurement error against force plates "
                  "(docs/metrics.md, science.md 10). Measured on such runners: the full "
                  "model's foot strikes come 23-32 ms early (contact times +25 to +33 ms), "
                  "the heavy model's contact times are within one frame "
                  "(tests/validation/test_gait_synthetic.py).", style.SMALL,
                  colour=style.GREY)
        y = _table(fig, truth_rows(truth, analysis), flow.y - 0.005)
        _timeline(fig, truth, analysis, y)
        return fig

    return build
