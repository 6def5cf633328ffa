"""The 33-landmark BlazePose skeleton: names, left/right pairs, drawing connections.

Order and names follow MediaPipe's ``PoseLandmark`` enumeration
(../shared/docs/science.md section 0.2).
"""

from __future__ import annotations

LANDMARK_NAMES: tuple[str, ...] = (
    "nose",
    "left_eye_inner", "left_eye", "left_eye_outer",
    "right_eye_inner", "right_eye", "right_eye_outer",
    "left_ear", "right_ear",
    "mouth_left", "mouth_right",
    "left_shoulder", "right_shoulder",
    "left_elbow", "right_elbow",
    "left_wrist", "right_wrist",
    "left_pinky", "right_pinky",
    "left_index", "right_index",
    "left_thumb", "right_thumb",
    "left_hip", "right_hip",
    "left_knee", "right_knee",
    "left_ankle", "right_ankle",
    "left_heel", "right_heel",
    "left_foot_index", "right_foot_index",
)
N_LANDMARKS = len(LANDMARK_NAMES)
INDEX: dict[str, int] = {name: i for i, name in enumerate(LANDMARK_NAMES)}


def _mirror(name: str) -> str:
    if name.startswith("left_"):
        return "right_" + name[5:]
    if name.startswith("right_"):
        return "left_" + name[6:]
    if name.endswith("_left"):
        return name[:-5] + "_right"
    if name.endswith("_right"):
        return name[:-6] + "_left"
    return name


#: index of each landmark's mirror image (nose maps to itself)
MIRROR: tuple[int, ...] = tuple(INDEX[_mirror(n)] for n in LANDMARK_NAMES)

#: limb groups whose left/right identity is repaired together (science.md section 7.4)
LEG = ("hip", "knee", "ankle", "heel", "foot_index")
ARM = ("shoulder", "elbow", "wrist", "pinky", "index", "thumb")


def side_indices(part: tuple[str, ...], side: str) -> list[int]:
    """Indices of ``{side}_{name}`` for each name in ``part`` (side is 'left' or 'right')."""
    return [INDEX[f"{side}_{name}"] for name in part]


#: bones drawn on overlays, as (a, b) name pairs
CONNECTIONS: tuple[tuple[str, str], ...] = (
    ("left_shoulder", "right_shoulder"), ("left_hip", "right_hip"),
    ("left_shoulder", "left_hip"), ("right_shoulder", "right_hip"),
    ("left_shoulder", "left_elbow"), ("left_elbow", "left_wrist"),
    ("right_shoulder", "right_elbow"), ("right_elbow", "right_wrist"),
    ("left_wrist", "left_index"), ("right_wrist", "right_index"),
    ("left_hip", "left_knee"), ("left_knee", "left_ankle"),
    ("left_ankle", "left_heel"), ("left_heel", "left_foot_index"),
    ("left_ankle", "left_foot_index"),
    ("right_hip", "right_knee"), ("right_knee", "right_ankle"),
    ("right_ankle", "right_heel"), ("right_heel", "right_foot_index"),
    ("right_ankle", "right_foot_index"),
    ("nose", "left_ear"), ("nose", "right_ear"),
)


def other_side(side: str) -> str:
    """'right' for 'left' and 'left' for 'right'."""
    return "right" if side == "left" else "left"


def side_of(name: str) -> str:
    """'left', 'right' or 'centre' for a landmark name."""
    if name.startswith("left_") or name.endswith("_left"):
        return "left"
    if name.startswith("right_") or name.endswith("_right"):
        return "right"
    return "centre"
