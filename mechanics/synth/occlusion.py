"""Which limb landmarks of a synthetic clip are hidden behind another body part.

A landmark is *visible* in a frame when the part drawn on top at its true pixel is one of its
own segments (knee: its thigh or shank; ankle: its shank or shoe; heel and foot_index: its
shoe; elbow: its upper arm or forearm; wrist: its forearm or hand) or nothing at all, and
*hidden* when another part covers it: the other leg, the trunk, an arm, or its own thigh
when the heel kicks up behind the knee as seen from the front. A pose model can only guess a
hidden landmark, so its error there measures the guess, not the tracking (docs/cleaning.md).

The painter's algorithm of :mod:`mechanics.synth.render` is replayed primitive by primitive on
a probe canvas, reading only the landmark pixels; ~50 frames/s at 720p on one core, so it is
computed on demand and not written into every truth file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from mechanics.pose.skeleton import INDEX
from mechanics.synth.camera import make_camera
from mechanics.synth.gait_model import RunnerModel
from mechanics.synth.params import SynthParams
from mechanics.synth.render import Renderer, draw
from mechanics.synth.truth import read_truth, truth_path

#: landmark kind -> the body segments of its own side that may be drawn over it
OWN_PARTS = {"knee": ("thigh", "shank"), "ankle": ("shank", "foot"), "heel": ("foot",),
             "foot_index": ("foot",), "elbow": ("upper_arm", "forearm"),
             "wrist": ("forearm", "hand")}
NAMES = tuple(f"{side}_{kind}" for kind in OWN_PARTS for side in ("left", "right"))
#: per name in NAMES, the Prim.part values that leave it visible ("" = background)
_VISIBLE_UNDER = tuple(frozenset({""} | {f"{n.split('_')[0]}_{p}"
                                        for p in OWN_PARTS[n.split("_", 1)[1]]})
                       for n in NAMES)


def hidden_landmarks(clip: str | Path | dict[str, Any]) -> dict[str, np.ndarray]:
    """Per frame, whether each limb landmark of a rendered clip is hidden (see module notes).

    Parameters
    ----------
    clip : a clip written by :func:`mechanics.synth.render_clip` (its truth file beside it),
        or its truth as returned by :func:`mechanics.synth.read_truth`.

    Returns
    -------
    dict
        Landmark name (:data:`NAMES`: knees, ankles, heels, foot_index, elbows, wrists) ->
        (frames,) bool, True where another body part covers the landmark's true pixel.
    """
    truth = clip if isinstance(clip, dict) else read_truth(truth_path(clip))
    params = SynthParams(**truth["params"])
    model = RunnerModel(params)
    renderer = Renderer(params, make_camera(params, model.body), model.body)
    pose = model.pose(np.arange(params.n_frames) / params.fps)
    uv = np.asarray(truth["frames"]["image"], float)[:, [INDEX[n] for n in NAMES], :2]
    hidden = np.zeros((params.n_frames, len(NAMES)), dtype=bool)
    canvas = np.zeros((params.height, params.width, 3), np.uint8)
    for i in range(params.n_frames):
        prims = renderer.figure.primitives(pose.frame(i))
        hidden[i] = _hidden_in_frame(prims, uv[i], canvas)
    return {name: hidden[:, k] for k, name in enumerate(NAMES)}


def _hidden_in_frame(prims: list, uv: np.ndarray, canvas: np.ndarray) -> np.ndarray:
    """(len(NAMES),) hidden flags of one frame from its far-to-near primitives."""
    h, w = canvas.shape[:2]
    px = np.round(np.nan_to_num(uv, nan=-1.0)).astype(int)
    inside = (px[:, 0] >= 0) & (px[:, 0] < w) & (px[:, 1] >= 0) & (px[:, 1] < h)
    xs, ys = np.clip(px[:, 0], 0, w - 1), np.clip(px[:, 1], 0, h - 1)
    top = np.full(len(NAMES), "", dtype=object)
    for prim in prims:
        canvas[:] = 0
        draw(canvas, prim)
        covered = canvas[ys, xs].any(axis=1) & inside
        top[covered] = prim.part
    return np.array([part not in ok for part, ok in zip(top, _VISIBLE_UNDER, strict=True)])
