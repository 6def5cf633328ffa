"""Page 7, symmetry: every bilateral metric side by side (left blue, right red), with the
symmetry angle and flag when the analysis provides them; and the appendix table of every
metric with its confidence and reason."""

from __future__ import annotations

import math

from matplotlib.figure import Figure

from mechanics.analysis import Analysis, Metric
from mechanics.analysis.core import FLAGS_WITHHELD
from mechanics.report import figures, style
from mechanics.report.extras import symmetry_rows
from mechanics.report.layout import TextFlow, line_height, wrap

COLS = 3


def bilateral(metrics: dict[str, Metric]) -> dict[str, Metric]:
    """Metrics with a measured left or right value."""
    return {n: m for n, m in metrics.items()
            if m.measurable and (math.isfinite(m.left) or math.isfinite(m.right))}


def page_symmetry(analysis: Analysis) -> Figure:
    """Page 7 (see the module docstring)."""
    fig = style.new_page("Symmetry", analysis.source,
                         "Left and right side by side for every two-sided metric.")
    flow = TextFlow(fig, style.MARGIN_L, style.MARGIN_R, 0.905)
    sym = symmetry_rows(analysis)
    intro = ("Bars: the reported left (blue) and right (red) means. A difference matters only "
             "when it exceeds both the stride-to-stride variability of each side and the "
             "measurement error (science.md 6.3); asymmetry is descriptive, not an injury "
             "risk (Malisoux et al. 2024).")
    if sym:
        intro += (" SA = symmetry angle (Zifchock et al. 2008, 0 % = symmetric); FLAGGED = "
                  "beyond variability and measurement error, from the analysis.")
    else:
        intro += " Symmetry angles and flags: not in this analysis."
    flow.para(intro, style.SMALL, colour=style.GREY)
    notes = analysis.source.get("notes", [])
    far = [n for n in notes if "far side" in n]
    if far:
        flow.para(far[0][:1].upper() + far[0][1:] + ".", style.SMALL, colour=style.GREY)
    withheld = [n for n in notes if n.startswith(FLAGS_WITHHELD)]
    if withheld:
        flow.para(withheld[0][:1].upper() + withheld[0][1:] + ".", style.BODY, weight="bold",
                  gid="note:flags")
    both = bilateral(analysis.metrics)
    if not both:
        flow.para("No two-sided metric could be measured: see the summary and the metric "
                  "table for the reasons.", style.LARGE, weight="bold", gid="message")
        return fig
    _grid(fig, analysis, both, sym, flow.y - 0.01)
    return fig


def _grid(fig: Figure, analysis: Analysis, both: dict[str, Metric], sym: dict,
          top: float) -> None:
    n_rows = math.ceil(len(both) / COLS)
    cell_h = min(0.14, (top - 0.06) / max(n_rows, 1))
    for i, (name, m) in enumerate(both.items()):
        r, c = divmod(i, COLS)
        x = style.MARGIN_L + c * 0.3
        y = top - (r + 1) * cell_h
        ax = fig.add_axes((x + 0.045, y + 0.06, 0.22, cell_h - 0.1))
        title = "\n".join(wrap(style.metric_label(name), 0.26 * 8.27 * 72, style.SMALL + 1,
                               "bold")[:2])
        figures.lr_bars(ax, m.left, m.right, m.unit, title)
        for t, side in zip(ax.get_yticklabels(), ("left", "right"), strict=True):
            t.set_gid(f"metric:{name}:{side}")
        text, flagged = figures.symmetry_text(sym.get(name), m.unit)
        if text:
            fig.text(x + 0.01, y + 0.008, text, fontsize=style.SMALL,
                     color=style.LIGHTS["red"] if flagged else style.GREY,
                     fontweight="bold" if flagged else "normal", gid=f"sym:{name}")


def page_metrics_table(analysis: Analysis) -> list[Figure]:
    """Appendix: every metric with value, left, right, unit and confidence; the reasons
    behind the grades as numbered notes (one or more pages)."""
    pages: list[Figure] = []
    items = list(analysis.metrics.items())
    reasons = list(dict.fromkeys(m.reason for _, m in items if m.reason))
    while items or not pages:
        fig = style.new_page("All metrics" + (" (continued)" if pages else ""),
                             analysis.source, "Every reported number, its confidence and why.")
        items, y = _table_page(fig, items, reasons)
        pages.append(fig)
    flow = TextFlow(pages[-1], style.MARGIN_L, style.MARGIN_R, y)
    for i, r in enumerate(reasons, 1):
        if not flow.fits(f"[{i}] {r}", style.SMALL):
            pages.append(style.new_page("All metrics (notes)", analysis.source))
            flow = TextFlow(pages[-1], style.MARGIN_L, style.MARGIN_R, 0.9)
        flow.para(f"[{i}] {r}", style.SMALL, colour=style.GREY, gid="reason", after=0.2)
    return pages


def _table_page(fig: Figure, items: list[tuple[str, Metric]], reasons: list[str]
                ) -> tuple[list[tuple[str, Metric]], float]:
    """Draw rows until the page is full; returns the rows left over and the y below."""
    cols = (0.0, 0.38, 0.50, 0.62, 0.74, 0.86)
    x0, w = style.MARGIN_L, style.MARGIN_R - style.MARGIN_L
    y = 0.9
    for j, head in enumerate(("metric", "value", "left", "right", "unit", "confidence")):
        fig.text(x0 + cols[j] * w, y, head, fontsize=style.BODY, fontweight="bold", va="top")
    lh = line_height(fig, style.BODY)
    y -= lh * 1.4
    while items:
        name, m = items[0]
        label = wrap(style.metric_label(name), (cols[1] - 0.01) * w * 72 * 8.27, style.BODY)
        need = lh * (len(label) + 0.3)
        if y - need < style.MARGIN_B + 0.03:
            break
        note = f" [{reasons.index(m.reason) + 1}]" if m.reason else ""
        cells = ("\n".join(label), style.fmt(m.value, m.unit), style.fmt(m.left, m.unit),
                 style.fmt(m.right, m.unit), m.unit,
                 style.confidence_label(m.confidence) + note)
        colours = (style.INK, style.INK, style.LEFT, style.RIGHT, style.INK, style.INK)
        gids = (None, f"metric:{name}:value", f"metric:{name}:left", f"metric:{name}:right",
                None, "note")
        for j, cell in enumerate(cells):
            fig.text(x0 + cols[j] * w, y, cell, fontsize=style.BODY, va="top",
                     color=colours[j], gid=gids[j], linespacing=1.32)
        y -= need
        items = items[1:]
    return items, y - lh
