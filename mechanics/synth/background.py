"""Static backgrounds for synthetic clips: plain room, blurred noise, or an image file.

The plain room has a light wall and a darker floor meeting at a line 3 m behind the runner
(the horizon when the runner moves toward or away from the camera overground), plus a dark
treadmill belt under the runner in treadmill mode.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from mechanics.errors import MechanicsError
from mechanics.synth.camera import Camera
from mechanics.synth.params import SynthParams

WALL = (215, 210, 205)
FLOOR = (140, 145, 150)
BELT = (45, 45, 48)
BELT_HALF = (0.9, 0.3)        # treadmill belt half length (x) and half width (y), m


def make_background(params: SynthParams, camera: Camera) -> np.ndarray:
    """The background image (height, width, 3) uint8 BGR for ``params``."""
    if params.background == "plain":
        return plain_room(params, camera)
    if params.background == "noise":
        return blurred_noise(params.width, params.height, params.seed)
    return image_file(Path(params.background), params.width, params.height)


def _floor_polygon(params: SynthParams, camera: Camera) -> np.ndarray | None:
    """Image polygon of the floor (below the wall line or the horizon), or None."""
    fwd = camera.rotation[2].copy()
    fwd[2] = 0.0
    fwd /= np.linalg.norm(fwd)
    right = np.array([fwd[1], -fwd[0], 0.0])
    sideways = params.view == "side" or params.treadmill
    reach = params.distance + 3.0 if sideways else 1e4
    base = camera.position * np.array([1.0, 1.0, 0.0]) + reach * fwd
    ends = np.stack([base - 3 * reach * right, base + 3 * reach * right])
    if not sideways:
        ends[:, 2] = camera.position[2]       # the horizon: far points at eye height
    uv, depth = camera.project(ends)
    if np.any(depth <= 0) or np.any(np.isnan(uv)):
        return None
    (x0, y0), (x1, y1) = uv
    w, h = camera.width, camera.height
    ya = y0 + (0 - x0) * (y1 - y0) / (x1 - x0)
    yb = y0 + (w - x0) * (y1 - y0) / (x1 - x0)
    return np.array([[0, ya], [w, yb], [w, h + 10 * h], [0, h + 10 * h]])


def plain_room(params: SynthParams, camera: Camera) -> np.ndarray:
    """Wall, floor and (treadmill) belt."""
    img = np.empty((params.height, params.width, 3), np.uint8)
    img[:] = WALL
    floor = _floor_polygon(params, camera)
    if floor is not None:
        cv2.fillPoly(img, [np.round(floor * 16).astype(np.int32)], FLOOR, cv2.LINE_AA, 4)
    if params.treadmill:
        lx, ly = BELT_HALF
        corners = np.array([[-lx, -ly, 0.0], [lx, -ly, 0.0], [lx, ly, 0.0], [-lx, ly, 0.0]])
        uv, depth = camera.project(corners)
        if np.all(depth > 0):
            cv2.fillConvexPoly(img, np.round(uv * 16).astype(np.int32), BELT, cv2.LINE_AA, 4)
    return img


def blurred_noise(width: int, height: int, seed: int) -> np.ndarray:
    """Mid-grey with blurred colour noise (structure ~10 px), reproducible from ``seed``."""
    rng = np.random.default_rng(seed)
    small = rng.normal(128.0, 45.0, (height // 8 + 2, width // 8 + 2, 3)).astype(np.float32)
    big = cv2.resize(small, (width, height), interpolation=cv2.INTER_CUBIC)
    big = cv2.GaussianBlur(big, (0, 0), 4.0)
    return np.clip(big, 0, 255).astype(np.uint8)


def image_file(path: Path, width: int, height: int) -> np.ndarray:
    """An image scaled to cover the frame and centre-cropped."""
    img = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if img is None:
        raise MechanicsError("background is not 'plain', 'noise' or a readable image", path)
    scale = max(width / img.shape[1], height / img.shape[0])
    size = (max(width, round(img.shape[1] * scale)), max(height, round(img.shape[0] * scale)))
    img = cv2.resize(img, size, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
    y0, x0 = (img.shape[0] - height) // 2, (img.shape[1] - width) // 2
    return np.ascontiguousarray(img[y0:y0 + height, x0:x0 + width])
