"""The result of an analysis: :class:`Analysis` (metrics, steps, symmetry, curves) with its
tables (pandas), files (:meth:`Analysis.save`) and report (:meth:`Analysis.report`).

Built by :func:`mechanics.analysis.core.analyze_sequence`; nothing here recomputes a metric.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from mechanics.analysis.confidence import VIEW_GRADES, VIEWS
from mechanics.analysis.metrics import SPEC, Metric
from mechanics.analysis.values import (
    STEP_COLUMNS,
)
from mechanics.cycles import Strides, cut_strides
from mechanics.errors import MechanicsError
from mechanics.gait import GaitResult
from mechanics.kinematics import (
    Angles,
    ContactKinematics,
)
from mechanics.sequence import PoseSequence
from mechanics.view import ViewEstimate

if TYPE_CHECKING:
    import pandas as pd

SIDES = ("left", "right")
_GROUPS = {"shoulders": ("shoulder",), "arms": ("shoulder", "elbow", "wrist")}
#: a stride longer than this many reported stride times hides a missed foot strike: left out
#: of the curves over the gait cycle (the report's and :meth:`Analysis.cycles`)
MAX_STRIDE_FACTOR = 1.5
#: :attr:`mechanics.kinematics.Angles.series` key (the stride's side for the per-side ones)
#: -> column of :meth:`Analysis.cycles`; every angle in degrees (sign conventions:
#: docs/sagittal-kinematics.md)
CYCLE_ANGLES = {
    "hip_flexion": "hip_flexion_deg", "knee_flexion": "knee_flexion_deg",
    "ankle_dorsiflexion": "ankle_dorsiflexion_deg", "shoulder_flexion": "shoulder_flexion_deg",
    "elbow_flexion": "elbow_flexion_deg", "thigh": "thigh_angle_deg",
    "shank": "shank_angle_deg", "foot": "foot_angle_deg", "upper_arm": "upper_arm_angle_deg",
    "forearm": "forearm_angle_deg", "trunk_lean": "trunk_lean_deg",
}
#: columns of :meth:`Analysis.cycles`
CYCLE_COLUMNS = ("side", "stride", "start_s", "end_s", "percent", *CYCLE_ANGLES.values())
#: columns of :meth:`Analysis.metrics_table` (index: the metric name)
METRIC_COLUMNS = ("value", "left", "right", "unit", "confidence", "family", "reason",
                  "definition", "reference", "detail")
#: columns of :meth:`Analysis.symmetry_table` (index: the metric name)
SYMMETRY_COLUMNS = ("left", "right", "difference", "symmetry_angle_pct", "variability", "flag")



class ReportWarning(UserWarning):
    """A page of the PDF report could not be drawn (the report was still written, with a
    page naming the problem)."""


def sagittal_view(view: str | None) -> bool:
    """True when the camera view supports sagittal angles (:data:`VIEW_GRADES`)."""
    col = VIEWS.index(view) if view in VIEWS else VIEWS.index("unknown")
    return VIEW_GRADES["sagittal"][col] is not None


def reported_stride_time(metrics: dict[str, Metric]) -> float | None:
    """Stride time (s) from the reported cadence, 120 / cadence; None when the cadence is
    not measurable."""
    cad = metrics.get("cadence_spm")
    if cad is None or not cad.measurable or not math.isfinite(cad.value) or cad.value <= 0:
        return None
    return 120.0 / cad.value


def cycle_strides(time: np.ndarray, signal: np.ndarray, strikes: np.ndarray,
                  stride_s: float | None = None) -> Strides:
    """Time-normalised strides (0-100 %) of a (T,) or (T, k) signal between foot strikes of
    one foot (:func:`mechanics.cycles.cut_strides`).

    ``stride_s``: the reported stride time (:func:`reported_stride_time`); strides longer
    than :data:`MAX_STRIDE_FACTOR` times it (a missed foot strike between two detected ones)
    are left out; without it, cut_strides' own rule (1.5 x the median stride).
    """
    limit = MAX_STRIDE_FACTOR * stride_s if stride_s and math.isfinite(stride_s) else None
    return cut_strides(signal, time, strikes, max_stride_s=limit)


@dataclass(repr=False)
class Analysis:
    """Everything one analysis produced; reports and exports only read it.

    Made by :func:`mechanics.analyze` (or :func:`analyze` / :func:`analyze_sequence`).
    The numbers live in ``metrics`` (a dict of :class:`Metric`, the content of
    ``metrics.json``) and ``steps`` (a list of dicts, the rows of ``steps.csv``); the table
    methods below are pandas views of them, built on each call, never a second copy.

    Tables are pandas DataFrames, not xarray objects: every output here is a table of
    named columns with mixed types (numbers, units, confidence words, sides), which is
    what pandas holds and what sports scientists already use (groupby, seaborn, Excel and
    CSV export); the one array-shaped output, the curves over the gait cycle, is given
    in long ("tidy") form, one row per side, stride and percent, so it needs no labelled
    N-d array either.

    Attributes
    ----------
    source : dict
        Facts about the input and the run (file, input kind, fps, capture_fps, frames,
        view, model, mode, scale, subject data, notes).
    metrics : dict of str to Metric
        Metric name -> :class:`Metric` (every name of :data:`SPECS`, in that order).
        As a table: :meth:`metrics_table`.
    steps : list of dict
        One dict per step, units in the keys (see :func:`values.step_rows`; the rows of
        ``steps.csv``). As a table: :meth:`steps_table`.
    provenance : list of dict
        Cleaning steps, gait events and this analysis, in order.
    sequence : PoseSequence
        The cleaned track.
    raw : PoseSequence or None
        The track as given (or as tracked), for export.
    gait : GaitResult or None
        Events, steps and spatiotemporal summary.
    contacts : list of ContactKinematics
        Per-contact kinematics.
    angles : Angles or None
        Sagittal angle time series of the cleaned track, deg.
    view : ViewEstimate or None
        The camera view.
    symmetry : dict
        Bilateral metric -> {left, right, difference, symmetry_angle_pct, variability,
        flag} (:mod:`mechanics.analysis.bilateral`). As a table: :meth:`symmetry_table`.
    results : dict
        Full results behind the extended metrics ('thigh_shank', 'arm_leg', 'momentum',
        'momentum_normalised', 'trunk_moment_nm', 'rotation', 'rotation_rules',
        'pelvis_thorax'; see :mod:`mechanics.analysis.extended`).
    """

    source: dict[str, Any]
    metrics: dict[str, Metric]
    steps: list[dict[str, Any]]
    provenance: list[dict[str, Any]]
    sequence: PoseSequence
    raw: PoseSequence | None = None
    gait: GaitResult | None = None
    contacts: list[ContactKinematics] = field(default_factory=list)
    angles: Angles | None = None
    view: ViewEstimate | None = None
    symmetry: dict[str, dict[str, Any]] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:
        s = self.source
        name = Path(str(s.get("file") or "input")).name
        fps = s.get("fps")
        rate = f"{fps:.1f} fps, " if isinstance(fps, int | float) else ""
        measurable = sum(m.measurable for m in self.metrics.values())
        return (f"<Analysis {name}: {s.get('view')} view, {rate}{s.get('frames')} frames, "
                f"{s.get('n_strides')} strides; {measurable} of {len(self.metrics)} metrics "
                "measurable>")

    # ------------------------------------------------------------------ tables (pandas)
    def metrics_table(self) -> pd.DataFrame:
        """Every metric as one row: the content of ``metrics.json`` -> ``metrics``.

        Returns
        -------
        pandas.DataFrame
            Index ``metric`` (the names of :data:`SPECS`, in order); columns ``value``,
            ``left``, ``right`` (float, in ``unit``; NaN = not measurable or no sides),
            ``unit``, ``confidence`` ('high', 'medium', 'low', 'not_measurable'),
            ``family`` (the metric family that decides the confidence rules), ``reason``
            (why not measurable or low; empty otherwise), ``definition``, ``reference``,
            ``detail`` (dict of a composite metric's extra numbers, else None).
        """
        import pandas as pd

        rows = []
        for name, m in self.metrics.items():
            spec = SPEC.get(name)
            rows.append({"metric": name, "value": m.value, "left": m.left, "right": m.right,
                         "unit": m.unit, "confidence": m.confidence,
                         "family": spec.family if spec is not None else None,
                         "reason": m.reason, "definition": m.definition,
                         "reference": m.reference, "detail": m.detail or None})
        return pd.DataFrame(rows, columns=["metric", *METRIC_COLUMNS]).set_index("metric")

    def steps_table(self) -> pd.DataFrame:
        """One row per step: the rows of ``steps.csv`` (:attr:`steps`).

        Returns
        -------
        pandas.DataFrame
            Columns :data:`~mechanics.analysis.values.STEP_COLUMNS`, units in the names:
            ``step`` (1, 2, ...), ``side`` (foot whose strike opens the step),
            ``foot_strike_s``, ``toe_off_s``, ``contact_s``, ``flight_s``, ``step_s``,
            ``stride_s``, ``swing_s`` (s), ``duty_factor`` (fraction), ``step_length_m``
            (m), ``event_method`` ('contact' or 'zeni'), then that contact's kinematics
            (deg; overstride in leg lengths). NaN = not computed (docs/metrics.md).
        """
        import pandas as pd

        return pd.DataFrame(self.steps, columns=list(STEP_COLUMNS))

    def symmetry_table(self) -> pd.DataFrame:
        """Left vs right of every two-sided metric: ``metrics.json`` -> ``symmetry``.

        Returns
        -------
        pandas.DataFrame
            Index ``metric``; columns ``left``, ``right``, ``difference`` (left - right, in
            the metric's unit), ``symmetry_angle_pct`` (Zifchock symmetry angle, %; NaN
            where withheld), ``variability`` (pooled stride-to-stride SD, metric unit) and
            ``flag`` (True only when the difference exceeds both the variability and the
            measurement error; docs/symmetry.md).
        """
        import pandas as pd

        rows = [{"metric": name, **{c: (math.nan if row.get(c) is None else row.get(c))
                                    for c in SYMMETRY_COLUMNS}}
                for name, row in self.symmetry.items()]
        out = pd.DataFrame(rows, columns=["metric", *SYMMETRY_COLUMNS]).set_index("metric")
        out["flag"] = out["flag"].fillna(False).astype(bool)
        return out

    @property
    def stride_time_s(self) -> float | None:
        """Reported stride time, s (120 / cadence); None when the cadence is not
        measurable."""
        return reported_stride_time(self.metrics)

    def foot_strikes(self) -> dict[str, np.ndarray]:
        """Valid foot-strike times per side, s ({} without gait events)."""
        if self.gait is None:
            return {}
        return {s: self.gait.events.strikes(s) for s in SIDES}

    def cycles(self) -> pd.DataFrame:
        """Sagittal angles over the gait cycle: every stride of each side, 0-100 %.

        A stride runs from a foot strike to the next foot strike of the same foot and is
        resampled to 101 points (:func:`mechanics.cycles.cut_strides`, the curves of the
        report's kinematics page); strides longer than 1.5 x the reported stride time (a
        missed foot strike) are left out.

        Returns
        -------
        pandas.DataFrame
            Long ("tidy") form, one row per side, stride and percent: ``side`` ('left',
            'right': the foot that opens the stride and whose joints the angle columns
            hold), ``stride`` (1, 2, ... per side), ``start_s``, ``end_s`` (the bounding
            foot strikes, s), ``percent`` (0-100, % of the gait cycle), then the angles
            in degrees: ``hip_flexion_deg``, ``knee_flexion_deg``,
            ``ankle_dorsiflexion_deg``, ``shoulder_flexion_deg``, ``elbow_flexion_deg``,
            ``thigh_angle_deg``, ``shank_angle_deg``, ``foot_angle_deg``,
            ``upper_arm_angle_deg``, ``forearm_angle_deg`` (segment angles from the
            vertical) and ``trunk_lean_deg`` (both sides' rows). NaN where landmarks were
            missing. Mean curves:
            ``df.groupby(["side", "percent"])["knee_flexion_deg"].mean()``.

            Empty (no rows) when the camera view does not support sagittal angles (front
            or back) or no stride was detected; ``df.attrs["reason"]`` says which.
        """
        import pandas as pd

        empty = pd.DataFrame({c: pd.Series(dtype=object if c == "side" else float)
                              for c in CYCLE_COLUMNS})
        view = self.source.get("view")
        strikes = self.foot_strikes()
        reason = ""
        if not sagittal_view(view):
            reason = f"not measurable from a {view} view: sagittal angles need a side view"
        elif self.angles is None or not any(len(v) >= 2 for v in strikes.values()):
            reason = "no complete stride (needs two foot strikes of one foot)"
        frames = []
        a = self.angles
        for side in SIDES if not reason else ():
            keys = [k if k == "trunk_lean" else f"{side}_{k}" for k in CYCLE_ANGLES]
            signal = np.column_stack([a.series.get(k, np.full(a.time.shape, np.nan))
                                      for k in keys])
            st = cycle_strides(a.time, signal, strikes[side], self.stride_time_s)
            for i in range(st.n):
                df = pd.DataFrame(st.data[i], columns=list(CYCLE_ANGLES.values()))
                df.insert(0, "percent", st.percent)
                df.insert(0, "end_s", float(st.end_s[i]))
                df.insert(0, "start_s", float(st.start_s[i]))
                df.insert(0, "stride", i + 1)
                df.insert(0, "side", side)
                frames.append(df)
        out = pd.concat(frames, ignore_index=True) if frames else empty
        if not frames and not reason:
            reason = "no complete stride (needs two foot strikes of one foot)"
        out.attrs["reason"] = reason
        return out

    # ------------------------------------------------------------------ outputs
    def summary(self) -> str:
        """The text summary ``mechanics analyze`` prints: the input, one line per metric
        (value, unit, left/right, confidence) and the reasons behind the grades."""
        from mechanics.report.export import summary_text

        return summary_text(self)

    def save(self, out_dir: str | Path, *, landmarks: bool | None = None,
             report: bool = False, overlay: bool = False) -> dict[str, Path]:
        """Write the analysis into a folder: ``metrics.json``, ``steps.csv`` and the
        landmark CSVs (all or nothing; docs/metrics.md describes the files).

        Parameters
        ----------
        out_dir : str or Path
            Output folder, created if needed.
        landmarks : bool, optional
            Also write ``landmarks.csv`` (cleaned) and ``landmarks_raw.csv`` with their
            ``.meta.json`` sidecars. Default: unless the input was read from a landmark
            CSV (which is already on disk).
        report : bool
            Also write ``report.pdf`` (:meth:`report`).
        overlay : bool
            Also write ``overlay.mp4``: the clip with the skeleton, foot strikes and
            toe-offs flashed and a live angle readout. Needs the clip.

        Returns
        -------
        dict of str to Path
            The files written, by name ('metrics', 'steps', 'landmarks', 'landmarks_raw',
            'report', 'overlay').

        Raises
        ------
        MechanicsError
            Unwritable folder, or ``overlay`` without the clip (checked before anything
            is written).
        """
        from mechanics.atomic import ensure_writable_dir
        from mechanics.report.export import write_analysis

        if overlay:
            from mechanics.report.page_keyframes import video_path

            if video_path(self) is None:
                raise MechanicsError("--overlay needs the video: the clip of this landmark "
                                     "file is not available", self.source.get("file"))
        out = ensure_writable_dir(out_dir)
        if landmarks is None:
            landmarks = not str(self.source.get("file") or "").lower().endswith(".csv")
        paths = write_analysis(self, out, landmarks=landmarks)
        if report:
            paths["report"] = self.report(out / "report.pdf")
        if overlay:
            from mechanics.report.event_overlay import write_event_overlay

            paths["overlay"] = write_event_overlay(self, out / "overlay.mp4")
        return paths

    def report(self, path: str | Path, *,
               extra_pages: Sequence[tuple[str, Callable[[Analysis], Any]]] = ()) -> Path:
        """Write the PDF report (the one ``mechanics analyze`` writes) to ``path``.

        Every number in it is a value of :attr:`metrics`. A page that fails to draw is
        replaced by a page naming the problem and reported as a :class:`ReportWarning`.

        Parameters
        ----------
        path : str or Path
            The PDF to write (atomically).
        extra_pages : sequence of (title, builder)
            Further pages after the standard ones; ``builder(analysis)`` returns a
            matplotlib Figure (or a list of them).

        Returns
        -------
        Path
            ``path``.
        """
        import matplotlib

        backend = dict.__getitem__(matplotlib.rcParams, "backend")
        from mechanics.report.pdf import write_report

        info = write_report(self, path, extra_pages=extra_pages)
        if isinstance(backend, str) and matplotlib.get_backend().lower() != backend.lower():
            # the report selects matplotlib's Agg backend; a notebook keeps its own
            import matplotlib.pyplot as plt

            plt.switch_backend(backend)
        for err in info.errors:
            warnings.warn(ReportWarning(f"report page {err}"), stacklevel=2)
        return info.path
