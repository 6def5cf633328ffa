"""The multi-page A4 PDF report of one :class:`~mechanics.analysis.Analysis`.

Pages: 1 summary, 2 key frames, 3 gait timing, 4 sagittal kinematics, 5 rotation and
torque transfer, 6 coordination, 7 symmetry, 8 method (continued when long), then the
appendix table of all metrics; callers may add pages (``mechanics demo`` adds "ground truth
vs measured"). Every number comes from the same Analysis object that writes
``metrics.json``: the pages format :class:`Metric` values and read the analysis' series and
events, they never recompute a metric.

The file is written under a temporary name and renamed when complete
(:func:`mechanics.atomic.atomic_path`). A page that fails to draw is replaced by a page
naming the problem, so an analysis always yields a report.

Three lines of Python::

    from mechanics.analysis import analyze
    from mechanics.report.pdf import write_report
    write_report(analyze("run.mp4", height_m=1.80), "report.pdf")
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from mechanics.analysis import Analysis
from mechanics.atomic import atomic_path
from mechanics.report import style
from mechanics.report.layout import TextFlow, collect_texts, layout_problems
from mechanics.report.page_body import page_coordination, page_rotation
from mechanics.report.page_gait import page_kinematics, page_timing
from mechanics.report.page_keyframes import page_keyframes
from mechanics.report.page_method import page_method
from mechanics.report.page_summary import page_summary
from mechanics.report.page_symmetry import page_metrics_table, page_symmetry
from mechanics.report.page_tracking import page_tracking

log = logging.getLogger(__name__)

PageBuilder = Callable[[Analysis], Figure | list[Figure]]

#: the report's pages in order: (title, builder)
PAGES: tuple[tuple[str, PageBuilder], ...] = (
    ("Running mechanics summary", page_summary),
    ("Key frames", page_keyframes),
    ("Gait timing", page_timing),
    ("Sagittal kinematics", page_kinematics),
    ("Rotation and torque transfer", page_rotation),
    ("Coordination", page_coordination),
    ("Symmetry", page_symmetry),
    ("Tracking and cleaning", page_tracking),
    ("Method", page_method),
    ("All metrics", page_metrics_table),
)


@dataclass
class PageInfo:
    """One written page: its title, every text drawn on it as (gid, text), and layout
    problems found (only when checked)."""

    title: str
    texts: list[tuple[str | None, str]]
    problems: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """All texts of the page joined by newlines."""
        return "\n".join(t for _, t in self.texts)


@dataclass
class ReportInfo:
    """What :func:`write_report` wrote: the file, its pages and the pages that failed."""

    path: Path
    pages: list[PageInfo]
    errors: list[str] = field(default_factory=list)


def _error_page(title: str, analysis: Analysis, exc: BaseException) -> Figure:
    fig = style.new_page(title, analysis.source)
    flow = TextFlow(fig, style.MARGIN_L, style.MARGIN_R, 0.9)
    flow.para(f"This page could not be drawn: {type(exc).__name__}: {exc}", style.LARGE,
              weight="bold", gid="message")
    flow.para("The other pages and metrics.json are not affected. Please report this with "
              "the clip's metrics.json.", style.BODY, colour=style.GREY)
    return fig


def _figures(analysis: Analysis, pages: Sequence[tuple[str, PageBuilder]],
             errors: list[str]):
    """Yield (title, figure) page by page; a failing builder yields an error page."""
    for title, build in pages:
        try:
            out = build(analysis)
        except Exception as exc:  # noqa: BLE001 - one bad page must not lose the report
            log.warning("report page %r failed: %s", title, exc, exc_info=True)
            errors.append(f"{title}: {type(exc).__name__}: {exc}")
            out = _error_page(title, analysis, exc)
        for fig in out if isinstance(out, list) else [out]:
            yield title, fig


def _number(fig: Figure, i: int, n: int) -> None:
    fig.text(style.MARGIN_R, 0.025, f"page {i} of {n}", fontsize=style.SMALL,
             color=style.GREY, ha="right", gid="page")


def write_report(analysis: Analysis, path: str | Path, *,
                 extra_pages: Sequence[tuple[str, PageBuilder]] = (),
                 check_layout: bool = False) -> ReportInfo:
    """Write the PDF report of ``analysis`` to ``path`` atomically.

    Parameters
    ----------
    extra_pages : further (title, builder) pages after the standard ones.
    check_layout : also look for texts that overlap or stick out of the page
        (:func:`mechanics.report.layout.layout_problems`; slower).

    Returns
    -------
    ReportInfo
        The pages written with their texts; ``errors`` lists pages that failed to draw.
    """
    path = Path(path)
    errors: list[str] = []
    infos: list[PageInfo] = []
    with style.report_style():
        figs = list(_figures(analysis, [*PAGES, *extra_pages], errors))
        name = Path(str(analysis.source.get("file") or "input")).name
        meta = {"Title": f"Running mechanics report: {name}",
                "Creator": f"mechanics {analysis.source.get('mechanics_version') or ''}"}
        with atomic_path(path) as tmp, PdfPages(tmp, metadata=meta) as pdf:
            for i, (title, fig) in enumerate(figs, 1):
                _number(fig, i, len(figs))
                problems = layout_problems(fig) if check_layout else []
                pdf.savefig(fig)
                infos.append(PageInfo(title, collect_texts(fig), problems))
                plt.close(fig)
    return ReportInfo(path, infos, errors)
