"""The Python API: ``mechanics.analyze / track / read_landmarks``, the Analysis tables
(pandas), ``save`` / ``report`` and the plotting helpers, on the analytic side-view runners
of the analysis tests (no pose model, no video).

Three lines of Python do what ``mechanics analyze`` does::

    a = mechanics.analyze(csv_or_sequence, treadmill_speed=2.5)
    a.save(folder)
    a.report(folder / "report.pdf")
"""

from __future__ import annotations

import json
import math
import pydoc
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest

import mechanics
from mechanics.analysis import SPECS
from mechanics.analysis.result import (
    CYCLE_COLUMNS,
    METRIC_COLUMNS,
    SYMMETRY_COLUMNS,
    ReportWarning,
    cycle_strides,
)
from mechanics.analysis.values import STEP_COLUMNS
from mechanics.errors import MechanicsError
from tests.unit.test_analysis import front_runner, side_runner
from tests.unit.test_analysis_extended import world_runner


@pytest.fixture(scope="module")
def csv_path(tmp_path_factory):
    return side_runner().to_csv(tmp_path_factory.mktemp("api") / "run.csv")


@pytest.fixture(scope="module")
def analysis(csv_path):
    return mechanics.analyze(csv_path, treadmill_speed=2.5)


def test_three_lines(csv_path, tmp_path):
    a = mechanics.analyze(csv_path, treadmill_speed=2.5)
    paths = a.save(tmp_path)
    pdf = a.report(tmp_path / "report.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["metrics.json", "report.pdf",
                                                          "steps.csv"]
    assert set(paths) == {"metrics", "steps"} and pdf == tmp_path / "report.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    doc = json.loads(paths["metrics"].read_text())
    assert doc["source"]["file"] == str(csv_path) and doc["source"]["input"] == "landmarks"
    assert a.metrics["cadence_spm"].value == pytest.approx(120 / 0.72, rel=1e-3)
    assert repr(a).startswith("<Analysis run.csv: side view, 100.0 fps")
    assert "steps/min" in a.summary()


def test_a_sequence_in_memory(tmp_path):
    seq = mechanics.read_landmarks(side_runner().to_csv(tmp_path / "run.csv"))
    assert isinstance(seq, mechanics.PoseSequence) and len(seq) > 100
    assert seq.meta["source"] == str(tmp_path / "run.csv")
    a = mechanics.analyze(side_runner(), height=1.80, mass=70.0, sex="f", sprint=False)
    assert a.source["height_m"] == 1.8 and a.source["mass_kg"] == 70.0
    assert a.source["sex"] == "f" and a.metrics["step_length_m"].measurable
    names = sorted(p.name for p in a.save(tmp_path / "out", report=True).values())
    # a track that was not read from a landmark CSV is saved with its landmarks
    assert names == ["landmarks.csv", "landmarks_raw.csv", "metrics.json", "report.pdf",
                     "steps.csv"]


def test_video_only_options_and_bad_input(csv_path, tmp_path):
    for kwargs in ({"model": "lite"}, {"capture_fps": 240.0}, {"subject": (10.0, 20.0)}):
        with pytest.raises(MechanicsError, match="video input only"):
            mechanics.analyze(csv_path, **kwargs)
        with pytest.raises(MechanicsError, match="video input only"):
            mechanics.analyze(side_runner(), **kwargs)
    with pytest.raises(MechanicsError, match="height must be between 0.5 and 2.5 m"):
        mechanics.analyze(csv_path, height=180)
    with pytest.raises(MechanicsError, match="file not found"):
        mechanics.read_landmarks(tmp_path / "missing.csv")
    with pytest.raises(MechanicsError, match="file not found"):
        mechanics.track(tmp_path / "missing.mp4")


def test_help_shows_parameters_with_units():
    text = pydoc.render_doc(mechanics.analyze, renderer=pydoc.plaintext)
    for needle in ("height : float", "metres (m)", "mass : float", "kilograms (kg)",
                   "sex : {'m', 'f'}", "treadmill_speed : float", "metres per second (m/s)",
                   "capture_fps : float", "frames per second (Hz)", "model : {'lite', "
                   "'full', 'heavy'}", "subject : (float, float)", "in pixels",
                   "sprint : bool", "Returns", "Analysis", "Raises", "MechanicsError"):
        assert needle in text, needle
    for fn in (mechanics.track, mechanics.read_landmarks, mechanics.plot_kinematics,
               mechanics.Analysis.cycles, mechanics.Analysis.save):
        assert "Returns\n" in fn.__doc__


def test_import_is_light_and_help_works():
    code = ("import sys, mechanics; heavy = [m for m in ('pandas', 'mechanics.analysis', "
            "'matplotlib') if m in sys.modules]; print('heavy', heavy); "
            "help(mechanics.analyze)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert "heavy []" in out
    assert "treadmill_speed" in out and "(m/s)" in out


def test_metrics_table_is_metrics_json(analysis, tmp_path):
    table = analysis.metrics_table()
    assert tuple(table.columns) == METRIC_COLUMNS and table.index.name == "metric"
    assert list(table.index) == [s.name for s in SPECS]
    doc = json.loads(analysis.save(tmp_path)["metrics"].read_text())
    for name, entry in doc["metrics"].items():
        row = table.loc[name]
        for col in ("value", "left", "right"):
            want = math.nan if entry[col] is None else entry[col]
            assert row[col] == pytest.approx(want, nan_ok=True), (name, col)
        for col in ("unit", "confidence", "reason", "definition", "reference"):
            assert row[col] == entry[col], (name, col)
        assert (row["detail"] or {}) == entry.get("detail", {}) or name == "arm_swing_range_deg"
    assert table.loc["contact_time_s", "family"] == "timing"


def test_steps_table_is_steps_csv(analysis, tmp_path):
    steps = analysis.steps_table()
    assert tuple(steps.columns) == STEP_COLUMNS and len(steps) == len(analysis.steps)
    disk = pd.read_csv(analysis.save(tmp_path)["steps"])
    pd.testing.assert_frame_equal(steps, disk, check_dtype=False)
    assert set(steps.side) == {"left", "right"} and steps.step.tolist()[:2] == [1, 2]


def test_cycles_are_the_report_curves(analysis):
    cyc = analysis.cycles()
    assert tuple(cyc.columns) == CYCLE_COLUMNS and cyc.attrs["reason"] == ""
    for side, rows in cyc.groupby("side"):
        st = cycle_strides(analysis.angles.time, analysis.angles[f"{side}_knee_flexion"],
                           analysis.foot_strikes()[side], analysis.stride_time_s)
        assert rows.stride.nunique() == st.n >= 5
        mean = rows.groupby("percent")["knee_flexion_deg"].mean()
        np.testing.assert_allclose(mean.to_numpy(), st.mean(), atol=1e-9)
        assert mean.index.tolist() == pytest.approx(np.linspace(0, 100, 101).tolist())
        first = rows[rows.stride == 1]
        assert first.start_s.iloc[0] == pytest.approx(st.start_s[0])
    # the trunk line is the same for both sides; elbow flexion of the test runner is 80 deg
    assert cyc.trunk_lean_deg.mean() == pytest.approx(8.0, abs=0.2)
    assert cyc.elbow_flexion_deg.mean() == pytest.approx(80.0, abs=0.5)


def test_cycles_not_measurable_from_the_front():
    a = mechanics.analyze(front_runner(), treadmill_speed=2.5)
    cyc = a.cycles()
    assert cyc.empty and tuple(cyc.columns) == CYCLE_COLUMNS
    assert "front view" in cyc.attrs["reason"]


def test_symmetry_table(analysis):
    sym = analysis.symmetry_table()
    assert tuple(sym.columns) == SYMMETRY_COLUMNS and sym.flag.dtype == bool
    assert list(sym.index) == list(analysis.symmetry)
    row = analysis.symmetry["contact_time_s"]
    assert sym.loc["contact_time_s", "difference"] == pytest.approx(row["difference"])


def test_report_warns_about_a_failing_page(analysis, tmp_path, monkeypatch):
    import mechanics.report.pdf as pdf

    def broken(a):
        raise RuntimeError("boom")

    monkeypatch.setattr(pdf, "PAGES", (*pdf.PAGES[:1], ("Gait timing", broken)))
    with pytest.warns(ReportWarning, match="report page Gait timing: RuntimeError: boom"):
        path = analysis.report(tmp_path / "r.pdf")
    assert path.is_file()


def test_overlay_needs_the_clip(analysis, tmp_path):
    with pytest.raises(MechanicsError, match="--overlay needs the video"):
        analysis.save(tmp_path / "o", overlay=True)
    assert not (tmp_path / "o").exists()


def test_plots_are_figures():
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    a = mechanics.analyze(world_runner(), treadmill_speed=2.5, mass=70.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no layout or NaN warnings
        figs = {name: getattr(mechanics, name)(a) for name in
                ("plot_kinematics", "plot_momentum", "plot_coordination", "plot_symmetry")}
    assert all(isinstance(f, Figure) for f in figs.values())
    assert [ax.get_title(loc="left") for ax in figs["plot_kinematics"].axes] == [
        "Hip flexion", "Knee flexion", "Ankle dorsiflexion", "Trunk lean"]
    assert figs["plot_kinematics"].axes[1].get_ylabel() == "knee flexion (deg, 0 = straight)"
    assert [ax.get_ylabel() for ax in figs["plot_momentum"].axes] == ["H_z (kg m²/s)",
                                                                      "M_z (N m)"]
    assert len(figs["plot_coordination"].axes) == 4
    assert len(figs["plot_symmetry"].axes) == sum(
        m.measurable and np.isfinite(m.left) for m in a.metrics.values())
    assert plt.get_fignums() == []          # not registered with pyplot
    arms = mechanics.plot_kinematics(a, ["shoulder_flexion", "elbow_flexion"])
    assert len(arms.axes) == 2
    with pytest.raises(ValueError, match="unknown angle"):
        mechanics.plot_kinematics(a, ["elbow"])


def test_plots_say_what_is_not_measurable(analysis):
    front = mechanics.analyze(front_runner(), treadmill_speed=2.5)
    texts = {name: [t.get_text() for ax in getattr(mechanics, name)(front).axes
                    for t in ax.texts]
             for name in ("plot_kinematics", "plot_coordination")}
    assert "front view" in texts["plot_kinematics"][0]
    assert "front view" in texts["plot_coordination"][0]
    no_world = [t.get_text() for ax in mechanics.plot_momentum(analysis).axes for t in ax.texts]
    assert "not measurable" in no_world[0] and "world landmarks" in no_world[0]
