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
   The stride is not a whole number of frames (a 30 fps swing foot moves ~0.4 body scales
   per frame, so half a frame of phase error matters): each local minimum of the
   whole-frame scores is refined in steps of ``LAG_STEP`` within half a frame either side,
   ``Q(t + k)`` at a fractional ``k`` linearly interpolated between the two neighbouring
   frames (:func:`shifted`), before the shortest good lag is chosen (otherwise the whole lag
   nearest two strides can beat the one nearest one stride).
2. **Periodic reference** (:func:`periodic_reference`): at each frame, the median of
   ``Q(t + m k)`` over ``m = +-1, +-2`` (the samples that exist); NaN where none exists.
3. **Periodic witness** (:func:`periodic_distances`): throughout the track (not only near
   its ends), a sample's distance to a limb's smooth trajectory is raised towards its
   distance to the limb's periodic reference where that is larger. A short run of wrong
   samples (at 30 fps MediaPipe sometimes places a fast swing foot 40-80 px off for 2-4
   frames) pulls the 4 Hz trajectory and is kept on its distance to it alone; the same
   phase one or two strides away is an independent witness against it. The reference never
   lowers a distance: where the pose model makes the same error at the same phase of every
   stride (front view) it is made of those errors and must not vouch for them.
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
#: resolution of the sub-frame stride lag (frames)
LAG_STEP = 0.1


def shifted(Q: np.ndarray, s: float) -> np.ndarray:
    """``Q(t + s)`` for a fractional shift ``s`` (frames), linearly interpolated; NaN outside
    the track. Where one of the two neighbouring samples is missing the nearer one is used
    when it lies within half a frame, otherwise the result is NaN."""
    T = Q.shape[0]
    x = np.arange(T) + s
    k = np.floor(x).astype(int)
    f = (x - k).reshape((T,) + (1,) * (Q.ndim - 1))
    a = np.where(((k >= 0) & (k < T)).reshape(f.shape), Q[np.clip(k, 0, T - 1)], np.nan)
    b = np.where(((k + 1 >= 0) & (k + 1 < T)).reshape(f.shape), Q[np.clip(k + 1, 0, T - 1)],
                 np.nan)
    out = (1.0 - f) * a + f * b
    out = np.where(np.isnan(out) & (f <= 0.5), a, out)
    return np.where(np.isnan(out) & (f >= 0.5), b, out)


def _mismatch(Q: np.ndarray, lag: float, min_fraction: float) -> float:
    """Median ``|Q(t + lag) - Q(t)|`` over the samples; inf when fewer than ``min_fraction``
    of the possible pairs exist."""
    d = np.linalg.norm(shifted(Q, lag) - Q, axis=-1)
    d = d[np.isfinite(d)]
    T = Q.shape[0]
    if d.size < min_fraction * (T - lag) * math.prod(Q.shape[1:-1]):
        return math.inf
    return float(np.median(d))


def stride_lag(Q: np.ndarray, fs: float, *, lo_s: float = LAG_RANGE_S[0],
               hi_s: float = LAG_RANGE_S[1], max_mismatch: float = MAX_MISMATCH,
               min_strides: float = MIN_STRIDES) -> float | None:
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
    float or None
        The lag in frames (to ``LAG_STEP``), None when the track is too short or
        not periodic enough.
    """
    if not math.isfinite(fs) or fs <= 0:
        return None
    T = Q.shape[0]
    lo = max(2, round(lo_s * fs))
    hi = min(round(hi_s * fs), int(T / min_strides))
    scores = np.full(max(hi + 2, 0), np.inf)
    for k in range(lo, hi + 1):
        scores[k] = _mismatch(Q, k, 0.25)
    # refine each local minimum to a fractional lag: at 30 fps the whole-frame lag nearest a
    # stride of 21.4 frames can score worse than the one nearest two strides (42.8)
    fine: dict[int, tuple[float, float]] = {}
    for k in range(lo, hi + 1):
        if np.isfinite(scores[k]) and scores[k] <= min(scores[k - 1], scores[k + 1]):
            xs = k + np.arange(-0.5, 0.5, LAG_STEP)
            sc = [_mismatch(Q, x, 0.25) if x >= 2 else math.inf for x in xs]
            i = int(np.argmin(sc))
            fine[k] = (sc[i], float(xs[i])) if sc[i] < scores[k] else (scores[k], float(k))
    if not fine or min(v[0] for v in fine.values()) > max_mismatch:
        return None
    # the shortest lag about as good as the best (a multiple of the stride fits as well)
    best = min(v[0] for v in fine.values())
    return next(fine[k][1] for k in sorted(fine)
                if fine[k][0] <= min(max_mismatch, 1.5 * best + 0.02))


def periodic_reference(Q: np.ndarray, lag: float) -> np.ndarray:
    """(T, 2, n, 2) median of ``Q(t + m lag)`` (:func:`shifted`) over ``m`` in ``SHIFTS``;
    NaN where none exists."""
    stack = np.stack([shifted(Q, m * lag) for m in SHIFTS])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)          # all-NaN slices -> NaN
        return np.nanmedian(stack, axis=0)


def periodic_distances(d_traj: np.ndarray, d_per: np.ndarray, weight: float) -> np.ndarray:
    """Distances of samples to a limb, raised where the limb's periodic reference disagrees.

    ``d_traj + weight * max(d_per - d_traj, 0)`` where both are finite, ``d_traj``
    elsewhere (no periodic reference there): a sample far from the same phase one and two
    strides away counts as farther from the limb, one near it never counts as nearer (the
    pose model's errors recur at the same phase of every stride, so the periodic reference
    can witness against a sample, not vouch for it). Arrays of the same shape; ``weight`` in
    [0, 1].
    """
    with np.errstate(invalid="ignore"):                           # inf - inf: unused below
        raised = d_traj + weight * np.maximum(d_per - d_traj, 0.0)
    return np.where(np.isfinite(d_per) & np.isfinite(d_traj), raised, d_traj)
