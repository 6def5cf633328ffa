"""Analyse every clip in a folder into one table (pandas), one row per clip.

Usage: python examples/batch_table.py [FOLDER] [--height M] [--out TABLE.csv]

FOLDER holds videos (.mp4, .mov) or landmark CSVs. Without a folder, three synthetic
side-view runners (3 s, 60 fps, treadmill at 3.5 m/s) at 160, 175 and 190 steps/min are
rendered first. A metric that a clip cannot support is an empty cell (its reason is in
that clip's metrics.json), never a number.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import pandas as pd

import mechanics
from mechanics.synth import render_clip

COLUMNS = ["cadence_spm", "contact_time_s", "duty_factor", "step_length_m",
           "vertical_oscillation_cm", "knee_flexion_at_contact_deg", "trunk_lean_deg"]
SUFFIXES = (".mp4", ".mov", ".avi", ".csv")


def synthetic_folder() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="mechanics-example-"))
    for cadence in (160, 175, 190):
        render_clip(folder / f"runner_{cadence}spm.mp4", seconds=3.0, fps=60, width=640,
                    height=360, cadence=cadence)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--height", type=float, help="runners' height, m (image scale)")
    parser.add_argument("--out", type=Path, default=Path("batch.csv"))
    args = parser.parse_args()
    scale = {"height": args.height} if args.height else {}
    folder = args.folder
    if folder is None:
        folder, scale = synthetic_folder(), {"treadmill_speed": 3.5}

    rows = {}
    for clip in sorted(p for p in folder.iterdir() if p.suffix.lower() in SUFFIXES):
        try:
            a = mechanics.analyze(clip, **scale)
        except mechanics.MechanicsError as exc:
            print(f"skipped: {exc}")
            continue
        m = a.metrics_table()
        values = m["value"].where(m["confidence"] != "not_measurable")
        rows[clip.name] = pd.Series({"view": a.source["view"], "fps": a.source["fps"],
                                     "strides": a.source["n_strides"], **values[COLUMNS],
                                     "contact_confidence": m.at["contact_time_s",
                                                                "confidence"]})
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("clip")
    print(table.to_string(float_format=lambda v: f"{v:.3f}", na_rep="-"))
    print(f"mean cadence {table['cadence_spm'].mean():.1f} steps/min over {len(table)} clips")
    table.to_csv(args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
