"""Overlay video: the clip with the skeleton drawn (left limbs blue, right red).

Frames are encoded on a background thread (OpenCV releases the GIL while drawing and
encoding), so writing the overlay costs the pose loop almost nothing on a 2-core machine.
The file is written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from mechanics.atomic import temp_sibling
from mechanics.errors import MechanicsError
from mechanics.pose.skeleton import CONNECTIONS, INDEX, LANDMARK_NAMES, side_of

#: BGR colours used everywhere in the project: left blue, right red
LEFT_BGR = (220, 110, 30)
RIGHT_BGR = (40, 40, 220)
CENTRE_BGR = (230, 230, 230)
SIDE_BGR = {"left": LEFT_BGR, "right": RIGHT_BGR, "centre": CENTRE_BGR}


def _bone_colour(a: str, b: str) -> tuple[int, int, int]:
    sa, sb = side_of(a), side_of(b)
    return SIDE_BGR[sa] if sa == sb else CENTRE_BGR


def draw_skeleton(bgr: np.ndarray, xy: np.ndarray, min_visibility: float = 0.0,
                  visibility: np.ndarray | None = None) -> np.ndarray:
    """Draw bones and joints of one pose on ``bgr`` in place; NaN landmarks are skipped.

    Parameters
    ----------
    bgr : frame (H, W, 3) uint8.
    xy : (33, 2) landmark pixels.
    min_visibility : landmarks below this visibility are not drawn.
    visibility : (33,) visibilities, optional.
    """
    scale = max(bgr.shape[:2]) / 720.0
    thick = max(2, int(round(3 * scale)))
    ok = np.isfinite(xy).all(axis=1)
    if visibility is not None:
        ok &= np.nan_to_num(visibility, nan=0.0) >= min_visibility
    pts = np.nan_to_num(xy).round().astype(int)
    for a, b in CONNECTIONS:
        ia, ib = INDEX[a], INDEX[b]
        if ok[ia] and ok[ib]:
            cv2.line(bgr, tuple(pts[ia]), tuple(pts[ib]), _bone_colour(a, b), thick,
                     cv2.LINE_AA)
    for j, name in enumerate(LANDMARK_NAMES):
        if ok[j] and j >= 11:
            cv2.circle(bgr, tuple(pts[j]), thick + 1, SIDE_BGR[side_of(name)], -1, cv2.LINE_AA)
    return bgr


class OverlayWriter:
    """Encode overlay frames on a background thread into an MP4 (written atomically).

    Use as a context manager; call :meth:`submit` once per source frame. Leaving the block
    with an exception discards the partial file.
    """

    def __init__(self, path: str | Path, fps: float, size: tuple[int, int]) -> None:
        self.path = Path(path)
        self._fps = fps
        self._size = size  # (width, height)
        self._queue: queue.Queue = queue.Queue(maxsize=16)
        self._error: BaseException | None = None
        self.frames_written = 0

    def __enter__(self) -> OverlayWriter:
        self._tmp = temp_sibling(self.path)
        self._writer = cv2.VideoWriter(str(self._tmp), cv2.VideoWriter_fourcc(*"mp4v"),
                                       self._fps, self._size)
        if not self._writer.isOpened():
            self._tmp.unlink(missing_ok=True)
            raise MechanicsError("cannot write overlay video", self.path)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def submit(self, bgr: np.ndarray, xy: np.ndarray | None,
               annotate: Callable[[np.ndarray], None] | None = None) -> None:
        """Queue one frame and its landmarks (None = nothing to draw). The frame is drawn on
        in place: the caller must not use ``bgr`` afterwards. ``annotate(frame)``, if given,
        draws more on the frame after the skeleton (on the encoding thread)."""
        if self._error is not None:
            raise self._error
        self._queue.put((bgr, xy, annotate))

    def _run(self) -> None:
        try:
            while (item := self._queue.get()) is not None:
                frame, xy, annotate = item  # the caller hands the frame over
                if xy is not None:
                    draw_skeleton(frame, xy)
                if annotate is not None:
                    annotate(frame)
                self._writer.write(frame)
                self.frames_written += 1
        except BaseException as exc:  # noqa: BLE001 - re-raised on the main thread
            self._error = exc
            while self._queue.get() is not None:
                pass

    def __exit__(self, exc_type, exc, tb) -> None:
        self._queue.put(None)
        self._thread.join()
        self._writer.release()
        if exc_type is None and self._error is None:
            os.replace(self._tmp, self.path)
            return
        self._tmp.unlink(missing_ok=True)
        if exc_type is None:
            raise self._error
