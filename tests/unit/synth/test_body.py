"""Body proportions: de Leva (1996) segment lengths scaled by stature."""

from __future__ import annotations

import numpy as np
import pytest

from mechanics.errors import MechanicsError
from mechanics.synth.body import DE_LEVA_LENGTHS_MM, SHOE_SOLE_M, make_body, segment_fractions
from mechanics.synth.gait_model import RunnerModel
from mechanics.synth.legs import COMPRESSION, MTP_FRACTION
from mechanics.synth.params import SynthParams

# male fractions of stature from an independent transcription of de Leva (1996) Table 1
MALE_FRACTIONS = {"thigh": 0.2425, "shank": 0.2493, "foot": 0.1482, "head": 0.1168,
                  "trunk": 0.3055}


@pytest.mark.parametrize("segment", sorted(MALE_FRACTIONS))
def test_male_fractions_match_de_leva(segment):
    assert segment_fractions("m")[segment] == pytest.approx(MALE_FRACTIONS[segment], abs=6e-5)


def test_female_lengths_are_table_mm_over_1735():
    body = make_body(1.735, "f")
    assert body.thigh == pytest.approx(0.3685)
    assert body.shank == pytest.approx(0.4323)
    assert body.upper_arm == pytest.approx(0.2751)


@pytest.mark.parametrize("sex", ["m", "f"])
def test_lengths_scale_linearly_with_height(sex):
    short, tall = make_body(1.50, sex), make_body(2.00, sex)
    for seg in ("head", "trunk", "upper_arm", "forearm", "hand", "thigh", "shank", "foot"):
        assert getattr(tall, seg) / getattr(short, seg) == pytest.approx(2.0 / 1.5)
        table = DE_LEVA_LENGTHS_MM[sex]
        assert getattr(tall, seg) == pytest.approx(2.0 * table[seg] / table["stature"])


def test_male_1741_reproduces_table_millimetres():
    body = make_body(1.741, "m")
    assert body.thigh * 1000 == pytest.approx(422.2)
    assert body.forearm * 1000 == pytest.approx(268.9)


def test_rendered_model_keeps_segment_lengths_constant():
    params = SynthParams(stature=1.9, sex="f", asymmetry=0.1)
    model = RunnerModel(params)
    pts = model.pose(np.linspace(0, 2, 400)).points
    b = model.body
    for side in ("left", "right"):
        for a, c, length in (("hip", "knee", b.thigh), ("knee", "ankle", b.shank),
                             ("shoulder", "elbow", b.upper_arm), ("elbow", "wrist", b.forearm),
                             ("heel", "mtp", MTP_FRACTION * b.foot),
                             ("sole_heel", "sole_mtp", MTP_FRACTION * b.foot),
                             ("sole_mtp", "sole_toe", (1 - MTP_FRACTION) * b.foot)):
            d = np.linalg.norm(pts[f"{side}_{a}"] - pts[f"{side}_{c}"], axis=1)
            assert np.allclose(d, length, atol=1e-9), (side, a, c)
        # the foot's sole line lies 3 cm above the outsole, less the compression (<= 2 cm)
        sole = np.linalg.norm(pts[f"{side}_heel"] - pts[f"{side}_sole_heel"], axis=1)
        assert sole.max() == pytest.approx(SHOE_SOLE_M, abs=1e-9)
        assert sole.min() == pytest.approx(SHOE_SOLE_M - COMPRESSION, abs=1e-4)
    hips = np.linalg.norm(pts["left_hip"] - pts["right_hip"], axis=1)
    assert np.allclose(hips, b.hip_width)


@pytest.mark.parametrize("kwargs", [{"stature": 0.5}, {"stature": 3.0}, {"sex": "x"}])
def test_bad_body_parameters_raise(kwargs):
    with pytest.raises(MechanicsError):
        make_body(**{"stature": 1.75, "sex": "m", **kwargs})
