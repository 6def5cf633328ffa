"""Small signal helpers for gait event detection: NaN-aware low-pass, gaps, crossings, period.

The event detector works on a *lightly* low-passed copy of the landmarks (science.md section
7.1: heavy filtering smooths impacts and biases foot strike). The filter here is a plain
2nd-order Butterworth run forward and backward (zero lag, ``scipy.signal.filtfilt``); the
cleaning module's filter will replace it once it exists.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
from scipy.signal import butter, filtfilt, find_peaks

#: default event cut-off, Hz: light smoothing for running (science.md 7.1: 8-12 Hz running,
#: up to 20 Hz sprinting); never above 0.4 x fps
EVENT_CUTOFF_HZ = 12.0
EVENT_CUTOFF_SPRINT_HZ = 18.0
#: Hampel threshold, robust SDs (science.md 7.3: k ~ 3)
HAMPEL_K = 3.0


def event_cutoff(fps: float, sprint: bool = False) -> float:
    """Cut-off (Hz) of the event copy: 12 Hz (18 Hz sprint), at most 0.4 x fps."""
    base = EVENT_CUTOFF_SPRINT_HZ if sprint else EVENT_CUTOFF_HZ
    return float(min(base, 0.4 * fps))


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Half-open index ranges ``[start, stop)`` of the True runs of a 1-D bool array."""
    m = np.concatenate([[False], np.asarray(mask, dtype=bool), [False]]).astype(np.int8)
    d = np.diff(m)
    return list(zip(np.flatnonzero(d == 1).tolist(), np.flatnonzero(d == -1).tolist(),
                    strict=True))


def fill_gaps(x: np.ndarray, max_gap: int) -> np.ndarray:
    """Linearly interpolate interior NaN runs of at most ``max_gap`` samples (1-D copy)."""
    y = np.asarray(x, dtype=float).copy()
    ok = np.isfinite(y)
    if ok.sum() < 2:
        return y
    idx = np.arange(y.size)
    first, last = np.flatnonzero(ok)[[0, -1]]
    for a, b in runs(~ok):
        if a > first and b <= last and b - a <= max_gap:
            y[a:b] = np.interp(idx[a:b], idx[ok], y[ok])
    return y


def lowpass(x: np.ndarray, fps: float, cutoff_hz: float, order: int = 2,
            max_gap: int = 3) -> np.ndarray:
    """Zero-lag Butterworth low-pass of a 1-D signal that may hold NaN.

    Gaps of at most ``max_gap`` samples are filled linearly first; each remaining finite run
    is filtered separately (runs too short to filter are returned unfiltered), NaN stays NaN.

    Parameters
    ----------
    x : (T,) signal. fps : sampling rate, Hz. cutoff_hz : cut-off of each pass, Hz
        (clipped below Nyquist).
    """
    y = fill_gaps(x, max_gap)
    wn = min(cutoff_hz / (fps / 2.0), 0.95)
    if not np.isfinite(wn) or wn <= 0:
        return y
    b, a = butter(order, wn)
    out = np.full_like(y, np.nan)
    for s, e in runs(np.isfinite(y)):
        seg = y[s:e]
        pad = 3 * max(len(a), len(b))
        out[s:e] = filtfilt(b, a, seg, padlen=min(pad, seg.size - 1)) if seg.size > pad else seg
    return out


def hampel(x: np.ndarray, half_window: int, k: float = HAMPEL_K) -> np.ndarray:
    """Hampel filter (science.md 7.3): samples further than ``k`` robust SDs (1.4826 MAD)
    from the median of the ``2 half_window + 1`` samples around them are replaced by that
    median. NaN-aware (NaN stays NaN and is ignored in the windows).

    A sliding median leaves monotone stretches unchanged, so the descent of a foot to the
    ground and its lift-off (the edges the contact test times) pass through untouched, while
    a spike lasting at most ``half_window`` samples (a left/right label glitch while the legs
    cross, a jump to the other foot) is removed.
    """
    y = np.asarray(x, dtype=float).copy()
    if half_window < 1 or y.size < 2 * half_window + 1:
        return y
    pad = np.pad(y, half_window, mode="constant", constant_values=np.nan)
    win = np.lib.stride_tricks.sliding_window_view(pad, 2 * half_window + 1)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        med = np.nanmedian(win, axis=1)
        mad = np.nanmedian(np.abs(win - med[:, None]), axis=1)
    bad = np.isfinite(y) & np.isfinite(med) & (np.abs(y - med) > k * 1.4826 * mad)
    y[bad] = med[bad]
    return y


def lowpass_xy(xy: np.ndarray, fps: float, cutoff_hz: float) -> np.ndarray:
    """:func:`lowpass` applied to each column of a (T, k) array."""
    return np.column_stack([lowpass(xy[:, k], fps, cutoff_hz) for k in range(xy.shape[1])])


def crossing_time(t: np.ndarray, y: np.ndarray, i: int, level: float) -> float:
    """Sub-frame time where ``y`` crosses ``level`` between samples ``i`` and ``i + 1``.

    Linear interpolation (science.md 1.5 step 3); falls back to ``t[i]`` when the two samples
    are equal or not finite.
    """
    y0, y1 = y[i], y[i + 1]
    if not (np.isfinite(y0) and np.isfinite(y1)) or y1 == y0:
        return float(t[i])
    frac = float(np.clip((level - y0) / (y1 - y0), 0.0, 1.0))
    return float(t[i] + frac * (t[i + 1] - t[i]))


def stride_period(signals: list[np.ndarray], fps: float, lo_s: float = 0.35,
                  hi_s: float = 2.0, peak_share: float = 1.0) -> float:
    """Dominant stride period (s) of quasi-periodic signals (mean autocorrelation peak).

    Each signal is detrended and its NaNs set to 0; the autocorrelations (normalised) are
    averaged and the first peak between ``lo_s`` and ``hi_s`` at least ``peak_share`` times
    as high as the highest is returned (1.0: the highest; NaN if none). Running strides last
    0.45 s (sprint) to ~0.9 s (slow jog), science.md 2.1-2.2.
    """
    if not math.isfinite(fps):
        return math.nan
    acs = []
    for s in signals:
        s = np.asarray(s, dtype=float)
        ok = np.isfinite(s)
        if ok.sum() < fps * 2 * lo_s:
            continue
        z = np.where(ok, s - np.nanmean(s), 0.0)
        ac = np.correlate(z, z, mode="full")[z.size - 1:]
        if ac[0] > 0:
            acs.append(ac / ac[0])
    if not acs:
        return math.nan
    ac = np.mean([a[:min(map(len, acs))] for a in acs], axis=0)
    lo, hi = int(lo_s * fps), min(int(hi_s * fps), ac.size - 1)
    if hi <= lo + 1:
        return math.nan
    peaks, props = find_peaks(ac[lo:hi + 1], height=0.1)
    if peaks.size == 0:
        return math.nan
    heights = props["peak_heights"]
    k = lo + peaks[np.argmax(heights >= peak_share * heights.max())]
    return float(k / fps)


def peak_indices(x: np.ndarray, min_distance: int, rel_prominence: float = 0.25) -> np.ndarray:
    """Indices of the local maxima of ``x`` (NaN ignored) that stand out by a share of its range."""
    ok = np.isfinite(x)
    if ok.sum() < 3:
        return np.zeros(0, dtype=int)
    z = np.where(ok, x, np.nanmin(x))
    span = float(np.nanpercentile(x, 95) - np.nanpercentile(x, 5))
    peaks, _ = find_peaks(z, distance=max(1, int(min_distance)),
                          prominence=rel_prominence * span if span > 0 else None)
    # a maximum next to a gap is the gap's edge, not a turning point
    inner = (peaks > 0) & (peaks < x.size - 1)
    peaks = peaks[inner]
    return peaks[ok[peaks] & ok[peaks - 1] & ok[peaks + 1]]
