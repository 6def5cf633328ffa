"""Reference ranges for the traffic lights of the summary page (../shared/docs/science.md).

A light compares a reported value with the range typical of healthy runners. It is
descriptive, not a diagnosis: green = inside the typical range, amber = within ``margin``
outside it, red = further out. A metric without a published range here gets no light.

Distance running (science.md 2.1): the speed-dependent values are the Fukuchi et al. 2017
treadmill data (28 recreational runners, derived by a third party [T]) at 2.5, 3.5 and
4.5 m/s. When the running speed is known (treadmill belt speed or a measured speed) the
range is centred on the value interpolated at that speed, +- ``half_width``; otherwise it
spans the three speeds, widened by ``half_width``. Sprinting uses science.md 2.2 (elite to
sub-elite ranges [M]). Evidence labels are those of science.md 0.1: [V] verified, [M] from
memory, [T] third party, [D] derived.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from mechanics.analysis import Metric

#: RBDS (Fukuchi et al. 2017) speeds and values, science.md 2.1 table [T]/[D]
RBDS_SPEEDS = (2.5, 3.5, 4.5)
RBDS = {
    "cadence_spm": (161.0, 171.0, 183.0),
    "contact_time_s": (0.29, 0.24, 0.21),
    "duty_factor": (0.385, 0.337, 0.322),
    "flight_time_s": (0.083, 0.112, 0.119),
    "step_length_m": (0.93, 1.23, 1.48),
    "step_time_s": (0.3725, 0.3515, 0.3285),
}
_RBDS_CITE = "science.md 2.1: Fukuchi et al. 2017 treadmill data (RBDS) [T]"


@dataclass(frozen=True)
class Reference:
    """A typical range: [low, high] in the metric's unit, amber up to ``margin`` outside."""

    low: float
    high: float
    margin: float
    source: str

    def light(self, v: float) -> str | None:
        """'green', 'amber' or 'red' for a value; None when the value is missing."""
        if not math.isfinite(v):
            return None
        if self.low <= v <= self.high:
            return "green"
        if self.low - self.margin <= v <= self.high + self.margin:
            return "amber"
        return "red"

    def text(self, unit: str, digits: int) -> str:
        """'160.0 to 185.0 steps/min' (typical range as printed)."""
        u = "" if unit == "fraction" else f" {unit}"
        return f"{self.low:.{digits}f} to {self.high:.{digits}f}{u}"


#: RBDS metrics: half-width of the typical range around the speed-matched value, margin
_RBDS_WIDTH = {"cadence_spm": (10.0, 10.0), "contact_time_s": (0.03, 0.03),
               "duty_factor": (0.04, 0.04), "flight_time_s": (0.03, 0.03),
               "step_length_m": (0.15, 0.15), "step_time_s": (0.03, 0.03)}

#: speed-independent distance-running ranges: (low, high, margin, source)
_FIXED = {
    "vertical_oscillation_cm": (6.0, 10.0, 2.0,
                                "science.md 2.1: 6-10 cm at 3-4 m/s [M]; RBDS pelvis "
                                "7.6-9.3 cm [T]; Folland et al. 2017"),
    "trunk_lean_deg": (6.0, 13.0, 4.0,
                       "science.md 2.1: 6-13 deg across 2-6 m/s, Thorstensson et al. 1984 "
                       "[T/M]"),
    "knee_flexion_at_contact_deg": (10.0, 20.0, 6.0,
                                    "science.md 2.1: 10-20 deg at initial contact, "
                                    "marker-based, 3-4 m/s [M]"),
    "peak_stance_knee_flexion_deg": (35.0, 45.0, 7.0,
                                     "science.md 2.1: 35-45 deg, marker-based, 3-4 m/s [M]"),
    "shank_angle_at_contact_deg": (0.0, 10.0, 5.0,
                                   "science.md 2.3: near vertical is the clinical target "
                                   "(Souza 2016 [V]); typical 0-10 deg [M]"),
}

#: sprinting at maximal velocity (science.md 2.2, elite to sub-elite [M])
_SPRINT = {
    "contact_time_s": (0.08, 0.12, 0.02, "science.md 2.2: 80-120 ms, elite to sub-elite [M]"),
    "flight_time_s": (0.11, 0.14, 0.02, "science.md 2.2: 110-140 ms [M]"),
    "cadence_spm": (252.0, 300.0, 12.0, "science.md 2.2: step frequency 4.2-5.0 Hz [M]"),
    "trunk_lean_deg": (5.0, 15.0, 5.0, "science.md 2.2: 5-15 deg at max velocity [M]"),
    "knee_flexion_at_contact_deg": (20.0, 30.0, 6.0,
                                    "science.md 2.2: 20-30 deg at touchdown [M]"),
}


def _rbds(name: str, speed: float | None) -> Reference:
    values = RBDS[name]
    half, margin = _RBDS_WIDTH[name]
    if speed is not None and math.isfinite(speed) and 2.0 <= speed <= 5.0:
        centre = float(np.interp(speed, RBDS_SPEEDS, values))
        return Reference(centre - half, centre + half, margin,
                         f"{_RBDS_CITE}, at {speed:.1f} m/s")
    return Reference(min(values) - half, max(values) + half, margin,
                     f"{_RBDS_CITE}, 2.5-4.5 m/s")


def reference_for(name: str, speed: float | None = None,
                  sprint: bool = False) -> Reference | None:
    """The typical range of a metric, or None when science.md gives none.

    Step length depends on speed so strongly that it gets a range only at a known speed.
    """
    if sprint:
        r = _SPRINT.get(name)
        return Reference(*r) if r else None
    if name in RBDS:
        if name == "step_length_m" and (speed is None or not math.isfinite(speed)):
            return None
        return _rbds(name, speed)
    r = _FIXED.get(name)
    return Reference(*r) if r else None


def known_speed(metrics: dict[str, Metric], source: dict) -> float | None:
    """The running speed for speed-matched ranges: the belt speed given, else the measured
    speed when it is measurable; None otherwise."""
    belt = source.get("treadmill_speed_m_s")
    if isinstance(belt, int | float) and math.isfinite(belt):
        return float(belt)
    m = metrics.get("speed_mps")
    if m is not None and m.measurable and math.isfinite(m.value):
        return float(m.value)
    return None


def light(name: str, metric: Metric, speed: float | None,
          sprint: bool) -> tuple[str | None, Reference | None]:
    """(light, reference) for one metric; no light when not measurable or no reference."""
    ref = reference_for(name, speed, sprint)
    if ref is None or not metric.measurable:
        return None, ref
    return ref.light(metric.value), ref
