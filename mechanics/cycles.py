"""Cut signals into gait cycles and time-normalise them (0-100 % of the stride, 101 points).

The one stride-cutting tool of the project: kinematics curves, coordination (CRP, vector
coding: science.md 5.1-5.2: "cut into strides at FS and time-normalise to 101 points") and
symmetry all use it.

A stride runs from one foot strike to the next foot strike of the *same* foot. Each stride
is resampled by linear interpolation in time at ``n_points`` equally spaced instants from
0 % (the first FS) to 100 % (the next FS), so event times may fall between frames.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np

N_POINTS = 101


@dataclass
class Strides:
    """Time-normalised strides of one signal.

    Attributes
    ----------
    data : (n_strides, n_points) or (n_strides, n_points, k) values; NaN where the signal
        was missing.
    start_s, end_s : (n_strides,) foot-strike times bounding each stride, s.
    percent : (n_points,) 0-100 % of the gait cycle.
    """

    data: np.ndarray
    start_s: np.ndarray
    end_s: np.ndarray
    percent: np.ndarray

    @property
    def n(self) -> int:
        """Number of strides."""
        return int(self.data.shape[0])

    @property
    def duration_s(self) -> np.ndarray:
        """(n_strides,) stride times, s."""
        return self.end_s - self.start_s

    def mean(self) -> np.ndarray:
        """Mean curve across strides, ignoring NaN (NaN where no stride has data)."""
        return _nan_reduce(self.data, np.nanmean)

    def sd(self) -> np.ndarray:
        """Sample SD (ddof=1) across strides, ignoring NaN (NaN with fewer than 2 strides)."""
        return _nan_reduce(self.data, lambda a, axis: np.nanstd(a, axis=axis, ddof=1), min_n=2)


def _nan_reduce(data: np.ndarray, fn, min_n: int = 1) -> np.ndarray:
    """``fn(data, axis=0)`` over strides (a NaN-ignoring numpy reducer), NaN below ``min_n``."""
    count = np.isfinite(data).sum(axis=0)
    if data.shape[0] == 0:
        return np.full(data.shape[1:], np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        out = np.asarray(fn(data, axis=0), dtype=float)
    return np.where(count >= min_n, out, np.nan)


def _resample(time: np.ndarray, y: np.ndarray, t_new: np.ndarray,
              max_missing: float) -> np.ndarray:
    """Interpolate one column at ``t_new``; NaN if too much of the stride is missing."""
    inside = (time >= t_new[0]) & (time <= t_new[-1])
    ok = np.isfinite(y)
    if inside.sum() == 0 or ok.sum() < 2:
        return np.full(t_new.shape, np.nan)
    if 1.0 - ok[inside].mean() > max_missing:
        return np.full(t_new.shape, np.nan)
    out = np.interp(t_new, time[ok], y[ok], left=np.nan, right=np.nan)
    # do not bridge gaps longer than 2 frame intervals
    dt = np.median(np.diff(time))
    tv = time[ok]
    k = np.clip(np.searchsorted(tv, t_new), 1, tv.size - 1)
    out[(tv[k] - tv[k - 1]) > 2.5 * dt] = np.nan
    return out


def cut_strides(signal: np.ndarray, time: np.ndarray, strikes: np.ndarray, *,
                n_points: int = N_POINTS, max_stride_s: float | None = None,
                max_missing: float = 0.2) -> Strides:
    """Cut a (T,) or (T, k) signal into strides between consecutive foot strikes.

    Parameters
    ----------
    signal : (T,) or (T, k) samples (NaN = missing). time : (T,) sample times, s.
    strikes : foot-strike times of ONE foot, s (sorted or not).
    n_points : samples per normalised stride (101: 0, 1, ..., 100 %).
    max_stride_s : drop strides longer than this (a missed foot strike); default
        1.5 x the median stride time.
    max_missing : a stride (column) with a larger share of missing samples becomes NaN.

    Returns
    -------
    Strides
        Strides that lie wholly inside ``time``.
    """
    sig = np.asarray(signal, dtype=float)
    one_d = sig.ndim == 1
    sig2 = sig[:, None] if one_d else sig
    t = np.asarray(time, dtype=float)
    fs = np.sort(np.asarray(strikes, dtype=float))
    fs = fs[np.isfinite(fs)]
    pairs = [(a, b) for a, b in zip(fs[:-1], fs[1:], strict=True) if a >= t[0] and b <= t[-1]]
    if pairs and max_stride_s is None:
        max_stride_s = 1.5 * float(np.median([b - a for a, b in pairs]))
    pairs = [(a, b) for a, b in pairs if b - a <= (max_stride_s or math.inf)]
    pct = np.linspace(0.0, 100.0, n_points)
    data = np.full((len(pairs), n_points, sig2.shape[1]), np.nan)
    for i, (a, b) in enumerate(pairs):
        t_new = a + (b - a) * pct / 100.0
        for j in range(sig2.shape[1]):
            data[i, :, j] = _resample(t, sig2[:, j], t_new, max_missing)
    if one_d:
        data = data[:, :, 0]
    starts = np.array([a for a, _ in pairs])
    ends = np.array([b for _, b in pairs])
    return Strides(data=data, start_s=starts, end_s=ends, percent=pct)


def complete_strides(signal: np.ndarray, time: np.ndarray, strikes: np.ndarray) -> np.ndarray:
    """(n, N_POINTS) time-normalised strides of a (T,) ``signal`` with no missing sample
    (:func:`cut_strides` with the incomplete strides dropped; n may be 0)."""
    data = cut_strides(signal, time, strikes).data.reshape(-1, N_POINTS)
    return data[np.isfinite(data).all(axis=1)]


def mean_sd(strides: Strides) -> tuple[np.ndarray, np.ndarray]:
    """(mean, SD) curves across strides (convenience for :meth:`Strides.mean`/``sd``)."""
    return strides.mean(), strides.sd()
