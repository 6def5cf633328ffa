"""mechanics: running-mechanics analysis from a phone video, offline, on a laptop CPU.

The Python API (see the README's "Python API" section)::

    import mechanics
    a = mechanics.analyze("run.mp4", height=1.80)   # or a landmark CSV or PoseSequence
    a.save("out/run", report=True)                  # metrics.json, steps.csv, report.pdf

- :func:`analyze` -> :class:`Analysis` (``metrics``, ``metrics_table()``,
  ``steps_table()``, ``cycles()``, ``symmetry_table()``, ``save()``, ``report()``);
- :func:`track` (clip -> raw :class:`PoseSequence`), :func:`read_landmarks` (CSV);
- :func:`plot_kinematics`, :func:`plot_momentum`, :func:`plot_coordination`,
  :func:`plot_symmetry` (matplotlib figures; :mod:`mechanics.plotting`).

These names are imported on first use, so ``import mechanics`` (and the command line) stay
fast.
"""

import importlib as _importlib
import os as _os

if not _os.environ.get("MECHANICS_DEBUG"):
    # FFmpeg's and OpenCV's own log lines ("moov atom not found", decoder warnings) would
    # bury our one-line errors; they must be set before cv2 is first imported.
    _os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
    _os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")

from mechanics.sequence import PoseSequence  # noqa: E402

__version__ = "0.1.0"

#: public name -> module that defines it (imported lazily by __getattr__)
_LAZY = {
    "analyze": "mechanics.api", "track": "mechanics.api", "read_landmarks": "mechanics.api",
    "Analysis": "mechanics.analysis", "Metric": "mechanics.analysis",
    "MechanicsError": "mechanics.errors", "ReportWarning": "mechanics.analysis.result",
    "plot_kinematics": "mechanics.plotting", "plot_momentum": "mechanics.plotting",
    "plot_coordination": "mechanics.plotting", "plot_symmetry": "mechanics.plotting",
}

__all__ = ["Analysis", "MechanicsError", "Metric", "PoseSequence", "ReportWarning",
           "__version__", "analyze",
           "plot_coordination", "plot_kinematics", "plot_momentum", "plot_symmetry",
           "read_landmarks", "track"]


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'mechanics' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
