"""Shared helper of the synthetic-runner validation tests."""

from __future__ import annotations

from typing import Any

import numpy as np

from mechanics.pipeline import run_track
from mechanics.pose.tracker import TrackOptions
from mechanics.sequence import PoseSequence
from mechanics.synth import read_truth, render_clip, truth_path


def tracked(make_once, name: str, model: str = "full", **render: Any
            ) -> tuple[PoseSequence, dict[str, Any]]:
    """(raw landmark track, truth) of a synthetic clip rendered with ``render``
    (:func:`mechanics.synth.render_clip` keywords) and tracked with ``model``, built once per
    test run under the cache entry ``name`` (tests that share an entry get the same clip)."""
    def build(folder):
        clip = render_clip(folder / "clip.mp4", **render)
        run_track(clip, folder, TrackOptions(model=model), overlay=False)

    folder = make_once(name, build)
    return (PoseSequence.from_csv(folder / "landmarks_raw.csv"),
            read_truth(truth_path(folder / "clip.mp4")))


def true_pixels(truth: dict[str, Any]) -> np.ndarray:
    """(T, 33, 2) true image x, y of the landmarks (NaN where the truth has none)."""
    return np.asarray(truth["frames"]["image"], dtype=float)[:, :, :2]


def exact_sequence(seq: PoseSequence, truth: dict[str, Any]) -> PoseSequence:
    """``seq`` with the truth's image pixels (the renderer's exact landmarks), all visible:
    the same analysis on it measures the definition's part of an error, not the tracker's."""
    exact = seq.copy()
    exact.image[:, :, :2] = true_pixels(truth)
    exact.visibility[:] = 1.0
    return exact
