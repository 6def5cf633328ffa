"""The symmetry flag on synthetic runners through the real pose model (issue acceptance).

Side-view treadmill runners (right side toward the camera) with 0, 10 and 20 % contact-time
asymmetry (right contact = (1 + F) x left, cadence unchanged) are rendered at 60 fps for
4 s, tracked with MediaPipe (full model) and analysed (``landmarks_raw.csv``). The clips use
165 spm at 3.3 m/s, so they are not the symmetric runners whose left-right artefact set the
flag's thresholds (:data:`mechanics.analysis.bilateral.SIDE_VIEW_LR_ERR`: 170 and 180 spm).

Asserted: the symmetric runner gets **no** asymmetry flag on any metric (the pipeline's own
near/far artefact is never reported as the runner's asymmetry), and the contact-time flag is
on at 20 %. Measured (docs/symmetry.md): off at 0 and 10 % (25 ms, below the 46 ms
side-view threshold), on at 20 %. The table is printed with ``-s``.
"""

from __future__ import annotations

import pytest

from mechanics.analysis import Analysis, analyze_sequence
from tests.validation.synthetic import tracked

pytestmark = pytest.mark.slow

ASYMMETRIES = (0.0, 0.1, 0.2)
CADENCE, SPEED = 165.0, 3.3


def _analyse(make_once, asym: float) -> tuple[Analysis, dict]:
    seq, truth = tracked(make_once, f"symmetry_{int(round(asym * 100))}", seconds=4.0,
                         fps=60.0, asymmetry=asym, cadence=CADENCE, speed=SPEED, seed=0)
    return analyze_sequence(seq, treadmill_speed_m_s=SPEED), truth


@pytest.fixture(scope="module", params=ASYMMETRIES, ids=[f"{a:.0%}" for a in ASYMMETRIES])
def case(request, make_once) -> tuple[float, Analysis, dict]:
    analysis, truth = _analyse(make_once, request.param)
    return request.param, analysis, truth


def test_table(case) -> None:
    asym, analysis, truth = case
    e = analysis.symmetry["contact_time_s"]
    tc = truth["truth"]["contact_time_s"]
    print(f"\nasymmetry {asym:.0%}: true contact L {tc['left']:.3f} R {tc['right']:.3f} s, "
          f"measured L {e['left']:.3f} R {e['right']:.3f} s, difference "
          f"{1000 * e['difference']:+.0f} ms, variability {1000 * e['variability']:.0f} ms, "
          f"flag {e['flag']}; flagged: {[k for k, v in analysis.symmetry.items() if v['flag']]}")


def test_symmetric_runner_has_no_flag(case) -> None:
    asym, analysis, _ = case
    if asym:
        pytest.skip("asymmetric runner")
    flagged = {k: v["difference"] for k, v in analysis.symmetry.items() if v["flag"]}
    assert not flagged


def test_twenty_percent_contact_asymmetry_is_flagged(case) -> None:
    asym, analysis, _ = case
    if asym < 0.2:
        pytest.skip("below 20 %")
    assert analysis.symmetry["contact_time_s"]["flag"]
