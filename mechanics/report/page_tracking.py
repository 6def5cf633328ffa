"""Page 8, tracking and cleaning: both ankles' fore-aft paths as the pose model gave them and
after the cleaning (left/right repair, gap filling, low-pass; docs/cleaning.md), so a reader
can see the label swaps, dropped samples and jitter the cleaning removed before any metric
was computed from the track."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from mechanics.analysis import Analysis
from mechanics.analysis.core import is_cleaned
from mechanics.kinematics import mid_point
from mechanics.report import style
from mechanics.report.layout import TextFlow
from mechanics.sequence import PoseSequence


def ankle_paths(seq: PoseSequence, hips: np.ndarray) -> dict[str, np.ndarray]:
    """Side -> (T,) image x of the ankle minus ``hips`` (T, 2) x, px (NaN = missing)."""
    return {side: seq.xy(f"{side}_ankle")[:, 0] - hips[:, 0] for side in ("left", "right")}


def changed_share(raw: PoseSequence, cleaned: PoseSequence, tol_px: float) -> float:
    """Share of the raw ankle samples that the cleaning moved by more than ``tol_px`` or
    marked missing (fraction of the finite raw samples, both ankles)."""
    a = np.concatenate([raw.xy(f"{s}_ankle") for s in ("left", "right")])
    b = np.concatenate([cleaned.xy(f"{s}_ankle") for s in ("left", "right")])
    have = np.isfinite(a).all(axis=1)
    if not have.any():
        return float("nan")
    d = np.linalg.norm(a[have] - b[have], axis=1)
    return float(np.mean(~(d <= tol_px)))


def _panel(ax, t: np.ndarray, paths: dict[str, np.ndarray], title: str, dots: bool) -> None:
    for side, x in paths.items():
        kw = {"marker": ".", "ms": 3, "lw": 0.6} if dots else {"lw": 1.4}
        ax.plot(t, x, color=style.SIDE_COLOUR[side], label=f"{side} ankle", **kw)
    ax.axhline(0.0, color=style.LIGHT_GREY, lw=0.8, zorder=0)
    ax.set_title(title, loc="left", fontsize=style.BODY)
    ax.set_ylabel("ankle x - mid-hip x (px)")
    ax.legend(loc="upper right", ncol=2)


def page_tracking(analysis: Analysis) -> Figure:
    """Page 8 (see the module docstring)."""
    fig = style.new_page("Tracking and cleaning", analysis.source,
                         "The ankles' fore-aft paths before and after cleaning.")
    flow = TextFlow(fig, style.MARGIN_L, style.MARGIN_R, 0.905)
    cleaned, raw = analysis.sequence, analysis.raw
    summary = cleaned.meta.get("cleaning", {}).get("summary")
    flow.para("Cleaning: " + (summary or "not cleaned by mechanics."), style.BODY)
    if raw is None or raw.n_frames != cleaned.n_frames or is_cleaned(raw):
        flow.para("The input track was already cleaned, so the pose model's own output is "
                  "not part of this analysis: analyse landmarks_raw.csv or the video to see "
                  "it here.", style.LARGE, weight="bold", gid="message")
        return fig
    tol = 0.02 * _body_px(cleaned)
    share = changed_share(raw, cleaned, tol)
    flow.para(f"Top: the pose model's output (dots, one per frame). Bottom: the cleaned track "
              f"every metric is computed from. Image x of each ankle relative to the cleaned "
              f"mid-hip, px (+ = image right). A label swap shows as the blue and red dots "
              f"trading places for a few frames; {100 * share:.0f} % of the ankle samples "
              f"were moved by more than {tol:.0f} px (2 % of the body height) or marked "
              f"missing.", style.SMALL, colour=style.GREY)
    hips = mid_point(cleaned, "hip")
    t = cleaned.time
    top = flow.y - 0.02
    h = (top - 0.1) / 2 - 0.04
    ax1 = fig.add_axes((style.MARGIN_L + 0.05, top - h, 0.8, h))
    ax2 = fig.add_axes((style.MARGIN_L + 0.05, top - 2 * h - 0.06, 0.8, h),
                       sharex=ax1, sharey=ax1)
    _panel(ax1, t, ankle_paths(raw, hips), "Before cleaning (pose model)", dots=True)
    _panel(ax2, t, ankle_paths(cleaned, hips), "After cleaning", dots=False)
    ax2.set_xlabel("time (s)")
    return fig


def _body_px(seq: PoseSequence) -> float:
    """Median nose-to-mid-ankle height of the runner in the image, px (for the tolerance)."""
    nose = seq.xy("nose")[:, 1]
    ankles = mid_point(seq, "ankle")[:, 1]
    h = np.nanmedian(np.abs(ankles - nose)) if np.isfinite(ankles - nose).any() else np.nan
    return float(h) if np.isfinite(h) and h > 0 else 100.0
