"""MediaPipe PoseLandmarker (Tasks API, VIDEO mode) behind one small interface.

Facts this follows (../shared/docs/pose-model.md sections 0, 4.1, 7): the Tasks API with
``num_poses >= 2`` (with one pose the tracker locks onto whoever it finds first), strictly
increasing millisecond timestamps, C-contiguous RGB uint8 input, and ``close()`` (or a
``with`` block) so no error is raised at interpreter exit. The model bundle is a local file
built by ``mechanics models install``; nothing is downloaded here.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mechanics.pose.skeleton import N_LANDMARKS


@dataclass
class Candidate:
    """One detected person in one frame.

    Attributes
    ----------
    image : (33, 3) x, y in pixels of the full frame (origin top-left, y down) and z
        (MediaPipe relative depth scaled to pixels like x; smaller = nearer).
    visibility : (33,) MediaPipe visibility in [0, 1].
    world : (33, 3) world landmarks in metres (hip-centred), or NaN.
    """

    image: np.ndarray
    visibility: np.ndarray
    world: np.ndarray

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) of the landmarks in pixels."""
        xy = self.image[:, :2]
        return (float(xy[:, 0].min()), float(xy[:, 1].min()),
                float(xy[:, 0].max()), float(xy[:, 1].max()))

    @property
    def size(self) -> float:
        """Person size in pixels: the larger side of the landmark box."""
        x0, y0, x1, y1 = self.bbox
        return max(x1 - x0, y1 - y0)

    @property
    def centre(self) -> np.ndarray:
        """Mid-hip position in pixels (landmarks 23, 24)."""
        return self.image[[23, 24], :2].mean(axis=0)


#: MediaPipe's C++ log lines ("Feedback manager requires a model with a single signature",
#: "Using NORM_RECT without IMAGE_DIMENSIONS") are harmless and come at start-up and on the
#: first frames; they are hidden unless MECHANICS_DEBUG is set.
QUIET_CALLS = 3


@contextlib.contextmanager
def quiet_stderr() -> Iterator[None]:
    """Send file descriptor 2 to /dev/null for the block (C++ logging ignores Python)."""
    if os.environ.get("MECHANICS_DEBUG"):
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


class PoseBackend:
    """A MediaPipe PoseLandmarker in VIDEO mode; use as a context manager.

    Parameters
    ----------
    model_path : path of a PoseLandmarker ``.task`` bundle.
    num_poses : how many people to detect per frame (>= 2 to choose the runner ourselves).
    min_confidence : detection, presence and tracking confidence thresholds.
    video : VIDEO mode (tracking between frames); False = IMAGE mode (each call alone,
        used to search still crops).
    """

    def __init__(self, model_path: str | Path, num_poses: int = 2,
                 min_confidence: float = 0.5, video: bool = True) -> None:
        from mediapipe.tasks.python import BaseOptions, vision

        mode = vision.RunningMode.VIDEO if video else vision.RunningMode.IMAGE
        self._video = video
        options = vision.PoseLandmarkerOptions(
            base_options=BaseOptions(model_asset_path=str(model_path)),
            running_mode=mode,
            num_poses=num_poses,
            min_pose_detection_confidence=min_confidence,
            min_pose_presence_confidence=min_confidence,
            min_tracking_confidence=min_confidence,
        )
        with quiet_stderr():
            self._landmarker = vision.PoseLandmarker.create_from_options(options)
        self._last_ms = -1
        self._calls = 0

    def __enter__(self) -> PoseBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the MediaPipe graph."""
        if self._landmarker is not None:
            self._landmarker.close()
            self._landmarker = None

    def detect(self, rgb: np.ndarray, time_s: float,
               offset: tuple[float, float] = (0.0, 0.0),
               scale: float = 1.0) -> list[Candidate]:
        """Detect people in one RGB frame (or crop) at real time ``time_s`` seconds.

        ``offset`` and ``scale`` map crop pixels back to full-frame pixels:
        ``full = offset + crop_px * scale``.
        """
        import mediapipe as mp

        image = mp.Image(image_format=mp.ImageFormat.SRGB, data=np.ascontiguousarray(rgb))
        self._calls += 1
        quiet = quiet_stderr() if self._calls <= QUIET_CALLS else contextlib.nullcontext()
        with quiet:
            result = self._run(image, time_s)
        h, w = rgb.shape[:2]
        return _candidates(result, w, h, offset, scale)

    def _run(self, image, time_s: float):
        if not self._video:
            return self._landmarker.detect(image)
        ms = max(int(round(time_s * 1000.0)), self._last_ms + 1)  # strictly increasing
        self._last_ms = ms
        return self._landmarker.detect_for_video(image, ms)


def _candidates(result, w: int, h: int, offset: tuple[float, float],
                scale: float) -> list[Candidate]:
    """Convert a PoseLandmarkerResult to full-frame pixel candidates."""
    out = []
    for k, lms in enumerate(result.pose_landmarks):
        arr = np.array([[lm.x * w, lm.y * h, lm.z * w, lm.visibility or 0.0]
                        for lm in lms], dtype=float)
        img = arr[:, :3] * scale
        img[:, 0] += offset[0]
        img[:, 1] += offset[1]
        world = np.full((N_LANDMARKS, 3), np.nan)
        if k < len(result.pose_world_landmarks):
            world = np.array([[p.x, p.y, p.z] for p in result.pose_world_landmarks[k]],
                             dtype=float)
        out.append(Candidate(image=img, visibility=arr[:, 3], world=world))
    return out
