"""Segment inertia and vertical angular momentum: known answers (science.md 4.3-4.5, 9.2)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mechanics.inertia import DE_LEVA, LOWER_TRUNK_SHARE, SegmentParams, trunk_split
from mechanics.momentum import (
    UP,
    about,
    angular_momentum,
    arm_share,
    cancellation_index,
    com_height,
    limb_state,
    normalised,
    segment_states,
    stride_peaks,
    trunk_vertical_moment,
    upper_lower_correlation,
    whole_body_fraction,
    world_coverage,
)
from mechanics.pose.skeleton import INDEX

DT = 0.005
TIME = np.arange(0.0, 4.0, DT)
ROD = SegmentParams(mass=1.0, cm=0.5, r_sag=1 / math.sqrt(12), r_trans=1 / math.sqrt(12),
                    r_long=0.0)


def _rod(omega: float, length: float = 0.8, centre=(0.0, 0.0, 0.0)) -> tuple[np.ndarray, ...]:
    """End points of a horizontal rod spinning about the vertical through its centre;
    ``omega`` > 0 = counter-clockwise seen from above (about UP = -y)."""
    e = np.column_stack([np.cos(omega * TIME), 0 * TIME, np.sin(omega * TIME)])
    c = np.asarray(centre, dtype=float)
    return c - 0.5 * length * e, c + 0.5 * length * e


def test_de_leva_fractions() -> None:
    m = DE_LEVA["m"]
    assert whole_body_fraction("m") == pytest.approx(1.0, abs=1e-9)     # 100.0 %
    assert whole_body_fraction("f") == pytest.approx(1.0, abs=2e-4)     # 99.99 % as published
    for sex in ("m", "f"):
        t = DE_LEVA[sex]
        parts = t["upper_trunk"].mass + t["middle_trunk"].mass + t["lower_trunk"].mass
        assert parts == pytest.approx(t["trunk"].mass)
    assert (m["thigh"].mass, m["thigh"].cm, m["thigh"].r_sag) == pytest.approx(
        (0.1416, 0.4095, 0.329))


@pytest.mark.parametrize("sex", ["m", "f"])
def test_trunk_split_reproduces_the_whole_trunk(sex: str) -> None:
    thorax, pelvis, j = trunk_split(sex)
    trunk = DE_LEVA[sex]["trunk"]
    assert j == LOWER_TRUNK_SHARE[sex]
    assert thorax.mass + pelvis.mass == pytest.approx(trunk.mass)
    u_t = 1.0 - trunk.cm
    assert thorax.mass * thorax.u_cm + pelvis.mass * pelvis.u_cm == pytest.approx(
        trunk.mass * u_t)
    assert 0 < pelvis.u_cm < j < thorax.u_cm < 1
    for k_part, k_pel, r_trunk in ((thorax.k_ap, pelvis.k_ap, trunk.r_sag),
                                   (thorax.k_ml, pelvis.k_ml, trunk.r_trans)):
        total = sum(p.mass * (k**2 + (p.u_cm - u_t) ** 2)
                    for p, k in ((thorax, k_part), (pelvis, k_pel)))
        assert total == pytest.approx(trunk.mass * r_trunk**2)          # parallel axes
    assert thorax.mass * thorax.k_long**2 + pelvis.mass * pelvis.k_long**2 == pytest.approx(
        trunk.mass * trunk.r_long**2)


@pytest.mark.parametrize("omega", [3.0, -5.0])
def test_rigid_rod_about_its_centre(omega: float) -> None:
    p0, p1 = _rod(omega)
    s = limb_state(p0, p1, TIME, ROD, mass_kg=2.0)
    h = about([s], s.com, s.vel) @ UP
    inertia = 2.0 * 0.8**2 / 12
    np.testing.assert_allclose(h[1:-1], inertia * omega, rtol=1e-3)
    # scaling with mass
    s4 = limb_state(p0, p1, TIME, ROD, mass_kg=4.0)
    np.testing.assert_allclose(about([s4], s4.com, s4.vel) @ UP, 2 * h)


def test_point_mass_on_a_circle_is_the_remote_term() -> None:
    omega, radius = 2.0, 0.5
    p0, p1 = _rod(omega, length=2 * radius)
    point = SegmentParams(mass=1.0, cm=1.0, r_sag=0.0, r_trans=0.0, r_long=0.0)
    s = limb_state(p0, p1, TIME, point, mass_kg=3.0)              # all mass at the end
    zero = np.zeros_like(s.com)
    np.testing.assert_allclose((about([s], zero, zero) @ UP)[1:-1], 3.0 * radius**2 * omega,
                               rtol=1e-3)


def test_counter_rotating_limbs_cancel() -> None:
    a = limb_state(*_rod(4.0, centre=(0.2, 0, 0)), TIME, ROD, 1.5)
    b = limb_state(*_rod(-4.0, centre=(-0.2, 0, 0)), TIME, ROD, 1.5)
    com = (a.com + b.com) / 2
    vel = (a.vel + b.vel) / 2
    h_a, h_b = about([a], com, vel) @ UP, about([b], com, vel) @ UP
    assert np.abs(h_a).max() > 0.1
    np.testing.assert_allclose(h_a + h_b, 0.0, atol=1e-9)
    strikes = np.arange(0.1, 3.9, 0.7)
    np.testing.assert_allclose(cancellation_index(h_a, h_b, TIME, strikes), 1.0)
    # no cancellation at all: the same momentum twice
    np.testing.assert_allclose(cancellation_index(h_a, h_a, TIME, strikes), 0.0, atol=1e-12)


def _counter_swing(lag_s: float = 0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    stride = 0.7
    lower = np.sin(2 * np.pi * TIME / stride)
    upper = -0.8 * np.sin(2 * np.pi * (TIME - lag_s) / stride)
    return upper, lower, np.arange(0.05, 3.95, stride)


def test_correlation_lag_and_arm_share() -> None:
    upper, lower, strikes = _counter_swing()
    r, lag = upper_lower_correlation(upper, lower, TIME, strikes)
    assert r == pytest.approx(-1.0) and lag == pytest.approx(0.0)
    upper, lower, strikes = _counter_swing(lag_s=0.07)          # upper follows by 10 %
    r, lag = upper_lower_correlation(upper, lower, TIME, strikes)
    assert r < -0.7 and lag == pytest.approx(10.0, abs=1.0)
    np.testing.assert_allclose(arm_share(upper, lower, TIME, strikes), 0.8, rtol=1e-3)
    np.testing.assert_allclose(stride_peaks(lower, TIME, strikes), 1.0, rtol=1e-3)
    assert math.isnan(upper_lower_correlation(upper, lower, TIME, np.zeros(0))[0])
    assert normalised(np.array([2.0]), 70.0, 4.0, 1.0)[0] == pytest.approx(2.0 / 280.0)
    assert math.isnan(normalised(np.array([2.0]), 70.0, math.nan, 1.0)[0])


def _standing_body() -> np.ndarray:
    """(T, 33, 3) world landmarks of a standing body (x right, y down, z depth), hip-centred."""
    pts = {"shoulder": (0.18, -0.50), "elbow": (0.20, -0.22), "wrist": (0.20, 0.02),
           "pinky": (0.20, 0.10), "index": (0.20, 0.10), "hip": (0.09, 0.0),
           "knee": (0.09, 0.45), "ankle": (0.09, 0.88), "heel": (0.09, 0.95),
           "foot_index": (0.09, 0.95), "ear": (0.07, -0.70)}
    world = np.full((TIME.size, 33, 3), np.nan)
    for part, (half, y) in pts.items():
        for side, sign in (("left", 1.0), ("right", -1.0)):
            world[:, INDEX[f"{side}_{part}"]] = (sign * half, y, 0.0)
    for side in ("left", "right"):                       # toes forward (away from camera)
        world[:, INDEX[f"{side}_foot_index"], 2] = 0.2
    return world


def _yaw(world: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """Rotate every frame about the vertical axis through the origin by ``angle`` (rad,
    counter-clockwise seen from above)."""
    c, s = np.cos(angle)[:, None], np.sin(angle)[:, None]
    x, z = world[..., 0], world[..., 2]
    out = world.copy()
    out[..., 0], out[..., 2] = c * x - s * z, s * x + c * z
    return out


def test_whole_body_static_and_translating_has_no_momentum() -> None:
    world = _standing_body() + np.array([0.3, 0.0, 0.0]) * TIME[:, None, None]
    bm = angular_momentum(world, TIME, 70.0)
    np.testing.assert_allclose(bm.whole, 0.0, atol=1e-9)
    assert set(bm.segments) >= {"thorax", "pelvis", "head", "left_hand", "right_foot"}
    assert len(bm.segments) == 15 and bm.omitted == ()      # trunk in two, head, 12 limb
    np.testing.assert_allclose(bm.upper + bm.lower, bm.whole)
    assert world_coverage(world) == 1.0 and world_coverage(None) == 0.0
    assert com_height(world, bm.com) == pytest.approx(0.95 - bm.com[0, 1])       # y down


def test_rigid_yaw_of_the_whole_body() -> None:
    omega = 1.5
    world = _yaw(_standing_body(), omega * TIME)
    bm = angular_momentum(world, TIME, 60.0, "f")
    bm2 = angular_momentum(world, TIME, 120.0, "f")
    h = bm.whole[2:-2]
    assert h.min() > 0 and np.ptp(h) < 1e-3 * h.mean()         # constant, counter-clockwise
    np.testing.assert_allclose(bm2.whole, 2 * bm.whole)         # scales with mass
    # H = I_z omega: every segment spins with the body, so each part is positive
    assert all(v[2:-2].min() > 0 for v in bm.segments.values())


def test_trunk_yaw_is_the_long_axis_inertia() -> None:
    """A vertical trunk yawing in place: thorax + pelvis spin = m_T (r_long L)^2 omega."""
    world = _standing_body()
    omega = 2.0
    trunk = [INDEX[f"{s}_{p}"] for s in ("left", "right") for p in ("shoulder", "hip")]
    world[:, trunk] = _yaw(world, omega * TIME)[:, trunk]
    states, _ = segment_states(world, TIME, 80.0, "m")
    spin = sum(s.h_local for s in states if s.name in ("thorax", "pelvis")) @ UP
    expected = 0.4346 * 80.0 * (0.197 * 0.50) ** 2 * omega
    np.testing.assert_allclose(spin[2:-2], expected, rtol=1e-3)


def test_missing_hands_and_head_are_omitted() -> None:
    world = _standing_body()
    for name in ("left_pinky", "left_index", "left_ear", "right_ear"):
        world[:, INDEX[name]] = np.nan
    bm = angular_momentum(world, TIME)
    assert bm.omitted == ("left_hand", "head")
    assert np.isfinite(bm.whole).all()


def test_trunk_moment_translation_term() -> None:
    """Static body, world origin accelerating sideways: M_z = -(x_J - x_CU) m_U a_z."""
    world = _standing_body()
    world[:, INDEX["left_shoulder"], 0] += 0.1          # the upper body leans to one side
    world[:, INDEX["left_elbow"], 0] += 0.1
    acc = np.zeros((TIME.size, 3))
    acc[:, 2] = 3.0
    mz0 = trunk_vertical_moment(world, TIME, 70.0)
    np.testing.assert_allclose(mz0, 0.0, atol=1e-9)
    mz = trunk_vertical_moment(world, TIME, 70.0, origin_acc=acc)
    states, _ = segment_states(world, TIME, 70.0)
    upper = [s for s in states if s.group == "upper"]
    m_u = sum(s.mass for s in upper)
    x_cu = sum(s.mass * s.com[0, 0] for s in upper) / m_u
    ms = (world[0, INDEX["left_shoulder"]] + world[0, INDEX["right_shoulder"]]) / 2
    x_j = LOWER_TRUNK_SHARE["m"] * ms[0]                 # MH = 0
    np.testing.assert_allclose(mz, -(x_j - x_cu) * m_u * 3.0, rtol=1e-9)


def test_trunk_moment_of_an_oscillating_upper_body_is_i_alpha() -> None:
    """Upper body yawing about the vertical through its own COM: M_z = I_U,z alpha."""
    world = _standing_body()
    amp, f = 0.3, 1.4
    angle = amp * np.sin(2 * np.pi * f * TIME)
    upper = [INDEX[n] for n in INDEX if n.split("_", 1)[-1] in
             ("shoulder", "elbow", "wrist", "pinky", "index", "ear")]
    world[:, upper] = _yaw(world, angle)[:, upper]
    mz = trunk_vertical_moment(world, TIME, 70.0)
    states, _ = segment_states(world, TIME, 70.0)
    parts = [s for s in states if s.group == "upper"]
    com = sum(s.mass * s.com for s in parts) / sum(s.mass for s in parts)
    omega = amp * 2 * np.pi * f * np.cos(2 * np.pi * f * TIME)
    alpha = -amp * (2 * np.pi * f) ** 2 * np.sin(2 * np.pi * f * TIME)
    k = np.argmax(np.abs(omega))
    inertia = (about(parts, com, np.zeros_like(com)) @ UP)[k] / omega[k]
    inner = slice(10, -10)
    err = mz[inner] - inertia * alpha[inner]
    assert np.abs(err).max() < 0.02 * np.abs(inertia * alpha).max()
