"""Speed of the synthetic-runner renderer (``mechanics synth``) at 1280x720 on one core.

Three loops over the same precomputed poses, best of ``--repeat``:

- render: drawing the frames only (target >= 100 frames/s);
- baseline: encoding blank frames with the same mp4v VideoWriter (nothing drawn);
- clip: drawing + encoding, i.e. what ``mechanics synth`` does per frame.

Prints frames/s of each, render/baseline and clip/baseline ratios.

Usage: python benchmarks/bench_render.py [--frames 240] [--view side] [--size 1280x720]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import cv2
import numpy as np

from mechanics.synth import SynthParams
from mechanics.synth.camera import make_camera
from mechanics.synth.gait_model import RunnerModel
from mechanics.synth.render import Renderer


def loop(renderer: Renderer | None, pose, n: int, writer_path: Path | None,
         size: tuple[int, int], fps: float) -> float:
    """Frames/s of rendering and/or writing ``n`` frames."""
    writer = None
    if writer_path is not None:
        writer = cv2.VideoWriter(str(writer_path), cv2.VideoWriter_fourcc(*"mp4v"), fps, size)
    blank = np.zeros((size[1], size[0], 3), np.uint8)
    start = time.perf_counter()
    for i in range(n):
        frame = renderer.render(pose.frame(i)) if renderer is not None else blank
        if writer is not None:
            writer.write(frame)
    if writer is not None:
        writer.release()
    return n / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=240)
    ap.add_argument("--view", default="side")
    ap.add_argument("--size", default="1280x720")
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args()
    w, h = (int(v) for v in args.size.split("x"))
    params = SynthParams(view=args.view, width=w, height=h)
    model = RunnerModel(params)
    renderer = Renderer(params, make_camera(params, model.body), model.body)
    pose = model.pose(np.arange(args.frames) / params.fps)
    best = {"render": 0.0, "baseline": 0.0, "clip": 0.0}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.mp4"
        for _ in range(args.repeat):
            best["render"] = max(best["render"], loop(renderer, pose, args.frames, None,
                                                      (w, h), params.fps))
            best["baseline"] = max(best["baseline"], loop(None, pose, args.frames, out,
                                                          (w, h), params.fps))
            best["clip"] = max(best["clip"], loop(renderer, pose, args.frames, out,
                                                  (w, h), params.fps))
    print(f"{args.view} view, {w}x{h}, {args.frames} frames, best of {args.repeat}")
    print(f"render only            {best['render']:7.1f} frames/s (target >= 100)")
    print(f"baseline (encode blank) {best['baseline']:6.1f} frames/s")
    print(f"render + encode        {best['clip']:7.1f} frames/s")
    print(f"ratio render / baseline {best['render'] / best['baseline']:6.2f}")
    print(f"ratio clip / baseline   {best['clip'] / best['baseline']:6.2f}")


if __name__ == "__main__":
    main()
