"""``mechanics analyze`` on a landmark CSV against force-plate truth (Fukuchi RBDS001, 2.5 m/s).

The CSV is the side-view virtual camera of ``mocap.py`` at the markers' 150 Hz (500 px/m, no
noise) written with ``PoseSequence.to_csv``; the command runs as a user would run it
(subprocess) and only its files are read. Truth: vertical force ``Fy > 50 N`` (see
``mocap.force_contacts``). Targets (issue): cadence within 1 %, contact time within 15 ms,
every force-plate contact listed in steps.csv.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from tests.e2e.cli import run
from tests.validation import mocap
from tests.validation.test_gait_forceplate import BELT_M_S, MATCH_S, PX_PER_M, _truth_cadence

CONTACT_TOL_S = 0.015


@pytest.fixture(scope="module")
def analyzed(shared_data: Path, tmp_path_factory):
    """(metrics.json document, steps.csv rows, force-plate truth, stdout)."""
    time, points, truth = mocap.load_trial(shared_data / "mocap")
    tmp = tmp_path_factory.mktemp("rbds")
    csv_path = mocap.to_sequence(time, points, px_per_m=PX_PER_M).to_csv(tmp / "rbds001.csv")
    out = tmp / "out"
    res = run("analyze", csv_path, "--out", out, "--treadmill-speed", str(BELT_M_S))
    assert res.returncode == 0, res.stderr
    doc = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    with open(out / "steps.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return doc, rows, truth, res.stdout


def test_cadence_within_one_percent(analyzed) -> None:
    doc, _, truth, _ = analyzed
    cad = doc["metrics"]["cadence_spm"]
    assert cad["confidence"] == "high"
    assert cad["value"] == pytest.approx(_truth_cadence(truth), rel=0.01)


def test_contact_time_within_15_ms(analyzed) -> None:
    doc, _, truth, _ = analyzed
    ct = doc["metrics"]["contact_time_s"]
    assert ct["confidence"] == "medium" and ct["unit"] == "s"
    assert ct["value"] == pytest.approx(np.mean([c.contact_s for c in truth]),
                                        abs=CONTACT_TOL_S)
    for side in ("left", "right"):
        truth_side = np.mean([c.contact_s for c in truth if c.side == side])
        assert ct[side] == pytest.approx(truth_side, abs=CONTACT_TOL_S), side


def test_every_step_listed(analyzed) -> None:
    _, rows, truth, _ = analyzed
    errors = []
    for c in truth:
        mine = [r for r in rows if r["side"] == c.side
                and abs(float(r["foot_strike_s"]) - c.strike_s) < MATCH_S]
        assert len(mine) == 1, (c, mine)
        if mine[0]["contact_s"]:
            errors.append(float(mine[0]["contact_s"]) - c.contact_s)
    assert len(errors) >= len(truth) - 1
    assert np.mean(np.abs(errors)) <= CONTACT_TOL_S
    assert len(rows) <= len(truth) + 2           # nothing invented (clip edges aside)


def test_spatiotemporal_and_honest_grades(analyzed) -> None:
    doc, _, truth, stdout = analyzed
    m, src = doc["metrics"], doc["source"]
    assert src["view"] == "side" and src["mode"] == "treadmill"
    assert src["fps"] == pytest.approx(150.0, rel=1e-3)
    assert m["speed_mps"]["value"] == BELT_M_S
    step = BELT_M_S * 60 / _truth_cadence(truth)
    assert m["step_length_m"]["value"] == pytest.approx(step, rel=0.01)
    # the mocap trial has no upper-body markers
    for name in ("trunk_lean_deg", "elbow_angle_deg", "shoulder_flexion_range_deg"):
        assert m[name]["confidence"] == "not_measurable"
        assert m[name]["reason"] == "upper-body landmarks absent" and m[name]["value"] is None
    assert "cadence" in stdout and "contact time" in stdout
    print("\n" + stdout)
