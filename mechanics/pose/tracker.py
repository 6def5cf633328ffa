"""From a clip to the runner's landmark track: detect, link, choose, follow small runners.

Pass 1 runs the pose model on full frames (VIDEO mode, ``num_poses >= 2``), links the
detections into person tracks and chooses the runner (:mod:`mechanics.pose.subject`). When the
runner is small in the frame, or nobody was found, pass 2 follows them with a square crop
(:mod:`mechanics.pose.crop`). The overlay is encoded on a background thread during pass 1 and
only re-rendered when the final choice differs from what was drawn.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from mechanics.errors import MechanicsError, NoPersonError
from mechanics.pose.backend import Candidate, PoseBackend
from mechanics.pose.crop import crop_window, is_small, search_tiles
from mechanics.pose.models import model_path
from mechanics.pose.subject import (
    PersonTrack,
    choose_runner,
    link_tracks,
    merge_continuations,
    track_at_point,
)
from mechanics.prefetch import prefetch
from mechanics.report.overlay import OverlayWriter
from mechanics.sequence import PoseSequence
from mechanics.video import Frame, VideoInfo, iter_frames, probe

Progress = Callable[[int], None]
SEARCH_EVERY_S = 0.25


@dataclass(frozen=True)
class TrackOptions:
    """How to track a clip.

    Attributes
    ----------
    model : pose model size, "lite", "full" or "heavy".
    subject : (x, y) pixels of the runner in the first frame where they appear, or None.
    capture_fps : true capture rate of a slow-motion clip (frames/s), or None.
    num_poses : people detected per frame (>= 2).
    crop : "auto" (follow small runners with a crop), "always" or "never".
    """

    model: str = "full"
    subject: tuple[float, float] | None = None
    capture_fps: float | None = None
    num_poses: int = 2
    crop: str = "auto"


def track_video(path: str | Path, options: TrackOptions | None = None,
                overlay: str | Path | None = None,
                progress: Progress | None = None) -> PoseSequence:
    """Track the runner in a clip and return their raw landmark track.

    Parameters
    ----------
    path : the clip.
    options : see :class:`TrackOptions`.
    overlay : where to write the overlay video (skeleton drawn), or None.
    progress : called with the number of frames done since the last call.

    Raises
    ------
    MechanicsError
        Bad file, missing model, or no person in the clip.
    """
    options = options or TrackOptions()
    info = probe(path, options.capture_fps)
    model_file = model_path(options.model)
    progress = progress or (lambda n: None)
    per_frame, times, drawn = _full_frame_pass(info, model_file, options, overlay, progress)
    tracks = link_tracks(per_frame, times)
    chosen, account = _choose(tracks, options)
    shape = (info.height, info.width)
    need_crop = options.crop == "always" or (
        options.crop == "auto" and (chosen is None or is_small(chosen.median_size, shape)))
    if need_crop:
        chosen = _crop_pass(info, model_file, options, chosen, progress)
        account["crop"] = "followed with a square crop (runner small in the frame)"
    elif chosen is not None:
        chosen = merge_continuations(chosen, tracks)
    if chosen is None:
        raise NoPersonError("no person detected in any frame", info.path)
    seq = _to_sequence(chosen, times, info, options, account)
    if overlay is not None and (need_crop or _differs(drawn, chosen, len(times))):
        render_overlay(info, seq, overlay)
    return seq


def _full_frame_pass(info: VideoInfo, model_file: Path, options: TrackOptions,
                     overlay: str | Path | None, progress: Progress):
    per_frame: list[list[Candidate]] = []
    times: list[float] = []
    drawn: list[Candidate | None] = []
    writer = (OverlayWriter(overlay, info.fps, (info.width, info.height)) if overlay
              else contextlib.nullcontext())
    with PoseBackend(model_file, num_poses=options.num_poses) as backend, writer:
        for frame, rgb in prefetch(iter_frames(info), fn=_with_rgb):
            cands = backend.detect(rgb, frame.time_s)
            per_frame.append(cands)
            times.append(frame.time_s)
            pick = _online_pick(cands, drawn[-1] if drawn else None)
            drawn.append(pick)
            if overlay:
                writer.submit(frame.bgr, None if pick is None else pick.image[:, :2])
            progress(1)
    return per_frame, times, drawn


def _with_rgb(frame: Frame) -> tuple[Frame, np.ndarray]:
    """Runs on the reader thread: the RGB copy the pose model needs."""
    return frame, cv2.cvtColor(frame.bgr, cv2.COLOR_BGR2RGB)


def _online_pick(cands: list[Candidate], previous: Candidate | None) -> Candidate | None:
    """While streaming: the detection nearest the last drawn one, else the largest."""
    if not cands:
        return None
    if previous is None:
        return max(cands, key=lambda c: c.size)
    return min(cands, key=lambda c: float(np.linalg.norm(c.centre - previous.centre)))


def _choose(tracks: list[PersonTrack], options: TrackOptions):
    if options.subject is not None:
        chosen = track_at_point(tracks, *options.subject)
        if chosen is None:
            x, y = options.subject
            raise NoPersonError(f"no person found at --subject {x:g},{y:g}")
        account = {"rule": f"--subject {options.subject[0]:g},{options.subject[1]:g}"}
    else:
        chosen, account = choose_runner(tracks)
    return chosen, account


def _differs(drawn: list[Candidate | None], chosen: PersonTrack, n: int) -> bool:
    final: list[Candidate | None] = [None] * n
    for f, det in zip(chosen.frames, chosen.detections, strict=True):
        final[f] = det
    return any(a is not b for a, b in zip(drawn, final, strict=True))


def _crop_pass(info: VideoInfo, model_file: Path, options: TrackOptions,
               seed: PersonTrack | None, progress: Progress) -> PersonTrack | None:
    """Pass 2: follow the runner with a square crop around their last position."""
    guide = _seed_positions(seed)
    track = PersonTrack(ident=0)
    state: tuple[np.ndarray, float] | None = None
    last_search = -np.inf
    with PoseBackend(model_file, num_poses=1) as video, \
            PoseBackend(model_file, num_poses=2, video=False) as still:
        for frame, rgb in prefetch(iter_frames(info), fn=_with_rgb):
            if frame.index in guide and state is None:
                state = guide[frame.index]
            if not guide and state is None and frame.time_s - last_search >= SEARCH_EVERY_S:
                last_search = frame.time_s
                found = search_tiles(rgb, lambda crop, offset: still.detect(crop, 0.0, offset))
                state = None if found is None else (found.centre, found.size)
            if state is not None:
                cand = _detect_in_crop(video, rgb, frame.time_s, state)
                if cand is not None:
                    track.frames.append(frame.index)
                    track.times.append(frame.time_s)
                    track.detections.append(cand)
                    state = (cand.centre, cand.size)
            progress(1)
    return track if track.frames else None


def _seed_positions(seed: PersonTrack | None) -> dict[int, tuple[np.ndarray, float]]:
    if seed is None:
        return {}
    return {f: (d.centre, d.size) for f, d in zip(seed.frames, seed.detections, strict=True)}


def _detect_in_crop(backend: PoseBackend, rgb: np.ndarray, t: float,
                    state: tuple[np.ndarray, float]) -> Candidate | None:
    x0, y0, side = crop_window(state[0], state[1], rgb.shape[:2])
    crop = np.ascontiguousarray(rgb[y0:y0 + side, x0:x0 + side])
    cands = backend.detect(crop, t, offset=(float(x0), float(y0)))
    return cands[0] if cands else None


def _to_sequence(chosen: PersonTrack, times: list[float], info: VideoInfo,
                 options: TrackOptions, account: dict) -> PoseSequence:
    n = len(times)
    seq = PoseSequence.empty(n, world=True)
    seq.time = np.asarray(times, dtype=float)
    for f, det in zip(chosen.frames, chosen.detections, strict=True):
        seq.image[f] = det.image
        seq.visibility[f] = det.visibility
        seq.world[f] = det.world
    seq.meta.update(info.as_meta())
    seq.meta.update({"frames": n, "fps": round(seq.fps, 4), "model": options.model,
                     "num_poses": options.num_poses, "subject": account})
    detected = int(np.isfinite(seq.image[:, 0, 0]).sum())
    seq.log("track", model=f"mediapipe PoseLandmarker {options.model} (Tasks API, VIDEO mode)",
            frames=n, frames_with_runner=detected, subject_rule=account.get("rule"),
            crop=account.get("crop", "none"))
    return seq


def render_overlay(info: VideoInfo, seq: PoseSequence, path: str | Path) -> Path:
    """Re-render the overlay from a finished track (second decode of the clip)."""
    by_frame = {int(f): i for i, f in enumerate(seq.frame)}
    with OverlayWriter(path, info.fps, (info.width, info.height)) as writer:
        for frame in iter_frames(info, check_complete=False):
            i = by_frame.get(frame.index)
            xy = None if i is None else seq.image[i, :, :2]
            writer.submit(frame.bgr, xy)
    if writer.frames_written != len(seq):
        raise MechanicsError(f"overlay has {writer.frames_written} frames, track {len(seq)}",
                             path)
    return Path(path)
