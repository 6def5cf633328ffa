"""Left/right assignment of limb landmarks by competing smooth trajectories.

The second stage of :func:`mechanics.clean.identity.repair_left_right` (science.md 7.4;
pose-model.md 4.3 and 6). MediaPipe's typical leg failure in the heel-kick and crossing
phases is not a clean swap: for 2-10 frames one leg is lost, one label sits on the other leg
(where that leg's own label may sit as well, a "collapse") and the other label floats
somewhere between the legs. A constant-velocity test on consecutive frames cannot judge such
a run (its neighbours are wrong too), so each label is judged against the smooth trajectory of
each limb, fitted on both sides in time, and a label that fits neither is dropped: a wrong
label is worse than a missing one (the gap filler bridges short gaps, science.md 7.2).

Positions are image x, y relative to the mid-root (mid-hip, mid-shoulder) in body scales
(median thigh length), per landmark of the limb group (legs: knee, ankle, heel, foot_index).

1. **Reference trajectories.** Each limb's trajectory is a discrete cubic smoothing spline
   (Whittaker smoother: least squares plus ``lam * sum(second difference**2)``; its gain is
   1/2 at ``ref_cutoff_hz``; across missing samples it is a cubic spline, so it bridges the
   runs it ignores from both sides). It is first fitted to the limb's own labels with Tukey
   bisquare weights of scale ``scale`` (annealed from 3x), then refitted on the samples of
   *both* labels, each sample weighted for the limb it is nearer to ("competing"
   references, four passes with the scale annealed from 3x): a label sitting on the other
   limb feeds the other limb's trajectory and not its own, so a limb that MediaPipe lost for
   a few frames is bridged rather than pulled onto its neighbour.
2. **Assignment.** Every frame has one of seven states: each limb takes its own label, the
   other label or none. A state costs, per landmark, the distance of each used sample to the
   trajectory of the limb it is given to, clipped at ``drop_distance`` (a sample beyond it is
   dropped, at that cost), ``drop_distance`` for each sample left unused and ``move_cost`` for
   each label given to the other limb; each change of state costs ``state_switch_cost``. The
   cheapest state sequence is found exactly (Viterbi) for the limb group, then per landmark
   with ``landmark_cost`` for deviating from the group (a partial swap: feet swapped, knees
   not). A used sample farther than ``drop_distance`` from its limb's trajectory is dropped.
3. **Track ends.** Near either end a run of wrong labels is one-sided and can pull both
   trajectories. When the track is periodic, one more solution is computed, "periodic"
   (:mod:`mechanics.clean.periodic`: the competing fit started from the plain solution's
   repaired positions one and two strides away), and it is kept in the first and last
   ``end_window_s`` (the pose model's errors recur at the same phase of every stride, and the
   same phase one stride inwards was decided with support from both sides). Otherwise the
   other solution is "end-guarded" (the samples within ``end_s`` of an end left out of the first
   fit unless they lie in a smooth run, "anchor": no frame whose median second difference
   over the group exceeds ``jump`` body scales, at least ``anchor_s`` long), kept there when
   its total cost (assignment cost plus the spline's curvature penalty) is lower than the
   plain one's.
4. **Periodic witness.** When the track is periodic, the assignments (step 2) of the plain
   and the periodic solution are made over the whole track with each sample's distance to a
   limb raised towards its distance to the limb's periodic reference (the plain solution's
   repaired positions one and two strides away, at the sub-frame stride lag;
   :func:`~mechanics.clean.periodic.periodic_distances`):
   ``d + periodic_weight * max(d_per - d, 0)``. A run of 2-4 wrong samples pulls the 4 Hz
   trajectory towards itself, so ``d`` alone keeps it, but the same phase one or two strides
   away (usually right) does not follow it; the reference only raises a distance, never
   lowers it, because the pose model's errors recur at the same phase of every stride and a
   reference made of such errors must not vouch for one.

The reference cut-off (4 Hz) is below the feet's fastest content on purpose: a stiffer
trajectory sees through single-frame mirror flips of both legs at 30 fps (a swing foot moves
~0.4 thigh lengths per frame), and the bisquare scale (0.6) lets it bridge them; measured on
the synthetic runner at 30-120 fps (docs/cleaning.md).

Known weaknesses: a limb lost for longer than about 0.2 s is bridged poorly (its samples are
then dropped or kept on the wrong limb); when MediaPipe's labels are wrong for long runs
every step (a 45 %-height runner, a noisy background: 30-45 % of frames wrong) the
trajectories follow the wrong labels there (synthetic runner at 180 steps/min, 4 m/s,
30 fps: 17 % of frames still wrong); a label that floats next to the other limb for 3-5
frames (front view) follows a smooth path and is kept, and the periodic witness (4.) cannot reject
it when the same error recurs at the same phase of the neighbouring strides (front view,
30 fps: 2 of 120 frames with the foot floating midway between the legs stay wrong); the
trajectory lags fast feet, so correct samples are dropped at their turning points (refilled
by the gap filler; the periodic witness drops a few more, 0-25 % more samples dropped on
the synthetic runner); without a periodic reference (short or irregular tracks) decisions
near the ends rest on one side and a short run of wrong samples that pulls the trajectory is
kept. About 5-10 % of leg samples are dropped on the synthetic side-view runner, almost all
refilled by the gap filler.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.linalg import solveh_banded

from mechanics.clean.gaps import runs
from mechanics.clean.periodic import periodic_distances, periodic_reference, stride_lag

#: state -> (source label of the left limb, of the right limb); 0 left, 1 right, -1 none
STATES = np.array([[0, 1], [1, 0], [0, -1], [1, -1], [-1, 0], [-1, 1], [-1, -1]])
#: annealing of the bisquare scale over the passes of a fit
ANNEAL_OWN = (3.0, 2.0, 1.0, 1.0, 1.0, 1.0)
ANNEAL_COMPETING = (3.0, 2.0, 1.5, 1.0)
#: a limb landmark needs this many samples for a reference trajectory
MIN_SAMPLES = 6


@dataclass(frozen=True)
class TrackOptions:
    """Parameters of the trajectory assignment (lengths in body scales, times in s).

    Attributes
    ----------
    ref_cutoff_hz : cut-off of the reference trajectories (gain 1/2; Hz, at most 0.4 fps).
    scale : bisquare scale of the reference fits (a sample this far off gets no weight).
    drop_distance : a sample farther than this from its limb's trajectory is dropped; also
        the cost of an unused sample.
    move_cost : cost of giving a label to the other limb (per landmark).
    state_switch_cost : cost of each change of state (Viterbi).
    landmark_cost : cost of a landmark's state deviating from its group's.
    end_s, end_window_s, jump, anchor_s : track ends (module notes, 3.).
    periodic_weight : weight of the periodic reference in the distance of a sample to a limb
        (module notes, 4.; 0 disables it, 1 takes the larger of the two distances).
    """

    ref_cutoff_hz: float = 4.0
    scale: float = 0.6
    drop_distance: float = 0.35
    move_cost: float = 0.1
    state_switch_cost: float = 0.3
    landmark_cost: float = 0.3
    end_s: float = 0.2
    end_window_s: float = 0.3
    jump: float = 0.4
    anchor_s: float = 0.1
    periodic_weight: float = 0.5


def smoothing_lambda(cutoff_hz: float, fs: float) -> float:
    """Whittaker ``lam`` whose gain ``1 / (1 + lam (2 sin(pi f / fs))**4)`` is 1/2 at the
    cut-off (at most 0.4 ``fs``)."""
    f = min(cutoff_hz, 0.4 * fs)
    return 1.0 / (2.0 * math.sin(math.pi * f / fs)) ** 4


def whittaker(x: np.ndarray, w: np.ndarray, lam: float) -> np.ndarray:
    """Weighted Whittaker smoother (second differences) of ``x`` (T, k); ``w`` (T,) >= 0.

    Minimises ``sum(w (x - z)**2) + lam sum((z[t+1] - 2 z[t] + z[t-1])**2)``; samples with
    ``w = 0`` (or NaN ``x``) are bridged by a cubic spline. Returns (T, k).
    """
    n = x.shape[0]
    if n < 3:
        return np.where(np.isfinite(x), x, 0.0)
    d0 = np.full(n, 6.0)
    d0[[0, -1]] = 1.0
    d0[[1, -2]] = 5.0 if n > 3 else 2.0
    if n == 3:
        d0[1] = 4.0
    d1 = np.full(n - 1, -4.0)
    d1[[0, -1]] = -2.0
    ab = np.zeros((3, n))
    ab[0, 2:] = lam
    ab[1, 1:] = lam * d1
    ab[2] = lam * d0 + w + 1e-9 * (1.0 + lam)
    rhs = w[:, None] * np.where(np.isfinite(x), x, 0.0)
    return solveh_banded(ab, rhs)


def bisquare(u: np.ndarray) -> np.ndarray:
    """Tukey's bisquare weight of ``|u|`` (0 beyond 1)."""
    u = np.clip(np.abs(u), 0.0, 1.0)
    return (1.0 - u * u) ** 2


def _own_references(P: np.ndarray, ok: np.ndarray, winit: np.ndarray, lam: float,
                    scale: float) -> np.ndarray:
    """(T, 2, n, 2) robust smooth of each limb's own labels; NaN where a landmark is too sparse."""
    refs = np.full(P.shape, np.nan)
    for s in range(2):
        for j in range(P.shape[2]):
            w0 = ok[:, s, j].astype(float)
            if w0.sum() < MIN_SAMPLES:
                continue
            w = w0 * winit[:, s]
            if w.sum() < MIN_SAMPLES:
                w = w0
            for k in ANNEAL_OWN:
                z = whittaker(P[:, s, j], w, lam)
                r = np.linalg.norm(np.nan_to_num(P[:, s, j] - z, nan=np.inf), axis=1)
                w = w0 * bisquare(r / (k * scale))
            refs[:, s, j] = z
    return refs


def _competing_references(P: np.ndarray, ok: np.ndarray, refs: np.ndarray, lam: float,
                          scale: float) -> np.ndarray:
    """Refit each limb on the samples of both labels that are nearer to it (see module notes)."""
    X = np.nan_to_num(P)
    valid = np.isfinite(refs).all(axis=(0, 3))                   # (2 limbs, n)
    for k in ANNEAL_COMPETING:
        d = _distances(P, refs)                                  # (T, obs, limb, n)
        nearer = d <= d[:, :, ::-1]
        new = refs.copy()
        for limb in range(2):
            w = bisquare(d[:, :, limb] / (k * scale)) * nearer[:, :, limb] * ok
            for j in range(P.shape[2]):
                if not valid[limb, j]:
                    continue
                wt = w[:, :, j].sum(axis=1)
                target = ((w[:, :, j, None] * X[:, :, j]).sum(axis=1)
                          / np.maximum(wt, 1e-12)[:, None])
                new[:, limb, j] = whittaker(target, wt, lam)
        refs = new
    return refs


def _distances(P: np.ndarray, refs: np.ndarray) -> np.ndarray:
    """(T, obs label, limb, n) distance of each label's sample to each limb's trajectory."""
    d = np.linalg.norm(P[:, :, None] - refs[:, None, :], axis=-1)
    return np.where(np.isfinite(d), d, np.inf)


def _state_costs(d: np.ndarray, ok: np.ndarray, opts: TrackOptions) -> np.ndarray:
    """(T, 7, n) cost of each state per landmark (see the module notes)."""
    dc = np.minimum(d, opts.drop_distance)                       # (T, obs, limb, n)
    T, _, _, n = d.shape
    cost = np.zeros((T, len(STATES), n))
    for k, sources in enumerate(STATES):
        used = np.zeros(2, dtype=bool)
        for limb, o in enumerate(sources):
            if o >= 0:
                cost[:, k] += np.where(ok[:, o], dc[:, o, limb], 0.0)
                cost[:, k] += opts.move_cost * (o != limb)
                used[o] = True
        for o in range(2):
            if not used[o]:
                cost[:, k] += opts.drop_distance * ok[:, o]
    return cost


def viterbi_states(cost: np.ndarray, switch_cost: float) -> tuple[np.ndarray, np.ndarray]:
    """Cheapest state sequences of a batch: ``cost`` (B, T, K) -> states (B, T) and the
    per-frame cost along them (B, T) (state cost plus ``switch_cost`` for each change)."""
    B, T, K = cost.shape
    change = switch_cost * (1.0 - np.eye(K))
    best = cost[:, 0].copy()
    back = np.zeros((B, T, K), dtype=np.int8)
    for t in range(1, T):
        cand = best[:, :, None] + change[None]
        back[:, t] = np.argmin(cand, axis=1)
        best = np.take_along_axis(cand, back[:, t][:, None, :], axis=1)[:, 0] + cost[:, t]
    states = np.zeros((B, T), dtype=int)
    states[:, -1] = np.argmin(best, axis=1)
    for t in range(T - 1, 0, -1):
        states[:, t - 1] = back[np.arange(B), t, states[:, t]]
    per_frame = np.take_along_axis(cost, states[:, :, None], axis=2)[:, :, 0]
    per_frame[:, 1:] += switch_cost * (np.diff(states, axis=1) != 0)
    return states, per_frame


def _assign(P: np.ndarray, ok: np.ndarray, refs: np.ndarray, opts: TrackOptions,
            per: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Source label per limb and landmark (T, 2, n) (-1 = dropped) and the per-frame cost;
    ``per``: the limbs' periodic reference (module notes, 4.), if any."""
    d = _distances(P, refs)
    if per is not None:
        d = periodic_distances(d, _distances(P, per), opts.periodic_weight)
    cost = _state_costs(d, ok, opts)                             # (T, K, n)
    group, frame_cost = viterbi_states(cost.sum(axis=2)[None], opts.state_switch_cost)
    n = P.shape[2]
    deviate = opts.landmark_cost * (np.arange(len(STATES))[None, :] != group[0][:, None])
    lm_states, _ = viterbi_states(np.moveaxis(cost, 2, 0) + deviate[None], opts.state_switch_cost)
    src = np.moveaxis(STATES[lm_states], 0, 2)                   # (T, 2 limbs, n)
    T = P.shape[0]
    t_idx = np.arange(T)[:, None, None]
    limb_idx = np.arange(2)[None, :, None]
    j_idx = np.arange(n)[None, None, :]
    dist = d[t_idx, np.clip(src, 0, 1), limb_idx, j_idx]
    used = (src >= 0) & (dist <= opts.drop_distance)
    return np.where(used, src, -1), frame_cost[0]


def _curvature(refs: np.ndarray, lam: float) -> np.ndarray:
    """(T,) the smoothing penalty of the references at each frame."""
    out = np.zeros(refs.shape[0])
    if refs.shape[0] >= 3:
        d2 = refs[2:] - 2.0 * refs[1:-1] + refs[:-2]
        out[1:-1] = lam * np.nansum(d2 ** 2, axis=(1, 2, 3))
    return out


def anchors(X: np.ndarray, jump: float, min_run: int) -> np.ndarray:
    """(T,) samples of one label's group in smooth runs of at least ``min_run`` frames.

    ``X`` (T, n, 2). A frame is rough when the median over the landmarks of the second
    difference ``|x[t+1] - 2 x[t] + x[t-1]|`` exceeds ``jump``; a sample is smooth when it and
    its neighbours are not rough.
    """
    T = X.shape[0]
    a = np.full(T, np.inf)
    if T >= 3:
        e = np.linalg.norm(X[2:] - 2.0 * X[1:-1] + X[:-2], axis=-1)
        finite = np.isfinite(e)
        cnt = finite.sum(axis=1)
        e_sorted = np.sort(np.where(finite, e, np.inf), axis=1)
        lo = np.clip((cnt - 1) // 2, 0, None)
        hi = np.clip(cnt // 2, 0, None)
        med = 0.5 * (np.take_along_axis(e_sorted, lo[:, None], 1)[:, 0]
                     + np.take_along_axis(e_sorted, hi[:, None], 1)[:, 0])
        a[1:-1] = np.where(cnt > 0, med, np.inf)
    rough = ~(a <= jump)
    smooth = ~(rough | np.r_[rough[1:], True] | np.r_[True, rough[:-1]])
    out = np.zeros(T, dtype=bool)
    for s, e in runs(smooth):
        if e - s + 1 >= min_run:
            out[s:e + 1] = True
    return out


def _end_weights(P: np.ndarray, fs: float, opts: TrackOptions) -> np.ndarray:
    """(T, 2) first-fit weights of the end-guarded solution: 0 near the ends off anchors."""
    T = P.shape[0]
    w = np.ones((T, 2))
    near = np.zeros(T, dtype=bool)
    m = round(opts.end_s * fs)
    near[:m] = True
    near[max(0, T - m):] = True
    min_run = max(3, round(opts.anchor_s * fs))
    for s in range(2):
        w[near & ~anchors(P[:, s], opts.jump, min_run), s] = 0.0
    return w


def _solve(P: np.ndarray, ok: np.ndarray, refs: np.ndarray, lam: float, opts: TrackOptions,
           per: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Competing references from ``refs``, assignment (with the periodic witness ``per``, if
    given); sources, per-frame total cost and the references."""
    refs = _competing_references(P, ok, refs, lam, opts.scale)
    src, frame_cost = _assign(P, ok, refs, opts, per)
    return src, frame_cost + _curvature(refs, lam), refs


def _periodic(P: np.ndarray, src: np.ndarray, fs: float) -> np.ndarray | None:
    """The limbs' periodic reference (:mod:`mechanics.clean.periodic`) of the positions
    repaired by ``src``, or None."""
    T, _, n, _ = P.shape
    t_idx = np.arange(T)[:, None, None]
    Q = P[t_idx, np.clip(src, 0, 1), np.arange(n)[None, None, :]]
    Q[src < 0] = np.nan
    lag = stride_lag(Q, fs)
    return None if lag is None else periodic_reference(Q, lag)


def assign_tracks(P: np.ndarray, fs: float, opts: TrackOptions | None = None
                  ) -> tuple[np.ndarray, np.ndarray, dict[str, str]]:
    """Source label of each limb landmark per frame (see the module notes).

    Parameters
    ----------
    P : (T, 2 labels, n, 2) image x, y of the left and right labels of a limb group relative
        to the mid-root, in body scales; NaN = missing.
    fs : frame rate (Hz).
    opts : parameters.

    Returns
    -------
    src : (T, 2 limbs, n) int: the label (0 left, 1 right) whose sample each limb takes, -1
        where the limb's sample is dropped (or was missing).
    cost : (T,) per-frame cost of the solution (assignment cost plus the smoothing penalty
        of the trajectories), to compare it with another interpretation of the same samples.
    info : which solution was kept at the start and at the end ("plain", "end-guarded" or
        "periodic").
    """
    opts = opts or TrackOptions()
    ok = np.isfinite(P).all(axis=-1)
    T = P.shape[0]
    lam = smoothing_lambda(opts.ref_cutoff_hz, fs)
    plain_refs = _own_references(P, ok, np.ones((T, 2)), lam, opts.scale)
    src, cost, refs = _solve(P, ok, plain_refs, lam, opts)
    per = _periodic(P, src, fs)
    witness = per if per is not None and opts.periodic_weight > 0 else None
    if witness is not None:                      # the plain solution's samples, witnessed
        src, cost = _assign(P, ok, refs, opts, witness)
        cost = cost + _curvature(refs, lam)
    solutions = {"plain": (src, cost)}
    if per is not None:
        start = np.where(np.isfinite(per), per, plain_refs)
        solutions["periodic"] = _solve(P, ok, start, lam, opts, witness)[:2]
    else:                                        # the ends rest on one side: guard them
        guarded = _end_weights(P, fs, opts)
        if (guarded < 1.0).any():
            guarded_refs = _own_references(P, ok, guarded, lam, opts.scale)
            solutions["end-guarded"] = _solve(P, ok, guarded_refs, lam, opts)[:2]
    src = solutions["plain"][0].copy()
    cost = solutions["plain"][1].copy()
    info = {"start": "plain", "end": "plain"}
    m = min(T, max(3, round(opts.end_window_s * fs)))
    for where, sl in (("start", slice(0, m)), ("end", slice(T - m, T))):
        best = ("periodic" if "periodic" in solutions
                else min(solutions, key=lambda k: float(solutions[k][1][sl].sum())))
        src[sl] = solutions[best][0][sl]
        cost[sl] = solutions[best][1][sl]
        info[where] = best
    return src, cost, info
