"""Symmetry index, symmetry angle and the flag rule: known answers (science.md 6.1, 9.2)."""

from __future__ import annotations

import math

import pytest

from mechanics.symmetry import (
    ENTRY_KEYS,
    asymmetry_flag,
    bilateral_entry,
    difference,
    pooled_sd,
    symmetry_angle,
    symmetry_index,
)


def test_equal_values_are_symmetric() -> None:
    assert symmetry_angle(0.25, 0.25) == 0.0
    assert symmetry_index(0.25, 0.25) == 0.0
    assert difference(0.25, 0.25) == 0.0


@pytest.mark.parametrize(("ratio", "sa", "si"), [(2.0, -20.48, -66.7), (1.1, -3.03, -9.52)])
def test_worked_numbers(ratio: float, sa: float, si: float) -> None:
    right = 0.2
    left = ratio * right
    assert symmetry_angle(left, right) == pytest.approx(sa, abs=0.005)
    assert symmetry_index(left, right) == pytest.approx(si, abs=0.05)
    # swapping the sides flips the sign; SA ~ SI / pi for small asymmetry
    assert symmetry_angle(right, left) == pytest.approx(-sa, abs=0.005)
    if ratio < 1.2:
        assert symmetry_angle(left, right) == pytest.approx(si / math.pi, rel=0.02)


def test_symmetry_angle_piecewise_and_bounded() -> None:
    # X_L / X_R < -1: the bracket exceeds 90 deg and is shifted by -180 deg
    assert symmetry_angle(-3.0, 1.0) == pytest.approx(
        (45 - math.degrees(math.atan(-3.0)) - 180) / 90 * 100)
    for xl, xr in ((-3.0, 1.0), (5.0, -1.0), (1e6, 1.0), (1.0, 1e6)):
        assert -100.0 < symmetry_angle(xl, xr) <= 100.0
    assert math.isnan(symmetry_angle(1.0, 0.0))
    assert math.isnan(symmetry_index(1.0, -1.0))


def test_pooled_sd() -> None:
    left, right = [1.0, 2.0, 3.0], [2.0, 4.0]
    expected = math.sqrt((2 * 1.0 + 1 * 2.0) / 3)
    assert pooled_sd(left, right) == pytest.approx(expected)
    assert math.isnan(pooled_sd([1.0], right))
    assert pooled_sd([1.0, math.nan, 3.0], [2.0, 2.0]) == pytest.approx(math.sqrt(2 / 2))


def test_flag_needs_both_variability_and_error() -> None:
    # |L - R| = 0.02
    assert not asymmetry_flag(0.27, 0.25, variability=0.03, error=0.01)    # within variability
    assert not asymmetry_flag(0.27, 0.25, variability=0.01, error=0.03)    # within error
    assert asymmetry_flag(0.27, 0.25, variability=0.01, error=0.011)       # beyond both
    assert asymmetry_flag(0.25, 0.27, variability=0.01, error=0.011)       # either side
    assert not asymmetry_flag(0.27, 0.25, variability=math.nan, error=0.01)
    assert not asymmetry_flag(0.27, 0.25, variability=0.01, error=None)


def test_bilateral_entry() -> None:
    left = [0.30, 0.31, 0.29, 0.30]
    right = [0.25, 0.26, 0.24, 0.25]
    e = bilateral_entry(0.30, 0.25, left, right, error=0.0228)
    assert tuple(e) == ENTRY_KEYS
    assert e["difference"] == pytest.approx(0.05)
    assert e["symmetry_angle_pct"] == pytest.approx(symmetry_angle(0.30, 0.25))
    assert e["variability"] == pytest.approx(pooled_sd(left, right))
    assert e["flag"] is True
    # a 10 % difference alone never flags: here it is within the measurement error
    assert bilateral_entry(0.275, 0.25, left, right, error=0.03)["flag"] is False
    # unknown error or variability: no flag
    assert bilateral_entry(0.30, 0.25, left, right)["flag"] is False
    assert bilateral_entry(0.30, 0.25, error=0.001)["variability"] is None


def test_near_zero_quantities_get_no_symmetry_angle() -> None:
    e = bilateral_entry(2.0, -1.5, [2.0, 2.5], [-1.0, -2.0], error=1.0, ratio=False)
    assert e["symmetry_angle_pct"] is None and e["difference"] == pytest.approx(3.5)
    assert e["flag"] is True
    # a ratio metric with a side <= 0 also gets none
    assert bilateral_entry(0.1, -0.1)["symmetry_angle_pct"] is None
    nulls = bilateral_entry(math.nan, math.nan)
    assert all(nulls[k] is None for k in ENTRY_KEYS if k != "flag") and nulls["flag"] is False
