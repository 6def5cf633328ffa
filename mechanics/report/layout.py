"""Text layout on report pages: measured word wrapping, a top-down text flow, tables, and
the checks that nothing overlaps and nothing is cut (used when writing and by the tests).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text

from mechanics.report import style

#: line height as a multiple of the font size
LEADING = 1.32


@functools.lru_cache(maxsize=1)
def _renderer() -> RendererAgg:
    return RendererAgg(10, 10, 720)  # 720 dpi: widths in 1/10 pt (no hinting at small sizes)


@functools.lru_cache(maxsize=4096)
def text_width_pt(s: str, size: float, weight: str = "normal") -> float:
    """Printed width of ``s`` in points (DejaVu Sans, the report font)."""
    prop = FontProperties(family="DejaVu Sans", size=size, weight=weight)
    w, _, _ = _renderer().get_text_width_height_descent(s, prop, ismath=False)
    return float(w) / 10.0


def wrap(text: str, width_pt: float, size: float, weight: str = "normal") -> list[str]:
    """Greedy word wrap measured with the real font; explicit newlines are kept."""
    lines: list[str] = []
    for para in str(text).split("\n"):
        words, line = para.split(" "), ""
        for word in words:
            trial = f"{line} {word}" if line else word
            if line and text_width_pt(trial, size, weight) > width_pt:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


def fig_width_pt(fig: Figure, frac: float) -> float:
    """Width of a figure fraction, in points."""
    return fig.get_figwidth() * 72.0 * frac


def line_height(fig: Figure, size: float) -> float:
    """Height of one text line as a figure fraction."""
    return size * LEADING / 72.0 / fig.get_figheight()


@dataclass
class TextFlow:
    """Write wrapped paragraphs top-down on a figure between ``x0`` and ``x1`` (fractions).

    ``y`` is the current top of the next line; :meth:`fits` tells whether a paragraph still
    fits above ``bottom``.
    """

    fig: Figure
    x0: float
    x1: float
    y: float
    bottom: float = style.MARGIN_B + 0.01
    texts: list[Text] = field(default_factory=list)

    def lines(self, text: str, size: float = style.BODY, weight: str = "normal",
              indent: float = 0.0) -> list[str]:
        return wrap(text, fig_width_pt(self.fig, self.x1 - self.x0 - indent), size, weight)

    def fits(self, text: str, size: float = style.BODY, weight: str = "normal",
             indent: float = 0.0) -> bool:
        n = len(self.lines(text, size, weight, indent))
        return self.y - n * line_height(self.fig, size) >= self.bottom

    def para(self, text: str, size: float = style.BODY, weight: str = "normal",
             colour: Any = style.INK, indent: float = 0.0, gid: str | None = None,
             after: float = 0.4) -> None:
        """One paragraph; ``after`` = blank space below, in lines."""
        lines = self.lines(text, size, weight, indent)
        h = line_height(self.fig, size)
        t = self.fig.text(self.x0 + indent, self.y, "\n".join(lines), fontsize=size,
                          fontweight=weight, color=colour, va="top", ha="left",
                          linespacing=LEADING, gid=gid)
        self.texts.append(t)
        self.y -= h * (len(lines) + after)

    def space(self, lines: float, size: float = style.BODY) -> None:
        self.y -= lines * line_height(self.fig, size)


def page_texts(fig: Figure) -> list[Text]:
    """Every text that is drawn on a figure: figure texts, and per visible axes its texts,
    titles, legend, and, when its axis is on, labels and the tick labels inside the view."""
    out = list(fig.texts)
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        out += list(ax.texts)
        out += [ax.title, ax._left_title, ax._right_title]  # noqa: SLF001
        legend = ax.get_legend()
        if legend is not None:
            out += list(legend.get_texts())
            if legend.get_title() is not None:
                out.append(legend.get_title())
        for tbl in ax.tables:
            out += [c.get_text() for c in tbl.get_celld().values()]
        if ax.axison:
            out += _axis_texts(ax)
    return [t for t in out if t.get_visible() and t.get_text().strip()]


def _axis_texts(ax) -> list[Text]:
    out = []
    for axis, lim in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
        if not axis.get_visible():
            continue
        out.append(axis.label)
        lo, hi = min(lim), max(lim)
        for tick in axis.get_major_ticks():
            if lo - 1e-9 * abs(hi - lo) <= tick.get_loc() <= hi + 1e-9 * abs(hi - lo):
                out += [tick.label1, tick.label2]
    return out


def collect_texts(fig: Figure) -> list[tuple[str | None, str]]:
    """(gid, text) of every drawn text on a figure (titles, tick labels, table cells,
    annotations). Call after the figure was drawn (tick labels are set while drawing)."""
    return [(t.get_gid(), t.get_text()) for t in page_texts(fig)]


def _boxes(fig: Figure) -> list[tuple[Text, Any]]:
    r = fig.canvas.get_renderer()
    return [(t, t.get_window_extent(r)) for t in page_texts(fig)]


#: smallest font size allowed on a page, pt (readable when printed)
MIN_FONT_PT = 8.0


def layout_problems(fig: Figure, tolerance_px: float = 1.0) -> list[str]:
    """Texts that stick out of the page, overlap another text or are smaller than
    :data:`MIN_FONT_PT` (empty list = clean).

    Draws the figure first. Texts with gid 'allow-overlap' are not checked for overlap
    (a label drawn on purpose over the picture, such as the knee angle on a key frame).
    """
    fig.canvas.draw()
    page = fig.bbox
    problems = [f"small: {t.get_text()[:40]!r} {t.get_fontsize():g} pt"
                for t, _ in _boxes(fig) if t.get_fontsize() < MIN_FONT_PT - 1e-6]
    boxes = [(t, b) for t, b in _boxes(fig) if t.get_gid() != "allow-overlap"]
    for t, b in boxes:
        if b.x0 < page.x0 - tolerance_px or b.x1 > page.x1 + tolerance_px or \
                b.y0 < page.y0 - tolerance_px or b.y1 > page.y1 + tolerance_px:
            problems.append(f"cut: {t.get_text()[:40]!r}")
    for i, (t1, b1) in enumerate(boxes):
        for t2, b2 in boxes[i + 1:]:
            w = min(b1.x1, b2.x1) - max(b1.x0, b2.x0)
            h = min(b1.y1, b2.y1) - max(b1.y0, b2.y0)
            if w > tolerance_px and h > tolerance_px:
                problems.append(f"overlap: {t1.get_text()[:30]!r} / {t2.get_text()[:30]!r}")
    return problems


def table(ax, rows: list[list[str]], col_x: list[float], *, header: bool = True,
          size: float = style.SMALL, row_h: float | None = None,
          colours: list[list[Any]] | None = None, gids: list[list[str | None]] | None = None,
          aligns: list[str] | None = None) -> float:
    """Draw a simple text table on an axes in axes coordinates, top-down from y = 1.

    ``col_x`` are the left edges (or right edges for 'right' alignment) of the columns;
    returns the y of the bottom of the last row. The axes frame is switched off.
    """
    ax.set_axis_off()
    fig = ax.figure
    ax_h_pt = ax.get_position().height * fig.get_figheight() * 72.0
    row_h = row_h or size * 1.55 / ax_h_pt
    aligns = aligns or ["left"] * len(col_x)
    y = 1.0
    for i, row in enumerate(rows):
        bold = header and i == 0
        for j, cell in enumerate(row):
            colour = colours[i][j] if colours and colours[i][j] is not None else style.INK
            gid = gids[i][j] if gids else None
            ax.text(col_x[j], y, cell, transform=ax.transAxes, fontsize=size, va="top",
                    ha=aligns[j], fontweight="bold" if bold else "normal", color=colour,
                    gid=gid)
        if bold:
            ax.plot([0, 1], [y - row_h * 1.0, y - row_h * 1.0], transform=ax.transAxes,
                    color=style.LIGHT_GREY, lw=0.8, clip_on=False)
        y -= row_h * (1.15 if bold else 1.0)
    return y
