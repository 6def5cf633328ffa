"""Gait events on analytic foot trajectories with known contact intervals.

Each foot is flat: on the ground (treadmill: moving back at belt speed; overground: still)
from FS to TO, then swings on a parabola ``h(s) = H 4 s (1 - s)`` (s = 0..1 over the swing)
while its horizontal position relative to the hip follows a cubic Hermite curve whose end
velocities equal the stance velocity (this gives the late-swing retraction Zeni relies on).
The detector's contract is "the lower foot point within eps of its ground", so the expected
events are the instants where h(s) = eps, computable in closed form.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from mechanics.gait import analyze_gait, build_steps, detect_events
from mechanics.gait.signals import hampel
from mechanics.pose.skeleton import INDEX
from mechanics.sequence import PoseSequence

LEG = 400.0          # px, thigh + shank
THIGH = SHANK = LEG / 2
H_SWING = 70.0       # px, swing clearance
GROUND = 900.0       # image y of the ground, px
FOOT = 110.0         # heel -> toe, px


def _rel_x(t: np.ndarray, fs0: float, T: float, tc: float, v: float) -> np.ndarray:
    """Foot x relative to the hip (forward +) and its clearance for a foot striking at fs0."""
    land, off = 0.30 * LEG, 0.30 * LEG - v * tc
    ph = np.mod(t - fs0, T)
    x = np.empty_like(t)
    st = ph < tc
    x[st] = land - v * ph[st]
    ts = T - tc
    s = (ph[~st] - tc) / ts
    h00, h10, h01, h11 = 2 * s**3 - 3 * s**2 + 1, s**3 - 2 * s**2 + s, -2 * s**3 + 3 * s**2, \
        s**3 - s**2
    x[~st] = h00 * off + h10 * ts * (-v) + h01 * land + h11 * ts * (-v)
    return x


def _clearance(t: np.ndarray, fs0: float, T: float, tc: float) -> np.ndarray:
    ph = np.mod(t - fs0, T)
    s = np.clip((ph - tc) / (T - tc), 0, 1)
    return np.where(ph < tc, 0.0, H_SWING * 4 * s * (1 - s))


def _knee(hip: np.ndarray, ankle: np.ndarray, d: int) -> np.ndarray:
    """Knee by two-link inverse kinematics (knee points forward)."""
    v = ankle - hip
    dist = np.linalg.norm(v, axis=1, keepdims=True)
    dist = np.minimum(dist, LEG - 1e-6)
    mid = hip + v / 2
    n = np.column_stack([-v[:, 1], v[:, 0]]) / np.linalg.norm(v, axis=1, keepdims=True)
    n *= np.sign(n[:, :1] * d + 1e-12)
    return mid + n * np.sqrt(THIGH**2 - (dist / 2) ** 2)


def synth_runner(fps: float = 100.0, T: float = 0.72, tc: float = 0.26, n_strides: int = 10,
                 d: int = 1, speed: float = 1000.0, overground: bool = False,
                 fs_right: float = 0.2) -> tuple[PoseSequence, dict[str, list[tuple]]]:
    """Synthetic side-view runner and its true contacts {side: [(fs, to), ...]}."""
    t = np.arange(0, n_strides * T, 1 / fps)
    seq = PoseSequence.empty(t.size, world=False, fps=fps)
    seq.time = t
    hip_x = 960.0 + (d * speed * t if overground else 0.0)
    hip_y = GROUND - 0.93 * LEG + 8 * np.cos(4 * np.pi * (t - fs_right) / T)
    truth = {}
    for side, fs0 in (("right", fs_right), ("left", fs_right + T / 2)):
        rel = _rel_x(t, fs0, T, tc, speed)
        clear = _clearance(t, fs0, T, tc)
        heel = np.column_stack([hip_x + d * rel, GROUND - clear])
        toe = heel + [d * FOOT, 0.0]
        ankle = heel + [d * 0.2 * FOOT, -0.12 * LEG]
        hip = np.column_stack([hip_x + 0 * t, hip_y])
        for name, xy in (("hip", hip), ("heel", heel), ("foot_index", toe), ("ankle", ankle),
                         ("knee", _knee(hip, ankle, d))):
            seq.image[:, INDEX[f"{side}_{name}"], :2] = xy
            seq.visibility[:, INDEX[f"{side}_{name}"]] = 1.0
        fs = fs0 + T * np.arange(-1, n_strides + 1)
        truth[side] = [(a, a + tc) for a in fs if a > 0 and a + tc < t[-1]]
    return seq, truth


def _eps_delay(eps: float, T: float, tc: float) -> float:
    """Time (s) between h = eps and the ground on the swing parabola (both ends)."""
    ts = T - tc
    s = (1 - math.sqrt(1 - eps / H_SWING)) / 2
    return s * ts


def _match(ev, truth: dict[str, list[tuple]]) -> tuple[np.ndarray, np.ndarray]:
    fs_err, to_err = [], []
    for side, contacts in truth.items():
        det = ev.side(side)
        for fs, to in contacts:
            c = min(det, key=lambda c: abs(c.strike_s - fs))
            fs_err.append(c.strike_s - fs)
            to_err.append(c.off_s - to)
    return np.array(fs_err), np.array(to_err)


@pytest.mark.parametrize("d", [1, -1])
@pytest.mark.parametrize("overground", [False, True])
def test_events_match_analytic_contacts(d: int, overground: bool) -> None:
    seq, truth = synth_runner(d=d, overground=overground)
    ev = detect_events(seq)
    assert ev.direction == d
    assert ev.stride_estimate_s == pytest.approx(0.72, abs=0.011)
    delay = _eps_delay(ev.params["eps_px"], 0.72, 0.26)
    fs_err, to_err = _match(ev, truth)
    assert len(fs_err) == sum(len(v) for v in truth.values())
    # FS is detected when the foot comes within eps: 'delay' early; TO 'delay' late
    np.testing.assert_allclose(fs_err, -delay, atol=0.0015)
    np.testing.assert_allclose(to_err, delay, atol=0.0015)
    assert all(c.method == "contact" and c.valid for c in ev.contacts)
    sides = [c.side for c in ev.contacts]
    assert all(a != b for a, b in zip(sides[:-1], sides[1:], strict=True))
    assert not ev.notes


def test_both_facing_directions_give_identical_times() -> None:
    right = detect_events(synth_runner(d=1)[0])
    left = detect_events(synth_runner(d=-1)[0])
    np.testing.assert_allclose([c.strike_s for c in right.contacts],
                               [c.strike_s for c in left.contacts], atol=1e-9)
    np.testing.assert_allclose([c.off_s for c in right.contacts],
                               [c.off_s for c in left.contacts], atol=1e-9)


@pytest.mark.parametrize("fps", [30.0, 60.0])
def test_low_frame_rates_interpolate_between_frames(fps: float) -> None:
    seq, truth = synth_runner(fps=fps, n_strides=14)
    ev = detect_events(seq)
    delay = _eps_delay(ev.params["eps_px"], 0.72, 0.26)
    fs_err, to_err = _match(ev, truth)
    # sub-frame interpolation on a parabola: well under half a frame
    assert np.max(np.abs(fs_err + delay)) < 0.25 / fps
    assert np.max(np.abs(to_err - delay)) < 0.25 / fps
    assert ev.confidence == ("low" if fps < 60 else "ok")


@pytest.mark.parametrize("d", [1, -1])
def test_direction_from_the_swing_when_feet_give_no_cue(d: int) -> None:
    seq, _ = synth_runner(d=d)
    for side in ("left", "right"):          # toes exactly above the heels: no facing vote
        seq.image[:, INDEX[f"{side}_foot_index"], 0] = seq.image[:, INDEX[f"{side}_heel"], 0]
    assert detect_events(seq).direction == d


def test_offsets_are_added() -> None:
    seq, _ = synth_runner()
    base = detect_events(seq.copy())
    shifted = detect_events(seq.copy(), strike_offset_s=0.01, off_offset_s=-0.005)
    np.testing.assert_allclose(shifted.strikes("left"), base.strikes("left") + 0.01)
    np.testing.assert_allclose(shifted.offs("right"), base.offs("right") - 0.005)


def test_steps_and_summary_treadmill() -> None:
    T, tc, fps = 0.72, 0.26, 100.0
    seq, _ = synth_runner(T=T, tc=tc, fps=fps)
    res = analyze_gait(seq, belt_speed_m_s=2.5)
    s = res.summary
    eps_delay = _eps_delay(res.events.params["eps_px"], T, tc)
    tc_det = tc + 2 * eps_delay
    assert s.cadence_spm == pytest.approx(120 / T, rel=1e-3)
    assert s.stride_time_s == pytest.approx(T, abs=1e-3)
    assert s.step_time_s == pytest.approx(T / 2, abs=1e-3)
    assert s.contact_time_s == pytest.approx(tc_det, abs=2e-3)
    assert s.flight_time_s == pytest.approx(T / 2 - tc_det, abs=2e-3)
    assert s.swing_time_s == pytest.approx(T - tc_det, abs=2e-3)
    assert s.duty_factor == pytest.approx(tc_det / T, abs=3e-3)
    assert s.mode == "treadmill"
    assert s.speed_px_s == pytest.approx(1000.0, rel=0.02)
    assert s.scale_m_per_px == pytest.approx(2.5 / 1000.0, rel=0.02)
    assert s.step_length_m == pytest.approx(2.5 * T / 2, rel=0.01)
    # mid-hip oscillates +-8 px twice per stride -> 16 px peak to trough
    assert s.vertical_oscillation_cm == pytest.approx(100 * 16 * 2.5 / 1000, rel=0.05)
    for step in res.steps[1:-1]:
        assert step.flight_s == pytest.approx(step.step_s - step.contact_s)


def test_overground_speed_and_height_scale() -> None:
    seq, _ = synth_runner(overground=True, d=-1, speed=800.0)
    # legs only (no shoulders): H_px = (thigh + shank) / 0.491
    height_px = LEG / 0.491
    res = analyze_gait(seq, height_m=1.80)
    s = res.summary
    assert s.mode == "overground"
    assert s.scale_source == "height"
    assert s.scale_m_per_px == pytest.approx(1.80 / height_px, rel=0.02)
    assert s.speed_m_s == pytest.approx(800.0 * 1.80 / height_px, rel=0.03)


def test_missing_stance_is_noted_and_not_bridged() -> None:
    seq, truth = synth_runner(n_strides=10)
    fs, to = truth["left"][4]
    gap = (seq.time > fs - 0.05) & (seq.time < to + 0.05)
    for name in ("left_heel", "left_foot_index"):
        seq.image[gap, INDEX[name]] = np.nan
    ev = detect_events(seq)
    assert not any(abs(c.strike_s - fs) < 0.05 for c in ev.side("left"))
    assert any("without a contralateral contact" in n for n in ev.notes)
    steps = build_steps(ev)
    before = [s for s in steps if s.side == "right" and s.strike_s < fs < s.strike_s + 0.5]
    assert before and math.isnan(before[0].step_s)


def test_zeni_fallback_when_no_ground_contact() -> None:
    seq, truth = synth_runner(n_strides=10)
    fs, to = truth["left"][4]
    stance = (seq.time >= fs - 0.02) & (seq.time <= to + 0.02)
    for name in ("left_heel", "left_foot_index"):
        seq.image[stance, INDEX[name], 1] -= 60.0          # foot lands on a 60 px step
    ev = detect_events(seq)
    c = min(ev.side("left", valid_only=False), key=lambda c: abs(c.strike_s - fs))
    assert c.method == "zeni"
    assert abs(c.strike_s - fs) < 0.04
    assert np.isfinite(c.off_s) and fs < c.off_s < fs + 0.6 * 0.72


def test_walking_like_overlap_is_flagged() -> None:
    seq, _ = synth_runner(T=1.1, tc=0.70, n_strides=8)     # duty 0.64: double support
    ev = detect_events(seq)
    assert any("no flight" in n for n in ev.notes)


def test_no_rhythm_gives_no_events() -> None:
    seq = PoseSequence.empty(200, world=False)
    seq.time = np.arange(200) / 30.0
    ev = detect_events(seq)
    assert ev.contacts == [] and ev.notes
    res = analyze_gait(seq, height_m=1.7, belt_speed_m_s=3.0)
    assert res.steps == [] and res.summary.n_steps == 0
    assert math.isnan(res.summary.cadence_spm) and math.isnan(res.summary.speed_m_s)


def _left_contact_near(ev, fs: float):
    return min(ev.side("left", valid_only=False), key=lambda c: abs(c.strike_s - fs))


def test_hampel_keeps_monotone_edges_and_removes_short_spikes() -> None:
    x = np.concatenate([np.linspace(100.0, 0.0, 20), np.zeros(30), np.linspace(0, 80, 20)])
    np.testing.assert_array_equal(hampel(x, 5), x)          # descent, rest, lift-off kept
    spiky = x.copy()
    spiky[30:33] += 60.0                                     # 3-sample jump at rest
    spiky[40] = np.nan
    out = hampel(spiky, 5)
    np.testing.assert_array_equal(out[30:33], 0.0)
    assert np.isnan(out[40])
    np.testing.assert_array_equal(hampel(x[:5], 5), x[:5])   # shorter than the window


def test_label_glitch_in_mid_stance_does_not_split_the_contact() -> None:
    """The left foot jumps onto the right leg for 3 frames (30 ms) at mid-stance, as the pose
    model does while the legs cross: the Hampel step removes it."""
    seq, truth = synth_runner(n_strides=10)
    clean = detect_events(seq.copy())
    fs, to = truth["left"][4]
    k = int(np.searchsorted(seq.time, (fs + to) / 2))
    for p in ("heel", "foot_index", "ankle"):
        seq.image[k:k + 3, INDEX[f"left_{p}"]] = seq.image[k:k + 3, INDEX[f"right_{p}"]]
    a, b = _left_contact_near(detect_events(seq), fs), _left_contact_near(clean, fs)
    assert a.valid and a.method == "contact"
    assert a.strike_s == pytest.approx(b.strike_s, abs=1e-3)
    assert a.off_s == pytest.approx(b.off_s, abs=1e-3)


def test_dropout_in_mid_stance_is_bridged() -> None:
    """80 ms of the stance foot lost to the swing leg (longer than the Hampel window): the
    two contact runs around it are one stance (module docstring, step 5)."""
    seq, truth = synth_runner(n_strides=10)
    clean = detect_events(seq.copy())
    fs, to = truth["left"][4]
    mid = (fs + to) / 2
    lost = np.abs(seq.time - mid) < 0.04
    for p in ("heel", "foot_index"):
        seq.image[lost, INDEX[f"left_{p}"], 1] -= 60.0
    ev = detect_events(seq)
    a, b = _left_contact_near(ev, fs), _left_contact_near(clean, fs)
    assert a.valid and a.method == "contact"
    assert a.strike_s == pytest.approx(b.strike_s, abs=1e-3)
    assert a.off_s == pytest.approx(b.off_s, abs=1e-3)
    assert len(ev.side("left")) == len(clean.side("left"))


def test_no_bridge_beyond_the_longest_stance() -> None:
    """A contact-like run 0.1 T after toe-off is not joined when the joined stance would
    exceed the maximum duty factor."""
    T, tc = 0.72, 0.44                                  # duty 0.61: room for < 0.04 T more
    seq, truth = synth_runner(T=T, tc=tc, n_strides=10)
    fs, to = truth["left"][4]
    after = (seq.time > to + 0.1 * T) & (seq.time < to + 0.2 * T)
    for p in ("heel", "foot_index"):
        seq.image[after, INDEX[f"left_{p}"], 1] = GROUND
    c = _left_contact_near(detect_events(seq), fs)
    assert c.off_s < to + 0.05 * T


def test_slow_drift_of_the_toe_before_toe_off_is_not_a_toe_off() -> None:
    """The far toe through a pose model drifts up ~2 eps during heel rise while the true toe
    stays down; the toe-off is the lift-off burst, not the slow eps crossing (here the toe
    drifts 1.5 eps in 0.15 s, 100 px/s, a sixth of its lift-off speed, crossing eps 50 ms
    before the toe-off)."""
    seq, truth = synth_runner(fps=120.0)
    eps = 0.025 * LEG
    t = seq.time
    for _, to in truth["left"]:
        # up over the last 0.15 s of stance, back down in mid-swing (toe high)
        ramp = np.clip(np.minimum((t - to + 0.15) / 0.15, (to + 0.3 - t) / 0.1), 0, 1)
        seq.image[:, INDEX["left_heel"], 1] -= 4 * eps * ramp          # heel rise
        seq.image[:, INDEX["left_foot_index"], 1] -= 1.5 * eps * ramp  # toe drift
    ev = detect_events(seq)
    _, to_err = _match(ev, {"left": truth["left"]})
    # without the lift-off rule: -54 ms; with it -16 ms (the parabola lifts off at full
    # speed, a step that the 12 Hz low-pass spreads ~16 ms earlier)
    assert np.all(np.abs(to_err) < 0.02), to_err
