"""Click options shared by several commands."""

from __future__ import annotations

import click


def _parse_subject(ctx: click.Context, param: click.Parameter, value: str | None):
    if value is None:
        return None
    try:
        x, y = (float(v) for v in value.split(","))
    except ValueError:
        raise click.BadParameter("expected X,Y in pixels, e.g. 640,360") from None
    return x, y


def model_option(default: str | None = "full"):
    """``--model``; with ``default=None`` an option not given stays None (the library then
    uses 'full' for a video, and a landmark file can tell that no tracker option was
    given)."""
    return click.option(
        "--model", type=click.Choice(["lite", "full", "heavy"]), default=default,
        show_default=default is not None,
        help="Pose model size: lite (fastest), full, heavy (most accurate, ~3x slower)"
             + ("." if default is not None else "; default: full."))


subject_option = click.option(
    "--subject", callback=_parse_subject, metavar="X,Y",
    help="Pixel position of the runner in the first frame where they appear "
         "(default: the person whose legs move like running or walking for longest).")
capture_fps_option = click.option(
    "--capture-fps", type=click.FloatRange(min=1.0), default=None,
    help="True capture rate of a slow-motion clip in frames/s (default: read from the "
         "container when recorded, else the playback rate).")
