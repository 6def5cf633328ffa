"""Shared helper of the synthetic-runner validation tests."""

from __future__ import annotations

from typing import Any

import numpy as np

from mechanics.sequence import PoseSequence


def exact_sequence(seq: PoseSequence, truth: dict[str, Any]) -> PoseSequence:
    """``seq`` with the truth's image pixels (the renderer's exact landmarks), all visible:
    the same analysis on it measures the definition's part of an error, not the tracker's."""
    img = np.array([[[np.nan if v is None else v for v in p] for p in f]
                    for f in truth["frames"]["image"]], dtype=float)
    exact = seq.copy()
    exact.image[:, :, :2] = img[:, :, :2]
    exact.visibility[:] = 1.0
    return exact
