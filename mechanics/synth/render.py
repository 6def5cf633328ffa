"""Fast painter's-algorithm renderer of the synthetic runner (OpenCV, one core).

Per frame: copy the static background, blend a soft ground shadow under the pelvis, draw the
depth-sorted shaded primitives from :mod:`mechanics.synth.figure` far to near, then add
optional Gaussian pixel noise (drawn from a seeded pool of noise fields at random offsets, so
it is reproducible and cheap).
"""

from __future__ import annotations

import cv2
import numpy as np

from mechanics.synth import shapes
from mechanics.synth.background import make_background
from mechanics.synth.body import Body
from mechanics.synth.camera import Camera
from mechanics.synth.figure import FigureBuilder, Prim
from mechanics.synth.gait_model import Pose
from mechanics.synth.params import SynthParams

SHADOW_SEMI = (0.32, 0.16)   # m, shadow ellipse semi-axes along x and y
SHADOW_ALPHA = 0.35
NOISE_POOL, NOISE_PAD = 4, 32


class Renderer:
    """Renders frames of one clip.

    Parameters
    ----------
    params : SynthParams
    camera : Camera
    body : Body
    """

    def __init__(self, params: SynthParams, camera: Camera, body: Body) -> None:
        self.params, self.camera = params, camera
        self.background = make_background(params, camera)
        self.figure = FigureBuilder(body, camera, params.trunk_lean)
        self._rng = np.random.default_rng(params.seed + 1)
        self._noise = self._noise_pool() if params.noise > 0 else None

    def _noise_pool(self) -> list[np.ndarray]:
        rng = np.random.default_rng(self.params.seed + 2)
        shape = (self.params.height + NOISE_PAD, self.params.width + NOISE_PAD, 3)
        return [np.round(rng.normal(0.0, self.params.noise, shape)).astype(np.int16)
                for _ in range(NOISE_POOL)]

    def render(self, pose: Pose) -> np.ndarray:
        """The frame (height, width, 3) uint8 BGR for instant 0 of ``pose``."""
        img = self.background.copy()
        self._shadow(img, pose.points["mid_hip"][0])
        self.draw_figure(img, pose)
        if self._noise is not None:
            k, dy, dx = self._rng.integers(0, [NOISE_POOL, NOISE_PAD, NOISE_PAD])
            crop = self._noise[k][dy:dy + img.shape[0], dx:dx + img.shape[1]]
            img = cv2.add(img, crop, dtype=cv2.CV_8U)
        return img

    def draw_figure(self, img: np.ndarray, pose: Pose) -> np.ndarray:
        """Draw only the runner (instant 0 of ``pose``) onto ``img`` in place; returns it."""
        for prim in self.figure.primitives(pose):
            draw(img, prim)
        return img

    def figure_mask(self, pose: Pose) -> np.ndarray:
        """Boolean (height, width) mask of the runner's pixels (anti-aliased edges included)."""
        canvas = np.zeros((self.params.height, self.params.width, 3), np.uint8)
        return self.draw_figure(canvas, pose).any(axis=2)

    def _shadow(self, img: np.ndarray, mid_hip: np.ndarray) -> None:
        centre = np.array([mid_hip[0], mid_hip[1], 0.0])
        uv, depth = self.camera.project(centre)
        if depth < 0.3 or np.any(np.isnan(uv)):
            return
        axes, angle = shapes.projected_ellipse(self.camera.jacobian(centre),
                                               np.diag([*SHADOW_SEMI, 0.0]))
        r = int(axes[0]) + 4
        h, w = img.shape[:2]
        x0, x1 = max(0, int(uv[0]) - r), min(w, int(uv[0]) + r)
        y0, y1 = max(0, int(uv[1]) - r), min(h, int(uv[1]) + r)
        if x1 <= x0 or y1 <= y0:
            return
        roi = img[y0:y1, x0:x1]
        dark = roi.copy()
        shapes.ellipse(dark, uv - [x0, y0], axes, angle, (0.0, 0.0, 0.0))
        cv2.GaussianBlur(dark, (0, 0), max(1.0, axes[1] * 0.15), dst=dark)
        cv2.addWeighted(dark, SHADOW_ALPHA, roi, 1 - SHADOW_ALPHA, 0, dst=roi)


def draw(img: np.ndarray, prim: Prim) -> None:
    """Execute one drawing command (or a group of them)."""
    _dispatch(img, prim.kind, prim.args)


def _dispatch(img: np.ndarray, kind: str, args: tuple) -> None:
    if kind == "capsule":
        shapes.capsule(img, *args)
    elif kind == "ellipse":
        shapes.ellipse(img, *args)
    elif kind == "disc":
        uv, r, colour = args
        shapes.disc(img, uv, r, tuple(int(c) for c in colour))
    elif kind == "poly":
        uv, colour, bright = args
        shapes.polygon(img, uv, shapes.shade(colour, bright))
    elif kind == "group":
        for sub_kind, sub_args in args:
            _dispatch(img, sub_kind, sub_args)
    else:
        raise ValueError(f"unknown primitive {kind!r}")


def render_frame(params: SynthParams, t: float) -> np.ndarray:
    """Convenience: one frame at time ``t`` (s) for ``params`` (builds everything)."""
    from mechanics.synth.camera import make_camera
    from mechanics.synth.gait_model import RunnerModel

    model = RunnerModel(params)
    camera = make_camera(params, model.body)
    return Renderer(params, camera, model.body).render(model.pose(np.array([t])))
