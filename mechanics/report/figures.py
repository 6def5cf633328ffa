"""Plotting primitives of the report (matplotlib, Agg): gait-cycle curves, the contact
timeline, per-step values, angle-angle plots and left/right bars.

Each function draws on a given axes from values the analysis already holds (time series,
events, the per-step table, metrics); none computes a metric. Curves over the gait cycle use
the project's one stride-cutting tool, :func:`mechanics.cycles.cut_strides`. Left is blue,
right red; every axis is labelled with its unit.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from matplotlib.ticker import MaxNLocator

from mechanics.cycles import Strides, cut_strides
from mechanics.report import style

SIDES = ("left", "right")


def strides_of(time: np.ndarray, signal: np.ndarray, strikes: np.ndarray,
               stride_s: float | None = None) -> Strides:
    """Time-normalised strides of one signal between foot strikes of one foot.

    ``stride_s``: the reported stride time (120 / cadence); strides longer than 1.5 times
    it (a missed foot strike between two detected ones) are left out.
    """
    limit = 1.5 * stride_s if stride_s and math.isfinite(stride_s) else None
    return cut_strides(signal, time, strikes, max_stride_s=limit)


def stride_time(metrics: dict) -> float | None:
    """Stride time (s) from the reported cadence, or None when it is not measurable."""
    cad = metrics.get("cadence_spm")
    if cad is None or not cad.measurable or not _finite(cad.value) or cad.value <= 0:
        return None
    return 120.0 / cad.value


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


def _finite(v: Any) -> bool:
    return isinstance(v, int | float) and math.isfinite(v)
