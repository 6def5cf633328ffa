"""``mechanics analyze INPUT --out DIR``: gait timing and sagittal kinematics of a run."""

from __future__ import annotations

import warnings
from pathlib import Path

import click

from mechanics.cli.options import capture_fps_option, model_option, subject_option
from mechanics.cli.progress import progress_bar


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Output folder (created if needed).")
@click.option("--height", "height_m", type=click.FloatRange(0.5, 2.5), metavar="M",
              help="Runner's standing height in metres, e.g. 1.80 (image scale for step "
                   "length, speed and vertical oscillation).")
@click.option("--mass", "mass_kg", type=click.FloatRange(15, 300), metavar="KG",
              help="Body mass in kg, e.g. 70 (segment inertia; needed for the trunk "
                   "vertical moment).")
@click.option("--sex", type=click.Choice(["m", "f"]),
              help="m or f: the de Leva (1996) segment table (male when not given).")
@click.option("--treadmill-speed", "treadmill_speed", type=click.FloatRange(0.3, 15.0),
              metavar="M/S", help="Treadmill belt speed in m/s, e.g. 3.5 (the best image "
                                  "scale; it is also the reported speed).")
@capture_fps_option
@click.option("--sprint", is_flag=True,
              help="Sprinting: lighter event filter; contact times need >= 120 fps.")
@model_option(default=None)
@subject_option
@click.option("--no-pdf", is_flag=True, help="Do not write DIR/report.pdf.")
@click.option("--overlay", is_flag=True,
              help="Also write DIR/overlay.mp4: the clip with the skeleton, foot strikes and "
                   "toe-offs flashed, and a live angle readout (needs the video).")
def analyze(input_path: Path, out_dir: Path, height_m: float | None, mass_kg: float | None,
            sex: str | None, treadmill_speed: float | None, capture_fps: float | None,
            sprint: bool, model: str | None, subject: tuple[float, float] | None,
            no_pdf: bool, overlay: bool) -> None:
    """Analyse a running clip or a landmark CSV: gait events, timing and sagittal angles.

    INPUT is a video (tracked with the pose model first) or a landmark CSV from
    `mechanics track` (file name ending in .csv). Writes DIR/metrics.json (every metric
    with value, left/right, unit, confidence, definition and reference) and DIR/steps.csv
    (one row per step, times in s), and DIR/report.pdf, the report an athlete can show
    their coach (every number in it is the one in metrics.json). For a video also
    DIR/landmarks.csv (cleaned) and DIR/landmarks_raw.csv. Prints a short summary. Step
    length, speed and vertical oscillation need --height or --treadmill-speed.

    \b
    Examples:
      mechanics analyze run.mp4 --out out/run --height 1.80
      mechanics analyze treadmill.mp4 --out out/t --treadmill-speed 3.5
      mechanics analyze slowmo.mp4 --out out/s --capture-fps 240 --sprint
      mechanics analyze out/run/landmarks_raw.csv --out out/again --height 1.80
      mechanics analyze run.mp4 --out out/run --overlay --no-pdf
    """
    import mechanics

    options = {"height": height_m, "mass": mass_kg, "sex": sex,
               "treadmill_speed": treadmill_speed, "sprint": sprint, "model": model,
               "subject": subject, "capture_fps": capture_fps}
    if input_path.suffix.lower() == ".csv":
        result = mechanics.analyze(input_path, **options)
    else:
        from mechanics.atomic import ensure_writable_dir
        from mechanics.video import probe

        frames = probe(input_path, capture_fps).frame_count  # checks the clip first
        ensure_writable_dir(out_dir)  # fail before tracking, not after
        with progress_bar(frames, f"tracking {input_path.name}") as update:
            result = mechanics.analyze(input_path, progress=update, **options)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        paths = result.save(out_dir, report=not no_pdf, overlay=overlay)
    click.echo(result.summary())
    for w in caught:
        click.echo(f"warning: {w.message}", err=True)
    for name, path in paths.items():
        click.echo(f"{name}: {path}")
