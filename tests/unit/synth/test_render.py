"""Renderer and clip output: determinism, framing, truth consistency, truth.json round trip."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from click.testing import CliRunner

from mechanics.errors import MechanicsError
from mechanics.pose.skeleton import LANDMARK_NAMES
from mechanics.synth import SynthParams, read_truth, render_clip, truth_path
from mechanics.synth.camera import make_camera
from mechanics.synth.gait_model import RunnerModel
from mechanics.synth.render import Renderer


def setup(**kwargs):
    params = SynthParams(**kwargs)
    model = RunnerModel(params)
    camera = make_camera(params, model.body)
    return model, camera, Renderer(params, camera, model.body)


def test_rendering_is_deterministic_for_a_seed():
    t = np.array([0.37])
    frames = []
    for seed in (3, 3, 4):
        model, _, renderer = setup(background="noise", noise=5.0, seed=seed, width=640,
                                   height=360)
        frames.append([renderer.render(model.pose(t)) for _ in range(2)])
    assert np.array_equal(frames[0][0], frames[1][0])
    assert np.array_equal(frames[0][1], frames[1][1])
    assert not np.array_equal(frames[0][0], frames[2][0])


@pytest.mark.parametrize("view", ["side", "front", "back", "oblique"])
def test_figure_height_is_the_expected_fraction(view):
    model, camera, renderer = setup(view=view)
    heights = []
    for t in np.linspace(0, model.timing.stride_time, 6, endpoint=False):
        rows = np.flatnonzero(renderer.figure_mask(model.pose(np.array([t]))).any(axis=1))
        heights.append((rows[-1] - rows[0] + 1) / camera.height)
    assert min(heights) > 0.45 and max(heights) < 0.60


@pytest.mark.parametrize("view", ["side", "front"])
def test_truth_landmarks_fall_on_the_figure(view):
    model, camera, renderer = setup(view=view)
    names = [n for n in LANDMARK_NAMES if "eye" not in n and "mouth" not in n]
    idx = [LANDMARK_NAMES.index(n) for n in names]
    for t in (0.1, 0.25, 0.5):
        pose = model.pose(np.array([t]))
        mask = cv2.dilate(renderer.figure_mask(pose).astype(np.uint8), np.ones((3, 3)))
        uv, _ = camera.project(pose.landmarks()[0, idx])
        cols, rows = np.round(uv).astype(int).T
        assert mask[rows, cols].all(), [n for n, ok in zip(names, mask[rows, cols],
                                                           strict=True) if not ok]


def test_stance_foot_touches_the_drawn_ground_line():
    model, camera, renderer = setup()
    t = model.timing.first_strike["right"] + model.timing.contact["right"] / 2
    pose = model.pose(np.array([t]))
    rows = np.flatnonzero(renderer.figure_mask(pose).any(axis=1))
    heel = camera.project(pose.points["right_sole_heel"][0])[0]
    # the outsole's heel point is on the shoe's mid-line; its near edge (~4.5 cm nearer the
    # camera, which looks down at it) ends up to ~2.5 px lower in the image
    assert abs(rows[-1] - heel[1]) <= 3.0


def test_clip_and_truth_round_trip(tmp_path):
    out = render_clip(tmp_path / "run.mp4", seconds=0.5, fps=20, width=320, height=240,
                      asymmetry=0.1, view="oblique")
    assert out == tmp_path / "run.mp4"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.mp4", "run.truth.json"]
    cap = cv2.VideoCapture(str(out))
    n = 0
    while cap.read()[0]:
        n += 1
    assert n == 10
    doc = read_truth(truth_path(out))
    assert doc["params"]["asymmetry"] == 0.1 and doc["video"]["n_frames"] == 10
    assert doc["landmark_names"] == list(LANDMARK_NAMES)
    frames = doc["frames"]
    assert frames["image"].shape == (10, 33, 3) and frames["world"].shape == (10, 33, 3)
    assert np.allclose(frames["time_s"], np.arange(10) / 20)
    model = RunnerModel(SynthParams(**doc["params"]))
    camera = make_camera(model.params, model.body)
    uv, depth = camera.project(frames["world"])
    assert np.allclose(frames["image"][..., :2], uv, atol=2e-3)
    assert np.allclose(frames["image"][..., 2], depth, atol=1e-5)
    truth = doc["truth"]
    assert truth["contact_time_s"]["right"] == pytest.approx(1.1 * truth["contact_time_s"]["left"])
    ev = doc["events"]["left"]
    assert ev["foot_strike"][0] == pytest.approx(0.1)


def test_clip_errors_are_mechanics_errors(tmp_path):
    with pytest.raises(MechanicsError):
        render_clip(tmp_path / "run.avi", seconds=0.2)
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    with pytest.raises(MechanicsError, match="output folder"):
        render_clip(blocker / "sub" / "run.mp4", seconds=0.2)
    with pytest.raises(MechanicsError):
        render_clip(tmp_path / "run.mp4", seconds=0.2, background=str(tmp_path / "no.png"))
    assert list(tmp_path.iterdir()) == [blocker]


def test_missing_output_folder_is_created(tmp_path):
    out = render_clip(tmp_path / "new" / "run.mp4", seconds=0.2)
    assert out.is_file() and truth_path(out).is_file()


def test_cli_command(tmp_path):
    from mechanics.cli.synth import synth

    res = CliRunner().invoke(synth, ["--out", str(tmp_path / "c.mp4"), "--seconds", "0.2",
                                     "--fps", "10", "--size", "320x240", "--portrait",
                                     "--overground"])
    assert res.exit_code == 0, res.output
    doc = read_truth(tmp_path / "c.truth.json")
    assert (doc["video"]["width"], doc["video"]["height"]) == (240, 320)
    assert doc["params"]["treadmill"] is False
