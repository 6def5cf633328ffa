"""Gait events on the synthetic runner through the real pose model (issue acceptance).

A side-view treadmill runner (right side toward the camera, running toward image right,
170 spm, duty factor 0.35, 3.5 m/s, no asymmetry; :class:`mechanics.synth.SynthParams`
defaults) is rendered at 60 and 120 fps for 4 s, tracked once per test run with MediaPipe
(:func:`mechanics.pipeline.run_track`), and :func:`mechanics.analysis.analyze_sequence`
runs on ``landmarks_raw.csv``. Truth: the clip's ``truth.json`` (exact contact intervals).

Each clip is tracked with the default "full" model and with the "heavy" model.

Issue acceptance: cadence within 1 %; contact time per side (mean over the clip) within one
frame period. The cadence and that every stance of both feet is found and valid are
asserted for both models. Contact time within one frame is **met with the heavy model**
(asserted; measured far / near -15.8 / +5.1 ms at 60 fps, -0.3 / +7.3 ms at 120 fps) and
**not with the full model** (``xfail``): its heel point on the rendered shoe stays 2-3 cm
above the loaded heel and does not follow the last 2 cm of the heel's descent, so foot
strikes are 23-32 ms early and contact times +25 to +33 ms on both sides (toe-offs within
4 ms). On the exact synthetic landmarks the detector is within one frame (+5 to +7 ms). The
renderer's foot behaves like a real shod foot (``mechanics.synth.legs``: toe segment flat
until toe-off, a sole that compresses 2 cm as RBDS001's heel marker settles).
docs/metrics.md, "Gait events on the synthetic runner", has the numbers.

Run with ``-s`` to see the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

from mechanics.analysis import Analysis, analyze_sequence
from mechanics.gait import GaitResult, analyze_gait
from mechanics.pipeline import run_track
from mechanics.pose.tracker import TrackOptions
from mechanics.sequence import PoseSequence
from mechanics.synth import read_truth, render_clip, truth_path
from tests.validation.synthetic import exact_sequence

pytestmark = pytest.mark.slow

SECONDS, SEED = 4.0, 0
SIDES = ("left", "right")
#: a detected foot strike belongs to a true one within this time, s
MATCH_S = 0.1


@dataclass
class Run:
    """One tracked clip: analysis of the raw track, the detector on the exact truth
    landmarks (reference for the renderer's part of the error) and the truth."""

    fps: float
    model: str
    analysis: Analysis
    exact: GaitResult
    truth: dict[str, Any]

    @property
    def frame_s(self) -> float:
        return 1.0 / self.fps


CASES = [(fps, model) for fps in (60.0, 120.0) for model in ("full", "heavy")]


@pytest.fixture(scope="module", params=CASES, ids=[f"{f:.0f}fps-{m}" for f, m in CASES])
def run(request, make_once) -> Run:
    fps, model = request.param
    clip = make_once(f"gait_side_{int(fps)}fps_clip", lambda d: render_clip(
        d / "clip.mp4", seconds=SECONDS, fps=fps, asymmetry=0.0, seed=SEED)) / "clip.mp4"
    folder = make_once(f"gait_side_{int(fps)}fps_{model}",
                       lambda d: run_track(clip, d, TrackOptions(model=model), overlay=False))
    truth = read_truth(truth_path(clip))
    seq = PoseSequence.from_csv(folder / "landmarks_raw.csv")
    speed = truth["params"]["speed"]
    analysis = analyze_sequence(seq, treadmill_speed_m_s=speed)
    exact = analyze_gait(exact_sequence(seq, truth), belt_speed_m_s=speed)
    return Run(fps, model, analysis, exact, truth)


def _true_contacts(truth: dict[str, Any], side: str) -> list[tuple[float, float]]:
    """(FS, TO) of one side with both events inside the clip, s."""
    ev = truth["events"][side]
    out = []
    for fs in ev["foot_strike"]:
        to = next((t for t in ev["toe_off"] if t > fs), None)
        if to is not None:
            out.append((fs, to))
    return out


def _errors(gait: GaitResult, truth: dict[str, Any]) -> dict[str, Any]:
    """Cadence error (%), per-side contact-time error and median FS / TO errors (ms)."""
    s, tt = gait.summary, truth["truth"]
    out: dict[str, Any] = {"cadence_pct": 100 * (s.cadence_spm / tt["cadence_spm"] - 1)}
    for side in SIDES:
        det = getattr(s, f"contact_time_{side}_s")
        out[f"ct_{side}"] = 1000 * (det - tt["contact_time_s"][side])
        fs_e, to_e = [], []
        for fs, to in _true_contacts(truth, side):
            cands = [c for c in gait.events.side(side) if abs(c.strike_s - fs) <= MATCH_S]
            if cands:
                c = min(cands, key=lambda c: abs(c.strike_s - fs))
                fs_e.append(c.strike_s - fs)
                to_e.append(c.off_s - to)
        out[f"fs_{side}"] = 1000 * float(np.median(fs_e)) if fs_e else np.nan
        out[f"to_{side}"] = 1000 * float(np.nanmedian(to_e)) if to_e else np.nan
    return out


def _line(label: str, fps: float, e: dict[str, Any]) -> str:
    return (f"{fps:4.0f} {label:6s} {e['cadence_pct']:+7.2f} "
            + " ".join(f"{e[f'ct_{s}']:+7.1f} {e[f'fs_{s}']:+6.1f} {e[f'to_{s}']:+6.1f}"
                       for s in SIDES)
            + f" {1000 / fps:6.1f}")


def test_table(run: Run) -> None:
    """Print the measured errors (``-s``): MediaPipe track and exact landmarks."""
    print(f"\nsynthetic side view, {SECONDS:g} s, truth contact "
          f"{run.truth['truth']['contact_time_s']['left']:.3f} s, cadence "
          f"{run.truth['truth']['cadence_spm']:.0f} spm")
    print(" fps input  cad%    CT_L   FS_L   TO_L    CT_R   FS_R   TO_R  frame  (ms)")
    print(_line(run.model, run.fps, _errors(run.analysis.gait, run.truth)))
    print(_line("exact", run.fps, _errors(run.exact, run.truth)))


def test_cadence_within_one_percent(run: Run) -> None:
    e = _errors(run.analysis.gait, run.truth)
    assert abs(e["cadence_pct"]) <= 1.0, e


def test_every_stance_is_found_on_both_sides(run: Run) -> None:
    """Each true stance of each foot (near and far) has one valid ground-contact event, but
    for at most one per side at the clip edges (the failure of the issue: 70 % of the
    contacts invalid, far-side contacts missing)."""
    ev = run.analysis.gait.events
    for side in SIDES:
        true = _true_contacts(run.truth, side)
        found = [fs for fs, _ in true
                 if any(abs(c.strike_s - fs) <= MATCH_S and c.method == "contact"
                        for c in ev.side(side))]
        assert len(found) >= len(true) - 1, (side, found, true)
    assert not [c for c in ev.contacts if not c.valid and 0.5 < c.strike_s < SECONDS - 0.5]


def test_contact_time_within_one_frame(run: Run, request) -> None:
    if run.model == "full":
        request.applymarker(pytest.mark.xfail(strict=False, reason=(
            "full model: its heel on the rendered shoe misses the last 2 cm of the heel's "
            "descent, FS 23-32 ms early, contact +25 to +33 ms; module docstring")))
    e = _errors(run.analysis.gait, run.truth)
    for side in SIDES:
        assert abs(e[f"ct_{side}"]) <= 1000 * run.frame_s, (side, e)
