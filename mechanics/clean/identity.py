"""Left/right identity repair of limb labels (science.md 7.4; pose-model.md 4.2-4.3).

MediaPipe gets the near/far side of the body right ~99 % of the time (hip z order), but its
*leg* labels jump to the other leg for 1-3 frames around the crossing and heel-kick phase,
and sometimes both labels of a foot sit on one foot while the other foot is unlabelled
("collapse"). In such a swap the label's image x, y and world x, y move to the other limb
while its z (image and world) and its visibility stay with the label: they keep saying
"near" or "far" (seen in ../shared/data: walking clip frame 122, treadmill clip frame 26).
So the depth order cannot tell a swap, and a repair exchanges x, y only.

Repair per limb group (legs: knee, ankle, heel, foot_index hanging off the hips; arms: elbow,
wrist, pinky, index, thumb hanging off the shoulders), in image x, y relative to the mid-hip
(mid-shoulder), so whole-body translation, the view (side, front, oblique) and the running
direction do not matter, in units of body scale (median thigh length in the image):

1. **Cost of a labelling.** Every frame has a state keep/swap. A labelling costs the
   constant-velocity prediction error of each limb landmark, ``|p_t - (2 p_{t-1} - p_{t-2})|``
   (the second difference), summed over the landmarks and both sides. Each term is reduced
   by a dead zone of ``deadzone`` times the landmark's median error along MediaPipe's own
   labels (jitter plus natural acceleration: without it, jitter at high frame rates or on
   small runners makes spurious swaps), capped at ``max_error`` (a garbage frame, which no
   labelling explains, must not decide the labels around it) and weighted by the lowest
   visibility of its three samples (the occluded far knee has little say). Where the two
   labels of a landmark (nearly) coincide and one of them is off its own track (a likely
   collapse, see 4.), they say nothing about identity and are left out. Each change of
   state costs ``switch_cost`` (so does starting or ending the track swapped) and each
   swapped frame ``frame_cost``: of two labellings that explain the jumps equally well, the
   one that changes fewer frames of MediaPipe's output wins (MediaPipe's swaps are short).
2. **Exact minimisation.** The cheapest labelling of the whole track is found by dynamic
   programming (Viterbi over the states of the last two frames). This is the frame pass and
   the segment pass at once: a swap lasting n frames shows up as two jumps and is repaired as
   one segment, and a clean track (no jumps beyond the jitter) stays exactly as it is.
3. **Passes.** (a) the roots (hips; shoulders) alone with ``root_switch_cost``: swapped only
   when clearly swapped (front or oblique views; in a side view the two hips nearly coincide
   in the image and are left alone); (b) the limb group; (c) each landmark pair alone, to
   repair partial swaps (feet swapped, knees not) that the group pass leaves or creates.
4. **Collapse.** Where both labels of a landmark are within ``collapse_distance`` body scales
   of each other for at most ``max_collapse_s``, each label is predicted from its own track
   outside that run (quadratic fit to up to ``max(3, 0.05 fps)`` samples on each side). A
   label off its own prediction by more than ``collapse_residual`` body scales (or twice its
   jitter, if larger) and by 3x more than the other label is marked missing (NaN in image,
   world and visibility), to be interpolated by the gap filler rather than kept wrong.

Known weaknesses: identity is not carried across gaps in a landmark (the prediction needs
three consecutive samples, and coinciding labels count as a gap), so a swap that begins or
ends next to a gap or a collapse is judged by the other landmarks of its group and by the
preference for short swaps only; a swap that starts and ends where the two limbs cross
leaves only a velocity kink and is missed when that kink is within the dead zone (high
jitter, high frame rate); swaps smaller than about twice the jitter are not seen; long
collapses (> ``max_collapse_s``) and collapses next to gaps are not judged; a track
mislabelled for most of its length is "repaired" towards the majority labelling.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mechanics.clean.gaps import runs
from mechanics.pose.skeleton import ARM, INDEX, LEG
from mechanics.sequence import PoseSequence

#: limb group -> (root landmark, limb landmarks)
GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {"legs": (LEG[0], LEG[1:]),
                                                  "arms": (ARM[0], ARM[1:])}
ROOT_LABEL = {"legs": "hips", "arms": "shoulders"}
#: a collapse must be off its own track by more than this multiple of the landmark's jitter
COLLAPSE_JITTER = 2.0


def _pair(name: str) -> tuple[int, int]:
    return INDEX[f"left_{name}"], INDEX[f"right_{name}"]


def body_scale(image: np.ndarray) -> float:
    """Median thigh length (hip-knee, both sides) in px; else median torso length; else NaN."""
    for a, b in (("hip", "knee"), ("shoulder", "hip")):
        lengths = [np.linalg.norm(image[:, INDEX[f"{s}_{a}"], :2] - image[:, INDEX[f"{s}_{b}"], :2],
                                  axis=1) for s in ("left", "right")]
        d = np.concatenate(lengths)
        d = d[np.isfinite(d) & (d > 0)]
        if d.size:
            return float(np.median(d))
    return math.nan


def _midpoint(image: np.ndarray, root: str) -> np.ndarray:
    """(T, 2) mid-point of a root pair, interpolated over frames where it is missing."""
    left, right = _pair(root)
    mid = 0.5 * (image[:, left, :2] + image[:, right, :2])
    t = np.arange(mid.shape[0])
    for k in range(2):
        ok = np.isfinite(mid[:, k])
        mid[:, k] = np.interp(t, t[ok], mid[ok, k]) if ok.any() else 0.0
    return mid


def _sides(arr: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """(T, 2 sides, n, ...) left and right samples of the named pairs."""
    left = [INDEX[f"left_{n}"] for n in names]
    right = [INDEX[f"right_{n}"] for n in names]
    return np.stack([arr[:, left], arr[:, right]], axis=1)


def _positions(image: np.ndarray, names: tuple[str, ...], ref: np.ndarray,
               scale: float) -> np.ndarray:
    """(T, 2 sides, n, 2) x, y of the named pairs relative to ``ref``, in body scales."""
    return (_sides(image[:, :, :2], names) - ref[:, None, None, :]) / scale


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


def _swap(seq: PoseSequence, names: tuple[str, ...], frames: np.ndarray) -> None:
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


def _solve(seq: PoseSequence, names: tuple[str, ...], ref: np.ndarray, scale: float,
           opts: dict[str, Any], switch_cost: float) -> np.ndarray:
    """Frames whose ``names`` labels should be exchanged (see the module notes)."""
    P = _positions(seq.image, names, ref, scale)
    floor = COLLAPSE_JITTER * jitter(P)
    for j in range(P.shape[2]):                              # likely collapses say nothing
        bad = _suspect(P[:, :, j], max(opts["collapse_residual"], float(floor[j])), opts,
                       seq.fps)
        P[bad, :, j] = np.nan
    W = np.nan_to_num(_sides(seq.visibility, names), nan=1.0).clip(0.0, 1.0)
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


def collapse_marks(rel: np.ndarray, *, distance: float, residual: float, max_run: int,
                   support: int) -> np.ndarray:
    """(T, 2) bool: which label (left, right) of one landmark pair to mark missing.

    Parameters
    ----------
    rel : (T, 2 sides, 2) positions of the pair, in body scales (any origin).
    distance : the labels are "collapsed" where they are closer than this (body scales).
    residual : a label off its own prediction by more than this (body scales), and by more
        than 3x the other label, is the wrong one.
    max_run : longer runs of close labels are not judged (the prediction would not hold).
    support : samples on each side of a run used for the prediction.
    """
    marks = np.zeros(rel.shape[:2], dtype=bool)
    for a, _, err in _close_runs(rel, distance, max_run, support):
        if err is None:
            continue
        for i in range(err.shape[1]):
            s = int(np.argmax(err[:, i]))
            if err[s, i] > residual and err[s, i] > 3.0 * err[1 - s, i]:
                marks[a + i, s] = True
    return marks


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


def _mark_collapses(seq: PoseSequence, names: tuple[str, ...], ref: np.ndarray, scale: float,
                    opts: dict[str, Any]) -> int:
    """Mark collapsed labels of ``names`` missing in place; returns the number of samples."""
    max_run, support = _collapse_window(opts, seq.fps)
    P = _positions(seq.image, names, ref, scale)           # (T, side, n, 2)
    floor = COLLAPSE_JITTER * jitter(P)
    count = 0
    for j, name in enumerate(names):
        marks = collapse_marks(P[:, :, j], distance=opts["collapse_distance"],
                               residual=max(opts["collapse_residual"], float(floor[j])),
                               max_run=max_run, support=support)
        for s, idx in enumerate(_pair(name)):
            m = marks[:, s]
            seq.image[m, idx] = np.nan
            seq.visibility[m, idx] = np.nan
            if seq.world is not None:
                seq.world[m, idx] = np.nan
            count += int(m.sum())
    return count


def _segments(frames: np.ndarray) -> list[list[int]]:
    return [[a, b] for a, b in runs(frames)]


def _repair_group(seq: PoseSequence, group: str, scale: float,
                  opts: dict[str, Any]) -> dict[str, Any]:
    """Roots, group pass, landmark pass and collapse marking of one limb group, in place."""
    root, limb = GROUPS[group]
    ref = _midpoint(seq.image, root)
    root_frames = _solve(seq, (root,), ref, scale, opts, opts["root_switch_cost"])
    _swap(seq, (root,), root_frames)
    net = np.zeros((len(seq), len(limb)), dtype=bool)
    group_frames = _solve(seq, limb, ref, scale, opts, opts["switch_cost"])
    _swap(seq, limb, group_frames)
    net ^= group_frames[:, None]
    for j, name in enumerate(limb):
        frames = _solve(seq, (name,), ref, scale, opts, opts["switch_cost"])
        _swap(seq, (name,), frames)
        net[:, j] ^= frames
    missing = _mark_collapses(seq, limb, ref, scale, opts)
    changed = net.any(axis=1)
    return {"root_frames": int(root_frames.sum()), "root_segments": _segments(root_frames),
            "frames": int(changed.sum()), "segments": _segments(changed),
            "landmark_swaps": {n: int(net[:, j].sum()) for j, n in enumerate(limb)
                               if net[:, j].any()},
            "collapse_missing": missing}


def repair_left_right(seq: PoseSequence, *, switch_cost: float = 0.5,
                      frame_cost: float = 0.1, root_switch_cost: float = 1.0,
                      deadzone: float = 2.0, max_error: float = 0.5,
                      collapse_distance: float = 0.2,
                      collapse_residual: float = 0.25, max_collapse_s: float = 0.12,
                      groups: tuple[str, ...] = ("legs", "arms")) -> PoseSequence:
    """Repair left/right label swaps and collapses of legs and arms (science.md 7.4).

    Run it on unfiltered data, before gap filling and filtering (science.md 7.4). Decisions
    use image x, y only; a repair exchanges the x, y of image and world landmarks, and a
    sample marked missing is NaN in image, world and visibility. See the module docstring
    for the method and its known weaknesses.

    Parameters
    ----------
    seq : input track (not modified).
    switch_cost : cost of each change of the keep/swap state of a limb group or landmark pair,
        in body scales (thigh lengths) of constant-velocity prediction error.
    frame_cost : cost of each swapped frame (body scales): longer swaps need more evidence.
    root_switch_cost : ``switch_cost`` for the hips and shoulders themselves (high: "clearly
        swapped" only).
    deadzone : prediction errors up to this multiple of each landmark's median error
        (jitter plus natural acceleration) cost nothing; 0 disables the dead zone.
    max_error : cap of each landmark's prediction error beyond the dead zone (body scales).
    collapse_distance : labels closer than this (body scales) say nothing about identity and
        are candidates for a collapse.
    collapse_residual : a candidate label off its own track by more than this (body scales)
        is marked missing.
    max_collapse_s : longer runs of close labels are not judged (seconds).
    groups : limb groups to repair: "legs", "arms".

    Returns
    -------
    PoseSequence
        A new track; a clean track comes back unchanged. Provenance entry
        ``repair_left_right`` and ``meta["cleaning"]["repair_left_right"]`` hold, per group,
        the frames repaired (``frames``, ``segments`` as inclusive frame ranges, root swaps)
        and the samples marked missing by collapse detection (``collapse_missing``).
    """
    out = seq.copy()
    scale = body_scale(out.image)
    summary: dict[str, Any] = {"body_scale_px": round(scale, 3) if np.isfinite(scale) else None}
    if not np.isfinite(scale) or len(out) < 3:
        summary["skipped"] = "no body scale (hips/knees/shoulders missing) or < 3 frames"
    else:
        opts = {"switch_cost": switch_cost, "frame_cost": frame_cost,
                "root_switch_cost": root_switch_cost, "deadzone": deadzone,
                "max_error": max_error,
                "collapse_distance": collapse_distance, "collapse_residual": collapse_residual,
                "max_collapse_s": max_collapse_s}
        summary["params"] = opts
        for group in groups:
            summary[group] = _repair_group(out, group, scale, opts)
    _add_totals(summary)
    out.log("repair_left_right", **summary)
    out.meta.setdefault("cleaning", {})["repair_left_right"] = summary
    return out


def _add_totals(summary: dict[str, Any]) -> None:
    """Per-group totals at the top level of the summary (frames, roots, collapse samples)."""
    groups = [g for g in GROUPS if g in summary]
    summary["frames_repaired"] = {g: summary[g]["frames"] for g in groups}
    summary["roots_repaired"] = {ROOT_LABEL[g]: summary[g]["root_frames"] for g in groups}
    summary["collapse_missing"] = {g: summary[g]["collapse_missing"] for g in groups}
