"""Follow a small runner with a square crop.

The BlazePose detector needs the person to be about a quarter of the frame's long side
(../shared/docs/pose-model.md 4.4: 0/8 detections at 26 % of a 16:9 frame's height, 8/8 once
the same image is cropped to a square around the person). A square crop about
:data:`CROP_FACTOR` person sizes wide puts the runner near half the crop.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from mechanics.pose.backend import Candidate

#: the runner counts as small below this fraction of the frame's long side (the detector
#: acquires people from ~23-25 %; once found, VIDEO mode tracks them a little smaller)
SMALL_FRACTION = 0.2
#: crop side in person sizes
CROP_FACTOR = 2.2
#: smallest crop side in pixels (the landmark model sees 256 px anyway)
MIN_CROP = 160


def crop_window(centre: np.ndarray, size: float, shape: tuple[int, int]) -> tuple[int, int, int]:
    """(x0, y0, side) of a square crop around ``centre`` for a person ``size`` px, in frame."""
    h, w = shape
    side = int(np.clip(CROP_FACTOR * size, MIN_CROP, min(h, w)))
    x0 = int(np.clip(round(centre[0] - side / 2), 0, w - side))
    y0 = int(np.clip(round(centre[1] - side / 2), 0, h - side))
    return x0, y0, side


def tiles(shape: tuple[int, int]) -> list[tuple[int, int, int]]:
    """Overlapping square tiles (x0, y0, side) at two scales covering the frame."""
    h, w = shape
    out = []
    for side in (min(h, w), min(h, w) // 2):
        if side < MIN_CROP:
            continue
        step = side // 2
        for y0 in range(0, max(h - side, 0) + 1, step):
            for x0 in range(0, max(w - side, 0) + 1, step):
                out.append((x0, y0, side))
    return out


def search_tiles(rgb: np.ndarray, detect: Callable[..., list[Candidate]]) -> Candidate | None:
    """Run ``detect(crop, offset=..)`` on every tile; return the largest person found."""
    best = None
    for x0, y0, side in tiles(rgb.shape[:2]):
        crop = rgb[y0:y0 + side, x0:x0 + side]
        for cand in detect(crop, offset=(float(x0), float(y0))):
            if best is None or cand.size > best.size:
                best = cand
    return best


def is_small(size: float, shape: tuple[int, int]) -> bool:
    """True when a person of ``size`` px is too small for the full-frame detector."""
    return size < SMALL_FRACTION * max(shape)
