"""Ground-contact timing of the synthetic runner: foot strikes, toe-offs, phases.

Definitions follow science.md 1.6: stride time T = 120 / cadence, step time T / 2,
contact time t_c = TO - FS, duty factor DF = t_c / T (per stride, not per step).

Asymmetry F lengthens the RIGHT contact: t_c,right = (1 + F) t_c,left, with their mean equal
to DF x T. Steps stay equally long in time (cadence exact), so the flight after the longer
contact is shorter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SIDES = ("left", "right")


@dataclass(frozen=True)
class GaitTiming:
    """Exact event timing of a perfectly periodic run.

    Attributes
    ----------
    step_time, stride_time : float
        Seconds.
    contact : dict
        'left'/'right' -> contact time (s).
    first_strike : dict
        'left'/'right' -> time of that foot's first strike at or after the left one (s).
    """

    step_time: float
    stride_time: float
    contact: dict[str, float]
    first_strike: dict[str, float]

    def flight_after(self, side: str) -> float:
        """Flight time from ``side``'s toe-off to the other foot's strike (s)."""
        return self.step_time - self.contact[side]

    def since_strike(self, t: np.ndarray, side: str) -> np.ndarray:
        """Time since ``side``'s most recent foot strike (s), in [0, stride_time)."""
        return np.mod(np.asarray(t, dtype=float) - self.first_strike[side], self.stride_time)

    def in_contact(self, t: np.ndarray, side: str) -> np.ndarray:
        """True where ``side``'s foot is on the ground (FS <= t < TO)."""
        return self.since_strike(t, side) < self.contact[side]

    def events(self, duration: float) -> dict[str, dict[str, list[float]]]:
        """Every foot strike and toe-off in [0, duration] (s), per side."""
        out: dict[str, dict[str, list[float]]] = {}
        for side in SIDES:
            first = self.first_strike[side]
            k = np.arange(-int(np.ceil(first / self.stride_time)) - 1,
                          int(np.ceil((duration - first) / self.stride_time)) + 1)
            fs = first + self.stride_time * k
            to = fs + self.contact[side]
            out[side] = {"foot_strike": [float(x) for x in fs if 0.0 <= x <= duration],
                         "toe_off": [float(x) for x in to if 0.0 <= x <= duration]}
        return out


def make_timing(cadence: float, duty_factor: float, asymmetry: float = 0.0,
                first_strike: float = 0.0) -> GaitTiming:
    """Timing from cadence (steps/min), duty factor, asymmetry F and first left strike (s)."""
    step = 60.0 / cadence
    stride = 2.0 * step
    left = 2.0 * duty_factor * stride / (2.0 + asymmetry)
    return GaitTiming(step_time=step, stride_time=stride,
                      contact={"left": left, "right": (1.0 + asymmetry) * left},
                      first_strike={"left": first_strike, "right": first_strike + step})


def hermite(u: np.ndarray, p0: float, m0: float, p1: float, m1: float, h: float) -> np.ndarray:
    """Cubic Hermite from (p0, slope m0) at u=0 to (p1, m1) at u=1 over a span of h seconds."""
    u2, u3 = u * u, u * u * u
    return ((2 * u3 - 3 * u2 + 1) * p0 + (u3 - 2 * u2 + u) * h * m0
            + (-2 * u3 + 3 * u2) * p1 + (u3 - u2) * h * m1)
