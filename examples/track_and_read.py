"""Track the runner in a clip and read the landmark track back (the Python API).

Usage: python examples/track_and_read.py [CLIP] [OUT_DIR]
Without a clip, a 2 s synthetic runner is rendered first (mechanics synth).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

from mechanics import PoseSequence
from mechanics.pipeline import run_track
from mechanics.pose import INDEX
from mechanics.synth import render_clip


def main(clip: Path | None, out_dir: Path) -> None:
    if clip is None:
        clip = render_clip(out_dir / "runner.mp4", seconds=2, fps=30)
    paths = run_track(clip, out_dir, overlay=False)
    seq = PoseSequence.from_csv(paths["landmarks"])
    present = seq.present()
    print(f"{clip.name}: {len(seq)} frames at {seq.fps:.1f} fps")
    for name in ("left_ankle", "right_ankle"):
        j = INDEX[name]
        print(f"  {name}: present in {100 * present[:, j].mean():.0f} % of frames, "
              f"x range {np.nanmin(seq.image[:, j, 0]):.0f}-{np.nanmax(seq.image[:, j, 0]):.0f} px")
    for entry in seq.provenance:
        print(f"  step {entry['step']}")


if __name__ == "__main__":
    args = sys.argv[1:]
    clip_arg = Path(args[0]) if args else None
    out = Path(args[1]) if len(args) > 1 else Path(tempfile.mkdtemp(prefix="mechanics-"))
    main(clip_arg, out)
