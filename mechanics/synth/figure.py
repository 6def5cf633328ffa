"""What the synthetic runner looks like: body parts as 3D capsules and ellipsoids.

:func:`primitives` turns one instant of a :class:`~mechanics.synth.gait_model.Pose` into a
depth-sorted list of 2D drawing commands for :mod:`mechanics.synth.render`. Sizes are design
values in units of stature; colours are BGR. Left and right limbs have the same colours;
parts farther from the camera than the pelvis are drawn darker (up to -45 %) and nearer ones
brighter (up to +10 %), as a lamp near the camera and the body's own shadow do, so near and
far legs differ in shade. Shoes are about as wide as real ones (~9 cm), and the sole shows
only where the camera sees the foot from the side or from below.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mechanics.synth.body import SHOE_SOLE_M, Body
from mechanics.synth.camera import Camera
from mechanics.synth.gait_model import Pose
from mechanics.synth.shapes import projected_ellipse
from mechanics.synth.upper import trunk_axis

SKIN = (135.0, 172.0, 224.0)
SHIRT = (170.0, 95.0, 35.0)
SHORTS = (48.0, 40.0, 40.0)
SHOE = (225.0, 225.0, 230.0)
SOLE = (60.0, 60.0, 60.0)
HAIR = (25.0, 35.0, 50.0)
FEATURE = (40.0, 45.0, 70.0)

#: (start, end, start radius, end radius [units of stature], colour, fraction of the segment).
#: The shank tapers from ~12 cm below the knee to a slim (~6 cm) lower leg above the ankle,
#: where the foot's ankle part (~7 cm) widens again, as a leg does
LIMBS = (
    ("hip", "knee", 0.050, 0.032, SKIN, 1.0), ("hip", "knee", 0.056, 0.048, SHORTS, 0.42),
    ("knee", "ankle", 0.034, 0.017, SKIN, 1.0),
    ("shoulder", "elbow", 0.026, 0.021, SKIN, 1.0),
    ("shoulder", "elbow", 0.032, 0.029, SHIRT, 0.38),
    ("elbow", "wrist", 0.021, 0.016, SKIN, 1.0),
)
#: the segment each LIMBS entry draws (Prim.part is "<side>_<segment>")
SEGMENTS = {("hip", "knee"): "thigh", ("knee", "ankle"): "shank",
            ("shoulder", "elbow"): "upper_arm", ("elbow", "wrist"): "forearm"}
#: brightness falls by this much per metre behind the mid-hip (and rises in front of it),
#: within SHADE_RANGE: the far limbs are in the body's shadow, as under a lamp near the
#: camera (a far leg ~0.1 m behind the mid-hip is drawn ~25 % darker)
DEPTH_SHADE = 2.5
SHADE_RANGE = (0.55, 1.1)
#: the shoe upper's two narrower side capsules lie this many shoe radii either side of the
#: foot's mid-line
SHOE_HALF_OFFSET = 0.4
#: ellipsoids: name -> (semi-axes forward, lateral, up [units of stature], colour)
ELLIPSOIDS = {"chest": ((0.066, 0.1, 0.13), SHIRT), "pelvis": ((0.062, 0.088, 0.085), SHORTS),
              "skull": ((0.057, 0.047, 0.066), HAIR), "face": ((0.050, 0.044, 0.058), SKIN)}


@dataclass(order=True)
class Prim:
    """One drawing command; sorted far -> near by ``-depth``."""

    key: float
    kind: str = field(compare=False)
    args: tuple = field(compare=False)
    #: the body part it draws ("left_thigh", "left_shank", "left_foot", "trunk", ...)
    part: str = field(default="", compare=False)


def _frame(yaw: float, up: np.ndarray) -> np.ndarray:
    """3x3 with columns forward, left, up for a body part yawed by ``yaw`` (rad)."""
    left = np.array([np.sin(yaw), np.cos(yaw), 0.0])
    left -= (left @ up) * up
    left /= np.linalg.norm(left)
    return np.stack([np.cross(left, up), left, up], axis=1)


class FigureBuilder:
    """Builds the drawing commands for one pose instant."""

    def __init__(self, body: Body, camera: Camera, trunk_lean_deg: float) -> None:
        self.body, self.camera = body, camera
        self.axis = trunk_axis(np.radians(trunk_lean_deg))
        self.h = body.stature

    def primitives(self, pose: Pose) -> list[Prim]:
        """Drawing commands for instant 0 of ``pose``, far first."""
        pts = {k: v[0] for k, v in pose.points.items()}
        self.ref = self.camera.to_camera(pts["mid_hip"])[2]
        prims: list[Prim] = []
        self._trunk(prims, pts, float(pose.pelvis_yaw[0]), float(pose.thorax_yaw[0]))
        self._head(prims, pts)
        for prim in prims:
            prim.part = prim.part or "trunk"
        for side in ("left", "right"):
            self._limbs(prims, pts, side)
            self._foot(prims, pts, side)
        prims.sort()
        return prims

    def _bright(self, depth: float) -> float:
        return float(np.clip(1.0 - DEPTH_SHADE * (depth - self.ref), *SHADE_RANGE))

    def _cap_cmd(self, a: np.ndarray, b: np.ndarray, ra: float, rb: float,
                 colour: tuple) -> tuple[float, tuple] | None:
        """(mean depth, capsule command) for a 3D capsule, or None if behind the camera."""
        uv, depth = self.camera.project(np.stack([a, b]))
        if np.any(depth < 0.05):
            return None
        f, mid = self.camera.focal, float(depth.mean())
        return mid, ("capsule", (uv[0], uv[1], f * ra / depth[0], f * rb / depth[1], colour,
                                 self._bright(mid)))

    def _capsule(self, prims: list[Prim], a: np.ndarray, b: np.ndarray, ra: float, rb: float,
                 colour: tuple, bias: float = 0.0, part: str = "") -> None:
        cmd = self._cap_cmd(a, b, ra, rb, colour)
        if cmd is not None:
            prims.append(Prim(-(cmd[0] + bias), *cmd[1], part))

    def _group(self, prims: list[Prim], parts: list[tuple], key: int = 0,
               name: str = "") -> None:
        """Capsules drawn in the given order, depth-sorted as one part by ``parts[key]``."""
        cmds = [self._cap_cmd(*part) for part in parts]
        if all(c is not None for c in cmds):
            prims.append(Prim(-cmds[key][0], "group", tuple(c[1] for c in cmds), name))

    def _ellipsoid(self, prims: list[Prim], centre: np.ndarray, frame: np.ndarray,
                   name: str, bias: float = 0.0) -> None:
        semi, colour = ELLIPSOIDS[name]
        uv, depth = self.camera.project(centre)
        if depth < 0.05:
            return
        axes, angle = projected_ellipse(self.camera.jacobian(centre),
                                        frame * (np.array(semi) * self.h))
        prims.append(Prim(-(float(depth) + bias), "ellipse",
                          (uv, axes, angle, colour, self._bright(float(depth)))))

    def _trunk(self, prims: list[Prim], pts: dict, pelvis_yaw: float, thorax_yaw: float) -> None:
        h, mh = self.h, pts["mid_hip"]
        self._ellipsoid(prims, mh + 0.01 * h * self.axis, _frame(pelvis_yaw, self.axis), "pelvis")
        self._ellipsoid(prims, mh + 0.2 * h * self.axis, _frame(thorax_yaw, self.axis), "chest")
        for side in ("left", "right"):
            s = pts[f"{side}_shoulder"]
            self._capsule(prims, s, s, 0.029 * h, 0.029 * h, SHIRT)
        top = pts["head_centre"] - np.array([0.0, 0.0, 0.04 * h])
        self._capsule(prims, pts["suprasternale"] - 0.01 * h * self.axis, top,
                      0.033 * h, 0.03 * h, SKIN, bias=0.02)

    def _head(self, prims: list[Prim], pts: dict) -> None:
        h, c = self.h, pts["head_centre"]
        upright = np.eye(3)
        self._ellipsoid(prims, c, upright, "skull")
        self._ellipsoid(prims, c + np.array([0.012, 0.0, -0.008]) * h, upright, "face",
                        bias=-0.01)
        to_cam = self.camera.position - c
        for name in ("left_eye", "right_eye"):
            p = pts[name]
            if (p - c) @ to_cam > 0:
                uv, depth = self.camera.project(p)
                r = max(1.0, self.camera.focal * 0.006 * h / depth)
                prims.append(Prim(-(float(depth) - 0.02), "disc", (uv, r, FEATURE)))
        ml, mr = pts["mouth_left"], pts["mouth_right"]
        if ((ml + mr) / 2 - c) @ to_cam > 0:
            uv, depth = self.camera.project(np.stack([ml, mr]))
            r = max(0.8, self.camera.focal * 0.003 * h / depth.mean())
            prims.append(Prim(-(float(depth.mean()) - 0.02), "capsule",
                              (uv[0], uv[1], r, r, FEATURE, 1.0)))

    def _limbs(self, prims: list[Prim], pts: dict, side: str) -> None:
        h = self.h
        groups: dict[tuple[str, str], list[tuple]] = {}
        for start, end, r1, r2, colour, frac in LIMBS:
            a, b = pts[f"{side}_{start}"], pts[f"{side}_{end}"]
            groups.setdefault((start, end), []).append(
                (a, a + frac * (b - a), r1 * h, r1 * h + frac * (r2 - r1) * h, colour))
        for (start, end), parts in groups.items():
            self._group(prims, parts, name=f"{side}_{SEGMENTS[start, end]}")
        w = pts[f"{side}_wrist"]
        knuckles = (pts[f"{side}_index"] + pts[f"{side}_pinky"]) / 2
        self._capsule(prims, w, knuckles, 0.018 * h, 0.024 * h, SKIN, part=f"{side}_hand")

    def _foot(self, prims: list[Prim], pts: dict, side: str) -> None:
        """Shoe: rear-foot upper (heel -> MTP), toe box (MTP -> toe tip), both on the foot's
        sole line, and the sole below it down to the outsole (thinner under load)."""
        heel, mtp, toe = (pts[f"{side}_{k}"] for k in ("heel", "mtp", "foot_index"))
        soles = [pts[f"{side}_sole_{k}"] for k in ("heel", "mtp", "toe")]
        ankle = pts[f"{side}_ankle"]
        along = _unit(mtp - heel)
        up = _unit(np.cross(np.cross(along, ankle - heel), along))
        lateral = np.cross(along, up)
        along2 = _unit(toe - mtp)
        up2 = _unit(np.cross(lateral, along2))
        r = min(0.024 * self.h, (self.body.ankle_height - SHOE_SOLE_M) / 2)
        # a shoe is wider than it is tall (~9 cm x 7 cm): a capsule with a narrower one on
        # either side, drawn first, so the shading keeps one highlight
        w = SHOE_HALF_OFFSET * r * lateral
        upper = [(heel + r * (up + along) + s * w, mtp + r * up + s * w, 0.85 * r, 0.8 * r,
                  SHOE) for s in (-1.0, 1.0)]
        upper.append((heel + r * (up + along), mtp + r * up, r, 0.9 * r, SHOE))
        upper += [(mtp + 0.8 * r * up2 + s * w, toe + 0.6 * r * (up2 - along2) + s * w,
                   0.7 * r, 0.55 * r, SHOE) for s in (-1.0, 1.0)]
        sole = []
        for (a, b), (sa, sb) in (((heel, mtp), soles[:2]), ((mtp, toe), soles[1:])):
            ra = max(0.5 * float(np.linalg.norm(a - sa)), 0.002)
            rb = max(0.5 * float(np.linalg.norm(b - sb)), 0.002)
            sole += [((a + sa) / 2 + s * w, (b + sb) / 2 + s * w, ra, rb, SOLE)
                     for s in (-1.0, 0.0, 1.0)]
        # the sole shows where the camera sees the foot from the side or from below; seen
        # end-on from above it is hidden under the upper (only its edge shows)
        view = _unit(self.camera.position - heel)
        sole_on_top = abs(view @ lateral) > 0.5 or view @ up < 0.0
        parts = [(ankle, heel + r * up + 0.5 * r * along, 0.021 * self.h, r, SKIN)]
        parts += upper + sole if sole_on_top else sole + upper
        # the group sorts by depth as its central upper capsule
        self._group(prims, parts, key=next(i for i, q in enumerate(parts) if q is upper[2]),
                    name=f"{side}_foot")
        # square heel counter so the heel landmark (back of the sole line) is on the shoe
        block = np.stack([soles[0] - 0.05 * r * along, soles[0] + r * along,
                          heel + r * (up + along), heel + r * up - 0.05 * r * along])
        uv, depth = self.camera.project(block)
        if np.all(depth > 0.05):
            prims.append(Prim(-(float(depth.mean()) - 0.004), "poly",
                              (uv, SOLE, self._bright(float(depth.mean()))), f"{side}_foot"))


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v)
