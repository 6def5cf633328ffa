"""The tracking-and-cleaning report page's numbers (known answers)."""

from __future__ import annotations

import numpy as np
import pytest

from mechanics.pose.skeleton import INDEX
from mechanics.report.page_tracking import ankle_paths, changed_share
from tests.unit.test_clean_identity import runner


def test_ankle_paths_are_relative_to_the_given_hips():
    seq = runner(60, "side")
    hips = np.zeros((len(seq), 2))
    hips[:, 0] = 100.0
    paths = ankle_paths(seq, hips)
    assert paths["left"] == pytest.approx(seq.image[:, INDEX["left_ankle"], 0] - 100.0)
    assert paths["right"] == pytest.approx(seq.image[:, INDEX["right_ankle"], 0] - 100.0)


def test_changed_share_counts_moved_and_dropped_samples():
    raw = runner(60, "side")
    cleaned = raw.copy()
    n = 2 * len(raw)                                    # both ankles
    assert changed_share(raw, cleaned, 5.0) == 0.0
    cleaned.image[10, INDEX["left_ankle"], 0] += 20.0   # moved beyond the tolerance
    cleaned.image[11, INDEX["left_ankle"], 0] += 3.0    # within it
    cleaned.image[12, INDEX["right_ankle"], :] = np.nan  # marked missing
    assert changed_share(raw, cleaned, 5.0) == pytest.approx(2 / n)
    raw.image[13, INDEX["right_ankle"], :] = np.nan     # missing in the raw track: not counted
    cleaned.image[13, INDEX["right_ankle"], 0] += 50.0
    assert changed_share(raw, cleaned, 5.0) == pytest.approx(2 / (n - 1))
