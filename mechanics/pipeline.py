"""Chains of library calls behind the CLI commands (the CLI only parses arguments).

Every output is written atomically; when a step fails nothing is left behind.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

from mechanics.atomic import temp_sibling
from mechanics.pose.tracker import TrackOptions, track_video
from mechanics.sequence import meta_path


def run_track(clip: str | Path, out_dir: str | Path, options: TrackOptions | None = None,
              overlay: bool = True,
              progress: Callable[[int], None] | None = None) -> dict[str, Path]:
    """Track ``clip``; write ``landmarks.csv`` (and ``overlay.mp4``) into ``out_dir``.

    Returns the paths written, by name.
    """
    out_dir = Path(out_dir)
    options = options or TrackOptions()
    # every output goes to a temporary name first and is renamed only when all succeeded
    final = {"landmarks": out_dir / "landmarks.csv"}
    if overlay:
        final["overlay"] = out_dir / "overlay.mp4"
    tmp = {name: temp_sibling(path) for name, path in final.items()}
    try:
        seq = track_video(clip, options, overlay=tmp.get("overlay"), progress=progress)
        seq.to_csv(tmp["landmarks"])
        os.replace(meta_path(tmp["landmarks"]), meta_path(final["landmarks"]))
        for name, path in final.items():
            os.replace(tmp[name], path)
    finally:
        for path in [*tmp.values(), meta_path(tmp["landmarks"])]:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    return final
