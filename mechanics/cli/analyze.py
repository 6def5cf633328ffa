"""``mechanics analyze INPUT --out DIR``: gait timing and sagittal kinematics of a run."""

from __future__ import annotations

from pathlib import Path

import click

from mechanics.atomic import ensure_writable_dir
from mechanics.cli.options import capture_fps_option, model_option, subject_option
from mechanics.cli.progress import progress_bar
from mechanics.errors import MechanicsError


def _video_only(ctx: click.Context, names: tuple[str, ...]) -> list[str]:
    """Options among ``names`` that the user gave explicitly."""
    given = []
    for name in names:
        src = ctx.get_parameter_source(name)
        if src is not None and src.name not in ("DEFAULT", "DEFAULT_MAP"):
            given.append("--" + name.replace("_", "-"))
    return given


@click.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Output folder (created if needed).")
@click.option("--height", "height_m", type=click.FloatRange(0.5, 2.5), metavar="M",
              help="Runner's standing height in metres, e.g. 1.80 (image scale for step "
                   "length, speed and vertical oscillation).")
@click.option("--mass", "mass_kg", type=click.FloatRange(15, 300), metavar="KG",
              help="Body mass in kg (recorded for segment-inertia metrics).")
@click.option("--sex", type=click.Choice(["m", "f"]), help="Sex (recorded, m or f).")
@click.option("--treadmill-speed", "treadmill_speed", type=click.FloatRange(0.3, 15.0),
              metavar="M/S", help="Treadmill belt speed in m/s, e.g. 3.5 (the best image "
                                  "scale; it is also the reported speed).")
@capture_fps_option
@click.option("--sprint", is_flag=True,
              help="Sprinting: lighter event filter; contact times need >= 120 fps.")
@model_option
@subject_option
@click.option("--no-pdf", is_flag=True, help="Do not write DIR/report.pdf.")
@click.option("--overlay", is_flag=True,
              help="Also write DIR/overlay.mp4: the clip with the skeleton, foot strikes and "
                   "toe-offs flashed, and a live angle readout (needs the video).")
@click.pass_context
def analyze(ctx: click.Context, input_path: Path, out_dir: Path, height_m: float | None,
            mass_kg: float | None, sex: str | None, treadmill_speed: float | None,
            capture_fps: float | None, sprint: bool, model: str,
            subject: tuple[float, float] | None, no_pdf: bool, overlay: bool) -> None:
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
    from mechanics.analysis import analyze as run_analysis
    from mechanics.report.export import summary_text, write_analysis
    from mechanics.report.outputs import write_outputs

    is_csv = input_path.suffix.lower() == ".csv"
    if is_csv and (given := _video_only(ctx, ("model", "subject", "capture_fps"))):
        raise MechanicsError(f"{', '.join(given)}: video input only", input_path)
    kwargs = {"height_m": height_m, "mass_kg": mass_kg, "sex": sex,
              "treadmill_speed_m_s": treadmill_speed, "sprint": sprint}
    if is_csv:
        if not input_path.is_file():
            raise MechanicsError("file not found", input_path)
        ensure_writable_dir(out_dir)
        result = run_analysis(input_path, **kwargs)
    else:
        from mechanics.video import check_file, probe

        check_file(input_path)
        info = probe(input_path, capture_fps)
        ensure_writable_dir(out_dir)
        with progress_bar(info.frame_count, f"tracking {input_path.name}") as update:
            result = run_analysis(input_path, model=model, subject=subject,
                                  capture_fps=capture_fps, progress=update, **kwargs)
    if overlay:
        from mechanics.report.page_keyframes import video_path

        if video_path(result) is None:
            raise MechanicsError("--overlay needs the video: the clip of this landmark file "
                                 "is not available", input_path)
    outputs = write_analysis(result, out_dir)
    extras, errors = write_outputs(result, out_dir, pdf=not no_pdf, overlay=overlay)
    click.echo(summary_text(result))
    for err in errors:
        click.echo(f"warning: report page {err}", err=True)
    for name, path in {**outputs, **extras}.items():
        click.echo(f"{name}: {path}")
