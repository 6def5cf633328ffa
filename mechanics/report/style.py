"""Look of the printed report: colours, fonts, the A4 page frame and number formatting.

Left is blue and right is red everywhere, the same colours as the overlay video
(:data:`mechanics.report.overlay.LEFT_BGR` / ``RIGHT_BGR``). Fonts are at least 8 pt so the
report stays readable when printed. Numbers are formatted from a :class:`Metric` with a fixed
number of decimals per unit; nothing is recomputed here.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # the report never opens a window

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from mechanics.report.overlay import LEFT_BGR, RIGHT_BGR  # noqa: E402


def _rgb(bgr: tuple[int, int, int]) -> tuple[float, float, float]:
    b, g, r = bgr
    return (r / 255.0, g / 255.0, b / 255.0)


LEFT = _rgb(LEFT_BGR)
RIGHT = _rgb(RIGHT_BGR)
SIDE_COLOUR = {"left": LEFT, "right": RIGHT}
GREY = (0.45, 0.45, 0.45)
LIGHT_GREY = (0.92, 0.92, 0.92)
INK = (0.1, 0.1, 0.1)
LIGHTS = {"green": (0.18, 0.62, 0.27), "amber": (0.95, 0.65, 0.1), "red": (0.84, 0.15, 0.15)}

#: A4 portrait, inches
A4 = (8.27, 11.69)
#: page margins in figure fractions (left, right, bottom, top)
MARGIN_L, MARGIN_R, MARGIN_B, MARGIN_T = 0.08, 0.94, 0.06, 0.91
#: font sizes (pt); the smallest is 8 so the report is readable on paper
SMALL, BODY, LARGE, TITLE = 8, 9, 11, 15

RC = {
    "font.family": "DejaVu Sans", "font.size": BODY, "axes.titlesize": BODY + 1,
    "axes.labelsize": BODY, "xtick.labelsize": SMALL, "ytick.labelsize": SMALL,
    "legend.fontsize": SMALL, "figure.titlesize": TITLE, "axes.spines.top": False,
    "axes.spines.right": False, "pdf.fonttype": 42, "ps.fonttype": 42,
    "axes.titleweight": "bold", "lines.linewidth": 1.4, "legend.frameon": False,
}

#: decimals by unit (same as the text summary of ``mechanics analyze``)
DIGITS = {"steps/min": 1, "s": 3, "fraction": 3, "m": 2, "m/s": 2, "cm": 1, "deg": 1,
          "leg lengths": 2, "%": 1}
_SUFFIXES = ("_spm", "_s", "_m", "_mps", "_cm", "_deg", "_leg_lengths", "_pct")
#: nicer words for some metric labels
_LABELS = {"cadence_spm": "Cadence", "speed_mps": "Speed", "duty_factor": "Duty factor",
           "shoulder_flexion_range_deg": "Arm swing (shoulder range)",
           "overstride_leg_lengths": "Overstride"}


@contextmanager
def report_style():
    """Matplotlib settings of the report (restored afterwards)."""
    with plt.rc_context(RC):
        yield


def fmt(v: float | None, unit: str = "") -> str:
    """A number with the decimals of its unit; '-' for missing values."""
    if v is None or not isinstance(v, int | float) or not math.isfinite(v):
        return "-"
    return f"{v:.{DIGITS.get(unit, 2)}f}"


def fmt_unit(v: float | None, unit: str) -> str:
    """A number and its unit ('168.0 steps/min'); a fraction has no unit word."""
    s = fmt(v, unit)
    if s == "-" or unit in ("fraction", ""):
        return s
    return f"{s} {unit}"


def metric_label(name: str) -> str:
    """'contact_time_s' -> 'Contact time' (label without the unit suffix)."""
    if name in _LABELS:
        return _LABELS[name]
    label = name
    for suffix in _SUFFIXES:
        label = label.removesuffix(suffix)
    label = label.replace("_", " ")
    return label[:1].upper() + label[1:]


def confidence_label(conf: str) -> str:
    """'not_measurable' -> 'not measurable'."""
    return conf.replace("_", " ")


def new_page(title: str, source: dict[str, Any], subtitle: str = "") -> Figure:
    """An empty A4 page with the report header (title, clip) and a footer line."""
    fig = plt.figure(figsize=A4)
    fig.text(MARGIN_L, 0.965, title, fontsize=TITLE, fontweight="bold", va="top",
             gid="title")
    name = Path(str(source.get("file") or "input")).name
    view = source.get("view") or "unknown"
    fig.text(MARGIN_R, 0.965, f"{name}\n{view} view", fontsize=SMALL, ha="right", va="top",
             color=GREY, gid="header")
    if subtitle:
        fig.text(MARGIN_L, 0.938, subtitle, fontsize=BODY, va="top", color=GREY,
                 gid="subtitle")
    fig.add_artist(matplotlib.lines.Line2D([MARGIN_L, MARGIN_R], [0.925, 0.925],
                                           color=LIGHT_GREY, lw=1.0))
    version = source.get("mechanics_version") or ""
    fig.text(MARGIN_L, 0.025, f"mechanics {version} - running-mechanics report, "
             f"{date.today().isoformat()}. Left = blue, right = red.",
             fontsize=SMALL, color=GREY, gid="footer")
    return fig


def side_legend_handles() -> list:
    """Legend handles for left (blue) and right (red)."""
    from matplotlib.lines import Line2D

    return [Line2D([], [], color=LEFT, lw=2, label="left"),
            Line2D([], [], color=RIGHT, lw=2, label="right")]


def message(ax, text: str, *, size: int = BODY, colour=GREY) -> None:
    """Replace an axes by a plain message (what could not be drawn, and why)."""
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=size, color=colour,
            wrap=True, transform=ax.transAxes, gid="message")
