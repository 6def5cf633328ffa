"""Hidden landmarks of the synthetic runner, against the scene's geometry (known answers)."""

from __future__ import annotations

import numpy as np
import pytest

from mechanics.pose.skeleton import INDEX
from mechanics.synth import read_truth, render_clip, truth_path
from mechanics.synth.occlusion import NAMES, hidden_landmarks


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    """One stride (0.71 s at 170 steps/min) of a side and a front view, 30 fps, 640x360."""
    out = {}
    for view in ("side", "front"):
        path = tmp_path_factory.mktemp(view) / "clip.mp4"
        render_clip(path, view=view, fps=30, seconds=0.75, width=640, height=360)
        out[view] = (hidden_landmarks(path), read_truth(truth_path(path)))
    return out


def test_every_limb_landmark_gets_a_flag_per_frame(clips):
    hidden, truth = clips["side"]
    assert set(hidden) == set(NAMES)
    assert all(v.shape == (len(truth["frames"]["time_s"]),) for v in hidden.values())


def test_side_view_near_leg_is_never_hidden_and_far_arm_is_behind_the_trunk(clips):
    hidden, _ = clips["side"]            # the runner's right side faces the camera
    for kind in ("knee", "ankle", "heel", "foot_index"):
        assert not hidden[f"right_{kind}"].any(), kind
    # the far elbow passes behind the trunk twice per stride (~45 % of frames measured)
    assert 0.2 < hidden["left_elbow"].mean() < 0.8


def test_front_view_ankle_kicked_up_behind_the_knee_is_hidden(clips):
    """Seen from the front, an ankle drawn well above its own knee (heel kick) lies behind
    the thigh: hidden in every such frame; an ankle on the ground is not hidden."""
    hidden, truth = clips["front"]
    img = np.asarray(truth["frames"]["image"], float)
    contact = truth["frames"]["contact"]
    for side in ("left", "right"):
        knee_y = img[:, INDEX[f"{side}_knee"], 1]
        ankle_y = img[:, INDEX[f"{side}_ankle"], 1]
        kicked = ankle_y < knee_y - 8.0          # 8 px: ~2 thigh radii at this scale
        assert kicked.sum() >= 2, side
        assert hidden[f"{side}_ankle"][kicked].all(), side
        on_ground = np.asarray(contact[side], bool)
        assert on_ground.any() and not hidden[f"{side}_ankle"][on_ground].any(), side
