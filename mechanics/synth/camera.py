"""Pinhole camera for the synthetic runner.

World frame: x = direction of travel, y = runner's left, z = up (m). Camera frame (OpenCV):
x right, y down, z forward; pixel (u, v) with origin at the top-left pixel corner, v down;
``depth`` is the camera-frame z (m, distance along the optical axis).

Views (direction from the runner to the camera):

- ``side``: the runner's RIGHT side faces the camera and the runner runs toward image right
  (the near limbs are the right ones);
- ``front``: camera ahead of the runner, looking back at them;
- ``back``: camera behind the runner;
- ``oblique``: the side view turned by ``oblique_angle`` toward the front (90 = front,
  negative = rear-oblique).

The camera is level-ish: at ``camera_height`` and aimed at the standing hip height above the
runner's mean path position. The focal length makes a standing runner ``figure_fraction`` of
the frame height at ``distance`` (running lowers the figure a few per cent).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mechanics.synth.body import Body
from mechanics.synth.params import SynthParams


@dataclass(frozen=True)
class Camera:
    """A pinhole camera without distortion.

    Attributes
    ----------
    width, height : int
        Frame size (px).
    focal : float
        Focal length (px), square pixels.
    position : (3,) array
        Camera centre in the world (m).
    rotation : (3, 3) array
        World -> camera rotation; rows are the camera's right, down and forward axes.
    """

    width: int
    height: int
    focal: float
    position: np.ndarray
    rotation: np.ndarray

    @property
    def principal_point(self) -> tuple[float, float]:
        """(cx, cy) in pixels: the frame centre."""
        return self.width / 2.0, self.height / 2.0

    def to_camera(self, points: np.ndarray) -> np.ndarray:
        """World points (..., 3) -> camera-frame points (..., 3) (m)."""
        return (np.asarray(points, dtype=float) - self.position) @ self.rotation.T

    def project(self, points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """World points (..., 3) -> pixels (..., 2) and depth (...) (m).

        Points at or behind the camera (depth <= 1 mm) get NaN pixels.
        """
        cam = self.to_camera(points)
        depth = cam[..., 2]
        safe = np.where(depth > 1e-3, depth, np.nan)
        cx, cy = self.principal_point
        uv = np.stack([self.focal * cam[..., 0] / safe + cx,
                       self.focal * cam[..., 1] / safe + cy], axis=-1)
        return uv, depth

    def jacobian(self, point: np.ndarray) -> np.ndarray:
        """d(pixel)/d(world point) at ``point`` (2, 3): the local affine projection."""
        x, y, z = self.to_camera(point)
        j = self.focal / z * np.array([[1.0, 0.0, -x / z], [0.0, 1.0, -y / z]])
        return j @ self.rotation

    def as_dict(self) -> dict[str, object]:
        """JSON-ready description (intrinsics and extrinsics)."""
        cx, cy = self.principal_point
        return {"width": self.width, "height": self.height, "focal_px": self.focal,
                "principal_point_px": [cx, cy], "position_m": self.position.tolist(),
                "rotation_world_to_camera": self.rotation.tolist(),
                "axes": "camera x right, y down, z forward (depth); world x travel, y left, z up"}


UP = np.array([0.0, 0.0, 1.0])


def look_at(position: np.ndarray, target: np.ndarray, up: np.ndarray = UP) -> np.ndarray:
    """World -> camera rotation for a camera at ``position`` looking at ``target``."""
    forward = np.asarray(target, float) - np.asarray(position, float)
    forward /= np.linalg.norm(forward)
    right = np.cross(forward, up)
    right /= np.linalg.norm(right)
    down = np.cross(forward, right)
    return np.stack([right, down, forward])


def view_direction(view: str, oblique_angle: float = 45.0) -> np.ndarray:
    """Unit horizontal vector from the runner toward the camera."""
    angle = {"side": 0.0, "front": 90.0, "back": -90.0}.get(view, oblique_angle)
    a = np.radians(angle)
    return np.array([np.sin(a), -np.cos(a), 0.0])


def make_camera(params: SynthParams, body: Body) -> Camera:
    """The camera described by ``params`` for a runner with dimensions ``body``."""
    target = np.array([0.0, 0.0, body.hip_height])
    direction = view_direction(params.view, params.oblique_angle)
    position = np.array([0.0, 0.0, params.camera_height]) + params.distance * direction
    slant = float(np.linalg.norm(target - position))
    focal = params.figure_fraction * params.height * slant / body.standing_height
    return Camera(params.width, params.height, focal, position, look_at(position, target))
