"""Shaded 2D primitives drawn with OpenCV: tapered capsules and ellipses.

Each primitive is drawn in three layers (dark rim, mid tone, highlight) whose centres shift
toward an image-space light from the upper left, which reads as a lit cylinder or ellipsoid.
All coordinates are float pixels; drawing uses 4 fractional bits (``shift=4``) and LINE_AA.
"""

from __future__ import annotations

import cv2
import numpy as np

SHIFT = 4
SCALE = 1 << SHIFT
LIGHT = np.array([-0.45, -0.89])              # image-space light direction (unit, up-left)
#: (width fraction, offset toward the light in radii, brightness) per layer
LAYERS = ((1.0, 0.0, 0.80), (0.72, 0.16, 0.93), (0.36, 0.36, 1.05))


def shade(colour: tuple[float, float, float], factor: float) -> tuple[int, int, int]:
    """BGR colour scaled by ``factor`` and clipped to 0-255."""
    return tuple(int(min(255.0, max(0.0, c * factor))) for c in colour)


def _fixed(p: np.ndarray) -> np.ndarray:
    return np.round(np.asarray(p) * SCALE).astype(np.int32)


def disc(img: np.ndarray, centre: np.ndarray, radius: float, colour: tuple[int, ...]) -> None:
    """Filled anti-aliased circle."""
    cv2.circle(img, tuple(int(v) for v in _fixed(centre)), max(1, int(radius * SCALE)),
               colour, -1, cv2.LINE_AA, SHIFT)


def polygon(img: np.ndarray, points: np.ndarray, colour: tuple[int, ...]) -> None:
    """Filled anti-aliased convex polygon (points (n, 2) in px)."""
    cv2.fillConvexPoly(img, _fixed(points), colour, cv2.LINE_AA, SHIFT)


def flat_capsule(img: np.ndarray, p1: np.ndarray, p2: np.ndarray, r1: float, r2: float,
                 colour: tuple[int, ...]) -> None:
    """One filled tapered capsule (two end discs joined by a quadrilateral)."""
    d = p2 - p1
    n = np.linalg.norm(d)
    if n > 1e-6:
        perp = np.array([-d[1], d[0]]) / n
        quad = np.array([p1 + r1 * perp, p2 + r2 * perp, p2 - r2 * perp, p1 - r1 * perp])
        cv2.fillConvexPoly(img, _fixed(quad), colour, cv2.LINE_AA, SHIFT)
    disc(img, p1, r1, colour)
    disc(img, p2, r2, colour)


def capsule(img: np.ndarray, p1: np.ndarray, p2: np.ndarray, r1: float, r2: float,
            colour: tuple[float, float, float], bright: float = 1.0) -> None:
    """Shaded tapered capsule from ``p1`` (radius ``r1``) to ``p2`` (``r2``), pixels."""
    d = p2 - p1
    n = np.linalg.norm(d)
    perp = np.array([-d[1], d[0]]) / n if n > 1e-6 else -LIGHT
    if perp @ LIGHT < 0:
        perp = -perp
    toward = perp * (perp @ LIGHT)
    for width, offset, level in LAYERS:
        if width * min(r1, r2) < 0.6:
            break
        flat_capsule(img, p1 + toward * offset * r1, p2 + toward * offset * r2,
                     width * r1, width * r2, shade(colour, level * bright))


def ellipse(img: np.ndarray, centre: np.ndarray, axes: np.ndarray, angle: float,
            colour: tuple[float, float, float], bright: float = 1.0) -> None:
    """Shaded filled ellipse; ``axes`` are the two semi-axes (px), ``angle`` in degrees."""
    a = np.radians(angle)
    u = np.array([np.cos(a), np.sin(a)])
    v = np.array([-u[1], u[0]])
    shift = axes[0] * (u @ LIGHT) * u + axes[1] * (v @ LIGHT) * v
    for width, offset, level in LAYERS:
        if width * min(axes) < 0.6:
            break
        c = centre + shift * offset
        cv2.ellipse(img, tuple(int(x) for x in _fixed(c)),
                    tuple(max(1, int(x * width * SCALE)) for x in axes), angle, 0, 360,
                    shade(colour, level * bright), -1, cv2.LINE_AA, SHIFT)


def projected_ellipse(jacobian: np.ndarray, semi_axes: np.ndarray) -> tuple[np.ndarray, float]:
    """Image ellipse of an ellipsoid under the local affine projection.

    Parameters
    ----------
    jacobian : (2, 3) d(pixel)/d(world) at the ellipsoid centre.
    semi_axes : (3, 3) columns are the ellipsoid's semi-axis vectors (m).

    Returns
    -------
    (axes, angle) : (2,) semi-axes in px (major first) and the major-axis angle in degrees.
    """
    m = jacobian @ semi_axes
    vals, vecs = np.linalg.eigh(m @ m.T)
    vals = np.sqrt(np.maximum(vals, 0.0))
    major = vecs[:, 1]
    return np.array([vals[1], vals[0]]), float(np.degrees(np.arctan2(major[1], major[0])))
