"""View detection (side / front / back / oblique), facing direction, event confidence."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mechanics.pose.skeleton import INDEX
from mechanics.sequence import PoseSequence
from mechanics.view import ViewEstimate, detect_view, event_confidence, facing_direction

TORSO = 250.0
HALF_WIDTH = {"shoulder": 0.85 * TORSO / 2, "hip": 0.40 * TORSO / 2, "ear": 30.0,
              "heel": 40.0, "foot_index": 40.0}
HEIGHT = {"shoulder": TORSO, "hip": 0.0, "ear": TORSO + 80, "heel": -420.0,
          "foot_index": -430.0}
FORWARD = {"heel": -30.0, "foot_index": 90.0, "ear": -10.0, "shoulder": 0.0, "hip": 0.0}


def body(yaw_deg: float, n: int = 20, with_z: bool = True, jitter: float = 1.0,
         seed: int = 0) -> PoseSequence:
    """A standing body rotated by ``yaw`` about the vertical (0 = facing the camera,
    90 = facing image right with its right side to the camera, 180 = back to the camera)."""
    rng = np.random.default_rng(seed)
    th = math.radians(yaw_deg)
    left = np.array([math.cos(th), math.sin(th)])        # (image x, depth z)
    fwd = np.array([math.sin(th), -math.cos(th)])
    seq = PoseSequence.empty(n, world=False, fps=30.0)
    seq.time = np.arange(n) / 30.0
    for part, hw in HALF_WIDTH.items():
        for side, sgn in (("left", 1.0), ("right", -1.0)):
            p = sgn * hw * left + FORWARD[part] * fwd
            j = INDEX[f"{side}_{part}"]
            seq.image[:, j, 0] = 500.0 + p[0] + rng.normal(0, jitter, n)
            seq.image[:, j, 1] = 600.0 - HEIGHT[part] + rng.normal(0, jitter, n)
            seq.image[:, j, 2] = p[1] if with_z else np.nan
            seq.visibility[:, j] = 1.0
    nose = 40.0 * fwd
    seq.image[:, INDEX["nose"]] = [500.0 + nose[0], 600.0 - TORSO - 90, nose[1]]
    return seq


@pytest.mark.parametrize("yaw, facing, near", [(90.0, 1, "right"), (-90.0, -1, "left"),
                                                (80.0, 1, "right")])
def test_side_view(yaw: float, facing: int, near: str) -> None:
    v = detect_view(body(yaw))
    assert isinstance(v, ViewEstimate)
    assert v.view == "side"
    assert v.facing == facing
    assert v.near_side == near
    assert v.yaw_deg > 70
    assert v.confidence > 0.7


@pytest.mark.parametrize("yaw, view", [(0.0, "front"), (10.0, "front"), (180.0, "back"),
                                       (170.0, "back")])
def test_front_and_back(yaw: float, view: str) -> None:
    v = detect_view(body(yaw))
    assert v.view == view
    assert v.facing == 0
    assert v.yaw_deg < 20
    assert v.confidence > 0.7


@pytest.mark.parametrize("yaw", [45.0, -45.0, 135.0])
def test_oblique(yaw: float) -> None:
    v = detect_view(body(yaw))
    assert v.view == "oblique"
    assert 35 < v.yaw_deg < 55


def test_widths_alone_without_depth() -> None:
    assert detect_view(body(90.0, with_z=False)).view == "side"
    assert detect_view(body(0.0, with_z=False)).view == "front"
    assert detect_view(body(45.0, with_z=False)).view == "oblique"


def test_empty_sequence_is_unknown() -> None:
    seq = PoseSequence.empty(10, world=False)
    v = detect_view(seq)
    assert v.view == "unknown" and v.confidence == 0.0


def test_facing_direction_from_feet_or_head() -> None:
    assert facing_direction(body(90.0))[0] == 1
    assert facing_direction(body(-90.0))[0] == -1
    seq = body(-90.0)
    for part in ("heel", "foot_index"):
        for side in ("left", "right"):
            seq.image[:, INDEX[f"{side}_{part}"]] = np.nan
    d, conf = facing_direction(seq)                    # nose ahead of the ears only
    assert d == -1 and conf > 0.9
    assert facing_direction(PoseSequence.empty(5, world=False)) == (0, 0.0)


@pytest.mark.parametrize("fps, sprint, want", [
    (30.0, False, "low"), (59.94, False, "ok"), (60.0, False, "ok"), (120.0, False, "ok"),
    (60.0, True, "low"), (119.88, True, "ok"), (240.0, True, "ok"), (math.nan, False, "low"),
    (0.0, True, "low"),
])
def test_event_confidence(fps: float, sprint: bool, want: str) -> None:
    assert event_confidence(fps, sprint) == want
