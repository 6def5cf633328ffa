"""Keep/swap repair of limb labels by constant-velocity prediction errors (exact Viterbi).

Used by :func:`mechanics.clean.identity.repair_left_right` for the roots (hips, shoulders)
and, for long swaps, for whole limb groups and single landmark pairs (science.md 7.4):

1. **Cost of a labelling.** Every frame has a state keep/swap. A labelling costs the
   constant-velocity prediction error of each landmark, ``|p_t - (2 p_{t-1} - p_{t-2})|``
   (the second difference), summed over the landmarks and both sides. Each term is reduced
   by a dead zone of ``deadzone`` times the landmark's median error along MediaPipe's own
   labels (jitter plus natural acceleration), capped at ``max_error`` (a garbage frame, which
   no labelling explains, must not decide the labels around it) and weighted by the lowest
   visibility of its three samples. Where the two labels of a landmark (nearly) coincide and
   one of them is off its own track (a likely collapse), they say nothing about identity and
   are left out. Each change of state costs ``switch_cost`` (so does starting or ending the
   track swapped) and each swapped frame ``frame_cost``: of two labellings that explain the
   jumps equally well, the one that changes fewer frames of MediaPipe's output wins.
2. **Exact minimisation.** The cheapest labelling of the whole track is found by dynamic
   programming (Viterbi over the states of the last two frames): a swap lasting n frames shows
   up as two jumps and is repaired as one segment, however long, and a clean track (no jumps
   beyond the jitter) stays exactly as it is.

Positions are image x, y relative to the mid-root in body scales (see
:mod:`mechanics.clean.identity`). Weaknesses: a swap that starts and ends where the limbs
cross leaves only a velocity kink and is missed within the dead zone; a run where one label
is lost and the other floats (no clean exchange) can be "repaired" into a wrong swap; so for
the limbs its result is only one interpretation, weighed against the trajectory stage's
(:mod:`mechanics.clean.identity`, :mod:`mechanics.clean.tracks`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mechanics.clean.gaps import runs
from mechanics.pose.skeleton import INDEX
from mechanics.sequence import PoseSequence

#: a likely collapse must be off its own track by more than this multiple of the jitter
COLLAPSE_JITTER = 2.0


def _pair(name: str) -> tuple[int, int]:
    return INDEX[f"left_{name}"], INDEX[f"right_{name}"]


def sides(arr: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """(T, 2 sides, n, ...) left and right samples of the named pairs."""
    left = [INDEX[f"left_{n}"] for n in names]
    right = [INDEX[f"right_{n}"] for n in names]
    return np.stack([arr[:, left], arr[:, right]], axis=1)


def positions(image: np.ndarray, names: tuple[str, ...], ref: np.ndarray,
              scale: float) -> np.ndarray:
    """(T, 2 sides, n, 2) x, y of the named pairs relative to ``ref``, in body scales."""
    return (sides(image[:, :, :2], names) - ref[:, None, None, :]) / scale


def _transition_costs(P: np.ndarray, W: np.ndarray, deadzone: float,
                      max_error: float) -> np.ndarray:
    """(T, 2, 2, 2) cost of the states (s_{t-2}, s_{t-1}, s_t) at each frame t >= 2.

    ``P`` (T, 2 sides, n, 2) positions, ``W`` (T, 2 sides, n) visibilities. Sum over
    landmarks and sides of ``w * clip(|p_t - 2 p_{t-1} + p_{t-2}| - deadzone * jitter, 0,
    max_error)``, ``w`` the lowest visibility of the three samples; state 1 exchanges the two
    sides; terms with a missing sample count zero.
    """
    both = np.stack([P, P[:, ::-1]], axis=1)               # (T, state, side, n, 2)
    acc = (both[:-2, :, None, None] - 2.0 * both[1:-1, None, :, None]
           + both[2:, None, None, :])                      # (T-2, a, b, c, side, n, 2)
    err = np.clip(np.linalg.norm(acc, axis=-1) - deadzone * jitter(P), 0.0, max_error)
    wb = np.stack([W, W[:, ::-1]], axis=1)                 # (T, state, side, n)
    err *= np.minimum(np.minimum(wb[:-2, :, None, None], wb[1:-1, None, :, None]),
                      wb[2:, None, None, :])
    cost = np.zeros((P.shape[0], 2, 2, 2))
    cost[2:] = np.nansum(err, axis=(-2, -1))
    return cost


def jitter(P: np.ndarray) -> np.ndarray:
    """(n,) median constant-velocity prediction error of each landmark (both sides), as labelled.

    ``P`` is (T, 2 sides, n, 2). The median over frames of ``|p_t - 2 p_{t-1} + p_{t-2}|``:
    for white jitter of s.d. ``sigma`` per coordinate about ``2.9 sigma``, plus the natural
    acceleration per frame squared; 0 where unknown.
    """
    acc = P[2:] - 2.0 * P[1:-1] + P[:-2]
    err = np.linalg.norm(acc, axis=-1).reshape(-1, P.shape[2])
    out = np.zeros(P.shape[2])
    ok = np.isfinite(err).any(axis=0)
    out[ok] = np.nanmedian(err[:, ok], axis=0)
    return out


def viterbi_swaps(trans: np.ndarray, unary: np.ndarray, switch_cost: float) -> np.ndarray:
    """Cheapest keep(0)/swap(1) state sequence: exact dynamic programming.

    Parameters
    ----------
    trans : (T, 2, 2, 2) cost of states (s_{t-2}, s_{t-1}, s_t) at frame t (rows 0, 1 unused).
    unary : (T, 2) per-frame cost of each state.
    switch_cost : cost of each change of state between consecutive frames; starting or
        ending in the swapped state costs the same, so that a swap touching either end of
        the track needs the same evidence as one inside it.

    Returns
    -------
    (T,) bool, True where the labels are to be exchanged.
    """
    n = unary.shape[0]
    if n < 2:
        return np.zeros(n, dtype=bool)
    change = switch_cost * (np.arange(2)[:, None] != np.arange(2)[None, :])   # (b, c)
    ends = np.array([0.0, switch_cost])       # starting or ending swapped costs one switch
    best = (ends + unary[0])[:, None] + unary[1][None, :] + change              # (b, c)
    back = np.zeros((n, 2, 2), dtype=np.int8)
    for t in range(2, n):
        cand = best[:, :, None] + trans[t]                  # (a, b, c)
        back[t] = np.argmin(cand, axis=0)
        best = np.min(cand, axis=0) + unary[t][None, :] + change
    states = np.zeros(n, dtype=bool)
    b, c = np.unravel_index(int(np.argmin(best + ends[None, :])), (2, 2))
    states[n - 1], states[n - 2] = bool(c), bool(b)
    for t in range(n - 1, 1, -1):
        a = back[t, b, c]
        states[t - 2] = bool(a)
        b, c = a, b
    return states


def swap(seq: PoseSequence, names: tuple[str, ...], frames: np.ndarray) -> None:
    """Exchange the left/right x, y (image and world) of ``names`` at ``frames``, in place.

    z (image and world) and visibility stay with their labels (see the module notes).
    """
    if not frames.any():
        return
    for name in names:
        left, right = _pair(name)
        for arr in (seq.image, seq.world):
            if arr is None:
                continue
            tmp = arr[frames, left, :2].copy()
            arr[frames, left, :2] = arr[frames, right, :2]
            arr[frames, right, :2] = tmp


def solve_swaps(seq: PoseSequence, names: tuple[str, ...], ref: np.ndarray, scale: float,
                opts: dict[str, Any], switch_cost: float) -> np.ndarray:
    """Frames whose ``names`` labels should be exchanged (see the module notes)."""
    P = positions(seq.image, names, ref, scale)
    floor = COLLAPSE_JITTER * jitter(P)
    for j in range(P.shape[2]):                              # likely collapses say nothing
        bad = _suspect(P[:, :, j], max(opts["collapse_residual"], float(floor[j])), opts,
                       seq.fps)
        P[bad, :, j] = np.nan
    W = np.nan_to_num(sides(seq.visibility, names), nan=1.0).clip(0.0, 1.0)
    unary = np.zeros((len(seq), 2))
    unary[:, 1] = opts["frame_cost"]
    cost = _transition_costs(P, W, opts["deadzone"], opts["max_error"])
    return viterbi_swaps(cost, unary, switch_cost)


def _predict(x: np.ndarray, a: int, b: int, k: int) -> np.ndarray | None:
    """(b-a+1, 2) quadratic prediction of ``x[a..b]`` from up to ``k`` finite samples each side."""
    lo, hi = max(0, a - k), min(x.shape[0], b + 1 + k)
    idx = np.r_[lo:a, b + 1:hi]
    idx = idx[np.isfinite(x[idx]).all(axis=1)]
    if (idx < a).sum() < 2 or (idx > b).sum() < 2:
        return None
    t0 = 0.5 * (a + b)
    coef = np.polyfit(idx - t0, x[idx], 2)                 # (3, 2)
    tq = np.arange(a, b + 1) - t0
    return np.stack([np.polyval(coef[:, m], tq) for m in range(2)], axis=1)


def _close_runs(rel: np.ndarray, distance: float, max_run: int,
                support: int) -> list[tuple[int, int, np.ndarray | None]]:
    """Runs where both labels of one landmark pair (nearly) coincide, with each label's error.

    Returns ``(a, b, err)`` per run of at most ``max_run`` frames with ``|L - R| < distance``:
    ``err`` (2 sides, b - a + 1) is each label's distance from its own track predicted from
    outside the run (:func:`_predict`), None when a side has too little support.
    """
    gap = np.linalg.norm(rel[:, 0] - rel[:, 1], axis=1)
    out: list[tuple[int, int, np.ndarray | None]] = []
    for a, b in runs(np.isfinite(gap) & (gap < distance)):
        if b - a + 1 > max_run:
            continue
        preds = [_predict(rel[:, s], a, b, support) for s in (0, 1)]
        err = None
        if preds[0] is not None and preds[1] is not None:
            err = np.stack([np.linalg.norm(rel[a:b + 1, s] - preds[s], axis=1) for s in (0, 1)])
        out.append((a, b, err))
    return out


def _suspect(rel: np.ndarray, residual: float, opts: dict[str, Any], fps: float) -> np.ndarray:
    """(T,) bool: likely collapses of one landmark pair, which say nothing about identity.

    Frames where the two labels (nearly) coincide and one of them is off its own track by
    more than ``residual`` body scales, or where the tracks cannot be predicted.
    """
    out = np.zeros(rel.shape[0], dtype=bool)
    max_run, support = _collapse_window(opts, fps)
    for a, b, err in _close_runs(rel, opts["collapse_distance"], max_run, support):
        if err is None or err.max() > residual:
            out[a:b + 1] = True
    return out


def _collapse_window(opts: dict[str, Any], fps: float) -> tuple[int, int]:
    """(max_run, support) in frames: ``max(3, ceil(max_collapse_s fps))``, ``max(3, 0.05 fps)``."""
    fps = fps if np.isfinite(fps) else 30.0
    return max(3, math.ceil(opts["max_collapse_s"] * fps)), max(3, round(0.05 * fps))


