"""Arm swing, coordination, angular momentum and the symmetry block in the analysis.

The side-view runner of ``test_analysis`` gets MediaPipe-like world landmarks: image pixels
relative to the mid-hip / 450 px per metre (x right, y down) and a fixed lateral depth per
landmark (left side nearer the camera), plus hand points. Its limbs swing in the sagittal
plane, so the legs' vertical angular momentum is that of feet moving fore-aft at +-9 cm
from the midline, and the arms (at +-18-20 cm, swinging opposite to the same-side leg)
counter it.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from mechanics.analysis import SPEC, SPECS, Context, analyze_sequence, grade
from mechanics.analysis.bilateral import NO_RATIO, measurement_error
from mechanics.analysis.confidence import MODEL_REASON
from mechanics.analysis.core import FAR_ARM_WITHHELD
from mechanics.pose.skeleton import INDEX
from mechanics.report.export import metrics_document, read_metrics, summary_text, write_analysis
from mechanics.symmetry import ENTRY_KEYS
from tests.unit.test_analysis import (
    FOREARM,
    LEAN_DEG,
    T_STRIDE,
    UPPER_ARM,
    front_runner,
    side_runner,
)

PX_PER_M = 450.0
HALF_WIDTH = {"hip": 0.09, "knee": 0.09, "ankle": 0.09, "heel": 0.09, "foot_index": 0.09,
              "shoulder": 0.18, "elbow": 0.2, "wrist": 0.2, "pinky": 0.2, "index": 0.2,
              "ear": 0.07}
NEW_2D = ("arm_swing_range_deg", "thigh_shank_coupling", "arm_leg_relative_phase_deg")
MOMENTUM = ("angular_momentum_cancellation_index", "upper_lower_momentum_correlation",
            "arm_momentum_share", "trunk_vertical_moment_peak_nm")
UNITS = {"arm_swing_range_deg": "deg", "thigh_shank_coupling": "deg",
         "arm_leg_relative_phase_deg": "deg", "angular_momentum_cancellation_index": "fraction",
         "upper_lower_momentum_correlation": "r", "arm_momentum_share": "ratio",
         "trunk_vertical_moment_peak_nm": "N m"}


def _swing_left_arm(seq, swing_deg: float) -> None:
    """Rebuild the left elbow and wrist with a different swing amplitude (deg)."""
    sh = seq.xy("left_shoulder")
    ua = np.radians(swing_deg * np.sin(2 * np.pi * seq.time / T_STRIDE) - LEAN_DEG)
    fa = ua + math.radians(80.0)
    elbow = sh + UPPER_ARM * np.column_stack([np.sin(ua), np.cos(ua)])
    seq.image[:, INDEX["left_elbow"], :2] = elbow
    seq.image[:, INDEX["left_wrist"], :2] = elbow + FOREARM * np.column_stack(
        [np.sin(fa), np.cos(fa)])


def world_runner(left_swing_deg: float | None = None, **kw):
    """``side_runner`` (facing right) with hands and world landmarks."""
    seq = side_runner(**kw)
    if left_swing_deg is not None:
        _swing_left_arm(seq, left_swing_deg)
    for side in ("left", "right"):
        w, e = seq.xy(f"{side}_wrist"), seq.xy(f"{side}_elbow")
        hand = w + 0.08 * PX_PER_M * (w - e) / np.linalg.norm(w - e, axis=1, keepdims=True)
        for name in ("pinky", "index"):
            j = INDEX[f"{side}_{name}"]
            seq.image[:, j, :2] = hand
            seq.image[:, j, 2] = seq.image[:, INDEX[f"{side}_wrist"], 2]
            seq.visibility[:, j] = 1.0
    mid = (seq.xy("left_hip") + seq.xy("right_hip")) / 2
    world = np.full(seq.image.shape, np.nan)
    for name, j in INDEX.items():
        if np.isfinite(seq.image[:, j, 0]).any():
            sign = -1.0 if name.startswith("left") else 1.0 if name.startswith("right") else 0.0
            world[:, j, :2] = (seq.image[:, j, :2] - mid) / PX_PER_M
            world[:, j, 2] = sign * HALF_WIDTH.get(name.split("_", 1)[-1], 0.0)
    seq.world = world
    return seq


@pytest.fixture(scope="module")
def full():
    return analyze_sequence(world_runner(), treadmill_speed_m_s=2.5, mass_kg=70.0, sex="m")


def test_extended_metrics_present_with_units_and_grades(full) -> None:
    m = full.metrics
    for name, unit in UNITS.items():
        assert SPEC[name].unit == unit and m[name].unit == unit
        assert m[name].measurable, (name, m[name].reason)
        assert m[name].definition and m[name].reference
    for name in NEW_2D:
        assert m[name].confidence == "medium"
        assert np.isfinite(m[name].left)
        # side view: the far (right) arm is withheld (docs/arm-swing.md)
        assert np.isfinite(m[name].right) != (name in FAR_ARM_WITHHELD), name
    for name in MOMENTUM:
        assert m[name].confidence == "low" and m[name].reason == MODEL_REASON
        assert "unvalidated against motion capture" in m[name].definition
        assert math.isnan(m[name].left)
    assert "net vertical moment transmitted between trunk and pelvis" in \
        m["trunk_vertical_moment_peak_nm"].definition
    assert "efficiency" not in m["trunk_vertical_moment_peak_nm"].definition


def test_extended_values(full) -> None:
    m = full.metrics
    # sine swing of +-25 deg: peak-to-peak 50 deg per stride
    assert m["arm_swing_range_deg"].value == pytest.approx(50.0, abs=1.0)
    d = m["arm_swing_range_deg"].detail["left"]
    assert d["flexion_peak_deg"] == pytest.approx(25.0, abs=0.5) and d["n_strides"] >= 5
    tsc = m["thigh_shank_coupling"].detail
    for side in ("left", "right"):
        bins = [tsc[side][f"{b}_pct"] for b in ("in_phase", "anti_phase", "proximal_phase",
                                                "distal_phase")]
        assert sum(bins) == pytest.approx(100.0)
        assert tsc[side]["cav_deg"] < 1.0                   # identical synthetic strides
    assert 0.0 <= m["arm_leg_relative_phase_deg"].value <= 180.0
    assert m["arm_leg_relative_phase_deg"].detail["left"]["deviation_phase_deg"] < 2.0
    assert 0.3 < m["angular_momentum_cancellation_index"].value <= 1.0
    assert m["upper_lower_momentum_correlation"].value < -0.7
    lag = m["upper_lower_momentum_correlation"].detail["lag_pct_stride"]
    assert abs(lag) <= 50.0
    assert m["arm_momentum_share"].value > 0.1
    assert 0.5 < m["trunk_vertical_moment_peak_nm"].value < 100.0
    assert "added" in m["trunk_vertical_moment_peak_nm"].detail["hip_acceleration"]
    assert set(full.results) >= {"momentum", "thigh_shank", "arm_leg", "trunk_moment_nm"}
    norm = full.results["momentum_normalised"]
    assert norm["speed_m_s"] == 2.5 and 0.6 < norm["com_height_m"] < 1.3
    np.testing.assert_allclose(norm["whole"], full.results["momentum"].whole
                               / (70.0 * 2.5 * norm["com_height_m"]))


def test_momentum_needs_world_landmarks() -> None:
    seq = world_runner()
    seq.world = None                                       # e.g. a CSV from motion capture
    a = analyze_sequence(seq, treadmill_speed_m_s=2.5, mass_kg=70.0)
    for name in MOMENTUM:
        assert a.metrics[name].confidence == "not_measurable"
        assert "world landmarks" in a.metrics[name].reason
        assert a.metrics[name].detail == {}
    for name in NEW_2D:
        assert a.metrics[name].measurable
    assert not any("--mass" in n for n in a.source["notes"])


def test_trunk_moment_needs_mass() -> None:
    a = analyze_sequence(world_runner())
    m = a.metrics["trunk_vertical_moment_peak_nm"]
    assert m.confidence == "not_measurable" and "--mass" in m.reason
    ci = a.metrics["angular_momentum_cancellation_index"]
    assert ci.measurable and "male table" in ci.detail["sex_table"]
    assert "no image scale" not in json.dumps(ci.detail)
    assert any("--mass" in n for n in a.source["notes"])


def test_front_view_coordination_not_measurable() -> None:
    a = analyze_sequence(front_runner(), height_m=1.8)
    for name in NEW_2D:
        assert a.metrics[name].confidence == "not_measurable"
        assert "side view" in a.metrics[name].reason


def test_grading_rules() -> None:
    ctx = Context(view="side", fps=60.0, sprint=False, n_strides=10, scale_source="belt",
                  present={"shoulders": True, "arms": True, "world": True})
    ok = (1.0, math.nan, math.nan)
    spec = SPEC["trunk_vertical_moment_peak_nm"]
    assert grade(spec, ctx, ok)[0] == "not_measurable"
    ctx.mass_kg = 70.0
    assert grade(spec, ctx, ok) == ("low", MODEL_REASON)
    ctx.present["world"] = False
    assert "world landmarks" in grade(spec, ctx, ok)[1]
    ctx.stride_cv = 0.2                                    # irregular events
    conf, why = grade(SPEC["thigh_shank_coupling"], ctx, (1.0, 1.0, 1.0))
    assert conf == "low" and "irregular" in why


def test_symmetry_block(full) -> None:
    sym = full.symmetry
    bilateral = [s.name for s in SPECS if s.per_side]
    assert list(sym) == bilateral
    for name, entry in sym.items():
        assert tuple(entry) == ENTRY_KEYS, name
        m = full.metrics[name]
        if not m.measurable:
            assert entry["left"] is None and entry["flag"] is False
            continue
        if name in FAR_ARM_WITHHELD:                        # far arm withheld: no L - R
            assert entry["right"] is None and entry["difference"] is None, name
            assert entry["flag"] is False
            continue
        assert entry["left"] == pytest.approx(m.left) and entry["right"] == pytest.approx(m.right)
        assert entry["difference"] == pytest.approx(m.left - m.right)
        if name in NO_RATIO:
            assert entry["symmetry_angle_pct"] is None, name
        assert entry["flag"] is False, name                # a symmetric runner
    assert sym["contact_time_s"]["variability"] is not None
    assert sym["arm_swing_range_deg"]["variability"] is not None
    assert sym["thigh_shank_coupling"]["variability"] is None      # no per-stride CAV


def test_arm_asymmetry_is_not_compared_in_a_side_view() -> None:
    """80 vs 50 deg arm swing: the near (left) arm is measured, the far arm is withheld
    (it reads 9-16 deg off through the pose model), so no left-right arm flag."""
    a = analyze_sequence(world_runner(left_swing_deg=40.0), treadmill_speed_m_s=2.5)
    m = a.metrics["arm_swing_range_deg"]
    assert m.value == pytest.approx(80.0, abs=1.5) and math.isnan(m.right)
    assert "far" in m.reason
    entry = a.symmetry["arm_swing_range_deg"]
    assert entry["left"] == pytest.approx(80.0, abs=1.5) and entry["right"] is None
    assert entry["flag"] is False
    assert a.symmetry["contact_time_s"]["flag"] is False


def test_measurement_errors() -> None:
    assert measurement_error("contact_time_s", 60.0) == pytest.approx(0.0228)
    assert measurement_error("contact_time_s", 30.0) == pytest.approx(0.0274)
    assert measurement_error("step_time_s", 120.0) == pytest.approx(math.sqrt(2) * 0.0105)
    assert measurement_error("duty_factor", 60.0, stride_s=0.7) == pytest.approx(0.0228 / 0.7)
    assert measurement_error("step_length_m", 60.0, speed_m_s=3.0) == pytest.approx(
        3.0 * math.sqrt(2) * 0.0105)
    assert measurement_error("knee_flexion_at_contact_deg", 60.0) == 5.0
    assert math.isnan(measurement_error("thigh_shank_coupling", 60.0))


def test_metrics_json_has_symmetry_and_details(full, tmp_path) -> None:
    doc = metrics_document(full)
    assert set(doc["symmetry"]) == set(full.symmetry)
    assert "detail" in doc["metrics"]["thigh_shank_coupling"]
    assert "detail" not in doc["metrics"]["cadence_spm"]
    paths = write_analysis(full, tmp_path)
    doc2, metrics = read_metrics(paths["metrics"])
    assert doc2["symmetry"] == json.loads(json.dumps(doc["symmetry"]))
    for name, m in full.metrics.items():
        assert json.dumps(metrics[name].to_dict()) == json.dumps(m.to_dict()), name
    text = summary_text(full)
    assert "trunk vertical moment peak" in text and "N m" in text


def test_symmetry_flags_withheld_when_events_are_irregular(full) -> None:
    """A 100 ms contact-time difference with 5 ms stride-to-stride SD is flagged, unless the
    events are irregular (the measured errors behind the flag assume regular events)."""
    import copy

    from mechanics.analysis.bilateral import symmetry_block

    metrics = copy.deepcopy(full.metrics)
    m = metrics["contact_time_s"]
    m.left, m.right = 0.30, 0.20
    rng = np.random.default_rng(0)
    samples = {"contact_time_s": {"left": 0.30 + rng.normal(0, 0.005, 8),
                                  "right": 0.20 + rng.normal(0, 0.005, 8)}}
    regular = symmetry_block(metrics, samples, 60.0, 0.7, 3.5)
    assert regular["contact_time_s"]["flag"] is True
    irregular = symmetry_block(metrics, samples, 60.0, 0.7, 3.5, regular_events=False)
    assert irregular["contact_time_s"]["flag"] is False
    assert irregular["contact_time_s"]["difference"] == pytest.approx(0.10)
