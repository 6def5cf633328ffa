"""Page 3, gait timing (contact timeline per side, per-step contact and flight times,
cadence) and page 4, sagittal kinematics (hip, knee, ankle, trunk over the gait cycle)."""

from __future__ import annotations

from matplotlib.figure import Figure

from mechanics.analysis import Analysis, Metric
from mechanics.report import figures, style
from mechanics.report.figures import KINEMATICS, sagittal_allowed, strikes_by_side
from mechanics.report.layout import TextFlow, table

#: per-step panels of page 3: steps.csv column, axis label, metric with the side means
PER_STEP = (("contact_s", "contact time (ms)", "contact_time_s"),
            ("flight_s", "flight time (ms)", "flight_time_s"),
            ("step_s", "step time (ms)", "step_time_s"),
            ("stride_s", "stride time (ms)", ""))
TIMING = ("cadence_spm", "step_time_s", "contact_time_s", "flight_time_s", "duty_factor",
          "step_length_m", "speed_mps")


def metric_rows(metrics: dict[str, Metric], names: tuple[str, ...]) -> tuple[list, list, list]:
    """(rows, colours, gids) of a metric table: name, value, left, right, confidence."""
    rows = [["metric", "value", "left", "right", "confidence"]]
    colours = [[None] * 5]
    gids: list[list[str | None]] = [[None] * 5]
    for n in names:
        m = metrics.get(n)
        if m is None:
            continue
        unit = "" if m.unit == "fraction" else m.unit
        rows.append([style.metric_label(n) + (f" ({unit})" if unit else ""),
                     style.fmt(m.value, m.unit), style.fmt(m.left, m.unit),
                     style.fmt(m.right, m.unit), style.confidence_label(m.confidence)])
        colours.append([None, None, style.LEFT, style.RIGHT, None])
        gids.append([None, f"metric:{n}:value", f"metric:{n}:left", f"metric:{n}:right",
                     None])
    return rows, colours, gids


def _rejected(analysis: Analysis) -> list[tuple[str, float, float]]:
    if analysis.gait is None:
        return []
    return [(c.side, c.strike_s, c.off_s) for c in analysis.gait.events.contacts
            if not c.valid]


def page_timing(analysis: Analysis) -> Figure:
    """Page 3: contact timeline, per-step contact and flight times, cadence."""
    m, s = analysis.metrics, analysis.source
    fig = style.new_page("Gait timing", s, "When each foot is on the ground, step by step.")
    cad = m.get("cadence_spm")
    flow = TextFlow(fig, style.MARGIN_L, style.MARGIN_R, 0.905)
    if cad is not None and cad.measurable:
        flow.para(f"Cadence {style.fmt_unit(cad.value, cad.unit)} "
                  f"({style.confidence_label(cad.confidence)} confidence).", style.LARGE,
                  weight="bold", gid="metric:cadence_spm:value")
    else:
        why = cad.reason if cad is not None else "not in this analysis"
        flow.para(f"Cadence not measurable: {why}.", style.LARGE, weight="bold")
    flow.para("Bars: ground contact from foot strike to toe-off; gaps between bars are "
              "flight. Hatched: contacts the detector rejected (sanity checks). Dashed lines "
              "below: the reported left and right means.", style.SMALL, colour=style.GREY)
    ax = fig.add_axes((style.MARGIN_L + 0.04, flow.y - 0.15, 0.82, 0.11))
    t = analysis.sequence.time
    figures.timeline(ax, analysis.steps, _rejected(analysis), (float(t[0]), float(t[-1])))
    ax.legend(handles=style.side_legend_handles(), loc="lower right", ncol=2,
              bbox_to_anchor=(1.0, 1.0), fontsize=style.SMALL)
    y = flow.y - 0.2
    for i, (key, label, name) in enumerate(PER_STEP):
        x0 = style.MARGIN_L + 0.04 + (i % 2) * 0.46
        ax = fig.add_axes((x0, y - (i // 2) * 0.2 - 0.13, 0.36, 0.13))
        met = m.get(name)
        means = {"left": met.left, "right": met.right} if met and met.measurable else {}
        n = figures.per_step(ax, analysis.steps, key, means, label, scale=1000.0)
        ax.set_xlim(float(t[0]), float(t[-1]))
        ax.set_title(label.split(" (")[0].capitalize() + " per step", loc="left")
        if not n:
            style.message(ax, f"no {label.split(' (')[0]} measured")
    y -= 0.375
    tab = fig.add_axes((style.MARGIN_L, y - 0.16, style.MARGIN_R - style.MARGIN_L, 0.14))
    rows, colours, gids = metric_rows(m, TIMING)
    bottom = table(tab, rows, [0.0, 0.42, 0.56, 0.70, 0.84], colours=colours, gids=gids,
                   size=style.BODY)
    _reasons(fig, m, TIMING, y - 0.16 + 0.14 * bottom - 0.01)
    return fig


def _reasons(fig: Figure, metrics: dict[str, Metric], names: tuple[str, ...], y: float) -> None:
    """The reasons behind low or not-measurable grades, once each with the metrics they
    concern."""
    flow = TextFlow(fig, style.MARGIN_L, style.MARGIN_R, y)
    by_reason: dict[str, list[str]] = {}
    for n in names:
        m = metrics.get(n)
        if m is not None and m.reason:
            by_reason.setdefault(m.reason, []).append(style.metric_label(n).lower())
    for reason, labels in by_reason.items():
        text = f"{', '.join(labels)}: {reason}."
        text = text[:1].upper() + text[1:]
        if not flow.fits(text, style.SMALL):
            flow.para("More reasons: see the table of all metrics.", style.SMALL,
                      colour=style.GREY, gid="reason")
            break
        flow.para(text, style.SMALL, colour=style.GREY, gid="reason", after=0.2)


def page_kinematics(analysis: Analysis) -> Figure:
    """Page 4: sagittal angles over 0-100 % of the gait cycle, left vs right, mean +- SD."""
    fig = style.new_page("Sagittal kinematics", analysis.source,
                         "Joint angles over one stride (foot strike to the next foot strike "
                         "of the same foot).")
    flow = TextFlow(fig, style.MARGIN_L, style.MARGIN_R, 0.905)
    view = analysis.source.get("view")
    strikes = strikes_by_side(analysis)
    reason = None
    if not sagittal_allowed(view):
        reason = (f"Not measurable from a {view} view: sagittal angles need a side view "
                  "(camera perpendicular to the running direction; science.md 0.3).")
    elif analysis.angles is None or not strikes:
        reason = "Not measurable: no gait events were detected."
    if reason:
        flow.para(reason, style.LARGE, weight="bold", gid="message")
        return fig
    flow.para("Line: mean over strides; band: +- 1 SD between strides; dashed vertical "
              "line: mean toe-off (the duty factor). 2D angles from pose estimation carry "
              "about 5-8 deg error (science.md 10).", style.SMALL, colour=style.GREY)
    top, counts = flow.y - 0.015, {}
    for i, (title, key, ylabel) in enumerate(KINEMATICS):
        col, row = i % 2, i // 2
        ax = fig.add_axes((style.MARGIN_L + 0.03 + col * 0.45, top - (row + 1) * 0.39 + 0.06,
                           0.37, 0.28))
        used = figures.angle_cycles(ax, analysis, key, ylabel)
        ax.set_title(title, loc="left")
        for side, n in used.items():
            counts[side] = max(counts.get(side, 0), n)
        if not sum(used.values()):
            style.message(ax, "no complete stride:\nneeds two foot strikes of one foot")
    if sum(counts.values()):
        handles = style.side_legend_handles()
        for h in handles:
            n = counts.get(h.get_label(), 0)
            h.set_label(f"{h.get_label()} (n = {n} stride{'s' if n != 1 else ''})")
        fig.legend(handles=handles, loc="upper right", ncol=2, fontsize=style.BODY,
                   bbox_to_anchor=(style.MARGIN_R, top + 0.005))
    else:
        flow.para("Fewer than one complete stride per side: the curves need two foot "
                  "strikes of the same foot.", style.BODY, weight="bold", gid="message")
    return fig
