"""Stride-periodic reference trajectories for the left/right repair (science.md 2.1, 7.4).

Running is periodic: relative to the mid-hip, each limb repeats its path every stride (0.45 s
for a sprint to ~0.9 s for a slow jog, ~1.1 s for walking). The trajectory stage of
:mod:`mechanics.clean.tracks` judges a label against a smooth trajectory fitted to the
neighbouring frames; near either end of the track those frames lie on one side only, and a
run of wrong labels there (the pose model's errors are phase-locked to the stride, so one
occurs at about the same phase of every stride) pulls the trajectory onto the wrong limb. The
same phase one or two strides away, where the labels were repaired with support from both
sides, is an independent reference for it.

1. **Stride lag** (:func:`stride_lag`): the lag ``k`` (frames) between ``lo_s`` and ``hi_s``
   with the smallest median distance ``|Q(t + k) - Q(t)|`` over frames, limbs and landmarks
   of the repaired positions ``Q``, accepted when that distance is below ``max_mismatch``
   body scales (otherwise the motion is not periodic enough and no periodic reference is
   used) and the lag is short enough that the clip holds at least ``min_strides`` strides.
2. **Periodic reference** (:func:`periodic_reference`): at each frame, the median of
   ``Q(t + m k)`` over ``m = +-1, +-2`` (the samples that exist); NaN where none exists.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

#: stride periods searched (s)
LAG_RANGE_S = (0.4, 1.6)
#: largest accepted median stride-to-stride mismatch (body scales)
MAX_MISMATCH = 0.25
#: the clip must hold this many strides of the found lag
MIN_STRIDES = 1.5
#: strides either side pooled into the periodic reference
SHIFTS = (-2, -1, 1, 2)


def stride_lag(Q: np.ndarray, fs: float, *, lo_s: float = LAG_RANGE_S[0],
               hi_s: float = LAG_RANGE_S[1], max_mismatch: float = MAX_MISMATCH,
               min_strides: float = MIN_STRIDES) -> int | None:
    """Stride period of repaired limb positions, in frames, or None (see the module notes).

    Parameters
    ----------
    Q : (T, 2 limbs, n, 2) positions relative to the mid-root in body scales; NaN = missing.
    fs : frame rate (Hz).
    lo_s, hi_s : stride periods searched (s).
    max_mismatch : largest accepted median distance between a sample and the same limb's
        sample one stride later (body scales).
    min_strides : the clip must be at least this many strides long.

    Returns
    -------
    int or None
        The lag in frames, None when the track is too short or not periodic enough.
    """
    if not math.isfinite(fs) or fs <= 0:
        return None
    T = Q.shape[0]
    lo = max(2, round(lo_s * fs))
    hi = min(round(hi_s * fs), int(T / min_strides))
    scores = np.full(max(hi + 1, 0), np.inf)
    for k in range(lo, hi + 1):
        d = np.linalg.norm(Q[k:] - Q[:-k], axis=-1)
        d = d[np.isfinite(d)]
        if d.size >= 0.25 * (T - k) * Q.shape[1] * Q.shape[2]:
            scores[k] = float(np.median(d))
    if not np.isfinite(scores).any() or scores.min() > max_mismatch:
        return None
    # the shortest lag about as good as the best (a multiple of the stride fits as well)
    return int(np.flatnonzero(scores <= min(max_mismatch, 1.5 * scores.min() + 0.02))[0])


def periodic_reference(Q: np.ndarray, lag: int) -> np.ndarray:
    """(T, 2, n, 2) median of ``Q(t + m lag)`` over ``m`` in ``SHIFTS``; NaN where none exists."""
    T = Q.shape[0]
    stack = np.full((len(SHIFTS), *Q.shape), np.nan)
    for i, m in enumerate(SHIFTS):
        s = m * lag
        if abs(s) >= T:
            continue
        if s > 0:
            stack[i, :T - s] = Q[s:]
        else:
            stack[i, -s:] = Q[:T + s]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)          # all-NaN slices -> NaN
        return np.nanmedian(stack, axis=0)
