"""The built-in example: render a synthetic runner with exact truth, analyse its video with
the real pose model, write every output and the report with a "ground truth vs measured"
page.

    from mechanics.report.demo import run_demo
    result, paths = run_demo("out/demo")
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mechanics.analysis import Analysis
from mechanics.atomic import ensure_writable_dir

#: the demo runner: side view, 60 fps, 5 s, right contact 10 % longer than left
DEMO = {"view": "side", "fps": 60.0, "seconds": 5.0, "asymmetry": 0.1}


@dataclass
class DemoResult:
    """What :func:`run_demo` made: the analysis, the files written by name, report pages
    that failed to draw, and the truth document."""

    analysis: Analysis
    paths: dict[str, Path]
    errors: list[str] = field(default_factory=list)
    truth: dict = field(default_factory=dict)


def run_demo(out_dir: str | Path, *, seconds: float = DEMO["seconds"],
             fps: float = DEMO["fps"], asymmetry: float = DEMO["asymmetry"],
             model: str = "full", overlay: bool = False,
             render_progress: Callable[[int], None] | None = None,
             track_progress: Callable[[int], None] | None = None) -> DemoResult:
    """Render ``out_dir/runner.mp4`` (+ ``runner.truth.json``), analyse it with the treadmill
    speed of the synthetic runner, and write metrics.json, steps.csv, the landmark CSVs and
    report.pdf (and overlay.mp4) into ``out_dir``."""
    from mechanics.analysis import analyze
    from mechanics.report.export import write_analysis
    from mechanics.report.outputs import write_outputs
    from mechanics.report.page_truth import truth_page
    from mechanics.synth import SynthParams, read_truth, render_clip, truth_path

    out = ensure_writable_dir(out_dir)
    params = SynthParams(view=DEMO["view"], fps=fps, seconds=seconds, asymmetry=asymmetry)
    clip = render_clip(out / "runner.mp4", params, progress=render_progress)
    truth = read_truth(truth_path(clip))
    truth.pop("frames", None)  # per-frame landmarks: not needed for the report
    result = analyze(clip, treadmill_speed_m_s=params.speed, model=model,
                     progress=track_progress)
    paths = {"clip": clip, "truth": truth_path(clip), **write_analysis(result, out)}
    extra, errors = write_outputs(result, out, overlay=overlay,
                                  extra_pages=[("Ground truth vs measured",
                                                truth_page(truth))])
    paths.update(extra)
    return DemoResult(result, paths, errors, truth)
