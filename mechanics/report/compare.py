"""Two analyses side by side (``mechanics compare A B``), from their ``metrics.json``.

Rule for highlighting (documented on the first page): a difference B - A is highlighted
when it exceeds the measurement error of the difference, ``sqrt(e_A^2 + e_B^2)``, where
``e`` is each analysis' measurement error for that metric at its frame rate
(:func:`mechanics.report.tolerance.measurement_error`: the pipeline's force-plate and
angle-error figures of docs/metrics.md and science.md 10). Two independent measurements
each off by ``e`` differ by up to about ``sqrt(2) e`` with no real change. Metrics without a
known error, or not measurable in either analysis, are never highlighted. Nothing is
recomputed: the values are those of the two files.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from mechanics.analysis import Metric
from mechanics.atomic import atomic_path
from mechanics.errors import MechanicsError
from mechanics.report import style
from mechanics.report.layout import TextFlow, collect_texts, line_height
from mechanics.report.tolerance import measurement_error

RULE = ("Highlighted (red, bold): |B - A| larger than the measurement error of the "
        "difference, sqrt(eA^2 + eB^2), with e the pipeline's measurement error for that "
        "metric at each clip's frame rate (docs/metrics.md force-plate validation; 5 deg for "
        "2D angles, science.md 10; 1 % for cadence). Metrics with no known error are never "
        "highlighted. Low-confidence values are marked (low).")


@dataclass
class Side:
    """One analysis read from disk: its file, document and metrics."""

    path: Path
    doc: dict[str, Any]
    metrics: dict[str, Metric]

    @property
    def source(self) -> dict[str, Any]:
        return self.doc.get("source", {})

    @property
    def label(self) -> str:
        return Path(str(self.source.get("file") or self.path)).name


def load(path: str | Path) -> Side:
    """Read ``metrics.json`` (or the ``metrics.json`` inside an output folder)."""
    from mechanics.report.export import read_metrics

    path = Path(path)
    file = path / "metrics.json" if path.is_dir() else path
    if not file.is_file():
        raise MechanicsError("no metrics.json here (give the file or its output folder)",
                             path)
    try:
        doc, metrics = read_metrics(file)
    except (ValueError, KeyError, TypeError) as exc:
        raise MechanicsError(f"not a metrics.json file ({exc})", file) from None
    return Side(file, doc, metrics)


@dataclass
class Row:
    """One compared number (a metric's value, left or right)."""

    name: str
    attr: str
    unit: str
    a: float
    b: float
    threshold: float
    low: bool

    @property
    def difference(self) -> float:
        return self.b - self.a

    @property
    def highlighted(self) -> bool:
        d = self.difference
        return math.isfinite(d) and math.isfinite(self.threshold) and abs(d) > self.threshold


def _error(side: Side, name: str) -> float:
    m = side.metrics[name]
    fps = float(side.source.get("fps") or math.nan)
    belt = bool(side.source.get("treadmill_speed_m_s"))
    return measurement_error(name, m, side.metrics, fps, belt)


def compare_rows(a: Side, b: Side) -> list[Row]:
    """Rows for every metric of A that B also has: the value, then left and right."""
    rows = []
    for name, ma in a.metrics.items():
        mb = b.metrics.get(name)
        if mb is None:
            continue
        threshold = math.hypot(_error(a, name), _error(b, name))
        low = "low" in (ma.confidence, mb.confidence)
        for attr in ("value", "left", "right"):
            va, vb = getattr(ma, attr), getattr(mb, attr)
            if attr != "value" and not (math.isfinite(va) or math.isfinite(vb)):
                continue
            rows.append(Row(name, attr, ma.unit, va, vb, threshold, low))
    return rows


def _header(fig: Figure, a: Side, b: Side) -> float:
    flow = TextFlow(fig, style.MARGIN_L, style.MARGIN_R, 0.905)
    for tag, s in (("A", a), ("B", b)):
        src = s.source
        fps = src.get("fps")
        rate = f"{fps:.1f} fps" if isinstance(fps, int | float) else "fps unknown"
        flow.para(f"{tag}: {s.label} - {src.get('view', 'unknown')} view, {rate}, "
                  f"{src.get('n_strides', '?')} strides ({s.path})", style.BODY,
                  weight="bold", after=0.2)
    flow.para(RULE, style.SMALL, colour=style.GREY, gid="rule")
    return flow.y


COLS = (0.0, 0.36, 0.50, 0.64, 0.78)


def _row_texts(fig: Figure, r: Row, y: float) -> None:
    x0, w = style.MARGIN_L, style.MARGIN_R - style.MARGIN_L
    label = style.metric_label(r.name) if r.attr == "value" else f"   {r.attr}"
    unit = "" if r.unit == "fraction" else f" ({r.unit})"
    diff = style.fmt(r.difference, r.unit)
    cells = [label + (unit if r.attr == "value" else ""), style.fmt(r.a, r.unit),
             style.fmt(r.b, r.unit), diff if diff == "-" or diff.startswith("-") else "+" + diff,
             "-" if not math.isfinite(r.threshold) else "±" + style.fmt(r.threshold, r.unit)]
    if r.low and diff != "-":
        cells[3] += " (low)"
    side_colour = {"left": style.LEFT, "right": style.RIGHT}.get(r.attr, style.INK)
    for j, text in enumerate(cells):
        colour = style.LIGHTS["red"] if r.highlighted and j == 3 else (
            side_colour if j == 0 else style.INK)
        fig.text(x0 + COLS[j] * w, y, text, fontsize=style.SMALL, va="top", color=colour,
                 fontweight="bold" if r.highlighted else "normal",
                 gid=f"compare:{r.name}:{r.attr}:{j}")


def pages(a: Side, b: Side) -> list[Figure]:
    """The comparison pages: header, rule and the table (continued as needed)."""
    rows = compare_rows(a, b)
    figs: list[Figure] = []
    while rows or not figs:
        fig = style.new_page("Comparison" + (" (continued)" if figs else ""), a.source,
                             f"A = {a.label}, B = {b.label}")
        y = _header(fig, a, b) if not figs else 0.905
        x0, w = style.MARGIN_L, style.MARGIN_R - style.MARGIN_L
        for j, head in enumerate(("metric", "A", "B", "B - A", "error of B - A")):
            fig.text(x0 + COLS[j] * w, y, head, fontsize=style.BODY, fontweight="bold",
                     va="top")
        lh = line_height(fig, style.SMALL) * 1.15
        y -= lh * 1.6
        while rows and y - lh > style.MARGIN_B + 0.02:
            _row_texts(fig, rows[0], y)
            y -= lh * (1.4 if len(rows) > 1 and rows[1].attr == "value" else 1.0)
            rows = rows[1:]
        figs.append(fig)
    return figs


def summary_lines(a: Side, b: Side) -> list[str]:
    """One line per highlighted difference (for the terminal)."""
    out = []
    for r in compare_rows(a, b):
        if r.highlighted:
            what = style.metric_label(r.name) + ("" if r.attr == "value" else f" ({r.attr})")
            out.append(f"{what}: {style.fmt(r.a, r.unit)} -> {style.fmt(r.b, r.unit)} "
                       f"{r.unit} (beyond ±{style.fmt(r.threshold, r.unit)})")
    return out


def write_compare(a_path: str | Path, b_path: str | Path, out: str | Path
                  ) -> tuple[Path, list[list[tuple[str | None, str]]], list[str]]:
    """Write the comparison PDF atomically; returns (path, texts per page, highlighted
    differences as lines)."""
    a, b = load(a_path), load(b_path)
    out = Path(out)
    texts = []
    with style.report_style():
        figs = pages(a, b)
        meta = {"Title": f"Running mechanics comparison: {a.label} vs {b.label}"}
        with atomic_path(out) as tmp, PdfPages(tmp, metadata=meta) as pdf:
            for i, fig in enumerate(figs, 1):
                fig.text(style.MARGIN_R, 0.025, f"page {i} of {len(figs)}",
                         fontsize=style.SMALL, color=style.GREY, ha="right")
                pdf.savefig(fig)
                texts.append(collect_texts(fig))
                plt.close(fig)
    return out, texts, summary_lines(a, b)

