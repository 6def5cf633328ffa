"""Ground truth of a synthetic clip: ``<clip stem>.truth.json`` beside the video.

Layout (schema ``mechanics.synth.truth/1``; times in s, pixels origin top-left, y down)::

    {"schema", "clip", "params": {...SynthParams},
     "video": {"fps", "width", "height", "n_frames", "duration_s"},
     "camera": {"focal_px", "principal_point_px", "position_m", "rotation_world_to_camera", ...},
     "body": {segment lengths (m), ...},
     "world_axes": "...", "landmark_definitions": {...},
     "events": {"left": {"foot_strike": [...], "toe_off": [...]}, "right": {...}},
     "truth": {"cadence_spm", "contact_time_s": {"left", "right"}, ...},
     "landmark_names": [33 names in MediaPipe order],
     "frames": {"time_s": [n], "image": [n][33][x_px, y_px, depth_m],
                "world": [n][33][x, y, z (m)], "contact": {"left": [n 0/1], "right": [...]}}}

Pixels of points behind the camera are null. See :func:`derived_truth` for the ``truth``
keys; every value there is exact by construction or measured on the model's 3D points over
one stride sampled at 4000 instants with the science.md definitions.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from mechanics.atomic import write_text_atomic
from mechanics.errors import MechanicsError
from mechanics.pose.skeleton import LANDMARK_NAMES
from mechanics.synth.camera import Camera
from mechanics.synth.gait_model import Pose, RunnerModel
from mechanics.synth.timing import SIDES

SCHEMA = "mechanics.synth.truth/1"
WORLD_AXES = ("x = direction of travel, y = runner's left, z = up, ground plane z = 0 (m); "
              "treadmill: mean pelvis at x = 0, overground: the runner moves along +x")
DEFINITIONS = {
    "hip": "hip joint centre; MediaPipe's mid-hip is within 2.5 cm of it, in a direction that "
           "changes with the view (docs/cleaning.md)",
    "shoulder": "shoulder joint centre; MediaPipe's mid-shoulder is within 0.5 cm of it "
                "(docs/cleaning.md)",
    "knee/ankle/elbow/wrist": "joint centres",
    "heel": "back end of the foot's sole line: top of the 3 cm shoe sole (2 cm compressible)",
    "foot_index": "toe tip on the foot's sole line (toe segment, MTP joint)",
    "pinky/index/thumb": "knuckles of a loose fist",
    "face": "points on a head that stays upright facing +x",
    "contact": "foot on the ground: foot_strike <= t < toe_off",
}


def truth_path(clip: str | Path) -> Path:
    """``runner.mp4`` -> ``runner.truth.json`` (same folder)."""
    return Path(clip).with_suffix(".truth.json")


def sagittal_angle(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Angle of a -> b from the downward vertical, + forward (deg), science.md 2.3."""
    d = b - a
    return np.degrees(np.arctan2(d[..., 0], -d[..., 2]))


def yaw(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Yaw of the right -> left line (deg), + = left side forward, science.md 3.1/3.3."""
    p = left - right
    return np.degrees(np.arctan2(p[..., 0], p[..., 1]))


def _p2p(x: np.ndarray) -> float:
    return float(np.max(x) - np.min(x))


def derived_truth(model: RunnerModel, samples: int = 4000) -> dict[str, Any]:
    """Spatiotemporal and angular truths of the model (see the module docstring)."""
    p, tm = model.params, model.timing
    t = tm.first_strike["left"] + np.arange(samples) * tm.stride_time / samples
    pts = model.pose(t).points
    lean = np.degrees(np.arctan2(*(pts["mid_shoulder"] - pts["mid_hip"])[:, [0, 2]].T))
    pelvis = yaw(pts["left_hip"], pts["right_hip"])
    thorax = yaw(pts["left_shoulder"], pts["right_shoulder"])
    out: dict[str, Any] = {
        "cadence_spm": 120.0 / tm.stride_time, "step_time_s": tm.step_time,
        "stride_time_s": tm.stride_time, "speed_mps": p.speed,
        "step_length_m": p.speed * tm.step_time, "stride_length_m": p.speed * tm.stride_time,
        "contact_time_s": dict(tm.contact),
        "flight_time_s": {"after_left": tm.flight_after("left"),
                          "after_right": tm.flight_after("right"),
                          "mean": tm.step_time - sum(tm.contact.values()) / 2},
        "swing_time_s": {s: tm.stride_time - tm.contact[s] for s in SIDES},
        "duty_factor": {**{s: tm.contact[s] / tm.stride_time for s in SIDES},
                        "mean": sum(tm.contact.values()) / 2 / tm.stride_time},
        "vertical_oscillation_m": _p2p(pts["mid_hip"][:, 2]),
        "trunk_lean_deg": float(np.mean(lean)),
        "pelvis_rotation_deg": _p2p(pelvis), "thorax_rotation_deg": _p2p(thorax),
        "hip_shoulder_separation_deg": _p2p(thorax - pelvis),
        "foot_strike_angle_deg": p.foot_strike_angle,
        "contact_length_m": {s: p.speed * tm.contact[s] for s in SIDES},
    }
    out.update(_limb_truth(pts, lean))
    return out


def _limb_truth(pts: dict[str, np.ndarray], lean: np.ndarray) -> dict[str, Any]:
    """Per-side arm swing, elbow, hip and knee figures (deg, science.md 2.3 / 4.2)."""
    arm, elbow, knee, hip = {}, {}, {}, {}
    for s in SIDES:
        flex = sagittal_angle(pts[f"{s}_shoulder"], pts[f"{s}_elbow"]) + lean
        arm[s] = {"range": _p2p(flex), "flexion_peak": float(flex.max()),
                  "extension_peak": float(flex.min())}
        u = pts[f"{s}_shoulder"] - pts[f"{s}_elbow"]
        w = pts[f"{s}_wrist"] - pts[f"{s}_elbow"]
        cos = np.sum(u * w, axis=1) / np.linalg.norm(u, axis=1) / np.linalg.norm(w, axis=1)
        e = 180.0 - np.degrees(np.arccos(np.clip(cos, -1, 1)))
        elbow[s] = {"mean": float(e.mean()), "range": _p2p(e)}
        thigh = sagittal_angle(pts[f"{s}_hip"], pts[f"{s}_knee"])
        k = thigh - sagittal_angle(pts[f"{s}_knee"], pts[f"{s}_ankle"])
        h = thigh + lean
        knee[s] = {"min": float(k.min()), "max": float(k.max())}
        hip[s] = {"flexion_peak": float(h.max()), "extension_peak": float(h.min())}
    return {"arm_swing_deg": {s: arm[s]["range"] for s in SIDES}, "shoulder_flexion_deg": arm,
            "elbow_flexion_deg": elbow, "knee_flexion_deg": knee, "hip_flexion_deg": hip}


def build_truth(model: RunnerModel, camera: Camera, pose: Pose, clip: str) -> dict[str, Any]:
    """The whole truth document for a clip whose frames show ``pose``."""
    p = model.params
    world = pose.landmarks()
    uv, depth = camera.project(world)
    image = np.concatenate([np.round(uv, 3), np.round(depth, 5)[..., None]], axis=-1)
    return {
        "schema": SCHEMA, "clip": clip, "params": p.as_dict(),
        "video": {"fps": p.fps, "width": p.width, "height": p.height,
                  "n_frames": int(pose.time.size), "duration_s": pose.time.size / p.fps},
        "camera": {"view": p.view, **camera.as_dict()},
        "body": model.body.as_dict(), "world_axes": WORLD_AXES,
        "landmark_definitions": DEFINITIONS,
        "events": model.timing.events(pose.time.size / p.fps),
        "truth": derived_truth(model),
        "landmark_names": list(LANDMARK_NAMES),
        "frames": {"time_s": _clean(pose.time, 6), "image": _clean(image, 5),
                   "world": _clean(world, 5),
                   "contact": {s: pose.contact[s].astype(int).tolist() for s in SIDES}},
    }


def _clean(a: np.ndarray, decimals: int) -> list:
    """Rounded nested lists with NaN -> None (JSON null)."""
    a = np.round(np.asarray(a, dtype=float), decimals)
    if not np.isnan(a).any():
        return a.tolist()
    return [_clean(x, decimals) if np.ndim(x) else None for x in a] if a.ndim > 1 else [
        None if math.isnan(x) else float(x) for x in a]


def write_truth(path: str | Path, truth: dict[str, Any]) -> Path:
    """Write ``truth`` as JSON atomically; returns the path."""
    path = Path(path)
    write_text_atomic(path, json.dumps(truth, separators=(",", ":"), allow_nan=False))
    return path


def read_truth(path: str | Path) -> dict[str, Any]:
    """Load a truth file; ``frames`` arrays become numpy (null -> NaN)."""
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise MechanicsError(f"cannot read truth file ({exc})", path) from None
    if doc.get("schema") != SCHEMA:
        raise MechanicsError(f"not a {SCHEMA} file", path)
    frames = doc["frames"]
    for key in ("time_s", "image", "world"):
        frames[key] = np.array(frames[key], dtype=float)
    frames["contact"] = {s: np.array(v, dtype=bool) for s, v in frames["contact"].items()}
    return doc
