"""Camera view from the landmarks (side, front, back, oblique), facing direction, event confidence.

The view decides which metric families are valid (science.md section 0.3). Two cues estimate
the yaw of the body relative to the camera (0 deg = facing or back to the camera, 90 deg = side):

- *widths*: the shoulder and hip widths in the image relative to the torso length (mid-hip to
  mid-shoulder). Frontal reference ratios: shoulders 0.85, hips 0.40 (from Drillis-Contini
  proportions, biacromial 0.259 H and trunk 0.288 H, Winter 2009 [M]; MediaPipe's hip points
  sit near the hip joints, narrower than the pelvis);
- *depth*: the angle of the shoulder and hip lines from MediaPipe's relative depth z
  (same scale as x): ``yaw = atan2(|dz|, |dx|)``.

Thresholds: side when yaw >= 60 deg, front/back when yaw <= 30 deg, else oblique.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from mechanics.pose.skeleton import INDEX
from mechanics.sequence import PoseSequence

SHOULDER_RATIO_FRONT = 0.85
HIP_RATIO_FRONT = 0.40
SIDE_MIN_YAW_DEG = 60.0
FRONT_MAX_YAW_DEG = 30.0
#: minimum frame rate for trustworthy contact/flight times (science.md section 1.4)
MIN_FPS_DISTANCE = 60.0
MIN_FPS_SPRINT = 120.0


@dataclass
class ViewEstimate:
    """Camera view of the runner.

    Attributes
    ----------
    view : 'side', 'front', 'back', 'oblique' or 'unknown'.
    confidence : 0-1; agreement of the cues, margin from the class boundaries and the share
        of frames with the needed landmarks.
    yaw_deg : estimated body yaw relative to the camera, deg (0 = frontal, 90 = side on).
    facing : +1 runner faces image right (x increasing), -1 image left, 0 unknown
        (meaningful for side and oblique views).
    near_side : 'left' or 'right' (side nearer the camera by MediaPipe depth), or None.
    cues : per-cue yaw estimates (deg) and ratios, for the report and debugging.
    """

    view: str
    confidence: float
    yaw_deg: float
    facing: int
    near_side: str | None
    cues: dict[str, float] = field(default_factory=dict)


def _pair(seq: PoseSequence, part: str) -> tuple[np.ndarray, np.ndarray]:
    """Left and right (T, 3) image points of a paired landmark ('shoulder', 'hip', ...)."""
    return seq.image[:, INDEX[f"left_{part}"]], seq.image[:, INDEX[f"right_{part}"]]


def _nanmedian(a: np.ndarray) -> float:
    a = np.asarray(a, dtype=float)
    a = a[np.isfinite(a)]
    return float(np.median(a)) if a.size else math.nan


def _mean_x(seq: PoseSequence, names: tuple[str, ...]) -> np.ndarray:
    """(T,) mean image x of the detected landmarks among ``names`` (NaN when none)."""
    xs = np.stack([seq.xy(n)[:, 0] for n in names])
    ok = np.isfinite(xs)
    n = ok.sum(axis=0)
    return np.where(n > 0, np.where(ok, xs, 0.0).sum(axis=0) / np.maximum(n, 1), np.nan)


def facing_direction(seq: PoseSequence) -> tuple[int, float]:
    """Which way the runner faces in the image: (+1 right / -1 left / 0 unknown, confidence 0-1).

    Votes (each the share of frames agreeing): toes ahead of heels (both feet), nose ahead
    of the ears, and the net travel of the mid-hip when it moves by more than a torso
    length over the clip (overground). Works on treadmill and overground clips.
    """
    votes: list[np.ndarray] = []
    for side in ("left", "right"):
        dx = seq.xy(f"{side}_foot_index")[:, 0] - seq.xy(f"{side}_heel")[:, 0]
        votes.append(np.sign(dx[np.isfinite(dx)]))
    dx = seq.xy("nose")[:, 0] - _mean_x(seq, ("left_ear", "right_ear"))
    votes.append(np.sign(dx[np.isfinite(dx)]))
    mh = (seq.xy("left_hip")[:, 0] + seq.xy("right_hip")[:, 0]) / 2
    ok = np.isfinite(mh)
    torso = _nanmedian(np.linalg.norm(
        (seq.xy("left_shoulder") + seq.xy("right_shoulder") - seq.xy("left_hip")
         - seq.xy("right_hip")) / 2, axis=1))
    if ok.sum() > 2:
        travel = mh[ok][-1] - mh[ok][0]
        scale = torso if np.isfinite(torso) else 100.0
        if abs(travel) > scale:
            votes.append(np.full(max(1, ok.sum() // 2), np.sign(travel)))
    allv = np.concatenate(votes) if votes else np.zeros(0)
    if allv.size == 0 or not np.any(allv):
        return 0, 0.0
    mean = float(np.mean(allv))
    return (1 if mean > 0 else -1), abs(mean)


def _width_yaw(seq: PoseSequence, torso: np.ndarray) -> tuple[float, dict[str, float]]:
    """Yaw (deg) from image widths of the shoulder and hip lines relative to the torso."""
    ls, rs = _pair(seq, "shoulder")
    lh, rh = _pair(seq, "hip")
    r_sh = _nanmedian(np.abs(ls[:, 0] - rs[:, 0]) / torso)
    r_hip = _nanmedian(np.abs(lh[:, 0] - rh[:, 0]) / torso)
    parts = [v for v in (r_sh / SHOULDER_RATIO_FRONT, r_hip / HIP_RATIO_FRONT) if np.isfinite(v)]
    if not parts:
        return math.nan, {}
    w = min(1.0, float(np.mean(parts)))
    return math.degrees(math.acos(w)), {"shoulder_width_ratio": r_sh, "hip_width_ratio": r_hip}


def _depth_yaw(seq: PoseSequence) -> float:
    """Yaw (deg) of the shoulder and hip lines from MediaPipe's relative depth z."""
    yaws = []
    for part in ("shoulder", "hip"):
        left, right = _pair(seq, part)
        dx = np.abs(left[:, 0] - right[:, 0])
        dz = np.abs(left[:, 2] - right[:, 2])
        ok = np.isfinite(dx) & np.isfinite(dz) & ((dx + dz) > 0)
        if ok.sum() >= 3:
            yaws.append(math.degrees(math.atan2(np.median(dz[ok]), np.median(dx[ok]))))
    return float(np.mean(yaws)) if yaws else math.nan


def _near_side(seq: PoseSequence) -> str | None:
    dz = []
    for part in ("shoulder", "hip", "knee", "ankle"):
        left, right = _pair(seq, part)
        dz.append(left[:, 2] - right[:, 2])
    med = _nanmedian(np.concatenate(dz))
    if not np.isfinite(med) or med == 0:
        return None
    return "left" if med < 0 else "right"


def _classify(yaw: float, seq: PoseSequence) -> str:
    if not np.isfinite(yaw):
        return "unknown"
    if yaw >= SIDE_MIN_YAW_DEG:
        return "side"
    if yaw > FRONT_MAX_YAW_DEG:
        return "oblique"
    ls, rs = _pair(seq, "shoulder")
    lh, rh = _pair(seq, "hip")
    order = np.concatenate([ls[:, 0] - rs[:, 0], lh[:, 0] - rh[:, 0]])
    # facing the camera, the runner's left appears on the image right
    return "front" if _nanmedian(order) > 0 else "back"


def _confidence(view: str, yaw: float, cue_yaws: list[float], coverage: float) -> float:
    """Margin from the nearest class boundary (15 deg = full), cue agreement and coverage."""
    if view == "unknown":
        return 0.0
    margin = min(abs(yaw - SIDE_MIN_YAW_DEG), abs(yaw - FRONT_MAX_YAW_DEG))
    if view == "oblique":
        margin = min(margin, 15.0)
    conf = min(1.0, 0.5 + margin / 30.0)
    if len(cue_yaws) == 2:
        conf *= max(0.3, 1.0 - abs(cue_yaws[0] - cue_yaws[1]) / 60.0)
    return float(np.clip(conf * coverage, 0.0, 1.0))


def detect_view(seq: PoseSequence) -> ViewEstimate:
    """Classify the camera view of a landmark track (see module docstring for the method)."""
    ls, rs = _pair(seq, "shoulder")
    lh, rh = _pair(seq, "hip")
    ms, mh = (ls[:, :2] + rs[:, :2]) / 2, (lh[:, :2] + rh[:, :2]) / 2
    torso = np.linalg.norm(ms - mh, axis=1)
    torso = np.where(torso > 0, torso, np.nan)
    coverage = float(np.mean(np.isfinite(torso))) if len(seq) else 0.0
    yaw_w, cues = _width_yaw(seq, torso)
    yaw_z = _depth_yaw(seq)
    cue_yaws = [y for y in (yaw_w, yaw_z) if np.isfinite(y)]
    yaw = float(np.mean(cue_yaws)) if cue_yaws else math.nan
    view = _classify(yaw, seq)
    facing, _ = facing_direction(seq)
    cues.update({"yaw_width_deg": yaw_w, "yaw_depth_deg": yaw_z})
    return ViewEstimate(view=view, confidence=_confidence(view, yaw, cue_yaws, coverage),
                        yaw_deg=yaw, facing=facing if view in ("side", "oblique") else 0,
                        near_side=_near_side(seq), cues=cues)


def event_confidence(fps: float, sprint: bool = False) -> str:
    """Confidence of contact/flight times at a frame rate (science.md section 1.4).

    Returns ``'low'`` below 60 fps for distance running or below 120 fps for sprinting
    (quantisation alone gives an event SD of dt/sqrt(12): 9.6 ms at 30 fps, 4.8 ms at 60 fps,
    and sprint contacts last only ~90 ms), ``'ok'`` otherwise; ``'low'`` for unknown fps.
    """
    limit = MIN_FPS_SPRINT if sprint else MIN_FPS_DISTANCE
    if not np.isfinite(fps) or fps <= 0:
        return "low"
    return "ok" if fps >= limit - 0.5 else "low"
