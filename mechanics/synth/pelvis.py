"""Pelvis of the synthetic runner: vertical oscillation and transverse rotation (yaw).

Frame: world x = direction of travel, y = runner's left, z = up, ground at z = 0. All
functions return positions in the *treadmill frame* (mean pelvis position at x = y = 0);
overground motion adds ``speed x t`` to x afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mechanics.errors import MechanicsError
from mechanics.synth.timing import GaitTiming, hermite

G = 9.81  # m/s^2


@dataclass(frozen=True)
class PelvisModel:
    """Vertical motion and yaw of the pelvis, periodic over one stride.

    The mid-hip height is ballistic in flight (free fall, g = 9.81 m/s^2) and dips in stance
    to its minimum exactly at mid-stance (two cubic Hermite pieces whose end slopes match the
    flight velocities). Peak-to-peak excursion = ``oscillation``.

    Yaw psi_P (science.md 3.1: + = left hip forward) is a cosine of stride phase, maximal at
    left foot strike, peak-to-peak = ``rotation``.
    """

    timing: GaitTiming
    oscillation: float          # m, peak-to-peak
    rotation: float             # rad, peak-to-peak
    hip_width: float            # m
    edge_height: float = 0.0    # m: mid-hip height at foot strike / toe-off

    @property
    def dip(self) -> float:
        """Depth of the stance dip below the foot-strike height (m)."""
        t = self.timing
        rise = G * max(t.flight_after("left"), t.flight_after("right")) ** 2 / 8.0
        return self.oscillation - rise

    def check(self) -> None:
        """Raise if the oscillation cannot contain the ballistic flight."""
        if self.dip < 0.005:
            raise MechanicsError(
                f"vertical oscillation {self.oscillation:g} m is too small for the flight time "
                "(free fall alone needs more): raise it or the duty factor")

    def height_offset(self, t: np.ndarray) -> np.ndarray:
        """Mid-hip height relative to ``edge_height`` (m) at times ``t`` (s)."""
        tm = self.timing
        tau = tm.since_strike(t, "left")
        out = np.empty_like(tau)
        c_l, c_r, step = tm.contact["left"], tm.contact["right"], tm.step_time
        f_l, f_r = tm.flight_after("left"), tm.flight_after("right")
        spans = [(0.0, c_l, "stance", f_r, f_l), (c_l, step, "flight", f_l, 0.0),
                 (step, step + c_r, "stance", f_l, f_r), (step + c_r, 2 * step, "flight", f_r, 0)]
        for start, end, kind, f_in, f_out in spans:
            m = (tau >= start) & (tau < end) if end < 2 * step else tau >= start
            u = tau[m] - start
            if kind == "flight":
                out[m] = G * f_in / 2.0 * u - G * u * u / 2.0
            else:
                out[m] = self._dip(u, end - start, G * f_in / 2.0, G * f_out / 2.0)
        return out

    def _dip(self, u: np.ndarray, contact: float, v_in: float, v_out: float) -> np.ndarray:
        half = contact / 2.0
        first = hermite(u / half, 0.0, -v_in, -self.dip, 0.0, half)
        second = hermite(u / half - 1.0, -self.dip, 0.0, 0.0, v_out, half)
        return np.where(u < half, first, second)

    def yaw(self, t: np.ndarray) -> np.ndarray:
        """Pelvis yaw psi_P (rad), + = left hip forward."""
        phase = 2 * np.pi * self.timing.since_strike(t, "left") / self.timing.stride_time
        return 0.5 * self.rotation * np.cos(phase)

    def centre(self, t: np.ndarray) -> np.ndarray:
        """Mid-hip (between the hip joint centres), shape (n, 3), treadmill frame (m)."""
        t = np.atleast_1d(np.asarray(t, dtype=float))
        out = np.zeros((t.size, 3))
        out[:, 2] = self.edge_height + self.height_offset(t)
        return out

    def hip(self, t: np.ndarray, side: str) -> np.ndarray:
        """Hip joint centre of ``side`` (n, 3), treadmill frame (m)."""
        t = np.atleast_1d(np.asarray(t, dtype=float))
        psi = self.yaw(t)
        sign = 1.0 if side == "left" else -1.0
        half = sign * self.hip_width / 2.0
        out = self.centre(t)
        out[:, 0] += half * np.sin(psi)
        out[:, 1] += half * np.cos(psi)
        return out
