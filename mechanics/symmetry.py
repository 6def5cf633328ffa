"""Left/right symmetry of bilateral metrics (science.md section 6).

Three descriptions of one side difference, all with ``X_L`` = left and ``X_R`` = right value:

- raw difference ``X_L - X_R`` in the metric's own unit (always reported);
- symmetry index (Robinson, Herzog & Nigg 1987)::

      SI = (X_R - X_L) / (0.5 (X_R + X_L)) x 100 %

- symmetry angle (Zifchock et al. 2008), bounded and free of a reference limb::

      SA = (45 deg - arctan(X_L / X_R)) / 90 deg x 100 %
      if (45 deg - arctan(X_L / X_R)) > 90 deg:
          SA = (45 deg - arctan(X_L / X_R) - 180 deg) / 90 deg x 100 %

  Negative = left larger. X_L / X_R = 2 -> SA -20.48 %, SI -66.7 %; X_L / X_R = 1.1 ->
  SA -3.03 %, SI -9.52 % (science.md 6.1, 9.2). For small asymmetry SA ~ SI / pi.

Ratio indices are meaningless for quantities near or crossing zero (trunk lean, shank angle,
relative phase: science.md 6.2); for those only the absolute difference is reported
(``ratio=False`` in :func:`bilateral_entry`, and SA is withheld unless both sides are > 0).

Flag rule (science.md 6.3, Exell et al. 2012): a side difference is flagged only if
``|X_L - X_R|`` exceeds BOTH the pooled stride-to-stride SD of the two sides AND the
measurement error of the pipeline for that metric. Never a fixed 10 % rule: asymmetry is
descriptive, not an injury risk (Malisoux et al. 2024).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

#: keys of one symmetry entry (``metrics.json`` -> ``symmetry`` -> metric name)
ENTRY_KEYS = ("left", "right", "difference", "symmetry_angle_pct", "variability", "flag")


def difference(left: float, right: float) -> float:
    """Raw side difference ``left - right`` in the metric's unit (NaN if either is NaN)."""
    return float(left) - float(right)


def symmetry_index(left: float, right: float) -> float:
    """Symmetry index SI, % (Robinson, Herzog & Nigg 1987; science.md 6.1).

    ``SI = (X_R - X_L) / (0.5 (X_R + X_L)) x 100``; NaN when the mean is 0 or an input is NaN.
    Negative = left larger.
    """
    mean = 0.5 * (float(right) + float(left))
    if not math.isfinite(mean) or mean == 0.0:
        return math.nan
    return (float(right) - float(left)) / mean * 100.0


def symmetry_angle(left: float, right: float) -> float:
    """Symmetry angle SA, % (Zifchock et al. 2008; science.md 6.1), piecewise form.

    Parameters
    ----------
    left, right : X_L and X_R in the same unit.

    Returns
    -------
    float
        ``(45 - atan(X_L/X_R)) / 90 x 100`` in %, shifted by -180 deg when the bracket
        exceeds 90 deg (X_L/X_R < -1); 0 = symmetric, negative = left larger, bounded to
        (-100, 100]. NaN when ``right`` is 0 or an input is NaN.
    """
    xl, xr = float(left), float(right)
    if not (math.isfinite(xl) and math.isfinite(xr)) or xr == 0.0:
        return math.nan
    bracket = 45.0 - math.degrees(math.atan(xl / xr))
    if bracket > 90.0:
        bracket -= 180.0
    return bracket / 90.0 * 100.0


def _finite(values: Sequence[float] | np.ndarray | None) -> np.ndarray:
    a = np.asarray([] if values is None else values, dtype=float).ravel()
    return a[np.isfinite(a)]


def pooled_sd(left_samples: Sequence[float] | np.ndarray,
              right_samples: Sequence[float] | np.ndarray) -> float:
    """Pooled stride-to-stride SD of the two sides (same unit as the samples).

    ``sqrt(((n_L - 1) s_L^2 + (n_R - 1) s_R^2) / (n_L + n_R - 2))`` with sample SDs
    (ddof = 1); NaN unless each side has at least 2 finite samples.
    """
    a, b = _finite(left_samples), _finite(right_samples)
    if a.size < 2 or b.size < 2:
        return math.nan
    ss = (a.size - 1) * a.var(ddof=1) + (b.size - 1) * b.var(ddof=1)
    return float(math.sqrt(ss / (a.size + b.size - 2)))


def asymmetry_flag(left: float, right: float, variability: float, error: float) -> bool:
    """True only when ``|left - right|`` exceeds both ``variability`` and ``error``.

    ``variability`` is the pooled stride-to-stride SD, ``error`` the pipeline's measurement
    error for the metric (same unit). Unknown (NaN/None) variability or error never flags:
    the difference cannot be shown to exceed them (science.md 6.3).
    """
    if variability is None or error is None:
        return False
    d = abs(difference(left, right))
    if not all(math.isfinite(v) for v in (d, variability, error)):
        return False
    return d > variability and d > error


def _num(v: float) -> float | None:
    return float(v) if v is not None and math.isfinite(v) else None


def bilateral_entry(left: float, right: float,
                    left_samples: Sequence[float] | np.ndarray | None = None,
                    right_samples: Sequence[float] | np.ndarray | None = None, *,
                    error: float | None = None, ratio: bool = True) -> dict[str, Any]:
    """One symmetry entry ``{left, right, difference, symmetry_angle_pct, variability, flag}``.

    Parameters
    ----------
    left, right : the metric's left and right values (e.g. means over steps).
    left_samples, right_samples : per-step or per-stride values of each side, for the
        pooled stride-to-stride SD (``variability``); None = unknown.
    error : the pipeline's measurement error for this metric in its unit; None = unknown.
    ratio : False for quantities near or crossing zero: no symmetry angle.

    Returns
    -------
    dict
        JSON-ready (None for unknown numbers). ``symmetry_angle_pct`` is given only for
        ``ratio`` metrics with both sides > 0; ``flag`` follows :func:`asymmetry_flag`.
    """
    sa = symmetry_angle(left, right) if ratio and left > 0 and right > 0 else math.nan
    var = pooled_sd(left_samples, right_samples) if left_samples is not None \
        and right_samples is not None else math.nan
    err = math.nan if error is None else float(error)
    return {"left": _num(left), "right": _num(right), "difference": _num(difference(left, right)),
            "symmetry_angle_pct": _num(sa), "variability": _num(var),
            "flag": asymmetry_flag(left, right, var, err)}
