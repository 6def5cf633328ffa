"""Test clips made by the tests themselves (ffmpeg from the imageio-ffmpeg wheel, OpenCV)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import cv2
import numpy as np


def ffmpeg(*args: str) -> None:
    """Run the ffmpeg binary shipped in the imageio-ffmpeg wheel."""
    import imageio_ffmpeg

    exe = imageio_ffmpeg.get_ffmpeg_exe()
    subprocess.run([exe, "-v", "error", "-y", *args], check=True)


def write_frames(path: Path, frames, fps: float = 30.0) -> Path:
    """Write BGR frames with OpenCV's mp4v encoder."""
    frames = list(frames)
    h, w = frames[0].shape[:2]
    out = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    for f in frames:
        out.write(f)
    out.release()
    return path


def noise_clip(path: Path, n: int = 30, size: tuple[int, int] = (320, 240)) -> Path:
    """A clip of smooth grey noise: no person in it."""
    rng = np.random.default_rng(0)
    w, h = size
    frames = [cv2.GaussianBlur(rng.integers(0, 255, (h, w, 3), dtype=np.uint8), (0, 0), 5)
              for _ in range(n)]
    return write_frames(path, frames)


def rotated_portrait(src: Path, dst: Path, seconds: float = 2.0) -> Path:
    """A portrait clip stored sideways (landscape buffer) with a -90 degree display matrix,
    as phones write it: re-encode transposed, then remux with the rotation (-c copy)."""
    land = dst.with_name(dst.stem + ".landscape.mp4")
    ffmpeg("-i", str(src), "-t", str(seconds), "-vf", "transpose=2", "-an",
           "-c:v", "libx264", "-pix_fmt", "yuv420p", str(land))
    ffmpeg("-display_rotation", "-90", "-i", str(land), "-c", "copy", str(dst))
    land.unlink()
    return dst


def variable_frame_rate(src: Path, dst: Path, seconds: float = 3.0) -> Path:
    """Drop every third frame but keep the original timestamps: 33/67 ms alternating."""
    ffmpeg("-i", str(src), "-t", str(seconds), "-vf", r"select=not(eq(mod(n\,3)\,2))",
           "-fps_mode", "vfr", "-an", "-c:v", "libx264", "-pix_fmt", "yuv420p", str(dst))
    return dst


def slow_motion_tagged(src: Path, dst: Path, capture_fps: float = 240.0) -> Path:
    """Remux with Android's capture-rate tag (com.android.capture.fps)."""
    ffmpeg("-i", str(src), "-c", "copy", "-movflags", "use_metadata_tags",
           "-metadata", f"com.android.capture.fps={capture_fps}", str(dst))
    return dst


def audio_only(dst: Path, seconds: float = 1.0) -> Path:
    """An MP4 holding a sine tone and no video track."""
    ffmpeg("-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}", "-c:a", "aac",
           str(dst))
    return dst


def bad_file(kind: str, folder: Path, make_once) -> Path:
    """A file that is not a readable clip: ``kind`` 'missing' (a path, no file), 'empty',
    'text' (plain text named .mp4) or 'audio' (an MP4 with no video track, made once)."""
    path = folder / f"{kind}.mp4"
    if kind == "empty":
        path.write_bytes(b"")
    elif kind == "text":
        path.write_text("this is not a video\n" * 50)
    elif kind == "audio":
        path = make_once("audio_only.mp4", audio_only)
    elif kind != "missing":
        raise ValueError(kind)
    return path


def truncated(src: Path, dst: Path, fraction: float = 0.5) -> Path:
    """The first ``fraction`` of the bytes of ``src``."""
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * fraction)])
    return dst


def faststart(src: Path, dst: Path) -> Path:
    """Remux with the index (moov) first, so a truncated copy still opens."""
    ffmpeg("-i", str(src), "-c", "copy", "-movflags", "+faststart", str(dst))
    return dst
