"""Score the detected foot strikes and toe-offs against ground truth.

Usage: python examples/validate_events.py [--mocap DIR] [--fps HZ --noise PX] [--synthetic]

Force plate (when the RBDS data are at hand: --mocap DIR, else ../shared/data/mocap beside
the checkout): runner RBDS001 of the Running Biomechanics Data Set (Fukuchi et al. 2017,
CC BY 4.0) on an instrumented treadmill at 2.5 m/s. The markers become side-view "landmarks"
(an orthographic camera, 500 px/m; optionally resampled and with pixel noise), and the
truth is the vertical force (Fy > 50 N = foot on the ground). Synthetic (always, or only
with --synthetic): a rendered 3 s runner tracked with the real pose model, scored against
its exact truth.json events. docs/gait-timing.md explains both results.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

import mechanics
from mechanics.pose.skeleton import INDEX
from mechanics.synth import read_truth, render_clip, truth_path

MARKER_HZ, FORCE_HZ, BELT_M_S = 150.0, 300.0, 2.5
MATCH_S = 0.1  # a detected foot strike farther than this from the truth is a miss


# ---------------------------------------------------------------- a small RBDS reader
def read_markers(path: Path) -> dict[str, np.ndarray]:
    """Marker name -> (T, 3) metres (X forward, Y up, Z to the right), short gaps filled."""
    header = path.open(encoding="utf-8").readline().rstrip("\n").split("\t")
    data = np.genfromtxt(path, skip_header=1, delimiter="\t") / 1000.0
    t = np.arange(len(data))
    out = {}
    for i in range(1, len(header), 3):
        xyz = data[:, i:i + 3]
        for k in range(3):
            bad = ~np.isfinite(xyz[:, k])
            xyz[bad, k] = np.interp(t[bad], t[~bad], xyz[~bad, k])
        out[header[i][:-1]] = xyz
    return out


def landmarks(m: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Hips (Bell et al. 1990 regression), knees, ankles, heels and toes from the markers."""
    width = np.linalg.norm(m["R.ASIS"] - m["L.ASIS"], axis=1, keepdims=True)
    right = (m["R.ASIS"] - m["L.ASIS"]) / width
    fwd = (m["R.ASIS"] + m["L.ASIS"] - m["R.PSIS"] - m["L.PSIS"]) / 2
    fwd -= (fwd * right).sum(axis=1, keepdims=True) * right
    fwd /= np.linalg.norm(fwd, axis=1, keepdims=True)
    base = (m["R.ASIS"] + m["L.ASIS"]) / 2 - width * (0.19 * fwd + 0.30 * np.cross(right, fwd))
    out = {"left_hip": base - 0.36 * width * right, "right_hip": base + 0.36 * width * right}
    for side, s in (("left", "L"), ("right", "R")):
        out[f"{side}_knee"] = np.mean([m[f"{s}.{a}.{b}"] for a in ("Thigh.Bottom", "Shank.Top")
                                       for b in ("Lateral", "Medial")], axis=0)
        out[f"{side}_ankle"] = (m[f"{s}.Shank.Bottom.Lateral"]
                                + m[f"{s}.Shank.Bottom.Medial"]) / 2
        out[f"{side}_heel"] = m[f"{s}.Heel.Bottom"]
        out[f"{side}_foot_index"] = (m[f"{s}.MT1"] + m[f"{s}.MT5"]) / 2
    return out


def side_view(points: dict[str, np.ndarray], fps: float, noise_px: float
              ) -> mechanics.PoseSequence:
    """A side camera on the runner's right: image x = forward, y = down, 500 px/m."""
    t = np.arange(len(points["left_hip"])) / MARKER_HZ
    t_new = np.arange(t[0], t[-1], 1.0 / fps)
    seq = mechanics.PoseSequence.empty(len(t_new), world=False, source="RBDS001 side view")
    seq.time = t_new
    rng = np.random.default_rng(0)
    x0, z0 = (np.mean([p[:, k].mean() for p in points.values()]) for k in (0, 2))
    for name, p in points.items():
        xyz = np.column_stack([np.interp(t_new, t, p[:, k]) for k in range(3)])
        j = INDEX[name]
        seq.image[:, j, 0] = 960 + 500 * (xyz[:, 0] - x0)
        seq.image[:, j, 1] = 1000 - 500 * xyz[:, 1]
        seq.image[:, j, 2] = -500 * (xyz[:, 2] - z0)
        seq.image[:, j, :2] += rng.normal(0.0, noise_px, (len(t_new), 2)) if noise_px else 0
        seq.visibility[:, j] = 1.0
    return seq


def force_contacts(path: Path, markers: dict[str, np.ndarray]) -> pd.DataFrame:
    """side, foot_strike_s, toe_off_s of every force-plate contact (Fy > 50 N; gaps under
    20 ms merged; contacts cut by the recording, shorter than 80 ms or under 300 N dropped)."""
    fz = pd.read_csv(path, sep="\t")["Fy"].to_numpy()      # vertical force, N
    on = np.diff(np.concatenate([[0], (fz > 50).astype(int), [0]]))
    runs: list[list[int]] = []
    for a, b in zip(np.flatnonzero(on == 1), np.flatnonzero(on == -1), strict=True):
        if runs and a - runs[-1][1] < 0.02 * FORCE_HZ:
            runs[-1][1] = b
        else:
            runs.append([a, b])
    rows = []
    for a, b in runs:
        if a == 0 or b >= fz.size or b - a < 0.08 * FORCE_HZ or fz[a:b].max() < 300:
            continue
        fs = (a - 1 + (50 - fz[a - 1]) / (fz[a] - fz[a - 1])) / FORCE_HZ
        to = (b - 1 + (50 - fz[b - 1]) / (fz[b] - fz[b - 1])) / FORCE_HZ
        k = int(round((fs + to) / 2 * MARKER_HZ))
        low = {s: min(markers[f"{s}.{n}"][k, 1] for n in ("Heel.Bottom", "MT1", "MT5"))
               for s in "LR"}
        rows.append(("left" if low["L"] < low["R"] else "right", fs, to))
    return pd.DataFrame(rows, columns=["side", "foot_strike_s", "toe_off_s"])


# ---------------------------------------------------------------- scoring
def score(truth: pd.DataFrame, a: mechanics.Analysis, label: str) -> None:
    """Match each true contact to the nearest detected foot strike of the same foot."""
    steps = a.steps_table()
    err = []
    for c in truth.itertuples():
        mine = steps[steps.side == c.side]
        if mine.empty:
            continue
        d = mine.iloc[(mine.foot_strike_s - c.foot_strike_s).abs().argmin()]
        if abs(d.foot_strike_s - c.foot_strike_s) <= MATCH_S:
            err.append((d.foot_strike_s - c.foot_strike_s, d.toe_off_s - c.toe_off_s))
    e = pd.DataFrame(err, columns=["fs", "to"]) * 1000.0
    ct = (e.to - e.fs).dropna()
    strides = [np.diff(truth.foot_strike_s[truth.side == s]) for s in ("left", "right")]
    cadence = 120.0 / np.mean(np.concatenate(strides))
    measured = a.metrics["cadence_spm"].value
    print(f"{label}: {len(e)}/{len(truth)} contacts matched")
    print(f"  foot strike: median |error| {e.fs.abs().median():.1f} ms, bias "
          f"{e.fs.mean():+.1f} ms")
    print(f"  toe-off:     median |error| {e.to.abs().median():.1f} ms, bias "
          f"{e.to.mean():+.1f} ms")
    print(f"  contact time: mean abs error {ct.abs().mean():.1f} ms, bias {ct.mean():+.1f} ms")
    print(f"  cadence: {measured:.2f} vs {cadence:.2f} steps/min "
          f"({100 * (measured / cadence - 1):+.2f} %)")


def force_plate(folder: Path, fps: float, noise_px: float) -> None:
    markers = read_markers(folder / "RBDS001runT25markers.txt")
    truth = force_contacts(folder / "RBDS001runT25forces.txt", markers)
    seq = side_view(landmarks(markers), fps, noise_px)
    a = mechanics.analyze(seq, treadmill_speed=BELT_M_S)
    score(truth, a, f"RBDS001 force plate, {fps:g} fps, {noise_px:g} px noise")


def synthetic() -> None:
    folder = Path(tempfile.mkdtemp(prefix="mechanics-example-"))
    clip = render_clip(folder / "runner.mp4", seconds=3, fps=60, width=640, height=360)
    doc = read_truth(truth_path(clip))
    rows = []
    for side, ev in doc["events"].items():
        for fs in ev["foot_strike"]:
            to = fs + doc["truth"]["contact_time_s"][side]
            if to <= doc["video"]["duration_s"]:
                rows.append((side, fs, to))
    truth = pd.DataFrame(rows, columns=["side", "foot_strike_s", "toe_off_s"])
    a = mechanics.analyze(clip, treadmill_speed=doc["params"]["speed"])
    score(truth.sort_values("foot_strike_s"), a, "synthetic runner (pose model), 60 fps")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    default = Path(os.environ.get("MECHANICS_SHARED_DATA",
                                  Path(__file__).resolve().parents[2] / "shared" / "data"))
    parser.add_argument("--mocap", type=Path, default=default / "mocap")
    parser.add_argument("--fps", type=float, default=MARKER_HZ, help="resample to this rate")
    parser.add_argument("--noise", type=float, default=0.0, help="pixel noise SD, px")
    parser.add_argument("--synthetic", action="store_true", help="only the synthetic runner")
    args = parser.parse_args()
    if not args.synthetic and (args.mocap / "RBDS001runT25forces.txt").is_file():
        force_plate(args.mocap, args.fps, args.noise)
    else:
        print(f"no force-plate file in {args.mocap}: synthetic truth only")
    synthetic()


if __name__ == "__main__":
    main()
