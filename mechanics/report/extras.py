"""Read the optional result blocks of an :class:`~mechanics.analysis.Analysis` (symmetry,
rotation / angular momentum, coordination) without depending on their exact classes.

These blocks are added to the analysis step by step. The report shows whatever is there:
a block may be a mapping, a dataclass or a plain object; rows are found by common field
names. Nothing is computed here, values are only looked up. Metrics themselves are found
by their family in :data:`mechanics.analysis.SPEC` or, for names not in the table, by words
in their names.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from mechanics.analysis import SPEC, Metric

#: metric families (SPEC) and name words of each report topic
TOPICS = {
    "rotation": ({"rotation", "momentum", "torque", "arms", "transfer"},
                 ("rotation", "yaw", "separation", "momentum", "cancellation", "arm_",
                  "torque", "elbow", "shoulder", "swing")),
    "coordination": ({"coordination"},
                     ("coupling", "phase", "crp", "vector_coding", "coordination")),
    "symmetry": ({"symmetry"}, ("symmetry", "asymmetry")),
}


def topic_metrics(metrics: dict[str, Metric], topic: str) -> dict[str, Metric]:
    """Metrics of one report topic ('rotation', 'coordination', 'symmetry'): by family for
    the metrics of :data:`SPEC`, by words in the name for others."""
    families, words = TOPICS[topic]
    out = {}
    for name, m in metrics.items():
        spec = SPEC.get(name)
        if spec.family in families if spec is not None else any(w in name for w in words):
            out[name] = m
    return out


def block(analysis: Any, *names: str) -> Any:
    """The first attribute among ``names`` that the analysis has and is not None/empty."""
    for n in names:
        v = getattr(analysis, n, None)
        if v is not None and not (isinstance(v, Mapping | list | tuple) and len(v) == 0):
            return v
    return None


def as_mapping(obj: Any) -> dict[str, Any]:
    """A shallow dict view of a mapping, a dataclass or an object (empty for others)."""
    if isinstance(obj, Mapping):
        return dict(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
    if hasattr(obj, "__dict__"):
        return {k: v for k, v in vars(obj).items() if not k.startswith("_")}
    return {}


def first_key(d: dict[str, Any], *keys: str) -> Any:
    """The value of the first key present (exact names, then names containing the key)."""
    for k in keys:
        if k in d and d[k] is not None:
            return d[k]
    for k in keys:
        for name, v in d.items():
            if k in name and v is not None:
                return v
    return None


def _num(v: Any) -> float:
    try:
        return float(v)
    except (TypeError, ValueError):
        return math.nan


@dataclass
class SymmetryRow:
    """Symmetry figures of one bilateral metric (NaN / None when the analysis has none)."""

    symmetry_angle_pct: float = math.nan
    difference: float = math.nan
    flagged: bool | None = None
    note: str = ""


def _rows(sym: Any) -> dict[str, Any]:
    d = as_mapping(sym)
    inner = first_key(d, "metrics", "rows", "by_metric", "items")
    if isinstance(inner, Mapping):
        return dict(inner)
    if isinstance(inner, list | tuple):
        return {str(first_key(as_mapping(r), "name", "metric")): r for r in inner}
    if isinstance(sym, list | tuple):
        return {str(first_key(as_mapping(r), "name", "metric")): r for r in sym}
    return d


def symmetry_rows(analysis: Any) -> dict[str, SymmetryRow]:
    """Metric name -> :class:`SymmetryRow` from the analysis' symmetry block (or {})."""
    sym = block(analysis, "symmetry")
    if sym is None:
        return {}
    out = {}
    for name, row in _rows(sym).items():
        r = as_mapping(row)
        if not r:
            continue
        flag = first_key(r, "flagged", "flag", "exceeds", "significant", "meaningful",
                         "asymmetric")
        out[name] = SymmetryRow(
            symmetry_angle_pct=_num(first_key(r, "symmetry_angle_pct", "symmetry_angle",
                                              "sa_pct", "sa")),
            difference=_num(first_key(r, "difference", "diff", "left_minus_right",
                                      "l_minus_r")),
            flagged=None if flag is None else bool(flag),
            note=str(first_key(r, "note", "reason", "rule") or ""))
    return out


#: attributes of an analysis that may hold the full results of the extended metrics
RESULT_CONTAINERS = ("results", "extended", "extra", "details")


def result(analysis: Any, key: str) -> Any:
    """A full result of the extended metrics by key ('thigh_shank', 'arm_leg' -> per-side
    coordination results; 'momentum' -> body angular momentum; 'trunk_moment_nm'), looked
    up in the analysis' result containers or as an attribute; None when absent."""
    for attr in RESULT_CONTAINERS:
        c = getattr(analysis, attr, None)
        if c is None:
            continue
        if hasattr(c, "results") and not isinstance(c, Mapping):
            c = c.results
        d = as_mapping(c)
        if d.get(key) is not None:
            return d[key]
    return getattr(analysis, key, None)


def per_side(obj: Any) -> dict[str, Any]:
    """{'left': ..., 'right': ...} of a per-side result (missing sides left out)."""
    d = as_mapping(obj)
    return {s: d[s] for s in ("left", "right") if d.get(s) is not None}


def array(obj: Any, name: str) -> np.ndarray | None:
    """Attribute or key ``name`` of a result as a float array, None when absent."""
    v = as_mapping(obj).get(name)
    if v is None:
        return None
    try:
        return np.asarray(v, dtype=float)
    except (TypeError, ValueError):
        return None
