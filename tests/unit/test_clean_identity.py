"""Known-answer tests of left/right identity repair (mechanics.clean.identity) and clean().

A synthetic stick runner (thighs, shanks, feet and arms swinging in anti-phase at a stride
frequency of 1.4 Hz, thigh = 100 px) is built in body coordinates and projected for a side,
front or oblique (45 deg) camera, running right or left, with the hip moving or fixed. Swaps
and collapses are injected at known frames, as MediaPipe produces them
(../shared/docs/pose-model.md 4.3).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from mechanics.clean import clean, fill_gaps, repair_left_right
from mechanics.clean.identity import body_scale, viterbi_swaps
from mechanics.pose.skeleton import ARM, INDEX, LANDMARK_NAMES, LEG, N_LANDMARKS
from mechanics.sequence import PoseSequence

VIEWS = {"side": 0.0, "front": -np.pi / 2, "oblique": -np.pi / 4}
LIMBS = {"legs": LEG[1:], "arms": ARM[1:]}
FOOT = ("ankle", "heel", "foot_index")


# ---------------------------------------------------------------- synthetic runner
def _leg(phi: np.ndarray) -> dict[str, np.ndarray]:
    """(forward, up) of knee, ankle, heel, toe relative to the hip, in thigh lengths."""
    thigh = 0.45 * np.sin(phi)                     # flexion, rad
    knee_flex = 0.95 + 0.75 * np.cos(phi)          # deep flexion in swing, ~0.2 in stance
    shank = thigh - knee_flex
    down = np.stack([np.sin(shank), -np.cos(shank)], -1)
    fwd = np.stack([np.cos(shank), np.sin(shank)], -1)
    knee = np.stack([np.sin(thigh), -np.cos(thigh)], -1)
    ankle = knee + down
    return {"knee": knee, "ankle": ankle, "heel": ankle - 0.15 * fwd + 0.12 * down,
            "foot_index": ankle + 0.5 * fwd + 0.1 * down}


def _arm(phi: np.ndarray) -> dict[str, np.ndarray]:
    """(forward, up) of elbow, wrist and hand relative to the shoulder."""
    upper = -0.55 * np.sin(phi)
    fore = upper + 1.35 + 0.3 * np.cos(phi)
    elbow = 0.75 * np.stack([np.sin(upper), -np.cos(upper)], -1)
    d = np.stack([np.sin(fore), -np.cos(fore)], -1)
    wrist = elbow + 0.7 * d
    return {"elbow": elbow, "wrist": wrist, "index": wrist + 0.2 * d,
            "pinky": wrist + 0.17 * d, "thumb": wrist + 0.12 * d}


def _body(t: np.ndarray, moving: bool) -> np.ndarray:
    """(T, 33, 3) body coordinates (forward, up, left) in thigh lengths."""
    phi = 2 * np.pi * 1.4 * t
    body = np.zeros((t.size, N_LANDMARKS, 3))
    pelvis = np.stack([1.6 * t if moving else 0 * t, 2.1 + 0.06 * np.cos(2 * phi), 0 * t], -1)
    chest = pelvis + [0.15, 1.5, 0.0]
    for side, sgn, ph in (("left", 1.0, phi), ("right", -1.0, phi + np.pi)):
        hip, shoulder = pelvis + [0, 0, 0.25 * sgn], chest + [0, 0, 0.4 * sgn]
        body[:, INDEX[f"{side}_hip"]] = hip
        body[:, INDEX[f"{side}_shoulder"]] = shoulder
        for name, v in _leg(ph).items():
            body[:, INDEX[f"{side}_{name}"]] = hip + np.pad(v, ((0, 0), (0, 1)))
        for name, v in _arm(ph + np.pi).items():
            lateral = {"pinky": -0.04, "thumb": 0.04}.get(name, 0.0) * sgn
            body[:, INDEX[f"{side}_{name}"]] = shoulder + np.pad(v, ((0, 0), (0, 1))) + [
                0, 0, lateral]
    for name in LANDMARK_NAMES:
        if not body[:, INDEX[name]].any():            # face: near the head
            sgn = 1 if "left" in name else -1 if "right" in name else 0
            body[:, INDEX[name]] = chest + [0.3, 0.7, 0.08 * sgn]
    return body


def runner(fps: float = 60, view: str = "side", facing: int = 1, moving: bool = True,
           noise: float = 0.0, seconds: float = 3.0, seed: int = 0) -> PoseSequence:
    """A stick runner seen by an orthographic camera; ``noise`` px of jitter on image x, y."""
    t = np.arange(round(seconds * fps)) / fps
    body = _body(t, moving)
    psi = VIEWS[view] if facing > 0 else np.pi - VIEWS[view]     # heading in camera x-z
    heading, left = (np.cos(psi), np.sin(psi)), (-np.sin(psi), np.cos(psi))
    X = body[..., 0] * heading[0] + body[..., 2] * left[0]
    Z = body[..., 0] * heading[1] + body[..., 2] * left[1]
    Y = body[..., 1]
    if view == "front":                               # keep the runner in the frame
        X = X - 1.6 * t[:, None] * heading[0]
    image = np.stack([640 + 100 * X, 700 - 100 * Y, 100 * Z], -1)
    if noise:
        image[..., :2] += np.random.default_rng(seed).normal(0, noise, image[..., :2].shape)
    hips = [INDEX["left_hip"], INDEX["right_hip"]]
    world = np.stack([X, -Y, Z], -1)
    world = 0.42 * (world - world[:, hips].mean(axis=1, keepdims=True))
    return PoseSequence(time=t, image=image, visibility=np.full((t.size, N_LANDMARKS), 0.95),
                        world=world, meta={"fps": fps})


def swap_labels(seq: PoseSequence, names: tuple[str, ...], frames: np.ndarray) -> None:
    """Injected swap, as MediaPipe makes them: x, y (image and world) of ``names`` move to the
    other limb at ``frames``; z and visibility stay with the label."""
    for name in names:
        left, right = INDEX[f"left_{name}"], INDEX[f"right_{name}"]
        for arr in (seq.image, seq.world):
            arr[frames, left, :2], arr[frames, right, :2] = (arr[frames, right, :2],
                                                            arr[frames, left, :2].copy())


def collapse(seq: PoseSequence, frames: list[int], onto: str) -> None:
    """Injected collapse: both labels of ankle, heel and toe on the ``onto`` foot (x, y)."""
    other = "left" if onto == "right" else "right"
    for name in FOOT:
        for arr in (seq.image, seq.world):
            arr[frames, INDEX[f"{other}_{name}"], :2] = arr[frames, INDEX[f"{onto}_{name}"], :2]


def mislabelled(obs: PoseSequence, truth: PoseSequence, group: str) -> np.ndarray:
    """(T,) frames where the group's labels sit closer to the other limb's truth."""
    left = [INDEX[f"left_{n}"] for n in LIMBS[group]]
    right = [INDEX[f"right_{n}"] for n in LIMBS[group]]
    o_l, o_r = obs.image[:, left, :2], obs.image[:, right, :2]
    t_l, t_r = truth.image[:, left, :2], truth.image[:, right, :2]
    own = np.nansum(np.linalg.norm(o_l - t_l, axis=-1) + np.linalg.norm(o_r - t_r, axis=-1), 1)
    other = np.nansum(np.linalg.norm(o_l - t_r, axis=-1) + np.linalg.norm(o_r - t_l, axis=-1), 1)
    return other < own


def info(seq: PoseSequence) -> dict:
    return seq.meta["cleaning"]["repair_left_right"]


def inject_swaps(seq: PoseSequence) -> dict[str, np.ndarray]:
    """Leg swaps of 1, 2, 3 and 6 frames and a 2-frame arm swap, at fixed fractions."""
    n = len(seq)
    legs = np.zeros(n, dtype=bool)
    for frac, length in ((0.15, 1), (0.35, 2), (0.55, 3), (0.75, 6)):
        legs[int(frac * n):int(frac * n) + length] = True
    arms = np.zeros(n, dtype=bool)
    arms[int(0.45 * n):int(0.45 * n) + 2] = True
    swap_labels(seq, LIMBS["legs"], legs)
    swap_labels(seq, LIMBS["arms"], arms)
    return {"legs": legs, "arms": arms}


# ---------------------------------------------------------------- tests
CASES = list(itertools.product((30, 60, 120), ("side", "front", "oblique"), (1, -1)))


@pytest.mark.parametrize(("fps", "view", "facing"), CASES)
def test_clean_track_is_unchanged(fps: int, view: str, facing: int) -> None:
    for noise in (0.0, 1.5):
        seq = runner(fps, view, facing, moving=facing > 0, noise=noise, seed=fps)
        out = repair_left_right(seq)
        assert np.array_equal(out.image, seq.image, equal_nan=True)
        assert np.array_equal(out.visibility, seq.visibility, equal_nan=True)
        assert np.array_equal(out.world, seq.world, equal_nan=True)
        assert info(out)["frames_repaired"] == {"legs": 0, "arms": 0}
        assert info(out)["roots_repaired"] == {"hips": 0, "shoulders": 0}
        assert info(out)["marked_missing"] == {"legs": 0, "arms": 0}


@pytest.mark.parametrize(("fps", "view", "facing"), CASES)
def test_injected_swaps_are_repaired(fps: int, view: str, facing: int) -> None:
    for noise in (0.0, 2.0):
        truth = runner(fps, view, facing, moving=facing > 0)
        seq = runner(fps, view, facing, moving=facing > 0, noise=noise, seed=fps + 1)
        injected = inject_swaps(seq)
        assert mislabelled(seq, truth, "legs").sum() == injected["legs"].sum()
        out = repair_left_right(seq)
        for group in ("legs", "arms"):
            assert mislabelled(out, truth, group).sum() == 0, (group, noise)
            assert info(out)["frames_repaired"][group] == injected[group].sum()
            assert info(out)[group]["segments"] == [
                [a, b] for a, b in _runs(injected[group])]
        # world x, y follow the image labels exactly; z and visibility stay with the label
        assert np.array_equal(out.world, truth.world)
        assert np.array_equal(out.image[..., 2], seq.image[..., 2])
        assert np.array_equal(out.visibility, seq.visibility)
        assert info(out)["marked_missing"] == {"legs": 0, "arms": 0}
        if noise == 0:
            assert np.array_equal(out.image, truth.image)


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    idx = np.flatnonzero(mask)
    breaks = np.flatnonzero(np.diff(idx) > 1)
    starts = np.r_[idx[0], idx[breaks + 1]]
    ends = np.r_[idx[breaks], idx[-1]]
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def test_swap_at_track_start_and_long_swap() -> None:
    truth = runner(60, "side")
    seq = truth.copy()
    swap_labels(seq, LIMBS["legs"], np.arange(0, 3))
    swap_labels(seq, LIMBS["legs"], np.arange(60, 90))      # half a second
    out = repair_left_right(seq)
    assert np.array_equal(out.image, truth.image)
    assert info(out)["frames_repaired"]["legs"] == 33


def test_partial_swap_of_feet_only() -> None:
    truth = runner(60, "side")
    seq = runner(60, "side", noise=1.5, seed=3)
    swap_labels(seq, FOOT, np.arange(50, 52))
    swap_labels(seq, ("knee",), np.arange(120, 123))
    out = repair_left_right(seq)
    assert mislabelled(out, truth, "legs").sum() == 0
    assert info(out)["legs"]["landmark_swaps"] == {
        "knee": 3, "ankle": 2, "heel": 2, "foot_index": 2}


def test_hips_swapped_only_when_clearly_swapped() -> None:
    truth = runner(60, "front", noise=1.0)
    seq = truth.copy()
    swap_labels(seq, ("hip",), np.arange(50, 53))
    swap_labels(seq, ("hip", *LIMBS["legs"]), np.arange(100, 106))
    out = repair_left_right(seq)
    assert info(out)["roots_repaired"]["hips"] == 9
    assert info(out)["frames_repaired"]["legs"] == 6
    assert np.array_equal(out.image, truth.image)
    # side view: the two hips coincide in the image and their labels are left alone
    side = runner(60, "side", noise=1.0)
    assert info(repair_left_right(side))["roots_repaired"]["hips"] == 0


@pytest.mark.parametrize(("fps", "view", "noise"), [
    (60, "side", 0.0), (60, "side", 1.0), (60, "front", 1.0), (60, "oblique", 0.0),
    (120, "side", 1.0), (30, "side", 0.0)])
def test_collapse_marked_missing_then_filled(fps: int, view: str, noise: float) -> None:
    truth = runner(fps, view)
    seq = runner(fps, view, noise=noise, seed=5)
    n = len(seq)
    c1, c2 = int(0.3 * n), int(0.7 * n)
    collapse(seq, [c1, c1 + 1], onto="right")          # left labels on the right foot
    collapse(seq, [c2, c2 + 1], onto="left")
    out = repair_left_right(seq)
    assert info(out)["marked_missing"] == {"legs": 12, "arms": 0}
    assert info(out)["frames_repaired"] == {"legs": 0, "arms": 0}
    missing = ~np.isfinite(out.image[:, :, 0])
    expected = np.zeros_like(missing)
    for frames, side in (([c1, c1 + 1], "left"), ([c2, c2 + 1], "right")):
        for name in FOOT:
            expected[frames, INDEX[f"{side}_{name}"]] = True
    assert np.array_equal(missing, expected)
    assert np.array_equal(~np.isfinite(out.world[:, :, 0]), expected)
    assert np.array_equal(~np.isfinite(out.visibility), expected)
    # the 2-frame gaps are then interpolated close to the truth (linear at >= 60 fps;
    # at 30 fps the foot moves too fast between frames for a straight line: use the cubic)
    filled = fill_gaps(out, cubic_min_frames=1 if fps < 60 else 3)
    err = np.linalg.norm(filled.image[..., :2] - truth.image[..., :2], axis=-1)[expected]
    assert err.max() < 5.0


@pytest.mark.parametrize(("fps", "view"), [(30, "side"), (60, "front"), (30, "oblique")])
def test_swap_next_to_collapse_and_garbage_frame(fps: int, view: str) -> None:
    """The pattern of the real treadmill clip (frames 26-27): a 1-frame swap followed by a
    collapse; plus a frame where every leg landmark is off by ~0.6 thigh (no labelling
    explains it): the swap is repaired, the collapsed labels and the garbage frame's
    samples off both legs are marked missing, nothing else is touched."""
    truth = runner(fps, view)
    seq = runner(fps, view, noise=1.5, seed=4)
    n = len(seq)
    c, g = int(0.3 * n), int(0.7 * n)
    swap_labels(seq, LIMBS["legs"], np.array([c - 1]))
    collapse(seq, [c], onto="right")
    legs = [INDEX[f"{s}_{name}"] for s in ("left", "right") for name in LIMBS["legs"]]
    seq.image[g, legs, :2] += np.random.default_rng(4).normal(0, 60, (len(legs), 2))
    out = repair_left_right(seq)
    assert info(out)["legs"]["segments"] == [[c - 1, c - 1]]
    bad = mislabelled(out, truth, "legs")
    bad[g] = False
    assert not bad.any()
    for name in FOOT:
        assert np.flatnonzero(np.isnan(out.image[:, INDEX[f"left_{name}"], 0])).tolist() in (
            [c], [c, g])
        assert np.flatnonzero(np.isnan(out.image[:, INDEX[f"right_{name}"], 0])).tolist() in (
            [], [g])
    # the garbage frame: what is kept lies near its own leg (a label off both is dropped)
    err = np.linalg.norm(out.image[g, legs, :2] - truth.image[g, legs, :2], axis=-1)
    kept = np.isfinite(err)
    assert (err[kept] < 0.5 * info(out)["body_scale_px"]).all()
    assert (~kept).sum() >= len(legs) // 2


def lose_leg(seq: PoseSequence, truth: PoseSequence, frames: np.ndarray, lost: str) -> None:
    """MediaPipe's heel-kick failure: the ``lost`` leg is not found; its label sits on the
    other leg and the other leg's label floats half-way between the legs (x, y)."""
    other = "left" if lost == "right" else "right"
    for name in LIMBS["legs"]:
        lo, ot = INDEX[f"{lost}_{name}"], INDEX[f"{other}_{name}"]
        for arr_seq, arr_truth in ((seq.image, truth.image), (seq.world, truth.world)):
            mid = 0.5 * (arr_truth[frames, lo, :2] + arr_truth[frames, ot, :2])
            arr_seq[frames, lo, :2] = arr_truth[frames, ot, :2]
            arr_seq[frames, ot, :2] = mid + 0.1 * (arr_truth[frames, ot, :2] - mid)


@pytest.mark.parametrize(("fps", "view"), list(itertools.product((30, 60, 120),
                                                                  ("side", "oblique"))))
def test_lost_leg_with_floating_label(fps: int, view: str) -> None:
    """A leg lost for ~0.07 s, its label on the other leg and the other label floating (the
    failure of the synthetic runner's heel kick): no label is left on the wrong leg, the
    floating samples that are off their leg are dropped and the gap filler bridges them."""
    truth = runner(fps, view)
    seq = runner(fps, view, noise=1.5, seed=fps)
    n = len(seq)
    runs_ = [np.arange(int(f * n), int(f * n) + max(2, round(0.07 * fps))) for f in (0.3, 0.6)]
    lose_leg(seq, truth, runs_[0], "right")
    lose_leg(seq, truth, runs_[1], "left")
    assert mislabelled(seq, truth, "legs").sum() == sum(r.size for r in runs_)
    out = repair_left_right(seq)
    assert not mislabelled(out, truth, "legs").any()
    assert info(out)["marked_missing"]["legs"] > 0
    filled = fill_gaps(out, cubic_min_frames=1)
    assert not mislabelled(filled, truth, "legs").any()
    legs = [INDEX[f"{s}_{m}"] for s in ("left", "right") for m in LIMBS["legs"]]
    err = np.linalg.norm(filled.image[:, legs, :2] - truth.image[:, legs, :2], axis=-1)
    assert np.isfinite(err).all()
    # what is kept lies within ~drop_distance (0.35 thigh) of its own leg's trajectory
    assert err.max() < 0.6 * info(out)["body_scale_px"]


@pytest.mark.parametrize("fps", [30, 60, 120])
def test_wrong_labels_at_the_track_end(fps: int) -> None:
    """A run of lost-leg frames touching either end of the track (one-sided evidence) is not
    kept on the wrong leg."""
    truth = runner(fps, "oblique")
    seq = runner(fps, "oblique", noise=1.5, seed=fps + 7)
    k = max(2, round(0.08 * fps))
    lose_leg(seq, truth, np.arange(len(seq) - k, len(seq)), "left")
    lose_leg(seq, truth, np.arange(0, k), "right")
    out = repair_left_right(seq)
    assert not mislabelled(out, truth, "legs").any()


def test_collapse_detection_ignores_natural_crossings() -> None:
    """Feet and hands pass each other every step in a side view: nothing is marked."""
    for fps in (30, 60, 120, 240):
        seq = runner(fps, "side", noise=2.0, seed=fps, seconds=4)
        assert info(repair_left_right(seq))["marked_missing"] == {"legs": 0, "arms": 0}


def test_missing_samples_do_not_create_swaps() -> None:
    rng = np.random.default_rng(11)
    truth = runner(60, "oblique")
    seq = runner(60, "oblique", noise=1.5, seed=11)
    for _ in range(20):
        j = INDEX[str(rng.choice(["left_ankle", "right_knee", "left_heel", "right_wrist"]))]
        a = int(rng.integers(0, len(seq) - 3))
        seq.image[a:a + int(rng.integers(1, 4)), j] = np.nan
    before = seq.copy()
    out = repair_left_right(seq)
    assert np.array_equal(out.image, before.image, equal_nan=True)
    injected = inject_swaps(seq)
    out = repair_left_right(seq)
    assert mislabelled(out, truth, "legs").sum() == 0
    assert info(out)["frames_repaired"]["legs"] == injected["legs"].sum()


def test_input_not_mutated_and_provenance() -> None:
    seq = runner(30, "side")
    inject_swaps(seq)
    before = seq.copy()
    out = repair_left_right(seq)
    assert np.array_equal(seq.image, before.image) and seq.provenance == before.provenance
    assert "cleaning" not in seq.meta
    entry = out.provenance[-1]
    assert entry["step"] == "repair_left_right"
    assert entry["frames_repaired"] == {"legs": 12, "arms": 2}
    assert entry["body_scale_px"] == pytest.approx(100.0, rel=0.01)


def _path_cost(s: tuple[int, ...], trans: np.ndarray, unary: np.ndarray,
               switch: float) -> float:
    n = len(s)
    c = sum(unary[t, s[t]] for t in range(n)) + switch * (s[0] + s[-1])
    c += switch * sum(s[t] != s[t - 1] for t in range(1, n))
    return c + sum(trans[t, s[t - 2], s[t - 1], s[t]] for t in range(2, n))


def test_viterbi_is_exact() -> None:
    """Dynamic programming finds the brute-force optimum (random costs, 8 frames)."""
    rng = np.random.default_rng(0)
    for _ in range(20):
        trans = rng.random((8, 2, 2, 2)) * 3
        unary = rng.random((8, 2))
        states = tuple(viterbi_swaps(trans, unary, 0.7).astype(int))
        best = min(_path_cost(s, trans, unary, 0.7)
                   for s in itertools.product((0, 1), repeat=8))
        assert _path_cost(states, trans, unary, 0.7) == pytest.approx(best)


def test_no_scale_is_skipped() -> None:
    seq = PoseSequence.empty(10)
    seq.time = np.arange(10) / 30
    assert np.isnan(body_scale(seq.image))
    out = repair_left_right(seq)
    assert "skipped" in info(out)


def test_clean_pipeline_order_counts_and_summary() -> None:
    truth = runner(60, "side")
    seq = runner(60, "side", noise=1.5, seed=2)
    injected = inject_swaps(seq)
    seq.image[20:23, INDEX["left_knee"]] = np.nan              # a 3-frame gap
    seq.image[140:160, INDEX["right_wrist"]] = np.nan          # a 0.33 s gap: stays
    out = clean(seq)
    steps = [p["step"] for p in out.provenance]
    assert steps == ["repair_left_right", "fill_gaps", "lowpass"]
    cleaning = out.meta["cleaning"]
    assert cleaning["order"] == steps
    assert cleaning["repair_left_right"]["frames_repaired"]["legs"] == injected["legs"].sum()
    assert cleaning["fill_gaps"]["gaps_filled"] == 1
    assert cleaning["fill_gaps"]["gaps_left"] == [
        ["right_wrist", pytest.approx(140 / 60, abs=1e-6), pytest.approx(159 / 60, abs=1e-6)]]
    assert 4.0 <= cleaning["lowpass"]["cutoff_hz"] <= 12.0
    assert "left/right labels repaired" in cleaning["summary"]
    assert mislabelled(out, truth, "legs").sum() == 0
    err = np.linalg.norm(out.image[:, :, :2] - truth.image[:, :, :2], axis=-1)
    assert np.nanmedian(err) < 1.5                              # smoother than the 1.5 px jitter
