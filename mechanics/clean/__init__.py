"""Cleaning of a landmark track: left/right repair -> gap filling -> low-pass filter.

Pure functions over :class:`~mechanics.sequence.PoseSequence`: each returns a new sequence,
appends a provenance entry with counts of what it changed and records a summary under
``meta["cleaning"]``. Order and methods follow ../shared/docs/science.md section 7 (swap
correction on unfiltered data, then gap filling, then zero-lag Butterworth filtering;
Winter 2009, ch. 3).
"""

from __future__ import annotations

from typing import Any

from mechanics.clean.filtering import (
    butter_filtfilt,
    choose_cutoff,
    cutoff_bounds,
    design_cutoff,
    dual_pass_correction,
    lowpass,
    residual_analysis,
    stride_frequency,
)
from mechanics.clean.gaps import fill_gaps
from mechanics.clean.identity import body_scale, repair_left_right
from mechanics.sequence import PoseSequence

__all__ = [
    "body_scale", "butter_filtfilt", "choose_cutoff", "clean", "clean_stages", "cutoff_bounds",
    "design_cutoff", "dual_pass_correction", "fill_gaps", "lowpass", "repair_left_right",
    "residual_analysis", "stride_frequency",
]


def summary_text(cleaning: dict[str, Any]) -> str:
    """One sentence for a report from ``meta["cleaning"]``."""
    parts = []
    rep = cleaning.get("repair_left_right", {})
    if "skipped" in rep:
        parts.append("left/right repair skipped (" + rep["skipped"] + ")")
    elif "frames_repaired" in rep:
        swaps = ", ".join(f"{g} {n}" for g, n in rep["frames_repaired"].items())
        miss = sum(rep.get("marked_missing", {}).values())
        parts.append(f"left/right labels repaired in frames: {swaps}; "
                     f"{miss} samples on neither limb's trajectory marked missing")
    gaps = cleaning.get("fill_gaps", {})
    if gaps:
        parts.append(f"{gaps['gaps_filled']} gaps filled ({gaps['frames_filled']} samples, "
                     f"<= {gaps['max_gap_s']} s), {gaps['n_gaps_left']} longer gaps left")
    low = cleaning.get("lowpass", {})
    if "cutoff_hz" in low:
        how = "given" if low.get("rule") == "given" else "residual analysis"
        parts.append(f"zero-lag Butterworth low-pass at {low['cutoff_hz']:g} Hz ({how})")
    return "; ".join(parts) + "." if parts else "not cleaned."


def clean(seq: PoseSequence, *, max_gap_s: float = 0.1, cutoff_hz: float | None = None,
          repair: bool = True, repair_options: dict[str, Any] | None = None) -> PoseSequence:
    """Repair left/right labels, fill short gaps, then low-pass filter (science.md 7).

    Parameters
    ----------
    seq : input track (not modified).
    max_gap_s : longest gap filled, seconds (:func:`fill_gaps`).
    cutoff_hz : low-pass cut-off in Hz; None = automatic rule (:func:`lowpass`).
    repair : run :func:`repair_left_right` first.
    repair_options : keyword arguments for :func:`repair_left_right`.

    Returns
    -------
    PoseSequence
        A new track. ``meta["cleaning"]`` holds one summary per step
        (``repair_left_right``, ``fill_gaps``, ``lowpass``), the step ``order`` and a
        one-sentence ``summary`` for reports.
    """
    return clean_stages(seq, max_gap_s=max_gap_s, cutoff_hz=cutoff_hz, repair=repair,
                        repair_options=repair_options)[1]


def clean_stages(seq: PoseSequence, *, max_gap_s: float = 0.1, cutoff_hz: float | None = None,
                 repair: bool = True, repair_options: dict[str, Any] | None = None
                 ) -> tuple[PoseSequence, PoseSequence]:
    """:func:`clean`, also returning the track before the low-pass.

    Returns
    -------
    (filled, cleaned)
        ``filled``: repaired and gap-filled, not filtered (gait events are detected on it,
        science.md 7.1); ``cleaned``: ``filled`` low-pass filtered, exactly :func:`clean`.
    """
    out = repair_left_right(seq, **(repair_options or {})) if repair else seq.copy()
    filled = fill_gaps(out, max_gap_s)
    out = lowpass(filled, cutoff_hz)
    cleaning = out.meta.setdefault("cleaning", {})
    cleaning["order"] = (["repair_left_right"] if repair else []) + ["fill_gaps", "lowpass"]
    cleaning["summary"] = summary_text(cleaning)
    return filled, out
