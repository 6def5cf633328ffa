"""Zero-lag Butterworth low-pass filtering and Winter's residual analysis.

Filter (../shared/docs/science.md section 7.1; Winter 2009, ch. 3): a 2nd-order Butterworth
low-pass run forward and backward (``scipy.signal.filtfilt``), i.e. zero phase lag and a
4th-order magnitude roll-off. Two passes multiply the attenuation, so the design cut-off is
raised with Winter's dual-pass correction ``C = (2**(1/passes) - 1)**(1/(2*order)) = 0.802``
(2 passes, order 2). It is applied to the pre-warped frequency of the bilinear transform
(Robertson & Dowling 2003)::

    tan(pi * f_design / fs) = tan(pi * f_c / fs) / C      (~ f_design = f_c / 0.802)

so the overall -3 dB point (amplitude gain 1/sqrt(2)) lands exactly at ``f_c``.

Cut-off rule when none is given: Winter's residual analysis on the image x and y of the
distal landmarks (wrists, ankles, heels, toes: the fastest-moving, which carry the highest
frequencies and the gait events), the median of these 16 per-signal cut-offs, clamped to
``[max(4, 6 * f_stride), min(12, 0.4 * fps)]`` Hz. The ceiling: running marker data
8-12 Hz, and at most 0.4 of the frame rate (science.md 7.1). The floor: running content is
concentrated in the first ~6-8 harmonics of the stride frequency (science.md 7.1, "scale
with stride frequency"; in the synthetic runner 99.9 % of the variance of the ankle, heel
and toe paths relative to the hip lies below the 4th-7th harmonic), so the cut-off does not
go below the 6th harmonic, ``6 * f_stride`` (8.5 Hz at 1.42 Hz, i.e. 170 steps/min), nor
below 4 Hz; ``f_stride`` comes from the autocorrelation of the ankles' x and y relative to
the mid-hip (:func:`stride_frequency`, autocorrelation), and without a clearly periodic
signal the floor is 4 Hz.
One cut-off serves every signal, so that combined quantities are filtered alike
(science.md 7.1); the slower landmarks (hips, shoulders) get cut-offs ~1 Hz lower of their
own, the median over them would over-smooth the feet. The residual-analysis grid, the
straight-line fit range, the stride frequency and the clamp are logged with every use.
Why the floor: Winter's cut-off equalises signal distortion and passed noise, so it sits
below the cut-off of least RMS error (by ~1.3-1.5x in the synthetic tests); at 30 fps, where
running content reaches the fit range (7.5-13.5 Hz), it fell to the old 4 Hz clamp and
over-smoothed the swinging foot (median ankle/knee error of the synthetic side-view runner
at 30 fps: raw 4.8 px, filtered at 4 Hz 6.8 px, at 8 Hz ~5.5 px).

References
----------
Winter DA (2009) Biomechanics and Motor Control of Human Movement, 4th ed., Wiley, ch. 3
(digital filtering, dual-pass correction, residual analysis).
Robertson DGE, Dowling JJ (2003) Design and responses of Butterworth and critically damped
digital filters. J Electromyogr Kinesiol 13:569-573.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.signal import butter, filtfilt, find_peaks

from mechanics.clean.gaps import runs
from mechanics.pose.skeleton import INDEX
from mechanics.sequence import PoseSequence

ORDER = 2
PASSES = 2
#: straight-line fit range of the residual analysis, as fractions of the Nyquist frequency
FIT_RANGE = (0.5, 0.9)
#: residual-analysis grid: geometric from 0.5 Hz to 0.9 * Nyquist
GRID_MIN_HZ = 0.5
GRID_POINTS = 80
#: clamp of the automatic cut-off: [max(CLAMP_LOW_HZ, STRIDE_HARMONICS * stride frequency),
#: min(CLAMP_HIGH_HZ, CLAMP_HIGH_FPS * fps)]
CLAMP_LOW_HZ = 4.0
STRIDE_HARMONICS = 6.0
#: stride periods searched (s) and the autocorrelation a stride must reach to count
STRIDE_RANGE_S = (0.35, 2.0)
MIN_PERIODICITY = 0.4
CLAMP_HIGH_HZ = 12.0
CLAMP_HIGH_FPS = 0.4
#: cut-off when residual analysis has nothing to work on (Winter's walking default)
FALLBACK_HZ = 6.0
#: finite runs shorter than this are left unfiltered
MIN_RUN = 4
#: a signal needs this many samples (in runs of at least RA_MIN_RUN) for residual analysis
RA_MIN_SAMPLES = 30
RA_MIN_RUN = 16
#: landmarks whose x and y feed the automatic cut-off (distal: feet and wrists)
CUTOFF_LANDMARKS = tuple(f"{s}_{n}" for n in ("wrist", "ankle", "heel", "foot_index")
                         for s in ("left", "right"))


def dual_pass_correction(order: int = ORDER, passes: int = PASSES) -> float:
    """Winter's correction factor ``(2**(1/passes) - 1)**(1/(2*order))``: 0.802 for 2 and 2."""
    return (2.0 ** (1.0 / passes) - 1.0) ** (1.0 / (2.0 * order))


def design_cutoff(fc: float, fs: float, order: int = ORDER, passes: int = PASSES) -> float:
    """Design cut-off in Hz that puts the -3 dB point of the ``passes``-pass filter at ``fc``.

    Parameters
    ----------
    fc : wanted cut-off (Hz) of the whole forward-backward filter.
    fs : sampling rate (Hz).

    Notes
    -----
    ``tan(pi f_d / fs) = tan(pi f_c / fs) / C`` with ``C = dual_pass_correction()``; for
    ``f_c << fs`` this is Winter's ``f_d = f_c / 0.802`` (Winter 2009, ch. 3).
    """
    c = dual_pass_correction(order, passes)
    return fs / math.pi * math.atan(math.tan(math.pi * fc / fs) / c)


@functools.lru_cache(maxsize=1024)
def _coefficients(fc: float, fs: float, order: int) -> tuple[np.ndarray, np.ndarray]:
    # cached: the residual analysis designs the same grid of filters for every signal
    wn = design_cutoff(fc, fs, order) / (fs / 2.0)
    b, a = butter(order, min(wn, 0.999), btype="low")
    return b, a


def butter_filtfilt(x: np.ndarray, fs: float, fc: float, order: int = ORDER) -> np.ndarray:
    """Zero-lag Butterworth low-pass of a 1-D signal, run by run over its finite samples.

    Parameters
    ----------
    x : (T,) signal; NaN = missing. NaN runs stay NaN.
    fs : sampling rate in Hz.
    fc : cut-off in Hz of the forward-backward filter (-3 dB point, Winter-corrected).
    order : order of the single-pass Butterworth filter.

    Returns
    -------
    (T,) filtered copy. Runs shorter than ``MIN_RUN`` (4) samples are returned unchanged;
    runs shorter than filtfilt's default pad length (``3 * (order + 1)``) are padded with
    ``len - 1`` samples (odd extension) instead.
    """
    x = np.asarray(x, dtype=float)
    out = x.copy()
    b, a = _coefficients(fc, fs, order)
    for s, e in runs(np.isfinite(x)):
        n = e - s + 1
        if n < MIN_RUN:
            continue
        padlen = min(3 * max(len(a), len(b)), n - 1)
        out[s:e + 1] = filtfilt(b, a, x[s:e + 1], padlen=padlen)
    return out


@dataclass(frozen=True)
class Residuals:
    """Result of Winter's residual analysis of one signal.

    Attributes
    ----------
    cutoff_hz : cut-off where the residual curve falls to the noise intercept (Hz).
    noise_rms : intercept of the straight line fitted over the noise-dominated range
        (Winter's ``a``, an estimate of the noise RMS; units of the signal).
    freqs, residual : the grid (Hz) and the RMS residual at each grid cut-off.
    fit_hz : (low, high) frequency range of the straight-line fit.
    """

    cutoff_hz: float
    noise_rms: float
    freqs: np.ndarray
    residual: np.ndarray
    fit_hz: tuple[float, float]


def residual_grid(fs: float) -> np.ndarray:
    """Cut-offs (Hz) tried by the residual analysis: geometric, 0.5 Hz .. 0.9 * Nyquist."""
    return np.geomspace(GRID_MIN_HZ, 0.9 * fs / 2.0, GRID_POINTS)


def _signal_runs(x: np.ndarray) -> list[tuple[int, int]]:
    return [(s, e) for s, e in runs(np.isfinite(x)) if e - s + 1 >= RA_MIN_RUN]


def residual_curve(x: np.ndarray, fs: float, freqs: np.ndarray,
                   order: int = ORDER) -> np.ndarray:
    """RMS residual ``sqrt(mean((x - filtered(x, f))**2))`` for each cut-off ``f`` of ``freqs``.

    Finite runs of at least ``RA_MIN_RUN`` samples are pooled; NaN if there are fewer than
    ``RA_MIN_SAMPLES`` samples in such runs.
    """
    x = np.asarray(x, dtype=float)
    parts = [x[s:e + 1] for s, e in _signal_runs(x)]
    n = sum(p.size for p in parts)
    if n < RA_MIN_SAMPLES:
        return np.full(freqs.shape, np.nan)
    out = np.empty(freqs.shape)
    for i, f in enumerate(freqs):
        b, a = _coefficients(float(f), fs, order)
        sse = sum(float(np.sum((p - filtfilt(b, a, p)) ** 2)) for p in parts)
        out[i] = math.sqrt(sse / n)
    return out


def residual_analysis(x: np.ndarray, fs: float, order: int = ORDER) -> Residuals:
    """Winter's residual analysis of one signal (Winter 2009, ch. 3; science.md 7.1).

    The RMS residual ``R(f)`` between the signal and its low-passed copy is computed over
    ``residual_grid(fs)``. A straight line is fitted to ``R(f)`` for ``f`` in
    ``FIT_RANGE`` x Nyquist (0.5-0.9, the noise-dominated part); its intercept ``a`` at
    0 Hz estimates the noise RMS. The cut-off is the lowest ``f`` where ``R(f) <= a``
    (linear interpolation between grid points; the top of the grid if never).

    Parameters
    ----------
    x : (T,) signal (NaN allowed; finite runs of >= 16 samples are used).
    fs : sampling rate in Hz.

    Returns
    -------
    Residuals
        ``cutoff_hz`` is NaN when the signal is too short.
    """
    freqs = residual_grid(fs)
    return _cutoff_from_curve(freqs, residual_curve(x, fs, freqs, order), fs)


def _cutoff_from_curve(freqs: np.ndarray, res: np.ndarray, fs: float) -> Residuals:
    """Winter's cut-off from a residual curve (see :func:`residual_analysis`)."""
    fit_hz = (FIT_RANGE[0] * fs / 2.0, FIT_RANGE[1] * fs / 2.0)
    if not np.all(np.isfinite(res)):
        return Residuals(math.nan, math.nan, freqs, res, fit_hz)
    sel = (freqs >= fit_hz[0] - 1e-9) & (freqs <= fit_hz[1] + 1e-9)
    _, intercept = np.polyfit(freqs[sel], res[sel], 1)
    below = np.flatnonzero(res <= intercept)
    if below.size == 0:
        fc = float(freqs[-1])
    elif below[0] == 0:
        fc = float(freqs[0])
    else:
        i = int(below[0])
        f0, f1, r0, r1 = freqs[i - 1], freqs[i], res[i - 1], res[i]
        fc = float(f0 + (r0 - intercept) * (f1 - f0) / (r0 - r1))
    return Residuals(fc, float(intercept), freqs, res, fit_hz)


def _residual_analyses(signals: dict[str, np.ndarray], fs: float,
                       order: int = ORDER) -> dict[str, Residuals]:
    """:func:`residual_analysis` of many signals; the fully finite ones are filtered together
    (one ``filtfilt`` per grid cut-off instead of one per signal: same numbers, faster)."""
    freqs = residual_grid(fs)
    full = {k: x for k, x in signals.items()
            if np.isfinite(x).all() and x.size >= max(RA_MIN_RUN, RA_MIN_SAMPLES)}
    out = {k: residual_analysis(x, fs, order) for k, x in signals.items() if k not in full}
    if full:
        stack = np.vstack(list(full.values()))
        res = np.empty((stack.shape[0], freqs.size))
        for i, f in enumerate(freqs):
            b, a = _coefficients(float(f), fs, order)
            err = stack - filtfilt(b, a, stack, axis=1)
            res[:, i] = np.sqrt(np.mean(err ** 2, axis=1))
        for key, curve in zip(full, res, strict=True):
            out[key] = _cutoff_from_curve(freqs, curve, fs)
    return {k: out[k] for k in signals}


def cutoff_bounds(fps: float, stride_hz: float | None = None) -> tuple[float, float]:
    """Clamp range of the automatic cut-off (Hz): ``[max(4, 6 stride_hz), min(12, 0.4 fps)]``.

    Without a stride frequency (None or NaN) the floor is 4 Hz; the floor never exceeds the
    ceiling.
    """
    high = min(CLAMP_HIGH_HZ, CLAMP_HIGH_FPS * fps)
    low = CLAMP_LOW_HZ
    if stride_hz is not None and np.isfinite(stride_hz) and stride_hz > 0:
        low = max(low, STRIDE_HARMONICS * stride_hz)
    return min(low, high), high


def stride_frequency(seq: PoseSequence) -> float:
    """Stride frequency (Hz) from the ankles' x and y relative to the mid-hip; NaN if unclear.

    The four signals are detrended (NaN set to 0) and their autocorrelations summed, so the
    signals that move most weigh most; the highest peak between ``STRIDE_RANGE_S`` (0.35-2 s,
    sprint to slow jog, science.md 2.1-2.2) is the stride period if its normalised height
    is at least ``MIN_PERIODICITY``.
    """
    fs = seq.fps
    img = seq.image
    if not np.isfinite(fs) or len(seq) < 2 * STRIDE_RANGE_S[0] * fs:
        return math.nan
    hip = 0.5 * (img[:, INDEX["left_hip"], :2] + img[:, INDEX["right_hip"], :2])
    total = np.zeros(len(seq))
    for side in ("left", "right"):
        for k in range(2):
            x = img[:, INDEX[f"{side}_ankle"], k] - hip[:, k]
            ok = np.isfinite(x)
            if ok.sum() < 2 * STRIDE_RANGE_S[0] * fs:
                continue
            z = np.where(ok, x - np.nanmean(x), 0.0)
            total += np.correlate(z, z, mode="full")[z.size - 1:]
    if total[0] <= 0:
        return math.nan
    ac = total / total[0]
    lo, hi = int(STRIDE_RANGE_S[0] * fs), min(int(STRIDE_RANGE_S[1] * fs), ac.size - 1)
    if hi <= lo + 1:
        return math.nan
    peaks, props = find_peaks(ac[lo:hi + 1], height=MIN_PERIODICITY)
    if peaks.size == 0:
        return math.nan
    return fs / (lo + peaks[np.argmax(props["peak_heights"])])


def choose_cutoff(seq: PoseSequence) -> tuple[float, dict[str, Any]]:
    """Automatic cut-off (Hz) of a track and how it was found (for the provenance log).

    Median of the residual-analysis cut-offs of the image x and y of ``CUTOFF_LANDMARKS``,
    clamped to :func:`cutoff_bounds` with the track's :func:`stride_frequency`;
    ``FALLBACK_HZ`` (clamped) when no signal is long enough.
    """
    fs = seq.fps
    stride_hz = stride_frequency(seq)
    lo, hi = cutoff_bounds(fs, stride_hz)
    per_signal: dict[str, float] = {}
    signals = {f"{name}_{axis}": seq.image[:, INDEX[name], k]
               for name in CUTOFF_LANDMARKS for k, axis in enumerate("xy")}
    for key, r in _residual_analyses(signals, fs).items():
        if np.isfinite(r.cutoff_hz):
            per_signal[key] = round(r.cutoff_hz, 3)
    values = np.array(list(per_signal.values()))
    raw = float(np.median(values)) if values.size else FALLBACK_HZ
    fc = float(np.clip(raw, lo, hi))
    info = {
        "rule": ("median Winter residual-analysis cut-off of wrist/ankle/heel/toe x, y; clamped "
                 "to [max(4, 6 x stride frequency), min(12, 0.4 fps)] Hz"),
        "residual_fit_range_hz": [round(FIT_RANGE[0] * fs / 2, 3), round(FIT_RANGE[1] * fs / 2, 3)],
        "residual_fit_range_nyquist": list(FIT_RANGE),
        "clamp_hz": [round(lo, 3), round(hi, 3)],
        "stride_hz": round(stride_hz, 3) if np.isfinite(stride_hz) else None,
        "raw_cutoff_hz": round(raw, 3), "n_signals": int(values.size),
        "per_signal_iqr_hz": ([round(float(q), 3) for q in np.percentile(values, [25, 75])]
                              if values.size else None),
        "fallback": not values.size,
    }
    return fc, info


def lowpass(seq: PoseSequence, cutoff_hz: float | None = None, *,
            order: int = ORDER) -> PoseSequence:
    """Zero-lag Butterworth low-pass of image x, y and world x, y, z (science.md 7.1).

    Parameters
    ----------
    seq : input track (not modified); sampling rate ``seq.fps`` (uniform sampling assumed).
    cutoff_hz : cut-off in Hz (-3 dB point of the whole forward-backward filter). ``None``:
        the automatic rule of :func:`choose_cutoff` (Winter residual analysis, median over
        the x, y of wrists, ankles, heels and toes, clamped to
        ``[max(4, 6 f_stride), min(12, 0.4 fps)]`` Hz).
        The same cut-off is used for every signal so combined quantities are filtered alike
        (science.md 7.1).
    order : single-pass Butterworth order (2: 4th-order zero-lag overall).

    Returns
    -------
    PoseSequence
        A new track. Each finite run is filtered separately, NaN runs stay NaN, runs shorter
        than 4 samples are unchanged; image z and visibility are unchanged.
    """
    out = seq.copy()
    fs = seq.fps
    if not np.isfinite(fs) or len(seq) < MIN_RUN:
        out.log("lowpass", skipped="too few frames or unknown frame rate")
        return out
    info: dict[str, Any]
    if cutoff_hz is None:
        fc, info = choose_cutoff(seq)
    else:
        fc, info = float(cutoff_hz), {"rule": "given"}
    if fc >= fs / 2.0:
        raise ValueError(f"cut-off {fc} Hz is not below the Nyquist frequency {fs / 2} Hz")
    for j in range(out.image.shape[1]):
        for k in range(2):
            out.image[:, j, k] = butter_filtfilt(seq.image[:, j, k], fs, fc, order)
        if out.world is not None and seq.world is not None:
            for k in range(3):
                out.world[:, j, k] = butter_filtfilt(seq.world[:, j, k], fs, fc, order)
    summary = {"cutoff_hz": round(fc, 3), "order": order, "passes": PASSES, "fps": round(fs, 3),
               "design_cutoff_hz": round(design_cutoff(fc, fs, order), 3),
               "dual_pass_correction": round(dual_pass_correction(order), 4), **info}
    out.log("lowpass", **summary)
    out.meta.setdefault("cleaning", {})["lowpass"] = summary
    return out
