"""How big a difference must be before it means something: the measurement error of each
metric, used by ``mechanics compare`` (two analyses) and the demo's "ground truth vs
measured" page.

The per-metric figures are the pipeline's own (:func:`mechanics.analysis.bilateral.
measurement_error`, from the force-plate validation in docs/metrics.md and the 5 deg 2D
angle error of science.md 10). Metrics it does not cover use this table:

=======================  ==================================================================
cadence_spm              1 % of the value: the validation requirement of docs/metrics.md
                         (measured +0.01 % on RBDS001)
speed_mps                0 when both are the belt speed given; else 5 % (scale from the
                         runner's height: ~2-3 % height error plus the planar assumption)
vertical_oscillation_cm  1 cm [D]: 2-3 px landmark jitter at ~4 mm/px
trunk_lean_deg, deg      5 deg: 2D pose angle error, science.md 10 (5-8 deg RMSE)
other units              unknown: never highlighted
=======================  ==================================================================
"""

from __future__ import annotations

import math

from mechanics.analysis import Metric

CADENCE_REL = 0.01
SPEED_REL = 0.05
VERTICAL_CM = 1.0
ANGLE_DEG = 5.0


def _pipeline_error(name: str, fps: float, stride_s: float, speed: float) -> float:
    try:
        from mechanics.analysis.bilateral import measurement_error
    except ImportError:  # older analysis without the symmetry block
        return math.nan
    try:
        return float(measurement_error(name, fps, stride_s, speed))
    except (TypeError, ValueError):
        return math.nan


def measurement_error(name: str, metric: Metric, metrics: dict[str, Metric], fps: float,
                      belt_speed: bool = False) -> float:
    """Measurement error of one metric in its unit (NaN = unknown), see the module table."""
    cad = metrics.get("cadence_spm")
    stride_s = 120.0 / cad.value if cad and cad.measurable and cad.value > 0 else math.nan
    spd = metrics.get("speed_mps")
    speed = spd.value if spd and spd.measurable else math.nan
    err = _pipeline_error(name, fps, stride_s, speed)
    if math.isfinite(err):
        return err
    v = metric.value
    if name == "cadence_spm":
        return CADENCE_REL * v if math.isfinite(v) else math.nan
    if name == "speed_mps":
        return 0.0 if belt_speed else (SPEED_REL * v if math.isfinite(v) else math.nan)
    if name == "vertical_oscillation_cm":
        return VERTICAL_CM
    if metric.unit == "deg":
        return ANGLE_DEG
    return math.nan


def beyond(difference: float, error: float) -> bool:
    """True when |difference| exceeds a known measurement error."""
    return math.isfinite(difference) and math.isfinite(error) and abs(difference) > error
