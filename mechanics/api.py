"""The Python API: from a clip (or a landmark file) to numbers, tables, figures and the report.

Three lines, the same as ``mechanics analyze run.mp4 --out out/run --height 1.80``::

    import mechanics
    a = mechanics.analyze("run.mp4", height=1.80)
    a.save("out/run", report=True)        # metrics.json, steps.csv, landmarks, report.pdf

- :func:`analyze` -> :class:`~mechanics.analysis.Analysis`: ``a.metrics`` (dict of
  :class:`~mechanics.analysis.Metric`), ``a.metrics_table()``, ``a.steps_table()``,
  ``a.cycles()``, ``a.symmetry_table()`` (pandas), ``a.save(dir)``, ``a.report(pdf)``;
- :func:`track` -> the raw :class:`~mechanics.sequence.PoseSequence` of a clip;
  :func:`read_landmarks` reads a landmark CSV;
- :mod:`mechanics.plotting`: ``plot_kinematics``, ``plot_momentum``,
  ``plot_coordination``, ``plot_symmetry`` return matplotlib figures.

Units are SI unless a name says otherwise: heights in m, masses in kg, speeds in m/s,
rates in frames/s, times in s, angles in degrees, image positions in pixels.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from mechanics.errors import MechanicsError
from mechanics.sequence import PoseSequence

if TYPE_CHECKING:
    from mechanics.analysis import Analysis

#: pose model used for a video when none is given
DEFAULT_MODEL = "full"


def analyze(source: str | Path | PoseSequence, *, height: float | None = None,
            mass: float | None = None, sex: str | None = None,
            treadmill_speed: float | None = None, sprint: bool = False,
            capture_fps: float | None = None, model: str | None = None,
            subject: tuple[float, float] | None = None,
            progress: Callable[[int], None] | None = None) -> Analysis:
    """Analyse a running clip, a landmark CSV or a landmark track: every metric, graded.

    Runs the whole chain once (track -> clean -> camera view -> gait events -> metrics ->
    symmetry) and returns one :class:`~mechanics.analysis.Analysis`. What the input cannot
    support is not invented: such a metric is 'not_measurable' with the reason.

    Parameters
    ----------
    source : str, Path or PoseSequence
        A video file (tracked with the pose model first), a landmark CSV (name ending in
        ``.csv``, as written by ``mechanics track`` or :meth:`PoseSequence.to_csv`), or a
        landmark track in memory (:func:`track`, :func:`read_landmarks`). Give the raw
        track (``landmarks_raw.csv``): events are detected on the unfiltered copy.
    height : float, optional
        Runner's standing height in metres (m), e.g. 1.80; valid 0.5-2.5 m. Gives the
        image scale (m/px) for step length, speed and vertical oscillation when no
        treadmill speed is given; without either, those metrics are not measurable.
    mass : float, optional
        Body mass in kilograms (kg), valid 15-300 kg. Scales the segment inertia (de Leva
        1996); needed for the trunk vertical moment (N m). The angular-momentum ratios do
        not depend on it.
    sex : {'m', 'f'}, optional
        Selects the male or female de Leva (1996) segment table; male when not given.
    treadmill_speed : float, optional
        Treadmill belt speed in metres per second (m/s), e.g. 3.5; valid 0.3-15 m/s. The
        best image scale, and the reported speed.
    sprint : bool, default False
        Sprinting: the event detector's low-pass is 18 Hz instead of 12 Hz, and contact
        times need >= 120 frames/s (Hz) for a grade above 'low' (>= 60 frames/s otherwise).
    capture_fps : float, optional
        Video only. True capture rate of a slow-motion clip in frames per second (Hz),
        e.g. 240; default: the rate the phone recorded in the file, else the playback rate.
    model : {'lite', 'full', 'heavy'}, optional
        Video only. Pose model size; default 'full' (~35 frames/s on one laptop core;
        'heavy' is ~3x slower).
    subject : (float, float), optional
        Video only. (x, y) position of the runner in pixels (origin top-left, y down) in
        the first frame where they appear; default: the person whose legs move like
        running or walking for longest.
    progress : callable, optional
        Video only. Called with the number of frames tracked since the last call.

    Returns
    -------
    Analysis
        ``metrics`` (name -> :class:`~mechanics.analysis.Metric`: value, left, right,
        unit, confidence, definition, reference, reason), ``steps``, ``symmetry``,
        ``source``, ``provenance``; tables ``metrics_table()``, ``steps_table()``,
        ``cycles()``, ``symmetry_table()``; files ``save(dir)``, ``report(pdf)``.

    Raises
    ------
    MechanicsError
        Unreadable input, no runner in the clip, a video-only option given for landmarks,
        fewer than 10 frames, or subject data out of range. Metrics never raise.

    Examples
    --------
    >>> import mechanics
    >>> a = mechanics.analyze("run.mp4", height=1.80)            # doctest: +SKIP
    >>> a.metrics["cadence_spm"].value                           # doctest: +SKIP
    171.3
    >>> a.metrics_table().loc["contact_time_s", ["value", "confidence"]]  # doctest: +SKIP
    """
    from mechanics.analysis import analyze as analyze_path
    from mechanics.analysis import analyze_sequence

    subject_data = {"height_m": height, "mass_kg": mass, "sex": sex,
                    "treadmill_speed_m_s": treadmill_speed, "sprint": sprint}
    is_track = isinstance(source, PoseSequence)
    if is_track or Path(source).suffix.lower() == ".csv":
        given = [name.replace("_", " ") for name, v in
                 (("model", model), ("subject", subject), ("capture_fps", capture_fps))
                 if v is not None]
        if given:
            raise MechanicsError(f"{', '.join(given)}: video input only (tracker options do "
                                 "not apply to landmarks)", None if is_track else source)
    if is_track:
        return analyze_sequence(source, **subject_data)
    return analyze_path(source, model=model or DEFAULT_MODEL, subject=subject,
                        capture_fps=capture_fps, progress=progress, **subject_data)


def track(path: str | Path, *, model: str | None = None,
          subject: tuple[float, float] | None = None, capture_fps: float | None = None,
          crop: str = "auto", overlay: str | Path | None = None,
          progress: Callable[[int], None] | None = None) -> PoseSequence:
    """Track the runner in a clip with the pose model: the raw landmark track.

    Parameters
    ----------
    path : str or Path
        The clip (any format OpenCV/FFmpeg reads; portrait and variable-frame-rate clips
        are handled).
    model : {'lite', 'full', 'heavy'}, optional
        Pose model size; default 'full'.
    subject : (float, float), optional
        (x, y) position of the runner in pixels in the first frame where they appear;
        default: the person whose legs move like running or walking for longest.
    capture_fps : float, optional
        True capture rate of a slow-motion clip in frames per second (Hz).
    crop : {'auto', 'always', 'never'}, default 'auto'
        Follow a runner who is small in the frame with a square crop.
    overlay : str or Path, optional
        Also write the clip with the skeleton drawn (left blue, right red) to this file.
    progress : callable, optional
        Called with the number of frames tracked since the last call.

    Returns
    -------
    PoseSequence
        Per frame: ``time`` (s, real capture time), ``image`` (x, y in pixels, origin
        top-left, y down; MediaPipe's relative depth z), ``visibility`` (0-1), ``world``
        (MediaPipe world landmarks, m, hip-centred); ``meta`` (clip facts) and
        ``provenance``. Not cleaned: pass it to :func:`analyze` (which repairs, fills and
        filters a copy) or to :func:`mechanics.clean.clean`. ``to_csv(path)`` writes the
        landmark CSV of the README.

    Raises
    ------
    MechanicsError
        Bad file, missing pose model (``mechanics models install``) or no person.

    See Also
    --------
    mechanics.pipeline.run_track : track and write ``landmarks_raw.csv``,
        ``landmarks.csv`` and ``overlay.mp4`` (what ``mechanics track`` does).
    """
    from mechanics.pose.tracker import TrackOptions, track_video

    options = TrackOptions(model=model or DEFAULT_MODEL, subject=subject,
                           capture_fps=capture_fps, crop=crop)
    return track_video(path, options, overlay=overlay, progress=progress)


def read_landmarks(path: str | Path) -> PoseSequence:
    """Read a landmark CSV (the README's schema) and its ``.meta.json`` sidecar.

    Parameters
    ----------
    path : str or Path
        ``landmarks.csv`` / ``landmarks_raw.csv`` from ``mechanics track`` or ``analyze``,
        or any CSV with ``time_s`` (s) and ``{name}_x``, ``{name}_y`` (pixels) columns of
        the 33 MediaPipe landmark names (missing columns = not detected).

    Returns
    -------
    PoseSequence
        The track, with the sidecar's metadata and provenance when present.

    Raises
    ------
    MechanicsError
        Missing file or not a landmark CSV.
    """
    return PoseSequence.from_csv(path)
