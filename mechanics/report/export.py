"""Write an :class:`~mechanics.analysis.Analysis` to files, and a short text summary.

- ``metrics.json``: ``{"schema": "mechanics.metrics/1", "source", "metrics", "symmetry",
  "steps", "provenance"}``; every NaN or infinity becomes ``null`` (documented in
  docs/metrics.md); ``symmetry`` holds one entry per bilateral metric
  (:mod:`mechanics.analysis.bilateral`);
- ``steps.csv``: one row per step, units in the column names, empty cell = not computed;
- for video input also ``landmarks.csv`` (cleaned) and ``landmarks_raw.csv`` (as tracked).

Everything is written to temporary names first and renamed only when all files succeeded,
so a failure leaves no partial output. Nothing is recomputed here.
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from mechanics.analysis import Analysis, Metric
from mechanics.analysis.values import STEP_COLUMNS
from mechanics.atomic import temp_sibling, write_text_atomic
from mechanics.sequence import meta_path

SCHEMA = "mechanics.metrics/1"
#: decimals shown in the text summary, by unit
_DIGITS = {"steps/min": 1, "s": 3, "fraction": 3, "m": 2, "m/s": 2, "cm": 1, "deg": 1,
           "leg lengths": 2, "ratio": 2, "r": 2, "N m": 1}


def jsonable(obj: Any) -> Any:
    """A JSON-safe copy: NaN/inf -> None, numpy scalars/arrays -> Python, Paths -> str."""
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return jsonable(obj.tolist())
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, Path):
        return str(obj)
    if obj is None or isinstance(obj, bool | int | str):
        return obj
    return str(obj)


def metrics_document(analysis: Analysis) -> dict[str, Any]:
    """The ``metrics.json`` content as a JSON-safe dict."""
    return jsonable({
        "schema": SCHEMA, "source": analysis.source,
        "metrics": {name: m.to_dict() for name, m in analysis.metrics.items()},
        "symmetry": analysis.symmetry, "steps": analysis.steps,
        "provenance": analysis.provenance,
    })


def metrics_json(analysis: Analysis) -> str:
    """``metrics.json`` text (strict JSON: no NaN)."""
    return json.dumps(metrics_document(analysis), indent=2, allow_nan=False) + "\n"


def read_metrics(path: str | Path) -> tuple[dict[str, Any], dict[str, Metric]]:
    """(whole document, metric name -> :class:`Metric`) of a ``metrics.json`` file."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    return doc, {name: Metric.from_dict(d) for name, d in doc.get("metrics", {}).items()}


def _cell(v: Any) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return ""
    return str(v)


def write_steps_csv(analysis: Analysis, path: str | Path) -> Path:
    """Write ``steps.csv`` to ``path`` (not atomic by itself; see :func:`write_analysis`)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(STEP_COLUMNS)
        for row in analysis.steps:
            w.writerow([_cell(row.get(c)) for c in STEP_COLUMNS])
    return Path(path)


def write_metrics_json(analysis: Analysis, path: str | Path) -> Path:
    """Write ``metrics.json`` atomically."""
    write_text_atomic(path, metrics_json(analysis))
    return Path(path)


def _write_all(analysis: Analysis, tmp: dict[str, Path]) -> None:
    tmp["metrics"].write_text(metrics_json(analysis), encoding="utf-8")
    write_steps_csv(analysis, tmp["steps"])
    if "landmarks" in tmp:
        analysis.sequence.to_csv(tmp["landmarks"])
        raw = analysis.raw if analysis.raw is not None else analysis.sequence
        raw.to_csv(tmp["landmarks_raw"])


def write_analysis(analysis: Analysis, out_dir: str | Path,
                   landmarks: bool | None = None) -> dict[str, Path]:
    """Write ``metrics.json``, ``steps.csv`` (and the landmark CSVs) into ``out_dir``.

    Parameters
    ----------
    landmarks : also write ``landmarks.csv`` (cleaned) and ``landmarks_raw.csv`` with their
        ``.meta.json`` sidecars; default: when the input was a video.

    Returns
    -------
    dict
        Paths written, by name. On failure nothing new is left in ``out_dir``.
    """
    out_dir = Path(out_dir)
    if landmarks is None:
        landmarks = analysis.source.get("input") == "video"
    final = {"metrics": out_dir / "metrics.json", "steps": out_dir / "steps.csv"}
    if landmarks:
        final.update(landmarks=out_dir / "landmarks.csv",
                     landmarks_raw=out_dir / "landmarks_raw.csv")
    tmp = {name: temp_sibling(path) for name, path in final.items()}
    sidecars = [name for name in ("landmarks", "landmarks_raw") if name in final]
    try:
        _write_all(analysis, tmp)
        for name in sidecars:
            os.replace(meta_path(tmp[name]), meta_path(final[name]))
        for name, path in final.items():
            os.replace(tmp[name], path)
    finally:
        for path in [*tmp.values(), *(meta_path(tmp[n]) for n in sidecars)]:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    return final


def _fmt(v: float, unit: str) -> str:
    return f"{v:.{_DIGITS.get(unit, 2)}f}" if math.isfinite(v) else "-"


def _label(name: str) -> str:
    for suffix in ("_spm", "_s", "_m", "_mps", "_cm", "_deg", "_leg_lengths", "_nm"):
        name = name.removesuffix(suffix)
    return name.replace("_", " ")


def metric_line(name: str, m: Metric, footnote: str = "", width: int = 26) -> str:
    """One summary line: label (``width`` characters), value and unit, L/R, confidence and a
    footnote mark."""
    label = f"{_label(name):{width}s}"
    if not m.measurable:
        return f"  {label} {'-':34s} not measurable {footnote}".rstrip()
    value = f"{_fmt(m.value, m.unit)} {m.unit}"
    sides = ""
    if math.isfinite(m.left) or math.isfinite(m.right):
        sides = f"L {_fmt(m.left, m.unit)}  R {_fmt(m.right, m.unit)}"
    return f"  {label} {value:16s} {sides:17s} {m.confidence} {footnote}".rstrip()


def _header(s: dict[str, Any]) -> str:
    name = Path(str(s.get("file") or "input")).name
    fps = s.get("fps")
    rate = f"{fps:.1f} fps, " if isinstance(fps, float) else ""
    head = (f"{name}: {s.get('view')} view (facing {s.get('facing')}), {rate}"
            f"{s.get('frames')} frames, {s.get('n_strides')} strides, {s.get('mode')}")
    if s.get("scale_source"):
        head += f", scale from the {'belt speed' if s['scale_source'] == 'belt' else 'height'}"
    return head


def summary_text(analysis: Analysis) -> str:
    """Short human summary: the input, one line per metric (value, unit, L/R, confidence),
    then the reasons behind low / not-measurable grades as numbered footnotes, and notes."""
    reasons: list[str] = []
    lines = [_header(analysis.source)]
    width = max([26, *(len(_label(n)) for n in analysis.metrics)])
    for name, m in analysis.metrics.items():
        mark = ""
        if m.reason:
            if m.reason not in reasons:
                reasons.append(m.reason)
            mark = f"[{reasons.index(m.reason) + 1}]"
        lines.append(metric_line(name, m, mark, width))
    lines += [f"  [{i}] {r}" for i, r in enumerate(reasons, 1)]
    lines += [f"  note: {n}" for n in analysis.source.get("notes", []) if n]
    return "\n".join(lines)
