"""Pinhole camera: known projections, view geometry and default framing."""

from __future__ import annotations

import numpy as np
import pytest

from mechanics.synth.body import make_body
from mechanics.synth.camera import Camera, look_at, make_camera
from mechanics.synth.params import SynthParams


def simple_camera(focal=1000.0):
    pos = np.array([0.0, -4.0, 1.0])
    return Camera(1280, 720, focal, pos, look_at(pos, np.array([0.0, 0.0, 1.0])))


def test_projection_of_known_points():
    cam = simple_camera()
    uv, depth = cam.project(np.array([[0.0, 0.0, 1.0], [0.5, 0.0, 1.5], [0.0, 1.0, 0.5]]))
    assert np.allclose(uv[0], [640, 360])
    assert np.allclose(uv[1], [640 + 1000 * 0.5 / 4, 360 - 1000 * 0.5 / 4])   # forward = right
    assert np.allclose(uv[2], [640, 360 + 1000 * 0.5 / 5])
    assert np.allclose(depth, [4, 4, 5])


def test_points_behind_the_camera_are_nan():
    uv, depth = simple_camera().project(np.array([0.0, -5.0, 1.0]))
    assert depth < 0 and np.all(np.isnan(uv))


def test_jacobian_matches_finite_differences():
    cam = make_camera(SynthParams(view="oblique", oblique_angle=30), make_body())
    p = np.array([0.2, 0.1, 1.1])
    num = np.stack([(cam.project(p + e)[0] - cam.project(p - e)[0]) / 2e-6
                    for e in np.eye(3) * 1e-6], axis=1)
    assert np.allclose(cam.jacobian(p), num, rtol=1e-5, atol=1e-3)


def test_side_view_right_side_near_and_travel_to_image_right():
    body = make_body()
    cam = make_camera(SynthParams(view="side"), body)
    (ul, ur), (dl, dr) = cam.project(np.array([[0.0, 0.1, 1.0], [0.0, -0.1, 1.0]]))
    assert dr < dl
    (u0, _), (u1, _) = cam.project(np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 1.0]]))[0]
    assert u1 > u0


@pytest.mark.parametrize("view,left_on_image_right", [("front", True), ("back", False)])
def test_front_and_back_mirror_the_sides(view, left_on_image_right):
    cam = make_camera(SynthParams(view=view), make_body())
    uv, _ = cam.project(np.array([[0.0, 0.2, 1.0], [0.0, -0.2, 1.0]]))
    assert (uv[0, 0] > uv[1, 0]) == left_on_image_right


@pytest.mark.parametrize("size,fraction", [((1280, 720), 0.55), ((720, 1280), 0.5),
                                           ((1920, 1080), 0.6)])
def test_default_framing_standing_height_fraction(size, fraction):
    body = make_body(1.8)
    p = SynthParams(width=size[0], height=size[1], figure_fraction=fraction, distance=5.0)
    cam = make_camera(p, body)
    assert cam.project(np.array([0.0, 0.0, body.hip_height]))[0] == pytest.approx(
        [size[0] / 2, size[1] / 2])
    top, bottom = cam.project(np.array([[0.0, 0.0, body.standing_height], [0.0, 0.0, 0.0]]))[0]
    assert (bottom[1] - top[1]) / size[1] == pytest.approx(fraction, rel=0.02)
