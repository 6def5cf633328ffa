"""The report outputs of an analysis beside ``metrics.json``: ``report.pdf`` and the
``overlay.mp4`` video, written from the same :class:`~mechanics.analysis.Analysis`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mechanics.analysis import Analysis
from mechanics.report.pdf import PageBuilder


def write_outputs(analysis: Analysis, out_dir: str | Path, *, pdf: bool = True,
                  overlay: bool = False,
                  extra_pages: Sequence[tuple[str, PageBuilder]] = ()
                  ) -> tuple[dict[str, Path], list[str]]:
    """Write ``DIR/report.pdf`` and/or ``DIR/overlay.mp4`` (each atomically).

    Returns
    -------
    (paths, errors)
        Files written by name ('report', 'overlay'); report pages that failed to draw (the
        report is still written, with a page naming the problem).

    Raises
    ------
    MechanicsError
        ``overlay`` without a video to draw on.
    """
    out_dir = Path(out_dir)
    written: dict[str, Path] = {}
    errors: list[str] = []
    if pdf:
        from mechanics.report.pdf import write_report

        info = write_report(analysis, out_dir / "report.pdf", extra_pages=extra_pages)
        written["report"] = info.path
        errors = info.errors
    if overlay:
        from mechanics.report.event_overlay import write_event_overlay

        written["overlay"] = write_event_overlay(analysis, out_dir / "overlay.mp4")
    return written, errors
