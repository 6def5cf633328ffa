"""Pelvis and shoulder-line rotation (transverse plane), hip-shoulder separation.

Definitions (science.md 3.1): yaw psi of the right -> left hip line (pelvis, psi_P) or
shoulder line (thorax proxy, psi_T) about the vertical, 0 when the line is perpendicular to
the direction of travel, + = left side forward; separation ``wrap(psi_T - psi_P)``. Only
oscillations are reported (per-trial mean removed): peak-to-peak ranges, angular velocities
and the lag of the thorax peak after the pelvis peak.

Two yaw estimators:

- ``world`` (science.md 3.3): the line in MediaPipe's world landmarks (camera-aligned, y down,
  so up = (0, -1, 0)), projected on the horizontal plane. The direction of travel is not
  needed: the "left" axis is the trial's circular-mean line direction, forward = left x up,
  so psi has its trial mean removed and the sign follows the left/right labels in every view;
- ``image`` (science.md 3.4): foreshortening of the line in the image. Its horizontal image
  extent is ``dx = W sin(psi + psi0)`` (W = line length in pixels, psi0 = the camera's
  azimuth from the side view); ``psi = asin(d dx / W) - mean``, d = +1 when the runner faces
  image right. W = a body-proportion ratio x the image torso length (mid-hip to
  mid-shoulder, median over the clip). Ill-conditioned in front/back views (dpsi/ddx -> inf).

Stride averaging: each yaw signal is cut into strides (:func:`mechanics.cycles.cut_strides`,
101 points) at the foot strikes of the foot with more strides that match the stride period
(+-25 %: a missed strike would make a double stride) or, without two such strides, into
consecutive windows of the stride period (:func:`ankle_period`: autocorrelation of the ankle
tracks). The strides are averaged (NaN ignored) and the mean curve keeps its first
:data:`HARMONICS` stride harmonics (1: the stride-frequency component; more harmonics only
raised the artefact floor in the calibration). Per line:
``range_deg`` = p2p of that mean curve (the reported value), ``stride_range_deg`` = mean of the
per-stride p2p (biased upward by noise), peak |angular velocity| (deg/s) of the mean curve and
the phase of its fundamental. ``lag_pct`` = thorax peak after the pelvis peak, % of the stride
(fundamental phases; 50 % = counter-rotation).

Which estimator is used in which view, and when a number is reported at all, is decided by
:func:`mechanics.rotation_calibration.assess` from errors measured on synthetic runners of
known rotation (``docs/rotation.md``).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mechanics.cycles import N_POINTS, Strides, cut_strides
from mechanics.gait.signals import stride_period
from mechanics.pose.skeleton import INDEX
from mechanics.sequence import PoseSequence

#: MediaPipe world landmarks: camera-aligned, y down (science.md 0.2; levelled camera)
UP_WORLD = np.array([0.0, -1.0, 0.0])
#: |yaw| beyond this from the trial mean is a left/right label swap, not rotation (deg)
MAX_ABS_YAW = 60.0
#: harmonics of the stride kept in the mean curve (fundamental = stride frequency)
HARMONICS = 1
#: image line length / image torso length (mid-hip to mid-shoulder) of a frontal line
WIDTH_RATIO = {"hip": 0.33, "shoulder": 0.69}
PARTS = {"pelvis": "hip", "thorax": "shoulder"}
MIN_STRIDES = 2
#: autocorrelation peaks this share of the highest count as the stride (ankle_period)
PEAK_SHARE = 0.8


# ---------------------------------------------------------------- yaw of a line
def wrap180(a: Any) -> np.ndarray:
    """Angles wrapped to (-180, 180] deg."""
    w = np.mod(np.asarray(a, dtype=float) + 180.0, 360.0) - 180.0
    return np.where(w == -180.0, 180.0, w)


def yaw_deg(left: np.ndarray, right: np.ndarray, forward: np.ndarray,
            up: np.ndarray) -> np.ndarray:
    """Yaw of the right -> left line (deg, science.md 3.3): ``atan2(p_h . f, p_h . l)`` with
    p_h the line projected on the horizontal plane, f the unit horizontal direction of travel
    and ``l = up x f``. 0 = line perpendicular to travel, + = left point forward."""
    up = np.asarray(up, dtype=float) / np.linalg.norm(up)
    f = np.asarray(forward, dtype=float)
    f = f - np.dot(f, up) * up
    f = f / np.linalg.norm(f)
    lv = np.cross(up, f)
    p = np.asarray(left, dtype=float) - np.asarray(right, dtype=float)
    return np.degrees(np.arctan2(p @ f, p @ lv))


def _mean_removed(psi: np.ndarray) -> np.ndarray:
    """``psi`` minus its circular mean, wrapped; NaN beyond :data:`MAX_ABS_YAW` (swaps)."""
    ok = np.isfinite(psi)
    if not ok.any():
        return psi
    r = np.radians(psi[ok])
    mean = math.degrees(math.atan2(np.sin(r).mean(), np.cos(r).mean()))
    out = wrap180(psi - mean)
    out = np.where(np.abs(out) <= MAX_ABS_YAW, out, np.nan)
    # a second pass: the mean without the swapped frames
    if np.isfinite(out).any():
        out = out - np.nanmean(out)
    return out


def world_yaw(seq: PoseSequence, part: str, up: np.ndarray = UP_WORLD) -> np.ndarray:
    """(T,) yaw of the ``part`` ('hip' or 'shoulder') line from the world landmarks, deg,
    trial mean removed (module docstring); all NaN without world landmarks."""
    if seq.world is None:
        return np.full(len(seq), np.nan)
    left, right = seq.world[:, INDEX[f"left_{part}"]], seq.world[:, INDEX[f"right_{part}"]]
    p = left - right
    up = np.asarray(up, dtype=float)
    ph = p - (p @ up)[:, None] * up
    ok = np.isfinite(ph).all(axis=1) & (np.linalg.norm(ph, axis=1) > 0)
    if not ok.any():
        return np.full(len(seq), np.nan)
    unit = ph[ok] / np.linalg.norm(ph[ok], axis=1)[:, None]
    lv = unit.mean(axis=0)
    if np.linalg.norm(lv) < 1e-9:
        return np.full(len(seq), np.nan)
    forward = np.cross(lv, up)
    psi = np.full(len(seq), np.nan)
    psi[ok] = yaw_deg(p[ok], np.zeros(3), forward, up)
    return _mean_removed(psi)


def torso_px(seq: PoseSequence) -> float:
    """Median image distance mid-hip -> mid-shoulder (px), NaN when never seen."""
    mh = (seq.xy("left_hip") + seq.xy("right_hip")) / 2.0
    ms = (seq.xy("left_shoulder") + seq.xy("right_shoulder")) / 2.0
    d = np.linalg.norm(ms - mh, axis=1)
    d = d[np.isfinite(d) & (d > 0)]
    return float(np.median(d)) if d.size else math.nan


def image_yaw(seq: PoseSequence, part: str, facing: int,
              width_ratio: float | None = None) -> np.ndarray:
    """(T,) yaw of the ``part`` line from its image foreshortening, deg, trial mean removed
    (module docstring, science.md 3.4). ``facing``: +1 runner faces image right, -1 left."""
    if facing not in (1, -1):
        return np.full(len(seq), np.nan)
    ratio = WIDTH_RATIO[part] if width_ratio is None else width_ratio
    width = ratio * torso_px(seq)
    dx = facing * (seq.xy(f"left_{part}")[:, 0] - seq.xy(f"right_{part}")[:, 0])
    with np.errstate(invalid="ignore"):
        psi = np.degrees(np.arcsin(np.clip(dx / width, -1.0, 1.0)))
    return _mean_removed(psi)


# ---------------------------------------------------------------- stride averaging
def windows(signal: np.ndarray, time: np.ndarray, period_s: float) -> Strides:
    """Cut ``signal`` into consecutive windows of ``period_s`` (no events: arbitrary phase)."""
    t = np.asarray(time, dtype=float)
    if not (np.isfinite(period_s) and period_s > 0) or t.size < 2:
        return cut_strides(signal, t, np.zeros(0))
    starts = t[0] + period_s * np.arange(int((t[-1] - t[0]) / period_s) + 1)
    return cut_strides(signal, t, starts, max_stride_s=1.01 * period_s)


def smooth_cycle(curve: np.ndarray, harmonics: int = HARMONICS) -> np.ndarray:
    """A 101-point periodic mean curve keeping its first ``harmonics`` Fourier terms
    (the end point equals the start point); NaN when any point is missing."""
    c = np.asarray(curve, dtype=float)
    if not np.isfinite(c).all():
        return np.full(c.shape, np.nan)
    base = c[:-1]
    spec = np.fft.rfft(base)
    spec[harmonics + 1:] = 0.0
    out = np.fft.irfft(spec, n=base.size)
    return np.append(out, out[0])


def fundamental(curve: np.ndarray) -> tuple[float, float]:
    """(p2p amplitude, phase of the maximum in % of the stride) of the first harmonic of a
    101-point periodic curve."""
    c = np.asarray(curve, dtype=float)[:-1]
    if not np.isfinite(c).all():
        return math.nan, math.nan
    k1 = np.fft.rfft(c)[1] * 2.0 / c.size
    peak = (-math.degrees(math.atan2(k1.imag, k1.real)) % 360.0) / 3.6
    return 2.0 * abs(k1), peak


@dataclass
class Cycle:
    """Stride-averaged summary of one yaw (or separation) signal.

    Attributes
    ----------
    mean : (101,) smoothed mean curve over strides, deg (0-100 % of the stride).
    range_deg : p2p of ``mean``. stride_range_deg : mean per-stride p2p (raw strides).
    stride_ranges : (n,) per-stride p2p. sd_deg : mean across-stride SD of the curve.
    velocity_peak_deg_s : peak |d mean / dt|, deg/s. peak_pct : fundamental's peak, % stride.
    """

    mean: np.ndarray
    range_deg: float
    stride_range_deg: float
    stride_ranges: np.ndarray
    sd_deg: float
    velocity_peak_deg_s: float
    peak_pct: float

    @property
    def n(self) -> int:
        """Number of strides averaged."""
        return int(self.stride_ranges.size)


def summarize_cycles(strides: Strides, harmonics: int = HARMONICS) -> Cycle:
    """Stride-averaged :class:`Cycle` of time-normalised strides (NaN summaries if none);
    the mean curve keeps ``harmonics`` stride harmonics."""
    data = strides.data.reshape(-1, strides.percent.size)
    keep = np.isfinite(data).mean(axis=1) >= 0.8
    data, dur = data[keep], strides.duration_s[keep]
    nan = math.nan
    if data.shape[0] == 0:
        return Cycle(np.full(N_POINTS, nan), nan, nan, np.zeros(0), nan, nan, nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)     # all-NaN points / one stride
        raw = np.nanmean(data, axis=0)
        sd = float(np.nanmean(np.nanstd(data, axis=0, ddof=1))) if data.shape[0] > 1 else nan
    ok = np.isfinite(raw)                                    # bridge points no stride has
    raw = np.interp(strides.percent, strides.percent[ok], raw[ok], period=100.0)
    mean = smooth_cycle(raw, harmonics)
    ranges = np.nanmax(data, axis=1) - np.nanmin(data, axis=1)
    stride_s = float(np.mean(dur))
    vel = np.gradient(mean, strides.percent) * 100.0 / stride_s
    return Cycle(mean, float(np.ptp(mean)), float(np.mean(ranges)), ranges, sd,
                 float(np.nanmax(np.abs(vel))), fundamental(mean)[1])


# ---------------------------------------------------------------- the whole estimate
@dataclass
class RotationEstimate:
    """Rotation of one clip by one estimator.

    Attributes
    ----------
    method : 'world' or 'image'. cut : 'foot_strikes' or 'autocorrelation'.
    time : (T,) s. pelvis, thorax, separation : (T,) yaw signals, deg, mean removed.
    cycles : 'pelvis', 'thorax', 'separation' -> :class:`Cycle`.
    lag_pct : thorax peak after the pelvis peak, % of the stride, [0, 100).
    stride_s : mean stride time of the cycles, s.
    """

    method: str
    cut: str
    time: np.ndarray
    pelvis: np.ndarray
    thorax: np.ndarray
    separation: np.ndarray
    cycles: dict[str, Cycle] = field(default_factory=dict)
    lag_pct: float = math.nan
    stride_s: float = math.nan

    @property
    def n_strides(self) -> int:
        """Strides averaged (pelvis)."""
        return self.cycles["pelvis"].n if "pelvis" in self.cycles else 0


def lag_pct(first: Cycle, second: Cycle) -> float:
    """Peak of ``second`` after the peak of ``first``, % of the stride in [0, 100)."""
    if not (math.isfinite(first.peak_pct) and math.isfinite(second.peak_pct)):
        return math.nan
    return float((second.peak_pct - first.peak_pct) % 100.0)


def ankle_period(seq: PoseSequence, lo_s: float = 0.35, hi_s: float = 2.0) -> float:
    """Stride period (s) from the ankle tracks (x relative to the mid-hip, and y): the
    first autocorrelation peak between ``lo_s`` and ``hi_s`` at least :data:`PEAK_SHARE` as
    high as the highest (a multiple of the stride can beat the stride itself on a short,
    symmetric clip). NaN when there is no rhythm."""
    mh = (seq.xy("left_hip")[:, 0] + seq.xy("right_hip")[:, 0]) / 2.0
    sigs = [seq.xy(f"{s}_ankle")[:, 0] - mh for s in ("left", "right")]
    sigs += [seq.xy(f"{s}_ankle")[:, 1] for s in ("left", "right")]
    return stride_period(sigs, seq.fps, lo_s, hi_s, peak_share=PEAK_SHARE)


def consistent_strikes(strikes: np.ndarray, period_s: float) -> np.ndarray:
    """Foot strikes whose intervals match the stride period (within +-25 %); strikes that
    only bound a longer interval (a missed strike) or a shorter one are kept only as the
    start or end of a matching interval. Returns the strikes unchanged without a period."""
    fs = np.sort(np.asarray(strikes, dtype=float))
    fs = fs[np.isfinite(fs)]
    if not (math.isfinite(period_s) and period_s > 0) or fs.size < 2:
        return fs
    good = np.abs(np.diff(fs) / period_s - 1.0) <= 0.25
    keep = np.zeros(fs.size, dtype=bool)
    keep[:-1] |= good
    keep[1:] |= good
    return fs[keep]


def stride_source(seq: PoseSequence, strikes: dict[str, np.ndarray] | np.ndarray | None,
                  period_s: float | None = None) -> tuple[str, np.ndarray, float]:
    """(cut, strikes, period): the foot strikes to cut at ('foot_strikes': those of the foot
    with more strides that match the stride period) or 'autocorrelation' windows."""
    period = ankle_period(seq) if period_s is None else period_s
    if strikes is None:
        sets = []
    elif isinstance(strikes, dict):
        sets = list(strikes.values())
    else:
        sets = [strikes]
    best = max((consistent_strikes(s, period) for s in sets), key=len, default=np.zeros(0))
    n = int(np.sum(np.abs(np.diff(best) / period - 1.0) <= 0.25)) if math.isfinite(period) \
        else best.size - 1
    if n >= MIN_STRIDES:
        return "foot_strikes", best, period
    return "autocorrelation", np.zeros(0), period


def estimate(seq: PoseSequence, method: str,
             strikes: dict[str, np.ndarray] | np.ndarray | None = None, *,
             facing: int = 0, period_s: float | None = None,
             harmonics: int = HARMONICS) -> RotationEstimate:
    """Yaw signals and their stride-averaged summaries (module docstring).

    Parameters
    ----------
    seq : landmark track (the cleaned copy).
    method : 'world' or 'image'.
    strikes : foot-strike times (s) of one foot, or by side; the foot with more strides
        consistent with the stride period is used; fewer than :data:`MIN_STRIDES` such
        strides -> windows of the autocorrelation period (arbitrary phase).
    facing : +1 / -1 runner faces image right / left (needed by 'image').
    period_s : stride period, s (default: :func:`ankle_period`).
    harmonics : stride harmonics kept in the mean curves.
    """
    if method == "world":
        sig = {k: world_yaw(seq, p) for k, p in PARTS.items()}
    elif method == "image":
        sig = {k: image_yaw(seq, p, facing) for k, p in PARTS.items()}
    else:
        raise ValueError(f"unknown rotation method {method!r}")
    sig["separation"] = wrap180(sig["thorax"] - sig["pelvis"])
    cut, fs, period = stride_source(seq, strikes, period_s)
    t = seq.time
    out = RotationEstimate(method, cut, t, sig["pelvis"], sig["thorax"], sig["separation"])
    for name, s in sig.items():
        strides = cut_strides(s, t, fs) if cut == "foot_strikes" else windows(s, t, period)
        out.cycles[name] = summarize_cycles(strides, harmonics)
        if name == "pelvis" and strides.n:
            out.stride_s = float(np.mean(strides.duration_s))
    out.lag_pct = lag_pct(out.cycles["pelvis"], out.cycles["thorax"])
    return out

