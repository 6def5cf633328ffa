"""``mechanics synth``: render a synthetic runner clip with exact ground truth."""

from __future__ import annotations

from pathlib import Path

import click

from mechanics.cli.progress import progress_bar
from mechanics.errors import MechanicsError

_VIEWS = ("side", "front", "back", "oblique")


def _size(value: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in value.lower().split("x"))
    except ValueError:
        raise MechanicsError(f"--size must look like 1280x720, not {value!r}") from None
    return w, h


@click.command(context_settings={"show_default": True})
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Clip to write (.mp4); the truth goes to <stem>.truth.json beside it.")
@click.option("--view", type=click.Choice(_VIEWS), default="side",
              help="Camera view. side: runner's right side toward the camera, running toward "
                   "image right.")
@click.option("--oblique-angle", type=float, default=45.0,
              help="Oblique view: degrees from the side view toward the front (90 = front, "
                   "negative = rear-oblique).")
@click.option("--fps", type=float, default=60.0, help="Frames per second.")
@click.option("--seconds", type=float, default=6.0, help="Clip length (s).")
@click.option("--cadence", type=float, default=170.0, help="Cadence (steps/min).")
@click.option("--speed", type=float, default=3.5, help="Running / belt speed (m/s).")
@click.option("--duty-factor", type=float, default=0.35,
              help="Contact time / stride time (per stride, < 0.5 for running).")
@click.option("--asymmetry", type=float, default=0.0,
              help="F: right contact time = (1 + F) x left (0.1 = 10 %); cadence unchanged.")
@click.option("--pelvis-rotation", type=float, default=12.0,
              help="Pelvis yaw, peak-to-peak (deg).")
@click.option("--thorax-rotation", type=float, default=20.0,
              help="Shoulder-line yaw, peak-to-peak, counter to the pelvis (deg).")
@click.option("--arm-swing", type=float, default=60.0,
              help="Shoulder flexion/extension peak-to-peak (deg).")
@click.option("--trunk-lean", type=float, default=8.0, help="Forward trunk lean (deg).")
@click.option("--height", "stature", type=float, default=1.75,
              help="Runner's standing height, barefoot (m).")
@click.option("--sex", type=click.Choice(("m", "f")), default="m",
              help="Body proportions: de Leva (1996) male or female segment lengths.")
@click.option("--size", default="1280x720", help="Frame size WIDTHxHEIGHT (px).")
@click.option("--portrait", is_flag=True, help="Swap width and height (phone held upright).")
@click.option("--overground/--treadmill", default=False,
              help="Overground: the runner crosses the frame; treadmill: stays in place.")
@click.option("--distance", type=float, default=4.0,
              help="Horizontal camera -> runner's path distance (m).")
@click.option("--background", default="plain",
              help="plain, noise (blurred colour noise) or an image file.")
@click.option("--noise", type=float, default=0.0,
              help="Gaussian pixel noise sigma (grey levels, 0-255 scale).")
@click.option("--seed", type=int, default=0, help="Random seed for the noise.")
def synth(out: Path, size: str, portrait: bool, overground: bool, **kwargs: object) -> None:
    """Render a synthetic 3D runner with exact ground truth.

    Writes the clip (mp4v) and OUT's <stem>.truth.json: every foot strike and toe-off,
    cadence, contact/flight times, duty factor, rotation and arm-swing ranges, and for every
    frame the pixel position, depth and 3D world position of all 33 MediaPipe landmarks.

    \b
    Examples:
      mechanics synth --out runner.mp4
      mechanics synth --out asym.mp4 --asymmetry 0.1 --seconds 10
      mechanics synth --out front.mp4 --view front --portrait
      mechanics synth --out hard.mp4 --background noise --noise 6 --fps 30
      mechanics synth --out cross.mp4 --overground --seconds 3
    """
    from mechanics.synth import SynthParams, render_clip, truth_path

    width, height = _size(size)
    if portrait:
        width, height = min(width, height), max(width, height)
    params = SynthParams(width=width, height=height, treadmill=not overground, **kwargs)
    with progress_bar(params.n_frames, f"rendering {out.name}") as update:
        path = render_clip(out, params, progress=update)
    click.echo(f"wrote {path} and {truth_path(path)}")
