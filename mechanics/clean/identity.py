"""Left/right identity repair of limb labels (science.md 7.4; pose-model.md 4.2-4.3, 6).

MediaPipe gets the near/far side of the body right ~99 % of the time (hip z order), but its
*limb* labels fail for 1-10 frames around the crossing and heel-kick phase: a label jumps to
the other leg (a swap), both labels sit on one foot while the other foot is unlabelled (a
"collapse"), or one label sits on the other leg while the other floats between the legs (the
common case on the synthetic runner, and seen in real clips: walking clip frame 122,
treadmill clip frame 26). In a swap the label's image x, y and world x, y move to the other
limb while its z (image and world) and its visibility stay with the label: they keep saying
"near" or "far". So the depth order cannot tell a swap, and a repair exchanges x, y only.

Repair per limb group (legs: knee, ankle, heel, foot_index hanging off the hips; arms: elbow,
wrist, pinky, index, thumb hanging off the shoulders), in image x, y relative to the mid-hip
(mid-shoulder), so whole-body translation, the view and the running direction do not matter,
in units of body scale (median thigh length in the image):

1. **Roots** (:mod:`mechanics.clean.swaps`): the hips (shoulders) alone are swapped only
   when clearly swapped (front or oblique views; in a side view the two hips nearly coincide
   and are left alone): an exact keep/swap Viterbi over the constant-velocity prediction
   errors of the pair, with ``root_switch_cost``.
2. **Trajectories** (:mod:`mechanics.clean.tracks`): each limb's smooth trajectory is fitted
   on both sides in time, and each label is given to the limb whose trajectory it lies on, or
   dropped when it lies on neither: a wrong label is worse than a missing one. This repairs
   runs of 2-10 frames where one leg is lost, one label sits on the other leg and the other
   floats, collapses, garbage frames, short swaps and single-frame mirror flips of both
   legs. Near the track ends the trajectories are restarted from the limbs' repaired paths
   one and two strides away (:mod:`mechanics.clean.periodic`).
3. **Long swaps.** A swap longer than a robust trajectory fit can see through (the labels
   follow the wrong limbs for ~0.2 s or more) is found by the keep/swap Viterbi for the limb
   group and then each landmark pair (partial swaps) of :mod:`mechanics.clean.swaps`: a swap
   shows up as two jumps however long it lasts. That pass is also fooled by runs of garbage
   (it then "repairs" a correct stretch), so it is only a second interpretation: 2. is run on
   its output as well, and wherever the two results differ (runs padded by ``MERGE_PAD_S``) the one
   with the lower cost (assignment cost plus the trajectories' smoothing penalty,
   :func:`~mechanics.clean.tracks.assign_tracks`) is kept.

A label given to the other limb is a repair (its x, y move; counted per frame and landmark);
a dropped sample is marked missing (NaN in image, world and visibility) and left to the gap
filler (science.md 7.2: gaps up to 0.1 s).

A clean track comes back unchanged: every sample lies on its own limb's trajectory.

Known weaknesses: see :mod:`mechanics.clean.swaps` and :mod:`mechanics.clean.tracks` (limbs
lost for more than ~0.2 s, a label floating next to the other limb for several frames,
labels wrong at most frames of a phase at 30 fps); the roots are not repaired in a side view.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from mechanics.clean.gaps import runs
from mechanics.clean.swaps import positions, solve_swaps, swap, viterbi_swaps
from mechanics.clean.tracks import TrackOptions, assign_tracks
from mechanics.pose.skeleton import ARM, INDEX, LEG
from mechanics.sequence import PoseSequence

__all__ = ["GROUPS", "body_scale", "repair_left_right", "viterbi_swaps"]

#: limb group -> (root landmark, limb landmarks)
GROUPS: dict[str, tuple[str, tuple[str, ...]]] = {"legs": (LEG[0], LEG[1:]),
                                                  "arms": (ARM[0], ARM[1:])}
ROOT_LABEL = {"legs": "hips", "arms": "shoulders"}
#: where the two interpretations (labels as they are / after the long-swap pass) differ, the
#: costs are compared over the differing run padded by this much (s) on each side
MERGE_PAD_S = 0.1


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


def _apply(seq: PoseSequence, names: tuple[str, ...], src: np.ndarray) -> None:
    """Give each limb landmark the x, y of its source label, or mark it missing, in place.

    ``src`` (T, 2 limbs, n): 0 = left label, 1 = right label, -1 = missing. x, y of image and
    world move with the sample; z (image and world) and visibility stay with the label; a
    missing sample is NaN in image, world and visibility.
    """
    arrays = [a for a in (seq.image, seq.world) if a is not None]
    for j, name in enumerate(names):
        idx = _pair(name)
        old = [a[:, list(idx), :2].copy() for a in arrays]      # (T, 2 labels, 2) each
        for limb in range(2):
            s = src[:, limb, j]
            moved = s == 1 - limb
            gone = s < 0
            for a, o in zip(arrays, old, strict=True):
                a[moved, idx[limb], :2] = o[moved, 1 - limb]
                a[gone, idx[limb]] = np.nan
            seq.visibility[gone, idx[limb]] = np.nan


def _choose(src_a: np.ndarray, cost_a: np.ndarray, src_b: np.ndarray, cost_b: np.ndarray,
            pad: int) -> tuple[np.ndarray, int]:
    """Merge two assignments: where they differ (runs padded by ``pad`` frames), keep the
    one with the lower summed cost. Returns the merged sources and the number of runs won by
    ``b``."""
    differ = (src_a != src_b).any(axis=(1, 2))
    out = src_a.copy()
    won = 0
    T = differ.size
    for a, b in runs(differ):
        lo, hi = max(0, a - pad), min(T, b + 1 + pad)
        if cost_b[lo:hi].sum() < cost_a[lo:hi].sum():
            out[a:b + 1] = src_b[a:b + 1]
            won += 1
    return out, won


def _segments(frames: np.ndarray) -> list[list[int]]:
    return [[a, b] for a, b in runs(frames)]


def _repair_group(seq: PoseSequence, group: str, scale: float, opts: dict[str, Any],
                  track_opts: TrackOptions) -> dict[str, Any]:
    """Roots, trajectory assignment of the labels as they are and after the swap passes,
    merged by cost (module notes), in place; returns the group's summary."""
    root, limb = GROUPS[group]
    ref = _midpoint(seq.image, root)
    root_frames = solve_swaps(seq, (root,), ref, scale, opts, opts["root_switch_cost"])
    swap(seq, (root,), root_frames)
    if root_frames.any():
        ref = _midpoint(seq.image, root)
    fs = seq.fps if np.isfinite(seq.fps) else 30.0
    P_raw = positions(seq.image, limb, ref, scale)               # (T, 2, n, 2)
    swapped = np.zeros((len(seq), len(limb)), dtype=bool)
    trial = seq.copy()
    frames = solve_swaps(trial, limb, ref, scale, opts, opts["switch_cost"])
    swap(trial, limb, frames)
    swapped ^= frames[:, None]
    for j, name in enumerate(limb):
        frames = solve_swaps(trial, (name,), ref, scale, opts, opts["switch_cost"])
        swap(trial, (name,), frames)
        swapped[:, j] ^= frames
    src_raw, cost_raw, ends = assign_tracks(P_raw, fs, track_opts)
    src, chosen = src_raw, "raw"
    if swapped.any():
        P_swp = positions(trial.image, limb, ref, scale)
        src_swp, cost_swp, _ = assign_tracks(P_swp, fs, track_opts)
        src_swp = np.where(src_swp >= 0, src_swp ^ swapped[:, None, :], -1)   # raw labels
        src, n_kept = _choose(src_raw, cost_raw, src_swp, cost_swp,
                              max(1, round(MERGE_PAD_S * fs)))
        chosen = f"{n_kept} of the swap pass's segments kept"
    present = np.isfinite(P_raw).all(axis=-1)
    _apply(seq, limb, src)
    net = ((src >= 0) & (src != np.arange(2)[None, :, None])).any(axis=1)   # (T, n)
    dropped = present & (src < 0)
    changed = net.any(axis=1)
    return {"root_frames": int(root_frames.sum()), "root_segments": _segments(root_frames),
            "frames": int(changed.sum()), "segments": _segments(changed),
            "landmark_swaps": {n: int(net[:, j].sum()) for j, n in enumerate(limb)
                               if net[:, j].any()},
            "marked_missing": int(dropped.sum()),
            "missing_landmarks": {n: int(dropped[:, :, j].sum()) for j, n in enumerate(limb)
                                  if dropped[:, :, j].any()},
            "ends": ends, "swap_pass": chosen}


def repair_left_right(seq: PoseSequence, *, switch_cost: float = 0.5,
                      frame_cost: float = 0.1, root_switch_cost: float = 1.0,
                      deadzone: float = 2.0, max_error: float = 0.5,
                      collapse_distance: float = 0.2, collapse_residual: float = 0.25,
                      max_collapse_s: float = 0.12,
                      groups: tuple[str, ...] = ("legs", "arms"),
                      **track_options: Any) -> PoseSequence:
    """Repair left/right label swaps of legs and arms; drop labels that fit neither limb.

    Run it on unfiltered data, before gap filling and filtering (science.md 7.4). Decisions
    use image x, y only; a repair exchanges the x, y of image and world landmarks, and a
    sample marked missing is NaN in image, world and visibility. See the module docstring,
    :mod:`mechanics.clean.swaps` and :mod:`mechanics.clean.tracks` for the method and its
    known weaknesses.

    Parameters
    ----------
    seq : input track (not modified).
    switch_cost : long-swap passes: cost of each change of the keep/swap state of a limb
        group or landmark pair, in body scales (thigh lengths) of constant-velocity
        prediction error.
    frame_cost : cost of each swapped frame (body scales): longer swaps need more evidence.
    root_switch_cost : ``switch_cost`` for the hips and shoulders themselves (high: "clearly
        swapped" only).
    deadzone : prediction errors up to this multiple of each landmark's median error cost
        nothing; 0 disables the dead zone.
    max_error : cap of each landmark's prediction error beyond the dead zone (body scales).
    collapse_distance, collapse_residual, max_collapse_s : labels closer than
        ``collapse_distance`` (body scales) for at most ``max_collapse_s``, one of them off its
        own track by more than ``collapse_residual``, say nothing about identity in the
        keep/swap passes.
    groups : limb groups to repair: "legs", "arms".
    **track_options : fields of :class:`~mechanics.clean.tracks.TrackOptions` (trajectory
        stage), e.g. ``drop_distance``.

    Returns
    -------
    PoseSequence
        A new track; a clean track comes back unchanged. Provenance entry
        ``repair_left_right`` and ``meta["cleaning"]["repair_left_right"]`` hold, per group,
        the frames whose labels were repaired (``frames``, ``segments`` as inclusive frame
        ranges, ``landmark_swaps`` per landmark, root swaps), the samples marked missing
        (``marked_missing``, ``missing_landmarks``), which solution was kept at the track
        ends (``ends``) and how many of the long-swap pass's segments were kept
        (``swap_pass``); the totals ``frames_repaired``, ``roots_repaired`` and
        ``marked_missing`` per group.
    """
    out = seq.copy()
    scale = body_scale(out.image)
    summary: dict[str, Any] = {"body_scale_px": round(scale, 3) if np.isfinite(scale) else None}
    if not np.isfinite(scale) or len(out) < 3:
        summary["skipped"] = "no body scale (hips/knees/shoulders missing) or < 3 frames"
    else:
        try:
            track_opts = TrackOptions(**track_options)
        except TypeError as exc:
            raise ValueError(f"unknown repair option ({exc})") from None
        opts = {"switch_cost": switch_cost, "frame_cost": frame_cost,
                "root_switch_cost": root_switch_cost, "deadzone": deadzone,
                "max_error": max_error, "collapse_distance": collapse_distance,
                "collapse_residual": collapse_residual, "max_collapse_s": max_collapse_s}
        summary["params"] = {**opts, **track_opts.__dict__}
        for group in groups:
            summary[group] = _repair_group(out, group, scale, opts, track_opts)
    _add_totals(summary)
    out.log("repair_left_right", **summary)
    out.meta.setdefault("cleaning", {})["repair_left_right"] = summary
    return out


def _add_totals(summary: dict[str, Any]) -> None:
    """Per-group totals at the top level of the summary (frames, roots, missing samples)."""
    groups = [g for g in GROUPS if g in summary]
    summary["frames_repaired"] = {g: summary[g]["frames"] for g in groups}
    summary["roots_repaired"] = {ROOT_LABEL[g]: summary[g]["root_frames"] for g in groups}
    summary["marked_missing"] = {g: summary[g]["marked_missing"] for g in groups}
