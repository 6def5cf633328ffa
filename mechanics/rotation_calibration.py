"""Calibration of the rotation estimators on synthetic runners of known rotation.

Each calibration clip is a synthetic runner (:mod:`mechanics.synth`, 30 fps) with a known
peak-to-peak pelvis and shoulder-line rotation, seen from one view, tracked by the real pose
model (:func:`mechanics.pipeline.run_track`). Every estimator of :mod:`mechanics.rotation`
is run on the tracked landmarks and compared with the truth measured on the model's 3D
points (``truth.json`` -> ``truth``). The error table goes to ``docs/rotation.md``; the
rules at the top of this module (:data:`CALIBRATION`, :func:`assess`, used by the analysis
confidence rules) hold its numbers and follow from it.

Run the whole grid (renders and tracks each clip once, cached in ``--cache``)::

    .venv/bin/python -m mechanics.rotation_calibration --cache /tmp/rot > table.md
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from mechanics.sequence import PoseSequence

# ---------------------------------------------------------------- the rules (measured table)
#: the rotation metrics and the line each one measures
METRICS = {"pelvis_rotation_range_deg": "pelvis", "thorax_rotation_range_deg": "thorax",
           "hip_shoulder_separation_deg": "separation"}
LINE_NAMES = {"pelvis": "pelvis (hip-line) yaw", "thorax": "shoulder-line yaw",
              "separation": "hip-shoulder separation"}
#: smallest p2p range a reported number must resolve (lower end of the typical distance-
#: running pelvis range 10-20 deg, science.md 3.2 [M]); a number needs its artefact floor
#: and its worst error both below half of it
RESOLVE_DEG = 10.0

#: measured by :mod:`mechanics.rotation_calibration` (docs/rotation.md, table "Artefact floor
#: and worst error per view"; MediaPipe full model, 30 fps, 3 s clips): calibration view ->
#: method -> line -> (floor: p2p read on a runner with no rotation, worst abs(error) over
#: true pelvis ranges 10-30 deg with the shoulder line at 0 or 1.5 x pelvis), deg
_TABLE = {  # view: world, image (pelvis floor, worst, thorax floor, worst, separation ...)
    "side": ((13.4, 17.9, 22.0, 21.3, 28.4, 27.9), (14.1, 17.3, 14.4, 13.5, 24.1, 30.4)),
    "oblique30": ((18.3, 9.3, 18.3, 16.8, 20.9, 44.1), (14.1, 7.7, 14.0, 15.9, 20.5, 41.5)),
    "oblique45": ((15.7, 29.1, 8.8, 9.2, 20.1, 29.8), (10.3, 29.4, 15.0, 13.8, 21.8, 34.0)),
    "front": ((0.7, 28.3, 7.8, 36.2, 7.8, 66.9), (0.0, 30.0, 0.0, 44.6, 0.0, 74.6)),
    "back": ((31.1, 19.3, 15.9, 27.7, 20.1, 57.3), (6.8, 21.8, 14.9, 34.4, 12.8, 69.6)),
}
CALIBRATION: dict[str, dict[str, dict[str, tuple[float, float]]]] = {
    view: {m: {ln: (v[2 * k], v[2 * k + 1]) for k, ln in enumerate(LINE_NAMES)}
           for m, v in zip(("world", "image"), rows, strict=True)}
    for view, rows in _TABLE.items()}
#: body yaw (deg, :func:`mechanics.view.detect_view`) measured on the calibration clips:
#: side 84-87, oblique 30 deg 76-78, oblique 45 deg 65-68 (all three classified 'side'),
#: front 20-22, back 28-29; boundaries halfway between
SIDE_MIN_YAW, OBLIQUE30_MIN_YAW = 81.0, 71.5
METHOD_TEXT = {"world": "3D world-landmark", "image": "2D foreshortening"}
VIEW_TEXT = {"side": "side view", "oblique30": "30-deg oblique view",
             "oblique45": "45-deg oblique view", "front": "front view", "back": "back view"}


def calibration_view(view: str, yaw_deg: float) -> str | None:
    """The calibration view closest to a detected view and body yaw (None: view unknown)."""
    if view in ("front", "back"):
        return view
    if view == "oblique":
        return "oblique45"
    if view != "side":
        return None
    if not math.isfinite(yaw_deg) or yaw_deg >= SIDE_MIN_YAW:
        return "side"
    return "oblique30" if yaw_deg >= OBLIQUE30_MIN_YAW else "oblique45"


def bound(cal: str, method: str, line: str) -> float:
    """Error bound of a line: max(artefact floor, worst error), deg."""
    return max(CALIBRATION[cal][method][line])


def choose_method(cal: str | None) -> str:
    """The estimator of a calibration view: smallest summed error bound over the three
    lines (ties: 'world'); 'world' without a calibration view."""
    if cal is None:
        return "world"
    return min(sorted(CALIBRATION[cal], key=lambda m: m != "world"),
               key=lambda m: sum(bound(cal, m, ln) for ln in LINE_NAMES))


@dataclass(frozen=True)
class Assessment:
    """Whether one rotation metric is reported in one view, and why."""

    line: str
    calibration_view: str | None
    method: str
    floor_deg: float
    worst_deg: float
    measurable: bool
    reason: str


def assess(metric: str, view: str, yaw_deg: float = math.nan) -> Assessment:
    """Rule of docs/rotation.md for one metric of :data:`METRICS` in a detected view: a
    number only when the calibrated artefact floor and worst error are both below
    ``RESOLVE_DEG / 2``; otherwise 'not measurable from this view' with the reason."""
    line = METRICS[metric]
    cal = calibration_view(view, yaw_deg)
    method = choose_method(cal)
    if cal is None:
        return Assessment(line, None, method, math.nan, math.nan, False,
                          "not measurable: the camera view is unknown, and rotation is only "
                          "reported in a view calibrated on synthetic runners "
                          "(docs/rotation.md)")
    floor, worst = CALIBRATION[cal][method][line]
    if max(floor, worst) < RESOLVE_DEG / 2:
        return Assessment(line, cal, method, floor, worst, True, "")
    passing = [f"{ln} in the {VIEW_TEXT[c]}" for c in CALIBRATION for ln in LINE_NAMES
               if bound(c, choose_method(c), ln) < RESOLVE_DEG / 2]
    advice = (f"views that pass: {', '.join(passing)}" if passing else
              "no single-camera view tested (side, 30/45-deg oblique, front, back) passes: "
              "use 3D motion capture or IMUs")
    seen = "" if cal == view else f", closest calibrated: {VIEW_TEXT[cal]}"
    why = ("the pose model moves the hip and shoulder points with the limbs at stride "
           "frequency" if floor >= RESOLVE_DEG / 2 else
           "it misses most of the true rotation")
    reason = (f"not measurable from this view ({view}{seen}): on synthetic runners of known "
              f"rotation the {METHOD_TEXT[method]} {LINE_NAMES[line]} read {floor:.0f} deg "
              f"peak-to-peak with no rotation at all and was off by up to {worst:.0f} deg for "
              f"true pelvis ranges of 10-30 deg ({why}); a number needs both below "
              f"{RESOLVE_DEG / 2:g} deg (docs/rotation.md); {advice}")
    return Assessment(line, cal, method, floor, worst, False, reason)


# ---------------------------------------------------------------- the calibration runner
#: true pelvis ranges (deg p2p); the shoulder line counter-rotates with THORAX_FACTOR x that
PELVIS_RANGES = (0.0, 10.0, 20.0, 30.0)
THORAX_FACTOR = 1.5
#: (label, view, oblique_angle): camera azimuth from the side view toward the front
VIEWS = (("side", "side", 0.0), ("oblique30", "oblique", 30.0),
         ("oblique45", "oblique", 45.0), ("front", "front", 0.0), ("back", "back", 0.0))
FPS, SECONDS = 30.0, 3.0


@dataclass(frozen=True)
class ClipSpec:
    """One calibration clip: camera view and true rotation ranges (deg p2p)."""

    label: str
    view: str
    oblique_angle: float
    pelvis: float
    thorax: float
    fps: float = FPS
    seconds: float = SECONDS
    model: str = "full"

    @property
    def name(self) -> str:
        """Cache folder name, e.g. ``oblique45_p10_t15`` (+ ``_60fps_6s_heavy``)."""
        extra = "" if self.fps == FPS else f"_{self.fps:g}fps"
        extra += "" if self.seconds == SECONDS else f"_{self.seconds:g}s"
        extra += "" if self.model == "full" else f"_{self.model}"
        return f"{self.label}_p{self.pelvis:g}_t{self.thorax:g}{extra}"


def grid(views: Iterable[tuple[str, str, float]] = VIEWS,
         pelvis: Iterable[float] = PELVIS_RANGES) -> list[ClipSpec]:
    """The calibration grid: per view, pelvis 0-30 deg with the shoulder line at
    ``THORAX_FACTOR`` x that (counter-rotating) and, for pelvis > 0, at 0 (pelvis alone)."""
    out = []
    for label, view, angle in views:
        for p in pelvis:
            out.append(ClipSpec(label, view, angle, p, THORAX_FACTOR * p))
            if p > 0:
                out.append(ClipSpec(label, view, angle, p, 0.0))
    return out


def checks() -> list[ClipSpec]:
    """Clips that test whether the error is systematic: 60 fps and 6 s (twice the strides,
    twice the frames), and the heavy pose model, in the side and 45-deg oblique views."""
    out = []
    for label, view, angle in (VIEWS[0], VIEWS[2]):
        for p in (0.0, 20.0):
            out.append(ClipSpec(label, view, angle, p, THORAX_FACTOR * p, fps=60.0, seconds=6.0))
            out.append(ClipSpec(label, view, angle, p, THORAX_FACTOR * p, model="heavy"))
    return out


def build(folder: Path, spec: ClipSpec) -> Path:
    """Render ``spec`` into ``folder/clip.mp4`` (+ truth) and track it (landmarks CSVs)."""
    from mechanics.pipeline import run_track
    from mechanics.pose.tracker import TrackOptions
    from mechanics.synth import render_clip

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    clip = render_clip(folder / "clip.mp4", view=spec.view, oblique_angle=spec.oblique_angle,
                       pelvis_rotation=spec.pelvis, thorax_rotation=spec.thorax, fps=spec.fps,
                       seconds=spec.seconds)
    run_track(clip, folder, TrackOptions(model=spec.model), overlay=False)
    return folder


def cached(cache: Path, spec: ClipSpec) -> Path:
    """``cache/spec.name`` built once (a finished folder holds ``landmarks_raw.csv``)."""
    folder = Path(cache) / spec.name
    if not (folder / "landmarks_raw.csv").is_file():
        tmp = Path(cache) / f"tmp.{spec.name}"
        build(tmp, spec)
        tmp.replace(folder)
    return folder


def load(folder: Path) -> tuple[PoseSequence, dict[str, Any]]:
    """(raw landmark track, truth document) of a built calibration folder."""
    from mechanics.synth import read_truth, truth_path

    return (PoseSequence.from_csv(Path(folder) / "landmarks_raw.csv"),
            read_truth(truth_path(Path(folder) / "clip.mp4")))


def exact_sequence(truth: dict[str, Any]) -> PoseSequence:
    """The renderer's exact landmarks as a track: image pixels (depth as z) and world
    points in the camera frame, hip-centred (MediaPipe's world convention: x right, y down,
    z away from the camera). Separates the estimator's error from the pose model's."""
    fr = truth["frames"]
    rot = np.asarray(truth["camera"]["rotation_world_to_camera"], dtype=float)
    world = np.asarray(fr["world"], dtype=float) @ rot.T
    hips = [truth["landmark_names"].index(n) for n in ("left_hip", "right_hip")]
    world = world - world[:, hips].mean(axis=1, keepdims=True)
    image = np.asarray(fr["image"], dtype=float)
    vis = np.where(np.isfinite(image[:, :, 0]), 1.0, np.nan)
    return PoseSequence(time=np.asarray(fr["time_s"], dtype=float), image=image,
                        visibility=vis, world=world, meta={"fps": FPS})


def true_values(truth: dict[str, Any]) -> dict[str, float]:
    """True p2p ranges (deg), lag (% stride) and peak angular velocities (deg/s)."""
    t = truth["truth"]
    stride = float(t["stride_time_s"])
    p, th = float(t["pelvis_rotation_deg"]), float(t["thorax_rotation_deg"])
    return {"pelvis": p, "thorax": th, "separation": float(t["hip_shoulder_separation_deg"]),
            "lag_pct": 50.0 if p > 0 and th > 0 else math.nan,
            "pelvis_velocity": math.pi * p / stride, "thorax_velocity": math.pi * th / stride}


LINES = tuple(LINE_NAMES)
#: estimators in the tables: name -> (method, harmonics, events: 'detected' or 'true')
ESTIMATORS = {"world": ("world", 1, "detected"), "image": ("image", 1, "detected"),
              "world_h3": ("world", 3, "detected"), "image_h3": ("image", 3, "detected"),
              "world_true_fs": ("world", 1, "true")}


def _summary(est: Any) -> dict[str, Any]:
    c = est.cycles
    out: dict[str, Any] = {k: c[k].range_deg for k in LINES}
    out.update({f"{k}_stride": c[k].stride_range_deg for k in LINES})
    out.update(pelvis_velocity=c["pelvis"].velocity_peak_deg_s,
               thorax_velocity=c["thorax"].velocity_peak_deg_s, lag_pct=est.lag_pct,
               n_strides=est.n_strides, cut=est.cut)
    return out


def evaluate(folder: Path) -> dict[str, Any]:
    """Every estimator of :data:`ESTIMATORS` on one built folder, through the analysis
    chain's copies of the track (yaw on the cleaned copy, events on the repaired unfiltered
    copy), and on the exact landmarks ('world_exact', 'image_exact'); with the detected view
    and the truth."""
    from mechanics.analysis.core import _prepare
    from mechanics.gait import analyze_gait
    from mechanics.rotation import estimate
    from mechanics.view import detect_view

    raw, truth = load(folder)
    cleaned, events_copy, _ = _prepare(raw)
    view = detect_view(cleaned)
    gait = analyze_gait(events_copy)
    facing = gait.events.direction
    strikes = {"detected": {s: gait.events.strikes(s) for s in ("left", "right")},
               "true": np.asarray(truth["events"]["left"]["foot_strike"], dtype=float)}
    out: dict[str, Any] = {"view": view.view, "yaw_deg": view.yaw_deg, "facing": facing,
                           "truth": true_values(truth), "estimates": {}}
    for name, (method, harm, events) in ESTIMATORS.items():
        out["estimates"][name] = _summary(estimate(cleaned, method, strikes[events],
                                                   facing=facing, harmonics=harm))
    exact = exact_sequence(truth)
    for method in ("world", "image"):
        out["estimates"][f"{method}_exact"] = _summary(
            estimate(exact, method, strikes["true"], facing=1))
    return out


def errors(result: dict[str, Any], estimator: str, key: str = "") -> dict[str, float]:
    """Estimate minus truth per line (deg); ``key='_stride'``: mean per-stride p2p."""
    est, tru = result["estimates"][estimator], result["truth"]
    return {ln: est[ln + key] - tru[ln] for ln in LINES}


def _f(v: float, fmt: str = "+.1f") -> str:
    return "–" if v is None or not math.isfinite(v) else format(v, fmt)


def _worst(values: Iterable[float]) -> float:
    """Largest absolute value, NaN (no estimate: no stride rhythm found) ignored."""
    a = np.abs(np.asarray(list(values), dtype=float))
    a = a[np.isfinite(a)]
    return float(np.max(a)) if a.size else math.nan


def view_errors(results: dict[str, dict[str, Any]], label: str, estimator: str,
                key: str = "") -> dict[str, dict[str, float]]:
    """Per line: 'floor' (p2p read on the runner with no rotation at all) and 'max_error'
    (largest abs(error) over the other clips of the view) of one view and estimator."""
    rows = {n: r for n, r in results.items() if n.split("_p")[0] == label}
    out = {}
    for ln in LINES:
        zero = [r["estimates"][estimator][ln + key] for r in rows.values()
                if r["truth"][ln] == 0 and r["truth"]["pelvis"] == 0]
        moving = [errors(r, estimator, key)[ln] for r in rows.values()
                  if r["truth"]["pelvis"] > 0]
        out[ln] = {"floor": _worst(zero), "max_error": _worst(moving)}
    return out


def markdown(results: dict[str, dict[str, Any]], check: dict[str, dict[str, Any]]) -> str:
    """The tables of docs/rotation.md from :func:`evaluate` results (grid and checks)."""
    lines = ["### Estimates by view and true range (deg p2p; error = estimate − truth)", "",
             "P = pelvis, T = shoulder line, S = separation; lag = shoulder-line peak after "
             "the pelvis peak, % of stride (truth 50).", "",
             "| view (detected, body yaw) | true P / T / S | world P | world T | world S | "
             "image P | image T | image S | lag world / image |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        t = r["truth"]
        cells = []
        for est in ("world", "image"):
            e = r["estimates"][est]
            err = errors(r, est)
            cells += [f"{_f(e[ln], '.1f')} ({_f(err[ln])})" for ln in LINES]
        lag = [_f(r["estimates"][est]["lag_pct"], ".0f") for est in ("world", "image")]
        lines.append(f"| {name.split('_p')[0]} ({r['view']}, {r['yaw_deg']:.0f}°) | "
                     f"{t['pelvis']:g} / {t['thorax']:g} / {t['separation']:g} | "
                     + " | ".join(cells) + f" | {' / '.join(lag)} |")
    lines += ["", "### Artefact floor and worst error per view (deg)", "",
              "floor = p2p read on the runner with no rotation; worst = largest abs(error) "
              "over the other clips of the view (pelvis 10-30°, shoulder line 0 or 1.5 x "
              "pelvis); clips without an estimate (no stride rhythm found) are left out.", "",
              "| view | estimator | pelvis floor / worst | thorax floor / worst | "
              "separation floor / worst |", "|---|---|---|---|---|"]
    variants = (("world", "world", ""), ("image", "image", ""),
                ("world, 3 harmonics", "world_h3", ""), ("image, 3 harmonics", "image_h3", ""),
                ("world, mean per-stride p2p", "world", "_stride"),
                ("world, true foot strikes", "world_true_fs", ""),
                ("world, exact landmarks", "world_exact", ""),
                ("image, exact landmarks", "image_exact", ""))
    for label, _, _ in VIEWS:
        for title, est, key in variants:
            ve = view_errors(results, label, est, key)
            lines.append(f"| {label} | {title} | " + " | ".join(
                f"{_f(ve[ln]['floor'], '.1f')} / {_f(ve[ln]['max_error'], '.1f')}"
                for ln in LINES) + " |")
    lines += ["", "### Checks: more frames and strides, heavier model (deg p2p, error)", "",
              "| clip | detected view | world P | world T | image P | image T |",
              "|---|---|---|---|---|---|"]
    for name, r in check.items():
        cells = []
        for est in ("world", "image"):
            err = errors(r, est)
            cells += [f"{_f(r['estimates'][est][ln], '.1f')} ({_f(err[ln])})"
                      for ln in ("pelvis", "thorax")]
        lines.append(f"| {name} | {r['view']} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--cache", type=Path, default=Path("/tmp/rot"))
    ap.add_argument("--json", type=Path, help="also write the raw results here")
    args = ap.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    results, check = {}, {}
    for specs, into in ((grid(), results), (checks(), check)):
        for spec in specs:
            into[spec.name] = evaluate(cached(args.cache, spec))
            print(spec.name, "done", file=sys.stderr, flush=True)
    if args.json:
        args.json.write_text(json.dumps({"grid": results, "checks": check}, default=str))
    sys.stdout.write(markdown(results, check))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
