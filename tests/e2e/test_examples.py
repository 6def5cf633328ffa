"""Every script in examples/ runs and prints what it promises.

Each example renders its own short synthetic clips (2.5-3 s, 640x360) and tracks them with
the real pose model, so the module is marked ``slow``; together they take about a minute on
one core. The force-plate part of validate_events.py runs only when ../shared/data/mocap
(or $MECHANICS_SHARED_DATA/mocap) is present.
"""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MOCAP = Path(os.environ.get("MECHANICS_SHARED_DATA", ROOT.parent / "shared" / "data")) / "mocap"
pytestmark = pytest.mark.slow


def run_example(name: str, *args: str | Path, cwd: Path) -> str:
    """Run ``examples/NAME`` with ARGS in ``cwd``; return its stdout (it must succeed)."""
    proc = subprocess.run([sys.executable, str(ROOT / "examples" / name), *map(str, args)],
                          capture_output=True, text=True, timeout=300, cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def number(pattern: str, text: str) -> float:
    match = re.search(pattern, text)
    assert match, (pattern, text)
    return float(match.group(1))


def test_every_example_is_tested():
    tested = {"track_and_read.py", "analyze_clip.py", "compare_knee_curves.py",
              "batch_table.py", "validate_events.py"}
    assert {p.name for p in (ROOT / "examples").glob("*.py")} == tested


def test_track_and_read(tmp_path):
    out = run_example("track_and_read.py", cwd=tmp_path)
    assert "left_ankle: present in" in out
    assert "step repair_left_right" in out and "step lowpass" in out


def test_analyze_clip(tmp_path):
    out = run_example("analyze_clip.py", "--out", tmp_path / "out", cwd=tmp_path)
    assert "<Analysis runner.mp4: side view, 60.0 fps, 180 frames" in out
    cadence = number(r"cadence_spm\s+([\d.]+)\s+-\s+-\s+steps/min\s+high", out)
    assert abs(cadence / 170.0 - 1) < 0.02                 # the synthetic runner's cadence
    for name in ("contact_time_s", "knee_flexion_at_contact_deg", "overstride_leg_lengths"):
        assert re.search(rf"^{name}\s+[\d.]+\s+[\d.]+\s+[\d.]+\s", out, re.M), name
    for name in ("metrics.json", "steps.csv", "landmarks.csv", "landmarks_raw.csv",
                 "report.pdf"):
        assert (tmp_path / "out" / name).stat().st_size > 0
        assert f"/{name}" in out


def test_compare_knee_curves(tmp_path):
    out = run_example("compare_knee_curves.py", "--out", tmp_path / "knee.png", cwd=tmp_path)
    easy = number(r"easy 2.8 m/s: \d+ right strides, peak knee flexion ([\d.]+) deg", out)
    fast = number(r"fast 4.5 m/s: \d+ right strides, peak knee flexion ([\d.]+) deg", out)
    assert 60 < easy < fast < 130       # the synthetic runner flexes more in swing when fast
    assert (tmp_path / "knee.png").read_bytes()[:4] == b"\x89PNG"


def test_batch_table(tmp_path):
    out = run_example("batch_table.py", "--out", tmp_path / "batch.csv", cwd=tmp_path)
    with open(tmp_path / "batch.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["clip"] for r in rows] == [f"runner_{c}spm.mp4" for c in (160, 175, 190)]
    for row, cadence in zip(rows, (160, 175, 190), strict=True):
        assert abs(float(row["cadence_spm"]) / cadence - 1) < 0.02
        assert row["view"] == "side" and float(row["contact_time_s"]) > 0
    assert "mean cadence" in out and "over 3 clips" in out


def test_validate_events(tmp_path):
    out = run_example("validate_events.py", "--mocap", MOCAP, cwd=tmp_path)
    synthetic = out[out.index("synthetic runner"):]
    matched, total = (int(v) for v in re.search(r"(\d+)/(\d+) contacts", synthetic).groups())
    assert total >= 6 and matched >= total - 2
    assert abs(number(r"cadence: .* \(([-+\d.]+) %\)", synthetic)) < 1.0
    if not (MOCAP / "RBDS001runT25forces.txt").is_file():
        assert "synthetic truth only" in out
        return
    plate = out[:out.index("synthetic runner")]
    # docs/metrics.md, RBDS001 at 150 Hz without noise: 77 contacts, FS 5.8 ms, TO 3.8 ms,
    # contact MAE 11.0 ms; the targets are one frame, two frames and 15 ms
    assert "77/77 contacts matched" in plate
    assert number(r"foot strike: median \|error\| ([\d.]+) ms", plate) <= 1000 / 150
    assert number(r"toe-off: +median \|error\| ([\d.]+) ms", plate) <= 2000 / 150
    assert number(r"contact time: mean abs error ([\d.]+) ms", plate) <= 15.0
    assert abs(number(r"cadence: .* \(([-+\d.]+) %\)", plate)) < 1.0
