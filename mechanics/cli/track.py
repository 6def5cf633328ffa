"""``mechanics track CLIP --out DIR``: the runner's landmark track and an overlay video."""

from __future__ import annotations

from pathlib import Path

import click

from mechanics.atomic import ensure_writable_dir
from mechanics.cli.options import capture_fps_option, model_option, subject_option
from mechanics.cli.progress import progress_bar


@click.command()
@click.argument("clip", type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True,
              help="Output folder (created if needed).")
@model_option()
@subject_option
@capture_fps_option
@click.option("--crop", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True,
              help="Follow a runner who is small in the frame with a square crop.")
@click.option("--no-overlay", is_flag=True, help="Skip writing overlay.mp4.")
def track(clip: Path, out_dir: Path, model: str, subject: tuple[float, float] | None,
          capture_fps: float | None, crop: str, no_overlay: bool) -> None:
    """Track the runner in CLIP: DIR/landmarks.csv, landmarks_raw.csv and overlay.mp4.

    landmarks_raw.csv is the track as the pose model gave it; landmarks.csv is cleaned
    (left/right leg and arm swaps repaired, short gaps filled, zero-lag low-pass filtered).
    Each CSV has one row per frame: frame, time_s, then x, y (pixels, origin
    top-left), z and visibility of each of MediaPipe's 33 landmarks, and world x, y, z in
    metres (see the README). The overlay is the clip with the skeleton drawn, left limbs
    blue, right limbs red.

    \b
    Examples:
      mechanics track run.mp4 --out out/run
      mechanics track slowmo.mp4 --out out/s --capture-fps 240
      mechanics track park.mp4 --out out/p --subject 640,360 --model heavy
    """
    from mechanics.pipeline import run_track
    from mechanics.pose.tracker import TrackOptions
    from mechanics.video import check_file, probe

    check_file(clip)
    ensure_writable_dir(out_dir)
    info = probe(clip, capture_fps)
    options = TrackOptions(model=model, subject=subject, capture_fps=capture_fps, crop=crop)
    with progress_bar(info.frame_count, f"tracking {clip.name}") as update:
        outputs = run_track(clip, out_dir, options, overlay=not no_overlay, progress=update)
    for name, path in outputs.items():
        click.echo(f"{name}: {path}")
