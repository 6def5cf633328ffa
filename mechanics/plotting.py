"""Figures of an :class:`~mechanics.analysis.Analysis` for notebooks and papers.

Each function returns a new matplotlib :class:`~matplotlib.figure.Figure` drawn with the
report's own plotting code (:mod:`mechanics.report.figures`: the same curves, the same
strides, left blue and right red), so a figure here matches the PDF. Restyle it as any
matplotlib figure: ``fig.axes[0].set_ylim(...)``, ``fig.set_size_inches(...)``,
``fig.savefig("knee.svg")``. Nothing is computed here: what the analysis could not measure
is drawn as a message saying why.

The figures are not registered with pyplot: a notebook shows the returned figure once, a
loop over many clips keeps no figure open, and they work with any backend (save them, or
display them in a notebook; ``plt.show()`` does not know them).

    import mechanics
    a = mechanics.analyze("run.mp4", height=1.80)
    mechanics.plot_kinematics(a).savefig("kinematics.png", dpi=200)
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

#: the user's matplotlib backend (a notebook's inline one, a window, or still "auto")
_BACKEND = dict.__getitem__(matplotlib.rcParams, "backend")

from matplotlib.figure import Figure  # noqa: E402

from mechanics.analysis import Analysis  # noqa: E402
from mechanics.report import figures, style  # noqa: E402
from mechanics.report.extras import array, per_side, result, symmetry_rows  # noqa: E402

if dict.__getitem__(matplotlib.rcParams, "backend") != _BACKEND:
    # the report's style module selects the non-interactive Agg backend for the PDF; give
    # the user's own pyplot figures their backend back (these figures need none)
    import matplotlib.pyplot as plt

    plt.switch_backend(_BACKEND)

__all__ = ["plot_coordination", "plot_kinematics", "plot_momentum", "plot_symmetry"]

SIDES = ("left", "right")
#: angle name -> (title, Angles.series key, y label) of :func:`plot_kinematics`
ANGLES = {key.replace("{side}_", ""): (title, key, ylabel)
          for title, key, ylabel in (*figures.KINEMATICS, *figures.ARMS)}
ANGLES["shoulder_flexion"] = ("Shoulder flexion (arm swing)", *ANGLES["shoulder_flexion"][1:])


def _figure(n_panels: int, cols: int = 2, figsize: tuple[float, float] | None = None
            ) -> tuple[Figure, list]:
    rows = max(1, -(-n_panels // cols))
    fig = Figure(figsize=figsize or (4.2 * cols, 3.2 * rows), layout="constrained")
    axes = [fig.add_subplot(rows, cols, i + 1) for i in range(n_panels)]
    return fig, axes


def _title(fig: Figure, what: str, analysis: Analysis) -> None:
    name = str(analysis.source.get("file") or "input").replace("\\", "/").rsplit("/", 1)[-1]
    fig.suptitle(f"{what}: {name} ({analysis.source.get('view') or 'unknown'} view)")


def _message_figure(what: str, analysis: Analysis, text: str,
                    figsize: tuple[float, float] | None) -> Figure:
    fig, (ax,) = _figure(1, 1, figsize or (6.0, 2.5))
    _title(fig, what, analysis)
    style.message(ax, text)
    return fig


def _sagittal_reason(analysis: Analysis) -> str:
    view = analysis.source.get("view")
    if not figures.sagittal_allowed(view):
        return (f"Not measurable from a {view} view: sagittal angles need a side view "
                "(camera perpendicular to the running direction).")
    if analysis.angles is None or not analysis.foot_strikes():
        return "Not measurable: no gait events were detected."
    return ""


def plot_kinematics(analysis: Analysis,
                    angles: Sequence[str] = ("hip_flexion", "knee_flexion",
                                             "ankle_dorsiflexion", "trunk_lean"), *,
                    figsize: tuple[float, float] | None = None) -> Figure:
    """Sagittal angles over the gait cycle (0-100 %), left vs right, mean +- 1 SD over
    strides, mean toe-off dashed (the report's kinematics page).

    Parameters
    ----------
    analysis : Analysis
        From :func:`mechanics.analyze`.
    angles : sequence of str
        Panels, from 'hip_flexion', 'knee_flexion', 'ankle_dorsiflexion', 'trunk_lean',
        'shoulder_flexion', 'elbow_flexion' (deg; sign conventions in
        docs/sagittal-kinematics.md).
    figsize : (float, float), optional
        Figure size in inches.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per angle (``fig.axes``), in order. The per-stride curves behind it:
        ``analysis.cycles()``.
    """
    unknown = [a for a in angles if a not in ANGLES]
    if unknown:
        raise ValueError(f"unknown angle(s) {unknown}; choose from {list(ANGLES)}")
    reason = _sagittal_reason(analysis)
    if reason:
        return _message_figure("Sagittal kinematics", analysis, reason, figsize)
    fig, axes = _figure(len(angles), figsize=figsize)
    _title(fig, "Sagittal kinematics", analysis)
    for ax, name in zip(axes, angles, strict=True):
        title, key, ylabel = ANGLES[name]
        used = figures.angle_cycles(ax, analysis, key, ylabel,
                                    toe_off=name not in ("shoulder_flexion", "elbow_flexion"))
        ax.set_title(title, loc="left")
        if sum(used.values()):
            ax.legend(handles=_side_handles(used), loc="best", fontsize="small")
        else:
            style.message(ax, "no complete stride:\nneeds two foot strikes of one foot")
    return fig


def _side_handles(used: dict[str, int]) -> list:
    handles = style.side_legend_handles()
    for h in handles:
        n = used.get(h.get_label(), 0)
        h.set_label(f"{h.get_label()} (n = {n})")
    return handles


def plot_momentum(analysis: Analysis, *,
                  figsize: tuple[float, float] | None = None) -> Figure:
    """Vertical angular momentum H_z (kg m²/s) of the upper body, lower body and arms about
    the whole-body centre of mass over time, and the top-down trunk moment M_z (N m) when
    the body mass was given (the report's rotation and torque-transfer page).

    Model-based estimates (unvalidated against motion capture) from the 3D world
    landmarks; a landmark file without them, or a clip where the metrics are not
    measurable, gives a figure saying why.

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.axes[0]``: H_z; ``fig.axes[1]`` (when present): M_z.
    """
    names = [n for n in analysis.metrics if "momentum" in n]
    bm = result(analysis, "momentum")
    time = array(bm, "time") if bm is not None else None
    if time is None or not any(analysis.metrics[n].measurable for n in names):
        reasons = sorted({analysis.metrics[n].reason for n in names
                          if analysis.metrics[n].reason})
        why = f" ({'; '.join(reasons)})" if reasons else ""
        return _message_figure("Angular momentum", analysis,
                               f"Vertical angular momentum not measurable{why}.", figsize)
    moment = result(analysis, "trunk_moment_nm")
    with_moment = moment is not None and len(moment) == len(time)
    fig, axes = _figure(2 if with_moment else 1, 2 if with_moment else 1, figsize)
    _title(fig, "Angular momentum (model-based)", analysis)
    figures.momentum(axes[0], bm)
    axes[0].set_title("Vertical angular momentum", loc="left")
    axes[0].legend(loc="best", fontsize="small")
    if with_moment:
        figures.trunk_moment(axes[1], time, moment)
        axes[1].set_title("Top-down trunk moment", loc="left")
    return fig


def plot_coordination(analysis: Analysis, *,
                      figsize: tuple[float, float] | None = None) -> Figure:
    """Thigh-shank angle-angle plots per side (each stride thin, the mean thick, foot
    strike dotted), the coupling-angle distribution (vector coding) and the arm-leg
    continuous relative phase (the report's coordination page).

    Returns
    -------
    matplotlib.figure.Figure
        ``fig.axes``: left thigh-shank, right thigh-shank, then the coupling bins and the
        relative phase when the analysis has them.
    """
    reason = _sagittal_reason(analysis)
    if reason:
        return _message_figure("Coordination", analysis,
                               reason.replace("sagittal angles", "segment angles"), figsize)
    coupling = analysis.metrics.get("thigh_shank_coupling")
    crp_metric = analysis.metrics.get("arm_leg_relative_phase_deg")
    crp = result(analysis, "arm_leg")
    with_bins = figures.has_bins(coupling)
    with_crp = crp_metric is not None and crp_metric.measurable and bool(per_side(crp))
    fig, axes = _figure(2 + with_bins + with_crp, figsize=figsize)
    _title(fig, "Coordination", analysis)
    drawn = []
    for ax, side in zip(axes[:2], SIDES, strict=True):
        n = figures.thigh_shank(ax, analysis, side)
        ax.set_title(f"{side.capitalize()} thigh-shank", loc="left",
                     color=style.SIDE_COLOUR[side])
        if n:
            ax.legend(loc="best", fontsize="small")
            drawn.append(ax)
        else:
            style.message(ax, f"no complete {side} stride")
    if len(drawn) == 2:  # same scales, so the sides compare at a glance
        drawn[0].sharex(drawn[1])
        drawn[0].sharey(drawn[1])
    rest = iter(axes[2:])
    if with_bins:
        ax = next(rest)
        figures.coupling_bins(ax, coupling)
        ax.set_title("Coupling-angle distribution", loc="left")
        ax.legend(loc="best", fontsize="small")
    if with_crp:
        ax = next(rest)
        figures.relative_phase(ax, crp)
        ax.set_title("Arm-leg relative phase (CRP)", loc="left")
        ax.legend(loc="best", fontsize="small")
    return fig


def plot_symmetry(analysis: Analysis, *, cols: int = 3,
                  figsize: tuple[float, float] | None = None) -> Figure:
    """Left (blue) and right (red) of every measurable two-sided metric, with the symmetry
    angle, the difference and FLAGGED when the difference exceeds both the stride-to-stride
    variability and the measurement error (the report's symmetry page).

    Returns
    -------
    matplotlib.figure.Figure
        One axes per metric, in the order of ``analysis.metrics``; the numbers are those of
        ``analysis.symmetry_table()``.
    """
    from mechanics.report.page_symmetry import bilateral

    both = bilateral(analysis.metrics)
    if not both:
        return _message_figure("Symmetry", analysis,
                               "No two-sided metric could be measured.", figsize)
    rows = -(-len(both) // cols)
    fig, axes = _figure(len(both), cols, figsize or (3.6 * cols, 2.1 * rows + 0.6))
    _title(fig, "Symmetry", analysis)
    sym = symmetry_rows(analysis)
    for ax, (name, m) in zip(axes, both.items(), strict=True):
        label = style.metric_label(name)
        figures.lr_bars(ax, m.left, m.right, m.unit, label)
        text, flagged = figures.symmetry_text(sym.get(name), m.unit)
        if text:
            ax.set_title(f"{label}\n{text}", loc="left", fontsize="medium",
                         color=style.LIGHTS["red"] if flagged else style.INK)
    return fig
