"""The analysis: run the chain once and return one :class:`Analysis` object.

Three lines of Python::

    from mechanics.analysis import analyze
    result = analyze("run.mp4", height_m=1.80)        # or a landmark CSV
    print(result.metrics["cadence_spm"])

- :func:`analyze` (clip or landmark CSV) and :func:`analyze_sequence` (a PoseSequence);
- :class:`Metric` (value, left, right, unit, confidence, definition, reference, reason,
  detail); ``Analysis.symmetry`` holds the symmetry block (:mod:`.bilateral`);
- :data:`SPECS` (what is reported) and :data:`RULES` / :data:`VIEW_GRADES` (how it is graded).
"""

from mechanics.analysis.confidence import RULES, VIEW_GRADES, Context, grade
from mechanics.analysis.core import Analysis, analyze, analyze_sequence, build_metrics, is_cleaned
from mechanics.analysis.metrics import GRADES, SPEC, SPECS, Metric, MetricSpec

__all__ = ["GRADES", "RULES", "SPEC", "SPECS", "VIEW_GRADES", "Analysis", "Context", "Metric",
           "MetricSpec", "analyze", "analyze_sequence", "build_metrics", "grade", "is_cleaned"]
