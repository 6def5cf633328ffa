"""Inter-segment coordination: continuous relative phase and vector coding (science.md 5).

Continuous relative phase (CRP), Hilbert method of Lamb & Stoeckl (2014)::

    x_c(t) = x(t) - (max x + min x) / 2         centred over the whole trial
    phi(t) = unwrap(angle(x_c + i H{x_c}))      on the CONTINUOUS multi-stride signal,
                                                 padded at both ends
    CRP(t) = phi_A(t) - phi_B(t)                wrapped to (-180, 180] deg after cutting

Padding: by default each end is extended with a copy of its own last two strides (periodic
continuation); ``pad='reflect'`` gives the mirror padding of science.md 5.1, which leaves
larger errors inside the kept strides (see :func:`hilbert_phase`).
The trial is then cut into strides at foot strikes with :func:`mechanics.cycles.cut_strides`
(101 points); the first and last stride are discarded (Hilbert edge effects). Per point,
strides are averaged with circular statistics: mean relative phase and circular SD
``sqrt(-2 ln R)`` (deg). MARP = mean over points of |mean CRP| (0 = in phase, 180 = anti-phase);
DP (deviation phase) = mean over points of the circular SD = coordination variability.

Vector coding (Chang et al. 2008; Needham et al. 2014)::

    gamma_j = atan2(dist[j+1] - dist[j], prox[j+1] - prox[j])   deg, 0-360, proximal on x

on 101-point time-normalised strides; per point the circular mean across strides and the
coupling angle variability ``CAV = sqrt(2 (1 - R)) x 180/pi`` deg (angular deviation,
Batschelet). Points where both segments are near-stationary (``hypot(d prox, d dist)`` below
``stationary`` x the median over all points) are masked (science.md 5.2 pitfalls). The mean
coupling angle of each point falls in one of Chang's four bins (limits [M], science.md 5.2):

==========  ==================================================
in-phase    22.5-67.5, 202.5-247.5
anti-phase  112.5-157.5, 292.5-337.5
proximal    0-22.5, 157.5-202.5, 337.5-360 (proximal segment dominant)
distal      67.5-112.5, 247.5-292.5 (distal segment dominant)
==========  ==================================================

Coupling pairs (science.md 5.3): thigh-shank per side (sagittal segment angles of
:mod:`mechanics.kinematics`), contralateral arm-leg (shoulder flexion vs the opposite hip
flexion, expected near in-phase), pelvis-thorax (transverse; only when rotation signals are
given). Angles in degrees, times in seconds.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.signal import hilbert

from mechanics.cycles import N_POINTS, cut_strides
from mechanics.pose.skeleton import other_side

SIDES = ("left", "right")
BINS = ("in_phase", "anti_phase", "proximal_phase", "distal_phase")
#: bin of each 22.5-deg sector of 0-360 deg (16 sectors, Chang et al. 2008)
_SECTORS = ("proximal_phase", "in_phase", "in_phase", "distal_phase", "distal_phase",
            "anti_phase", "anti_phase", "proximal_phase") * 2
#: near-stationary threshold: share of the median movement per normalised sample
STATIONARY = 0.1


@dataclass
class RelativePhase:
    """Continuous relative phase of one pair (deg).

    Attributes
    ----------
    strides : (n, 101) CRP of each kept stride, wrapped to (-180, 180].
    mean : (101,) circular mean over strides. sd : (101,) circular SD over strides.
    marp_deg : mean absolute relative phase (0-180). dp_deg : deviation phase.
    stride_marp_deg : (n,) mean |CRP| of each stride (for stride-to-stride variability).
    percent : (101,) 0-100 % of the stride.
    """

    strides: np.ndarray
    mean: np.ndarray
    sd: np.ndarray
    marp_deg: float
    dp_deg: float
    stride_marp_deg: np.ndarray
    percent: np.ndarray

    @property
    def n(self) -> int:
        """Number of strides used."""
        return int(self.strides.shape[0])


@dataclass
class VectorCoding:
    """Vector-coding result of one proximal/distal pair.

    Attributes
    ----------
    gamma : (n, 100) coupling angle of each stride and interval, deg 0-360 (NaN = masked).
    mean : (100,) circular mean coupling angle per interval. cav : (100,) CAV, deg.
    bins_pct : % of the unmasked intervals in each of :data:`BINS`.
    cav_deg : mean CAV over the unmasked intervals. masked_pct : % of intervals masked.
    """

    gamma: np.ndarray
    mean: np.ndarray
    cav: np.ndarray
    bins_pct: dict[str, float]
    cav_deg: float
    masked_pct: float

    @property
    def n(self) -> int:
        """Number of strides used."""
        return int(self.gamma.shape[0])


# ---------------------------------------------------------------- circular statistics
def circular_mean(angles_deg: np.ndarray, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(circular mean in deg 0-360, mean resultant length R) along ``axis``, NaN ignored."""
    a = np.radians(np.asarray(angles_deg, dtype=float))
    ok = np.isfinite(a)
    n = ok.sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.where(ok, np.cos(a), 0.0).sum(axis=axis) / n
        s = np.where(ok, np.sin(a), 0.0).sum(axis=axis) / n
    mean = np.mod(np.degrees(np.arctan2(s, c)), 360.0)
    r = np.hypot(c, s)
    return np.where(n > 0, mean, np.nan), np.where(n > 0, r, np.nan)


def angular_deviation(r: np.ndarray) -> np.ndarray:
    """Angular deviation ``sqrt(2 (1 - R))`` in deg (Batschelet; CAV of science.md 5.2)."""
    return np.degrees(np.sqrt(2.0 * np.clip(1.0 - np.asarray(r, dtype=float), 0.0, None)))


def circular_sd(r: np.ndarray) -> np.ndarray:
    """Circular standard deviation ``sqrt(-2 ln R)`` in deg (NaN where R is NaN)."""
    rr = np.clip(np.asarray(r, dtype=float), 1e-12, 1.0)
    return np.where(np.isfinite(r), np.degrees(np.sqrt(-2.0 * np.log(rr))), np.nan)


def wrap_deg(a: np.ndarray) -> np.ndarray:
    """Angles wrapped to (-180, 180] deg."""
    w = np.mod(np.asarray(a, dtype=float) + 180.0, 360.0) - 180.0
    return np.where(w == -180.0, 180.0, w)


# ---------------------------------------------------------------- continuous relative phase
def _period_samples(time: np.ndarray, strikes: np.ndarray) -> float | None:
    """Median stride (interval between ``strikes``) in samples of ``time``; None if unknown."""
    fs = np.sort(np.asarray(strikes, dtype=float))
    fs = fs[np.isfinite(fs)]
    if fs.size < 2 or time.size < 2:
        return None
    dt = float(np.median(np.diff(time)))
    return float(np.median(np.diff(fs))) / dt if dt > 0 else None


def _fill(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(x with interior NaN interpolated and edges held, finite mask)."""
    ok = np.isfinite(x)
    idx = np.arange(x.size)
    return np.interp(idx, idx[ok], x[ok]), ok


def _padded(xc: np.ndarray, period: float | None, mode: str) -> tuple[np.ndarray, int]:
    """(padded signal, pad length) for :func:`hilbert_phase`."""
    n = xc.size
    if mode == "stride" and period is not None and np.isfinite(period) and \
            2 * round(period) < n and period >= 2:
        p = 2 * int(round(period))                 # two strides: copy of the end strides
        return np.concatenate([xc[:p], xc, xc[n - p:]]), p
    p = min(n - 1, n // 4)
    return (np.pad(xc, p, mode="reflect") if p > 0 else xc), p


def hilbert_phase(signal: np.ndarray, period: float | None = None,
                  pad: str = "stride") -> np.ndarray:
    """Unwrapped phase angle (rad) of the centred analytic signal (Lamb & Stoeckl 2014).

    Parameters
    ----------
    signal : (T,) continuous multi-stride signal (NaN = missing; interior gaps are bridged
        linearly for the transform and NaN again in the result).
    period : stride period in samples (for ``pad='stride'``).
    pad : 'stride' (default when ``period`` is known): each end is extended by a copy of
        its own last two strides (periodic continuation of a quasi-periodic signal);
        'reflect': mirror padding of a quarter of the signal (science.md 5.1). On 12
        strides of a sine at 100 Hz the error left inside the kept strides is 0.1-0.4 deg
        with 'stride' and up to 4 deg with 'reflect' (mirroring puts a kink at the edge).

    Returns
    -------
    (T,) phase in rad, NaN where the input was missing or fewer than 4 samples are finite.
    """
    x = np.asarray(signal, dtype=float)
    if np.isfinite(x).sum() < 4:
        return np.full(x.shape, np.nan)
    xf, ok = _fill(x)
    xc = xf - (xf[ok].max() + xf[ok].min()) / 2.0
    padded, p = _padded(xc, period, pad)
    phase = np.unwrap(np.angle(hilbert(padded)))[p:p + x.size]
    return np.where(ok, phase, np.nan)


def relative_phase(a: np.ndarray, b: np.ndarray, time: np.ndarray, strikes: np.ndarray, *,
                   n_points: int = N_POINTS, discard_edges: bool = True,
                   pad: str = "stride") -> RelativePhase:
    """CRP of signal ``a`` relative to ``b`` (deg), cut into strides at ``strikes``.

    Parameters
    ----------
    a, b : (T,) continuous angle signals (deg; any unit works: phases are unit-free).
    time : (T,) s. strikes : foot strikes (s) of the foot defining the strides.
    discard_edges : drop the first and last stride (Hilbert edge effects).
    pad : padding of :func:`hilbert_phase` ('stride' or 'reflect'); the stride period is
        the median interval of ``strikes``.

    Returns
    -------
    RelativePhase
        Positive CRP = ``a`` leads ``b``. Empty (NaN summaries) with too few strides.
    """
    t = np.asarray(time, dtype=float)
    period = _period_samples(t, strikes)
    dphi = np.degrees(hilbert_phase(a, period, pad) - hilbert_phase(b, period, pad))
    cut = cut_strides(dphi, t, strikes, n_points=n_points)      # unwrapped: safe to resample
    data = cut.data[1:-1] if discard_edges else cut.data
    crp = wrap_deg(data.reshape(-1, n_points))
    crp = crp[np.isfinite(crp).all(axis=1)]
    if crp.shape[0] == 0:
        nan = np.full(n_points, np.nan)
        return RelativePhase(crp, nan, nan.copy(), math.nan, math.nan, np.zeros(0), cut.percent)
    mean, r = circular_mean(crp, axis=0)
    mean = wrap_deg(mean)
    sd = circular_sd(r)
    return RelativePhase(crp, mean, sd, float(np.mean(np.abs(mean))), float(np.mean(sd)),
                         np.abs(crp).mean(axis=1), cut.percent)


# ---------------------------------------------------------------- vector coding
def coupling_bin(gamma_deg: np.ndarray) -> np.ndarray:
    """Chang et al. (2008) bin name of each coupling angle ('' for NaN)."""
    g = np.asarray(gamma_deg, dtype=float)
    sector = np.floor(np.mod(np.where(np.isfinite(g), g, 0.0), 360.0) / 22.5).astype(int)
    names = np.array(_SECTORS)[np.clip(sector, 0, 15)]
    return np.where(np.isfinite(g), names, "")


def coupling_angles(prox: np.ndarray, dist: np.ndarray,
                    stationary: float = STATIONARY) -> np.ndarray:
    """Coupling angle (deg, 0-360) of each interval of each stride, NaN where masked.

    ``prox``, ``dist``: (n, P) time-normalised strides. Intervals whose movement
    ``hypot(d prox, d dist)`` is below ``stationary`` x the median movement are masked.
    """
    dx, dy = np.diff(prox, axis=-1), np.diff(dist, axis=-1)
    gamma = np.mod(np.degrees(np.arctan2(dy, dx)), 360.0)
    move = np.hypot(dx, dy)
    if np.isfinite(move).any():
        gamma = np.where(move >= stationary * np.nanmedian(move), gamma, np.nan)
    return gamma


def vector_coding(prox: np.ndarray, dist: np.ndarray, time: np.ndarray, strikes: np.ndarray,
                  *, n_points: int = N_POINTS, stationary: float = STATIONARY) -> VectorCoding:
    """Vector coding of a proximal/distal angle pair over strides (science.md 5.2).

    Parameters
    ----------
    prox, dist : (T,) segment angles, deg (proximal on the x-axis of the angle-angle plot).
    time : (T,) s. strikes : foot strikes (s) defining the strides.
    stationary : masking threshold (share of the median movement per interval).

    Returns
    -------
    VectorCoding
        Bins in % of the unmasked intervals (summing to 100), mean CAV in deg; NaN
        summaries when no stride is complete.
    """
    t = np.asarray(time, dtype=float)
    cut = cut_strides(np.column_stack([prox, dist]), t, strikes, n_points=n_points)
    data = cut.data.reshape(-1, n_points, 2)
    data = data[np.isfinite(data).all(axis=(1, 2))]
    gamma = coupling_angles(data[:, :, 0], data[:, :, 1], stationary)
    mean, r = circular_mean(gamma, axis=0)
    cav = angular_deviation(r)
    valid = np.isfinite(mean)
    names = coupling_bin(mean[valid])
    bins = {b: (100.0 * float(np.mean(names == b)) if valid.any() else math.nan) for b in BINS}
    cav_deg = float(np.mean(cav[valid])) if valid.any() else math.nan
    masked = 100.0 * float(np.mean(~np.isfinite(gamma))) if gamma.size else math.nan
    return VectorCoding(gamma, mean, cav, bins, cav_deg, masked)


# ---------------------------------------------------------------- coupling pairs
def thigh_shank(series: Mapping[str, np.ndarray], time: np.ndarray,
                strikes: Mapping[str, np.ndarray]) -> dict[str, VectorCoding]:
    """Thigh (proximal) - shank (distal) vector coding per side, strides of that foot.

    ``series``: sagittal angles by name (``'{side}_thigh'``, ``'{side}_shank'``, as in
    :class:`mechanics.kinematics.Angles`); ``strikes``: foot-strike times by side.
    """
    return {s: vector_coding(series[f"{s}_thigh"], series[f"{s}_shank"], time,
                             strikes.get(s, np.zeros(0))) for s in SIDES}


def arm_leg(series: Mapping[str, np.ndarray], time: np.ndarray,
            strikes: Mapping[str, np.ndarray]) -> dict[str, RelativePhase]:
    """Contralateral arm-leg CRP: ``side`` shoulder flexion vs the opposite hip flexion.

    Keyed by the arm's side; strides are those of the leg's foot (science.md 4.2, 5.3:
    expected near in-phase).
    """
    out = {}
    for s in SIDES:
        leg = other_side(s)
        out[s] = relative_phase(series[f"{s}_shoulder_flexion"], series[f"{leg}_hip_flexion"],
                                time, strikes.get(leg, np.zeros(0)))
    return out


def pelvis_thorax(pelvis_yaw: np.ndarray | None, thorax_yaw: np.ndarray | None,
                  time: np.ndarray, strikes: np.ndarray) -> RelativePhase | None:
    """Pelvis-thorax CRP (transverse plane), or None when no rotation signals are given.

    Positive CRP = pelvis leads. Yaw angles come from a rotation estimator (science.md 3.3);
    label the result model-based (science.md 5.3).
    """
    if pelvis_yaw is None or thorax_yaw is None:
        return None
    return relative_phase(pelvis_yaw, thorax_yaw, time, strikes)
