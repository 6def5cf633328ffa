"""``mechanics synth``: a rendered 3D runner with exact ground truth.

The built-in example and validation backbone: a parametric running model (de Leva 1996
proportions, exact foot-ground contact timing, pelvis/thorax rotation, arm swing) is drawn
with a fast OpenCV painter's-algorithm renderer and written as an MP4 clip plus
``<clip stem>.truth.json`` (see :mod:`mechanics.synth.truth` for the layout).

Examples
--------
>>> from mechanics.synth import SynthParams, render_clip
>>> render_clip("runner.mp4", SynthParams(seconds=2), asymmetry=0.1)  # doctest: +SKIP
PosixPath('runner.mp4')
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from mechanics.atomic import atomic_path, ensure_writable_dir
from mechanics.errors import MechanicsError
from mechanics.synth.camera import make_camera
from mechanics.synth.gait_model import RunnerModel
from mechanics.synth.params import SynthParams
from mechanics.synth.render import Renderer
from mechanics.synth.truth import build_truth, read_truth, truth_path, write_truth

__all__ = ["SynthParams", "read_truth", "render_clip", "truth_path"]


def render_clip(out_path: str | Path, params: SynthParams | None = None, *,
                progress: Callable[[int], None] | None = None, **overrides: Any) -> Path:
    """Render a synthetic running clip and its ground truth.

    Parameters
    ----------
    out_path : str or Path
        The ``.mp4`` file to write (mp4v codec). Its truth goes to
        ``<out_path stem>.truth.json`` in the same folder. Both are written atomically.
    params : SynthParams, optional
        Clip parameters (defaults: ``SynthParams()``).
    progress : callable, optional
        Called with the number of frames just written (1) after each frame.
    **overrides
        Fields of :class:`SynthParams` replacing those of ``params``.

    Returns
    -------
    Path
        ``out_path``.

    Raises
    ------
    MechanicsError
        Bad parameters, an unwritable folder, or a video writer that cannot encode mp4v.
    """
    out = Path(out_path)
    if out.suffix.lower() != ".mp4":
        raise MechanicsError("the clip must be an .mp4 file", out)
    params = params or SynthParams()
    try:
        params = dataclasses.replace(params, **overrides)
    except TypeError as exc:
        raise MechanicsError(f"unknown synth parameter ({exc})") from None
    ensure_writable_dir(out.parent)
    model = RunnerModel(params)
    camera = make_camera(params, model.body)
    renderer = Renderer(params, camera, model.body)
    pose = model.pose(np.arange(params.n_frames) / params.fps)
    _write_video(out, params, renderer, pose, progress)
    write_truth(truth_path(out), build_truth(model, camera, pose, out.name))
    return out


def _write_video(out: Path, params: SynthParams, renderer: Renderer, pose: Any,
                 progress: Callable[[int], None] | None) -> None:
    try:
        with atomic_path(out) as tmp:
            writer = cv2.VideoWriter(str(tmp), cv2.VideoWriter_fourcc(*"mp4v"), params.fps,
                                     (params.width, params.height))
            if not writer.isOpened():
                raise MechanicsError("OpenCV cannot open an mp4v video writer", out)
            try:
                for i in range(pose.time.size):
                    writer.write(renderer.render(pose.frame(i)))
                    if progress is not None:
                        progress(1)
            finally:
                writer.release()
            if tmp.stat().st_size == 0:
                raise MechanicsError("the video writer produced an empty file", out)
    except OSError as exc:
        raise MechanicsError(f"cannot write the clip ({exc.strerror or exc})", out) from None
