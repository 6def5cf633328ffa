"""Open a clip: rotation flag, true per-frame timestamps, capture rate, streamed frames.

Domain facts this module respects (../shared/DESIGN.md, ../shared/docs/pose-model.md 4.5):

- Phone clips carry a rotation flag; OpenCV applies it only with ``CAP_PROP_ORIENTATION_AUTO``
  (off by default in opencv-python 4.11). We switch it on and check the frame shape against
  the flag, rotating ourselves if the decoder did not.
- Phone clips are often variable-frame-rate: each frame's time is its own presentation
  timestamp (``CAP_PROP_POS_MSEC`` after the read), never ``index / nominal fps``.
- Slow-motion clips play back slower than they were captured. Real time is
  ``pts * playback_fps / capture_fps``; the capture rate comes from ``--capture-fps`` or from
  the container (Android's ``com.android.capture.fps``), see :mod:`mechanics.mp4meta`.
- Frames are streamed one at a time, so memory stays flat in clip length.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from mechanics.errors import MechanicsError
from mechanics.mp4meta import read_container_info

ROTATE = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


@dataclass(frozen=True)
class VideoInfo:
    """Facts about a clip, as the analysis will see it (frames upright).

    Attributes
    ----------
    path : the clip.
    width, height : upright frame size in pixels.
    frame_count : number of frames the container announces.
    fps : playback frame rate from the container (frames per second of file time).
    capture_fps : true capture rate (frames per second of real time).
    capture_fps_source : "container", "user" or "playback" (no slow motion known).
    rotation : rotation flag in degrees (0, 90, 180, 270).
    time_scale : real seconds per second of file time (playback_fps / capture_fps).
    """

    path: Path
    width: int
    height: int
    frame_count: int
    fps: float
    capture_fps: float
    capture_fps_source: str
    rotation: int
    time_scale: float

    @property
    def duration_s(self) -> float:
        """Real-time duration of the clip in seconds."""
        return self.frame_count / self.capture_fps if self.capture_fps > 0 else math.nan

    def as_meta(self) -> dict:
        """The facts as a JSON-able dict for a sequence's metadata."""
        return {"source": str(self.path), "width": self.width, "height": self.height,
                "frames_announced": self.frame_count, "playback_fps": round(self.fps, 4),
                "capture_fps": round(self.capture_fps, 4),
                "capture_fps_source": self.capture_fps_source, "rotation": self.rotation}


@dataclass(frozen=True)
class Frame:
    """One decoded, upright frame: its index, its real time in seconds, BGR pixels."""

    index: int
    time_s: float
    bgr: np.ndarray


def check_file(path: str | Path) -> Path:
    """Fail with one clear line if ``path`` cannot be a video at all."""
    path = Path(path)
    if not path.exists():
        raise MechanicsError("file not found", path)
    if path.is_dir():
        raise MechanicsError("is a folder, not a video file", path)
    if path.stat().st_size == 0:
        raise MechanicsError("empty file (0 bytes)", path)
    return path


def _open(path: Path) -> cv2.VideoCapture:
    cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    if cap.isOpened():
        cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
    return cap


def probe(path: str | Path, capture_fps: float | None = None) -> VideoInfo:
    """Read a clip's facts (and its first frame) without decoding the whole clip.

    Parameters
    ----------
    path : video file.
    capture_fps : true capture rate of a slow-motion clip (frames/s); overrides the container.

    Raises
    ------
    MechanicsError
        Missing, empty, not a video, audio only, or no decodable frame.
    """
    path = check_file(path)
    container = read_container_info(path)
    if container.handlers and "vide" not in container.handlers:
        raise MechanicsError("has no video track (audio only?)", path)
    cap = _open(path)
    try:
        if not cap.isOpened():
            kind = "truncated or damaged MP4" if container.is_mp4 else "not a video file"
            raise MechanicsError(f"cannot be opened as a video ({kind})", path)
        ok, first = cap.read()
        if not ok or first is None:
            raise MechanicsError("no decodable video frame (truncated or damaged?)", path)
        fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        count = int(cap.get(cv2.CAP_PROP_FRAME_COUNT) or 0)
        rotation = int(round(cap.get(cv2.CAP_PROP_ORIENTATION_META) or 0)) % 360
    finally:
        cap.release()
    if capture_fps is not None and capture_fps <= 0:
        raise MechanicsError(f"--capture-fps must be positive, got {capture_fps}", path)
    source = "user" if capture_fps else ("container" if container.capture_fps else "playback")
    true_fps = capture_fps or container.capture_fps or fps
    if not fps or not true_fps:
        raise MechanicsError("frame rate unknown; pass --capture-fps", path)
    raw = _raw_shape(path) if rotation in (90, 270) else None
    h, w = _upright_shape(first.shape[:2], rotation, raw)
    return VideoInfo(path=path, width=w, height=h, frame_count=count, fps=fps,
                     capture_fps=float(true_fps), capture_fps_source=source,
                     rotation=rotation, time_scale=fps / float(true_fps))


def _raw_shape(path: Path) -> tuple[int, int] | None:
    """Shape of the stored (un-rotated) buffer: decode one frame with auto-orientation off."""
    cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    try:
        cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 0)
        ok, frame = cap.read()
        return frame.shape[:2] if ok else None
    finally:
        cap.release()


def _upright_shape(decoded: tuple[int, int], rotation: int,
                   raw: tuple[int, int] | None) -> tuple[int, int]:
    if rotation in (90, 270) and raw is not None:
        return raw[1], raw[0]
    return decoded


def needs_manual_rotation(decoded: tuple[int, int], info: VideoInfo) -> bool:
    """True when the decoder ignored the rotation flag (frame shape disagrees with it)."""
    return info.rotation in (90, 270) and decoded != (info.height, info.width)


def iter_frames(info: VideoInfo, check_complete: bool = True) -> Iterator[Frame]:
    """Stream upright frames with their real times (seconds, first frame at its own pts).

    Raises
    ------
    MechanicsError
        If the clip ends well before the frame count its container announces (truncated).
    """
    cap = _open(info.path)
    if not cap.isOpened():
        raise MechanicsError("cannot be opened as a video", info.path)
    index = 0
    last_t = -math.inf
    try:
        while True:
            ok, bgr = cap.read()
            if not ok or bgr is None:
                break
            pts_ms = cap.get(cv2.CAP_PROP_POS_MSEC)
            t = (pts_ms / 1000.0) * info.time_scale
            if not math.isfinite(t) or t <= last_t:  # missing or repeated pts: extrapolate
                t = last_t + 1.0 / info.capture_fps if math.isfinite(last_t) else 0.0
            if info.rotation and needs_manual_rotation(bgr.shape[:2], info):
                bgr = cv2.rotate(bgr, ROTATE[info.rotation])
            yield Frame(index=index, time_s=t, bgr=bgr)
            last_t = t
            index += 1
    finally:
        cap.release()
    if check_complete:
        check_frame_count(info, index)


def check_frame_count(info: VideoInfo, n_read: int) -> None:
    """Raise when fewer frames were decoded than announced (allowing 2 % or 2 frames)."""
    expected = info.frame_count
    if n_read == 0:
        raise MechanicsError("no decodable video frame", info.path)
    if expected > 0 and n_read < expected - max(2, int(0.02 * expected)):
        raise MechanicsError(
            f"truncated or damaged video: decoded {n_read} of {expected} frames", info.path)
