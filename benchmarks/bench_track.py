"""Speed of ``mechanics track`` against a plain loop of the same model over the same clip.

Baseline: decode with OpenCV, convert to RGB, ``detect_for_video`` with the same bundle and
``num_poses`` - nothing else. Candidate: ``mechanics.pipeline.run_track`` with its overlay
video, subject choice and CSV. Both run in this process, alternating, best of ``--repeat``.
Prints frames/s of each and the ratio (target >= 0.9).

Usage: python benchmarks/bench_track.py [CLIP] [--model full] [--repeat 2]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import cv2
import mediapipe as mp
from mediapipe.tasks.python import BaseOptions, vision

from mechanics.pipeline import run_track
from mechanics.pose.models import model_path
from mechanics.pose.tracker import TrackOptions

DEFAULT_CLIP = (Path(__file__).resolve().parents[2] / "shared" / "data" / "videos"
                / "treadmill_side_male_part1.mp4")


def plain_loop(clip: Path, model: str, num_poses: int) -> int:
    """The baseline: the model over every frame, nothing else. Returns frames done."""
    options = vision.PoseLandmarkerOptions(
        base_options=BaseOptions(model_asset_path=str(model_path(model))),
        running_mode=vision.RunningMode.VIDEO, num_poses=num_poses)
    cap = cv2.VideoCapture(str(clip))
    cap.set(cv2.CAP_PROP_ORIENTATION_AUTO, 1)
    fps = cap.get(cv2.CAP_PROP_FPS)
    n = 0
    with vision.PoseLandmarker.create_from_options(options) as landmarker:
        while True:
            ok, bgr = cap.read()
            if not ok:
                break
            rgb = cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
            landmarker.detect_for_video(mp.Image(image_format=mp.ImageFormat.SRGB, data=rgb),
                                        int(n * 1000 / fps))
            n += 1
    cap.release()
    return n


def track_once(clip: Path, model: str) -> int:
    with tempfile.TemporaryDirectory() as out:
        run_track(clip, out, TrackOptions(model=model), overlay=True)
        return sum(1 for _ in open(Path(out) / "landmarks.csv")) - 1


def timed(fn, *args) -> float:
    start = time.perf_counter()
    frames = fn(*args)
    return frames / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", nargs="?", type=Path, default=DEFAULT_CLIP)
    parser.add_argument("--model", default="full")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    base, cand = [], []
    for _ in range(args.repeat):
        base.append(timed(plain_loop, args.clip, args.model, 2))
        cand.append(timed(track_once, args.clip, args.model))
    b, c = max(base), max(cand)
    print(f"clip: {args.clip.name}  model: {args.model}")
    print(f"plain loop (baseline): {b:6.1f} frames/s   runs: {[round(x, 1) for x in base]}")
    print(f"mechanics track:       {c:6.1f} frames/s   runs: {[round(x, 1) for x in cand]}")
    print(f"ratio track/baseline:  {c / b:.3f}  (target >= 0.9)")


if __name__ == "__main__":
    main()
