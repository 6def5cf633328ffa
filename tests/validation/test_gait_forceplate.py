"""Gait events and spatiotemporal parameters against force plates (Fukuchi RBDS001, 2.5 m/s).

Truth: vertical force ``Fy > 50 N`` (hysteresis, see ``mocap.force_contacts``), left/right
from the lower foot at mid-contact. Input: side-view virtual landmarks from the markers
(``mocap.py``), at 150 Hz and resampled to 60 and 30 fps with 2 px Gaussian noise
(500 px/m, so 2 px = 4 mm; seeded). Run with ``-s`` to see the error table.

Tolerances (issue targets at 150 Hz; lower rates derived from science.md 1.4):

- 150 Hz: FS median |error| <= 1 frame (6.7 ms), TO <= 2 frames (13.3 ms), contact-time
  MAE <= 15 ms, cadence within 1 %.
- 60 fps: quantisation alone is 4.8 ms SD per event; with the ~6 ms method error at
  150 Hz: sqrt(6^2 + 4.8^2) = 7.7 ms -> FS, TO medians <= 10 ms; contact MAE <= 15 ms.
- 30 fps: 9.6 ms SD per event -> sqrt(6^2 + 9.6^2) = 11.3 ms -> FS, TO medians <= 12 ms;
  contact time: 13.6 ms SD (MAE ~ 0.8 SD = 10.9 ms) plus the ~10 ms method bias -> 20 ms.
- Cadence within 1 % at every rate (it averages ~76 strides).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from mechanics.cycles import cut_strides
from mechanics.gait import analyze_gait
from mechanics.kinematics import sagittal_angles
from tests.validation import mocap

BELT_M_S = 2.5
PX_PER_M = 500.0
MATCH_S = 0.1

#: (fps, noise px, FS median, TO median, contact MAE  [ms], cadence error [%])
TOLERANCES = [
    (150.0, 0.0, 1000 / 150, 2000 / 150, 15.0, 1.0),
    (60.0, 2.0, 10.0, 10.0, 15.0, 1.0),
    (30.0, 2.0, 12.0, 12.0, 20.0, 1.0),
]


@dataclass
class Row:
    """Errors of one condition (ms unless stated)."""

    fps: float
    noise_px: float
    matched: int
    truth: int
    fs_med: float
    fs_bias: float
    to_med: float
    to_bias: float
    ct_mae: float
    ct_bias: float
    cadence_pct: float

    def line(self) -> str:
        return (f"{self.fps:5.0f} {self.noise_px:5.1f} {self.matched:3d}/{self.truth:<3d} "
                f"{self.fs_med:8.1f} {self.fs_bias:7.1f} {self.to_med:8.1f} {self.to_bias:7.1f} "
                f"{self.ct_mae:8.1f} {self.ct_bias:7.1f} {self.cadence_pct:9.2f}")


HEADER = ("  fps noise match   FS|e|ms  FSbias   TO|e|ms  TObias  CT MAE  CTbias  cadence%")


@pytest.fixture(scope="module")
def trial(shared_data: Path):
    """(time, virtual 3D landmarks, force-plate truth) of RBDS001 at 2.5 m/s."""
    return mocap.load_trial(shared_data / "mocap")


def _truth_cadence(truth: list[mocap.ForceContact]) -> float:
    strides = []
    for side in ("left", "right"):
        fs = np.array([c.strike_s for c in truth if c.side == side])
        strides += list(np.diff(fs))
    return 120.0 / float(np.mean(strides))


def evaluate(seq, truth: list[mocap.ForceContact], fps: float, noise: float):
    """Run the detector on ``seq`` and compare with the force-plate ``truth``."""
    res = analyze_gait(seq, belt_speed_m_s=BELT_M_S)
    fs_e, to_e, ct_e = [], [], []
    for c in truth:
        det = res.events.side(c.side)
        if not det:
            continue
        d = min(det, key=lambda x: abs(x.strike_s - c.strike_s))
        if abs(d.strike_s - c.strike_s) > MATCH_S or not np.isfinite(d.off_s):
            continue
        fs_e.append(d.strike_s - c.strike_s)
        to_e.append(d.off_s - c.off_s)
        ct_e.append(d.contact_s - c.contact_s)
    fs_e, to_e, ct_e = (1000 * np.array(v) for v in (fs_e, to_e, ct_e))
    cad = _truth_cadence(truth)
    row = Row(fps, noise, len(fs_e), len(truth), float(np.median(np.abs(fs_e))),
              float(np.median(fs_e)), float(np.median(np.abs(to_e))), float(np.median(to_e)),
              float(np.mean(np.abs(ct_e))), float(np.mean(ct_e)),
              100 * (res.summary.cadence_spm - cad) / cad)
    return row, res


def test_event_errors_table(trial) -> None:
    time, points, truth = trial
    rows = []
    for fps, noise, *_ in TOLERANCES:
        seq = mocap.to_sequence(time, points, fps=None if fps == 150 else fps, noise_px=noise,
                                seed=7, px_per_m=PX_PER_M)
        rows.append(evaluate(seq, truth, fps, noise)[0])
    extra = []                  # informational: heavier jitter (5 px = 1 cm), not asserted
    for fps in (60.0, 30.0):
        seq = mocap.to_sequence(time, points, fps=fps, noise_px=5.0, seed=7)
        extra.append(evaluate(seq, truth, fps, 5.0)[0])
    print("\nRBDS001 2.5 m/s treadmill: detector vs force plate (Fy > 50 N)")
    print(HEADER)
    for r in rows + extra:
        print(r.line())
    for r, (_, _, fs_tol, to_tol, ct_tol, cad_tol) in zip(rows, TOLERANCES, strict=True):
        assert r.matched >= r.truth - 1, r
        assert r.fs_med <= fs_tol, r
        assert r.to_med <= to_tol, r
        assert r.ct_mae <= ct_tol, r
        assert abs(r.cadence_pct) <= cad_tol, r
    for r in extra:
        assert abs(r.cadence_pct) <= 1.0 and r.matched >= r.truth - 2, r


@pytest.mark.parametrize("fps", [150.0, 30.0])
def test_facing_left_gives_the_same_events(trial, fps: float) -> None:
    time, points, _ = trial
    rate = None if fps == 150 else fps
    right = analyze_gait(mocap.to_sequence(time, points, fps=rate, camera="right"))
    left = analyze_gait(mocap.to_sequence(time, points, fps=rate, camera="left"))
    assert right.events.direction == 1 and left.events.direction == -1
    np.testing.assert_allclose([c.strike_s for c in right.events.contacts],
                               [c.strike_s for c in left.events.contacts], atol=1e-9)


def test_spatiotemporal_against_mocap(trial) -> None:
    time, points, truth = trial
    seq = mocap.to_sequence(time, points, fps=60.0, noise_px=2.0, seed=3)
    s = analyze_gait(seq, belt_speed_m_s=BELT_M_S).summary
    assert s.mode == "treadmill"
    # stance foot moves back at belt speed: the belt calibrates the image scale
    assert s.scale_m_per_px == pytest.approx(1 / PX_PER_M, rel=0.02)
    assert s.step_length_m == pytest.approx(BELT_M_S * 60 / _truth_cadence(truth), rel=0.01)
    stride = 120 / _truth_cadence(truth)
    tc = np.mean([c.contact_s for c in truth])
    assert s.duty_factor == pytest.approx(tc / stride, abs=0.02)
    assert s.flight_time_s == pytest.approx(stride / 2 - tc, abs=0.015)
    for side in ("left", "right"):
        tc_side = np.mean([c.contact_s for c in truth if c.side == side])
        assert getattr(s, f"contact_time_{side}_s") == pytest.approx(tc_side, abs=0.015)
    # mid-hip vertical excursion per stride, from the 3D virtual hips
    mid = (points["left_hip"] + points["right_hip"]) / 2
    fs = [c.strike_s for c in truth if c.side == "left"]
    vo = np.median([np.ptp(mid[(time >= a) & (time < b), 1])
                    for a, b in zip(fs[:-1], fs[1:], strict=True)])
    assert s.vertical_oscillation_cm == pytest.approx(100 * vo, abs=0.5)


def _reference(shared_data: Path) -> dict[str, np.ndarray]:
    path = shared_data / "mocap" / "RBDS001processed_2p5ms.tsv"
    head = path.read_text(encoding="utf-8").splitlines()[0].split("\t")
    data = np.loadtxt(path, skiprows=1, delimiter="\t")
    return {h: data[:, i] for i, h in enumerate(head)}


def test_sagittal_angle_curves_follow_the_processed_data(trial, shared_data: Path) -> None:
    """Sign convention and stride cutting against the dataset's own sagittal curves.

    The virtual knee (mean of thigh/shank cluster markers) sits inside the knee angle, so the
    knee's range is underestimated (~30 %); the ankle (heel/MT vs shank cluster) matches.
    """
    time, points, truth = trial
    seq = mocap.to_sequence(time, points)
    ang = sagittal_angles(seq)
    ref = _reference(shared_data)
    for side, s in (("right", "R"), ("left", "L")):
        fs = np.array([c.strike_s for c in truth if c.side == side])
        for mine, theirs in (("knee_flexion", "kneeAngZ25"), ("ankle_dorsiflexion",
                                                                "ankleAngZ25")):
            curve = cut_strides(ang[f"{side}_{mine}"], seq.time, fs).mean()
            r = ref[f"{s}{theirs}"]
            assert np.corrcoef(curve, r)[0, 1] > 0.95, (side, mine)
            if mine == "ankle_dorsiflexion":
                diff = curve - r
                assert abs(diff.mean()) < 5 and np.sqrt(np.mean((diff - diff.mean()) ** 2)) < 4
