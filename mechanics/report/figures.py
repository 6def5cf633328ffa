"""Plotting primitives of the report and of :mod:`mechanics.plotting` (matplotlib):
gait-cycle curves, the contact timeline, per-step values, angle-angle plots, left/right
bars, coupling-angle bins, relative phase and angular-momentum curves.

Each function draws on a given axes from values the analysis already holds (time series,
events, the per-step table, metrics, results); none computes a metric. The report's pages
place the axes on an A4 page; :mod:`mechanics.plotting` puts the same drawings in figures of
their own. Curves over the gait cycle use the project's one stride-cutting tool,
:func:`mechanics.cycles.cut_strides`, through :func:`mechanics.analysis.result.cycle_strides`.
Left is blue, right red; every axis is labelled with its unit.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.ticker import MaxNLocator

from mechanics.analysis import Analysis, Metric
from mechanics.analysis.result import cycle_strides, reported_stride_time, sagittal_view
from mechanics.cycles import Strides
from mechanics.pose.skeleton import other_side
from mechanics.report import style
from mechanics.report.extras import array, per_side

SIDES = ("left", "right")
#: sagittal angle panels (report page 4, :func:`mechanics.plotting.plot_kinematics`): title,
#: series per side ({side} replaced), y label
KINEMATICS = (
    ("Hip flexion", "{side}_hip_flexion", "hip flexion (deg, + = flexion)"),
    ("Knee flexion", "{side}_knee_flexion", "knee flexion (deg, 0 = straight)"),
    ("Ankle dorsiflexion", "{side}_ankle_dorsiflexion", "ankle (deg, + = dorsiflexion)"),
    ("Trunk lean", "trunk_lean", "trunk lean (deg, + = forward)"),
)
#: arm panels (report page 5): title, series per side, y label
ARMS = (("Arm swing: shoulder flexion", "{side}_shoulder_flexion", "shoulder flexion (deg)"),
        ("Elbow flexion", "{side}_elbow_flexion", "elbow flexion (deg)"))
#: colours of the body parts in momentum plots (not blue/red: those mean left/right)
PART_COLOURS = {"upper": (0.45, 0.25, 0.6), "lower": (0.15, 0.55, 0.35),
                "arms": (0.85, 0.55, 0.1)}
#: vector-coding bins (metric detail keys) and their labels
BIN_LABELS = {"in_phase": "in-phase", "anti_phase": "anti-phase",
              "proximal_phase": "thigh leads", "distal_phase": "shank leads"}


def strides_of(time: np.ndarray, signal: np.ndarray, strikes: np.ndarray,
               stride_s: float | None = None) -> Strides:
    """Time-normalised strides of one signal between foot strikes of one foot.

    ``stride_s``: the reported stride time (120 / cadence); strides longer than 1.5 times
    it (a missed foot strike between two detected ones) are left out
    (:func:`mechanics.analysis.result.cycle_strides`, shared with ``Analysis.cycles``).
    """
    return cycle_strides(time, signal, strikes, stride_s)


def stride_time(metrics: dict) -> float | None:
    """Stride time (s) from the reported cadence, or None when it is not measurable."""
    return reported_stride_time(metrics)


def sagittal_allowed(view: str | None) -> bool:
    """True when the camera view supports sagittal angles (the confidence rules' table)."""
    return sagittal_view(view)


def strikes_by_side(analysis: Analysis) -> dict[str, np.ndarray]:
    """Valid foot-strike times per side (s)."""
    return analysis.foot_strikes()


def toe_off_pct(metrics: dict[str, Metric]) -> dict[str, float]:
    """Mean toe-off in % of the stride per side: the duty factor metric x 100."""
    d = metrics.get("duty_factor")
    if d is None or not d.measurable:
        return {}
    return {"left": 100.0 * d.left, "right": 100.0 * d.right}


def cycle_plot(ax, time: np.ndarray, signals: dict[str, np.ndarray],
               strikes: dict[str, np.ndarray], ylabel: str,
               toe_off_pct: dict[str, float] | None = None,
               stride_s: float | None = None) -> dict[str, int]:
    """Mean +- SD over 0-100 % of the gait cycle per side; returns strides used per side.

    ``signals[side]`` is that side's (T,) series, cut at ``strikes[side]``.
    """
    used = {}
    for side in SIDES:
        if side not in signals or side not in strikes:
            continue
        st = strides_of(time, signals[side], strikes[side], stride_s)
        mean, sd = st.mean(), st.sd()
        used[side] = int(np.isfinite(st.data).any(axis=1).sum()) if st.n else 0
        if not used[side] or not np.isfinite(mean).any():
            continue
        colour = style.SIDE_COLOUR[side]
        ax.plot(st.percent, mean, color=colour, label=side)
        if np.isfinite(sd).any():
            ax.fill_between(st.percent, mean - sd, mean + sd, color=colour, alpha=0.18,
                            lw=0)
        to = (toe_off_pct or {}).get(side, math.nan)
        if math.isfinite(to):
            ax.axvline(to, color=colour, ls="--", lw=0.9)
    ax.set_xlim(0, 100)
    ax.set_xlabel("gait cycle (% of the stride)")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    return used


def timeline(ax, steps: list[dict[str, Any]], rejected: list[tuple[str, float, float]],
             t_range: tuple[float, float]) -> None:
    """Contacts as bars per side over time (s); rejected contacts hatched grey."""
    rows = {"left": 1, "right": 0}
    for row in steps:
        a, b = row.get("foot_strike_s"), row.get("toe_off_s")
        if _finite(a) and _finite(b):
            side = row["side"]
            ax.broken_barh([(a, b - a)], (rows[side] - 0.35, 0.7),
                           color=style.SIDE_COLOUR[side])
    for side, a, b in rejected:
        if _finite(a) and _finite(b):
            ax.broken_barh([(a, b - a)], (rows[side] - 0.35, 0.7), facecolor="none",
                           edgecolor=style.GREY, hatch="///", lw=0.6)
    ax.set_yticks([1, 0], ["left", "right"])
    for label, side in zip(ax.get_yticklabels(), ("left", "right"), strict=True):
        label.set_color(style.SIDE_COLOUR[side])
    ax.set_ylim(-0.6, 1.6)
    ax.set_xlim(*t_range)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("foot on the ground")
    ax.grid(axis="x", alpha=0.3)


def per_step(ax, steps: list[dict[str, Any]], key: str, means: dict[str, float],
             ylabel: str, scale: float = 1.0) -> int:
    """One marker per step (x = foot strike time, s) per side, the side means as lines.

    ``means`` are the metric's left/right values (drawn, not recomputed); ``scale``
    converts units for display (e.g. 1000 for s -> ms). Returns the number of markers.
    """
    n = 0
    for side in SIDES:
        rows = [r for r in steps if r.get("side") == side and _finite(r.get(key))
                and _finite(r.get("foot_strike_s"))]
        colour = style.SIDE_COLOUR[side]
        if rows:
            ax.plot([r["foot_strike_s"] for r in rows], [r[key] * scale for r in rows],
                    "o", color=colour, ms=4, label=side)
            n += len(rows)
        m = means.get(side, math.nan)
        if _finite(m):
            ax.axhline(m * scale, color=colour, lw=1.0, ls="--")
    ax.set_xlabel("time of the foot strike (s)")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    return n


def angle_angle(ax, time: np.ndarray, x: np.ndarray, y: np.ndarray, strikes: np.ndarray,
                side: str, xlabel: str, ylabel: str, stride_s: float | None = None) -> int:
    """Angle-angle plot of one side: each stride thin, the mean stride thick; returns the
    number of strides drawn. Foot strike is marked on the mean curve."""
    st = strides_of(time, np.column_stack([x, y]), strikes, stride_s)
    colour = style.SIDE_COLOUR[side]
    n = 0
    for k in range(st.n):
        d = st.data[k]
        if np.isfinite(d).all(axis=1).sum() > 10:
            ax.plot(d[:, 0], d[:, 1], color=colour, alpha=0.25, lw=0.8)
            n += 1
    if n:
        mean = st.mean()
        ax.plot(mean[:, 0], mean[:, 1], color=colour, lw=2.2, label=f"mean of {n} strides")
        ax.plot(mean[0, 0], mean[0, 1], "o", color="black", ms=5, label="foot strike")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    return n


def lr_bars(ax, left: float, right: float, unit: str, title: str) -> None:
    """Two horizontal bars, left blue and right red; the values are the y tick labels."""
    vals = [left, right]
    ok = [v for v in vals if _finite(v)]
    ax.barh([1, 0], [v if _finite(v) else 0.0 for v in vals],
            color=[style.LEFT, style.RIGHT], height=0.6)
    ax.set_yticks([1, 0], [f"L {style.fmt(left, unit)}", f"R {style.fmt(right, unit)}"])
    for label, colour in zip(ax.get_yticklabels(), (style.LEFT, style.RIGHT), strict=True):
        label.set_color(colour)
    ax.tick_params(axis="y", length=0)
    lo, hi = min([0.0, *ok]), max([0.0, *ok])
    pad = 0.12 * (hi - lo) if hi > lo else 1.0
    ax.set_xlim(lo - pad if lo < 0 else 0.0, hi + pad if hi > 0 or lo == hi else 0.0)
    ax.axvline(0, color=style.GREY, lw=0.6)
    ax.xaxis.set_major_locator(MaxNLocator(4))
    ax.set_title(title, fontsize=style.SMALL + 1, loc="left")
    ax.set_xlabel(unit)
    ax.spines["left"].set_visible(False)
    ax.grid(axis="x", alpha=0.3)


def angle_cycles(ax, analysis: Analysis, key: str, ylabel: str,
                 toe_off: bool = True) -> dict[str, int]:
    """:func:`cycle_plot` of one angle of the analysis (``key``: an ``Angles.series`` key,
    '{side}' replaced by each side), cut at that side's foot strikes, with the mean toe-off
    (the duty factor) when ``toe_off``; returns the strides used per side."""
    a = analysis.angles
    signals = {s: a.series.get(key.format(side=s), np.full(a.time.shape, np.nan))
               for s in SIDES}
    toe = toe_off_pct(analysis.metrics) if toe_off else None
    return cycle_plot(ax, a.time, signals, strikes_by_side(analysis), ylabel, toe,
                      stride_time(analysis.metrics))


def thigh_shank(ax, analysis: Analysis, side: str) -> int:
    """Thigh (x) against shank (y) angle-angle plot of one side (:func:`angle_angle`);
    returns the number of strides drawn."""
    a = analysis.angles
    return angle_angle(ax, a.time, a.series[f"{side}_thigh"], a.series[f"{side}_shank"],
                       strikes_by_side(analysis).get(side, np.array([])), side,
                       "thigh angle (deg)", "shank angle (deg)",
                       stride_time(analysis.metrics))


def has_bins(m: Metric | None) -> bool:
    """True when the thigh-shank coupling metric is measurable and has its bins."""
    return m is not None and m.measurable and bool(m.detail)


def coupling_bins(ax, m: Metric) -> None:
    """Coupling-angle distribution per side (% of the stride in each vector-coding bin)
    from the ``thigh_shank_coupling`` metric's detail."""
    x = np.arange(len(BIN_LABELS))
    for k, side in enumerate(SIDES):
        d = m.detail.get(side) or {}
        vals = [float(d.get(f"{b}_pct", math.nan) or math.nan) for b in BIN_LABELS]
        ax.bar(x + (k - 0.5) * 0.38, vals, width=0.38, color=style.SIDE_COLOUR[side],
               label=side)
    ax.set_xticks(x, list(BIN_LABELS.values()))
    ax.set_ylabel("share of the stride (%)")
    ax.set_xlabel("thigh-shank coupling pattern (vector coding)")
    ax.grid(axis="y", alpha=0.3)


def relative_phase(ax, crp: Any) -> int:
    """Arm-leg continuous relative phase, mean +- circular SD over the stride, per side
    (the analysis' ``arm_leg`` result); returns the number of sides drawn."""
    n = 0
    for side, r in per_side(crp).items():
        pct, mean, sd = array(r, "percent"), array(r, "mean"), array(r, "sd")
        if pct is None or mean is None or not np.isfinite(mean).any():
            continue
        ax.plot(pct, mean, color=style.SIDE_COLOUR[side],
                label=f"{side} arm - {other_side(side)} leg")
        if sd is not None:
            ax.fill_between(pct, mean - sd, mean + sd, color=style.SIDE_COLOUR[side],
                            alpha=0.18, lw=0)
        n += 1
    ax.set_xlim(0, 100)
    ax.set_xlabel("gait cycle (% of the stride)")
    ax.set_ylabel("relative phase (deg)")
    ax.grid(alpha=0.3)
    return n


def momentum(ax, bm: Any) -> int:
    """Vertical angular momentum H_z (kg m²/s) of the upper body, lower body and arms over
    time (the analysis' ``momentum`` result); returns the number of curves drawn."""
    time = array(bm, "time")
    n = 0
    for part, colour in PART_COLOURS.items():
        h = array(bm, part)
        if time is not None and h is not None and h.shape == time.shape:
            ax.plot(time, h, color=colour, label=f"{part} body" if part != "arms" else part)
            n += 1
    ax.set_xlabel("time (s)")
    ax.set_ylabel("H_z (kg m²/s)")
    ax.grid(alpha=0.3)
    return n


def trunk_moment(ax, time: np.ndarray, moment: Any) -> bool:
    """Top-down trunk vertical moment M_z (N m) over time; False when it does not match
    the time axis (nothing drawn)."""
    mz = np.asarray(moment, dtype=float)
    if mz.shape != np.shape(time):
        return False
    ax.plot(time, mz, color=style.INK)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("M_z (N m)")
    ax.grid(alpha=0.3)
    return True


def symmetry_text(row: Any, unit: str) -> tuple[str, bool]:
    """('SA -3.0 %, L-R 0.012, FLAGGED', flagged) of one symmetry row
    (:class:`mechanics.report.extras.SymmetryRow`); ('', False) without one."""
    if row is None:
        return "", False
    parts = []
    if math.isfinite(row.symmetry_angle_pct):
        parts.append(f"SA {row.symmetry_angle_pct:.1f} %")
    if math.isfinite(row.difference):
        parts.append(f"L-R {style.fmt(row.difference, unit)}")
    if row.flagged:
        parts.append("FLAGGED")
    return ", ".join(parts), bool(row.flagged)


def _finite(v: Any) -> bool:
    return isinstance(v, int | float) and math.isfinite(v)
