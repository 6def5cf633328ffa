"""Chains of library calls behind the CLI commands (the CLI only parses arguments).

Every output is written atomically; when a step fails nothing is left behind.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from mechanics.atomic import temp_sibling
from mechanics.clean import clean
from mechanics.pose.tracker import TrackOptions, track_video
from mechanics.sequence import meta_path


def run_track(clip: str | Path, out_dir: str | Path, options: TrackOptions | None = None,
              overlay: bool = True,
              progress: Callable[[int], None] | None = None) -> dict[str, Path]:
    """Track ``clip``; write ``landmarks_raw.csv`` (as the pose model gave it),
    ``landmarks.csv`` (left/right repaired, short gaps filled, low-pass filtered; see
    :mod:`mechanics.clean`) and ``overlay.mp4`` into ``out_dir``.

    Returns the paths written, by name.
    """
    out_dir = Path(out_dir)
    options = options or TrackOptions()
    # every output goes to a temporary name first and is renamed only when all succeeded
    final = {"landmarks": out_dir / "landmarks.csv", "raw": out_dir / "landmarks_raw.csv"}
    if overlay:
        final["overlay"] = out_dir / "overlay.mp4"
    tmp = {name: temp_sibling(path) for name, path in final.items()}
    try:
        raw = track_video(clip, options, overlay=tmp.get("overlay"), progress=progress)
        raw.to_csv(tmp["raw"])
        clean(raw).to_csv(tmp["landmarks"])
        for name in ("raw", "landmarks"):
            os.replace(meta_path(tmp[name]), meta_path(final[name]))
        for name, path in final.items():
            os.replace(tmp[name], path)
    finally:
        for path in [*tmp.values(), meta_path(tmp["raw"]), meta_path(tmp["landmarks"])]:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    return final
