"""Hand path metrics (mechanics.analysis.hands) on analytic tracks with known answers."""

from __future__ import annotations

import numpy as np
import pytest

from mechanics.analysis.hands import crossover_samples, excursion_samples
from mechanics.pose.skeleton import INDEX
from mechanics.sequence import PoseSequence

FPS, STRIDE_S, SECONDS = 100.0, 0.7, 4.2


def _sequence() -> PoseSequence:
    n = int(SECONDS * FPS)
    seq = PoseSequence.empty(n, world=False)
    seq.time = np.arange(n) / FPS
    seq.image[:, :, 2] = 0.0
    return seq


def _set(seq: PoseSequence, name: str, x: np.ndarray | float, y: float) -> None:
    seq.image[:, INDEX[name], 0] = x
    seq.image[:, INDEX[name], 1] = y


def _strikes() -> dict[str, np.ndarray]:
    left = np.arange(0.1, SECONDS, STRIDE_S)
    return {"left": left, "right": left + STRIDE_S / 2}


def _side_view(amplitude_px: dict[str, float]) -> PoseSequence:
    """Side view facing image right: hips at x = 500, thigh 200 px, shank 200 px (leg 400 px);
    each wrist swings +- amplitude about the hip at stride frequency."""
    seq = _sequence()
    w = 2 * np.pi * seq.time / STRIDE_S
    for s, phase in (("left", 0.0), ("right", np.pi)):
        _set(seq, f"{s}_hip", 500.0, 500.0)
        _set(seq, f"{s}_knee", 500.0, 700.0)
        _set(seq, f"{s}_ankle", 500.0, 900.0)
        _set(seq, f"{s}_wrist", 500.0 + amplitude_px[s] * np.sin(w + phase), 480.0)
    return seq


def test_excursion_is_the_wrist_range_in_leg_lengths():
    seq = _side_view({"left": 100.0, "right": 60.0})       # ranges 200 and 120 px
    out = excursion_samples(seq, _strikes(), direction=1)
    assert len(out["left"]) >= 4 and len(out["right"]) >= 4
    assert out["left"] == pytest.approx(200.0 / 400.0, abs=0.005)
    assert out["right"] == pytest.approx(120.0 / 400.0, abs=0.005)
    # the running direction does not change a range
    mirrored = excursion_samples(seq, _strikes(), direction=-1)
    assert mirrored["left"] == pytest.approx(out["left"])


def _front_view(reach: dict[str, float]) -> PoseSequence:
    """Front view: right shoulder at image x = 400, left at 600 (width 200 px, runner facing
    the camera); each wrist moves from 150 px outside its shoulder to ``reach`` shoulder
    widths past the midline (x = 500) toward the other side, once per stride."""
    seq = _sequence()
    w = 2 * np.pi * seq.time / STRIDE_S
    _set(seq, "right_shoulder", 400.0, 300.0)
    _set(seq, "left_shoulder", 600.0, 300.0)
    for s, sign, phase in (("left", -1.0, 0.0), ("right", 1.0, np.pi)):
        inner = 500.0 + sign * reach[s] * 200.0           # toward the other shoulder
        outer = 500.0 - sign * 250.0
        mid, half = (inner + outer) / 2, (inner - outer) / 2
        _set(seq, f"{s}_wrist", mid + half * np.cos(w + phase), 450.0)
    return seq


def test_crossover_in_shoulder_widths_with_sign():
    seq = _front_view({"left": 0.25, "right": -0.1})       # left crosses, right stays short
    out = crossover_samples(seq, _strikes())
    assert len(out["left"]) >= 4
    assert out["left"] == pytest.approx(0.25, abs=0.005)
    assert out["right"] == pytest.approx(-0.1, abs=0.005)


def test_missing_wrists_give_no_samples():
    seq = _side_view({"left": 100.0, "right": 60.0})
    seq.image[:, INDEX["left_wrist"]] = np.nan
    out = excursion_samples(seq, _strikes(), direction=1)
    assert out["left"].size == 0 and out["right"].size >= 4
