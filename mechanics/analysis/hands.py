"""Hand path metrics of the arm swing (science.md 4.2): fore-aft excursion and midline crossing.

Both are 2D image measures, per stride of the same side's foot
(:func:`mechanics.cycles.cut_strides`), mean over strides; per-stride values feed the
symmetry block. Nothing here raises: what cannot be computed is NaN and
:mod:`mechanics.analysis.confidence` grades it not measurable.

``hand_excursion_leg_lengths`` (side view)
    Fore-aft range of the wrist relative to the mid-hip, in the running direction: per
    stride maximum minus minimum of ``d (x_wrist - x_MH)``, divided by the leg length in
    pixels (median hip-knee + knee-ankle, :func:`mechanics.kinematics.leg_length_px`).
    science.md 4.2 suggests normalising by height; the leg length is measured in every clip,
    the height only when given, and it does not need an image scale.
``arm_crossover_shoulder_widths`` (front or back view)
    How far the hand crosses the body midline: per stride the largest lateral position of
    the wrist past the mid-shoulder toward the other shoulder, in shoulder widths (distance
    between the shoulder landmarks, median over the clip); + = the hand crosses the midline,
    - = it stays on its own side by that much. science.md 4.2 reads it at the forward
    extreme; a front view does not show the forward extreme, so the per-stride maximum is
    taken (the hand is most medial near its forward extreme in running).
"""

from __future__ import annotations

import math

import numpy as np

from mechanics.cycles import complete_strides
from mechanics.kinematics import leg_length_px, mid_point
from mechanics.sequence import PoseSequence

SIDES = ("left", "right")
NAN = math.nan


def excursion_samples(seq: PoseSequence, strikes: dict[str, np.ndarray],
                      direction: int) -> dict[str, np.ndarray]:
    """Per-stride fore-aft wrist excursion relative to the mid-hip, leg lengths, by side."""
    names = [f"{s}_{p}" for s in SIDES for p in ("hip", "knee", "ankle")]
    leg = leg_length_px({n: seq.xy(n) for n in names})
    mid_hip = mid_point(seq, "hip")[:, 0]
    out = {}
    for s in SIDES:
        rel = direction * (seq.xy(f"{s}_wrist")[:, 0] - mid_hip)
        strides = complete_strides(rel, seq.time, strikes[s])
        span = strides.max(axis=1) - strides.min(axis=1) if len(strides) else np.zeros(0)
        out[s] = span / leg if np.isfinite(leg) and leg > 0 else np.full(span.shape, NAN)
    return out


def crossover_samples(seq: PoseSequence, strikes: dict[str, np.ndarray]
                      ) -> dict[str, np.ndarray]:
    """Per-stride largest wrist position past the mid-shoulder toward the other shoulder,
    shoulder widths, by side (+ = crosses the midline)."""
    ls, rs = seq.xy("left_shoulder")[:, 0], seq.xy("right_shoulder")[:, 0]
    width = np.abs(ls - rs)
    width = float(np.nanmedian(width)) if np.isfinite(width).any() else NAN
    mid = mid_point(seq, "shoulder")[:, 0]
    out = {}
    for s, other in (("left", rs), ("right", ls)):
        toward = np.sign(other - mid)                  # image direction of the other side
        lateral = toward * (seq.xy(f"{s}_wrist")[:, 0] - mid)
        strides = complete_strides(lateral, seq.time, strikes[s])
        peak = strides.max(axis=1) if len(strides) else np.zeros(0)
        out[s] = peak / width if np.isfinite(width) and width > 0 else np.full(peak.shape, NAN)
    return out
