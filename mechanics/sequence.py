"""PoseSequence: one labelled landmark track that flows through the whole pipeline.

Arrays (T = frames, 33 = BlazePose landmarks in MediaPipe order, see
:mod:`mechanics.pose.skeleton`):

- ``time`` (T,) seconds of real (capture) time, from each frame's own timestamp;
- ``frame`` (T,) source frame index;
- ``image`` (T, 33, 3): x, y in image pixels (origin top-left, y down) and MediaPipe's relative
  depth z (same scale as x, smaller = nearer the camera); NaN = not detected;
- ``visibility`` (T, 33) in [0, 1]; NaN = not detected;
- ``world`` (T, 33, 3) or None: MediaPipe world landmarks in metres, hip-centred, camera-aligned
  axes (x right, y down, z away from the camera).

``meta`` holds facts about the source (file, fps, capture_fps, width, height, model, ...),
``provenance`` is the ordered log appended by every processing step.
"""

from __future__ import annotations

import csv
import json
import math
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from mechanics.atomic import write_text_atomic
from mechanics.errors import MechanicsError
from mechanics.pose.skeleton import INDEX, LANDMARK_NAMES, N_LANDMARKS

IMAGE_SUFFIXES = ("x", "y", "z", "visibility")
WORLD_SUFFIXES = ("wx", "wy", "wz")
CSV_SCHEMA = "mechanics.landmarks/1"


@dataclass
class PoseSequence:
    """A landmark track with its times, metadata and provenance log."""

    time: np.ndarray
    image: np.ndarray
    visibility: np.ndarray
    world: np.ndarray | None = None
    frame: np.ndarray | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    provenance: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.time = np.asarray(self.time, dtype=float)
        n = self.time.shape[0]
        self.image = np.asarray(self.image, dtype=float).reshape(n, N_LANDMARKS, 3)
        self.visibility = np.asarray(self.visibility, dtype=float).reshape(n, N_LANDMARKS)
        if self.world is not None:
            self.world = np.asarray(self.world, dtype=float).reshape(n, N_LANDMARKS, 3)
        if self.frame is None:
            self.frame = np.arange(n)
        self.frame = np.asarray(self.frame, dtype=int)

    # ------------------------------------------------------------------ basics
    @classmethod
    def empty(cls, n_frames: int, world: bool = True, **meta: Any) -> PoseSequence:
        """A track of ``n_frames`` frames with every landmark missing (NaN)."""
        nan3 = np.full((n_frames, N_LANDMARKS, 3), np.nan)
        return cls(time=np.zeros(n_frames), image=nan3.copy(),
                   visibility=np.full((n_frames, N_LANDMARKS), np.nan),
                   world=nan3.copy() if world else None, meta=dict(meta))

    def __len__(self) -> int:
        return int(self.time.shape[0])

    @property
    def n_frames(self) -> int:
        """Number of frames."""
        return len(self)

    @property
    def fps(self) -> float:
        """Sampling rate in frames per second (1 / median frame interval of ``time``)."""
        if len(self) < 2:
            return float(self.meta.get("fps", math.nan))
        dt = np.diff(self.time)
        dt = dt[dt > 0]
        return float(1.0 / np.median(dt)) if dt.size else math.nan

    def xy(self, name: str) -> np.ndarray:
        """(T, 2) image pixel position of landmark ``name`` (a view, not a copy)."""
        return self.image[:, INDEX[name], :2]

    def present(self) -> np.ndarray:
        """(T, 33) bool: landmark detected in that frame."""
        return np.isfinite(self.image[:, :, 0])

    def copy(self) -> PoseSequence:
        """A deep copy (arrays, meta and provenance)."""
        return PoseSequence(
            time=self.time.copy(), image=self.image.copy(), visibility=self.visibility.copy(),
            world=None if self.world is None else self.world.copy(), frame=self.frame.copy(),
            meta=json.loads(json.dumps(self.meta, default=str)),
            provenance=json.loads(json.dumps(self.provenance, default=str)))

    def log(self, step: str, **info: Any) -> None:
        """Append one entry to the provenance log (``step`` plus JSON-able details)."""
        entry = {"step": step, "at": datetime.now(UTC).isoformat(timespec="seconds")}
        entry.update(info)
        self.provenance.append(entry)

    # ------------------------------------------------------------------ CSV
    def to_csv(self, path: str | Path, world: bool | None = None) -> Path:
        """Write the landmark CSV (README schema) atomically, plus a ``.meta.json`` sidecar.

        Parameters
        ----------
        path : path of the CSV file.
        world : write the ``_wx/_wy/_wz`` world columns; default: when world data exists.
        """
        path = Path(path)
        with_world = (self.world is not None) if world is None else world
        table, digits = self._csv_table(with_world)
        # one C-level format per row; NaN cells become empty (= not detected)
        row_fmt = ",".join(f"%.{d}f" for d in digits)
        lines = [",".join(csv_header(with_world))]
        lines += [_NAN_CELL.sub("", row_fmt % tuple(row)) for row in table]
        write_text_atomic(path, "\n".join(lines) + "\n")
        sidecar = {"schema": CSV_SCHEMA, "meta": self.meta, "provenance": self.provenance}
        write_text_atomic(meta_path(path), json.dumps(sidecar, indent=2, default=str))
        return path

    def _csv_table(self, with_world: bool) -> tuple[np.ndarray, list[int]]:
        """(T, columns) floats in CSV column order, and the decimals of each column."""
        per_landmark = [self.image, self.visibility[:, :, None]]
        digits = [3, 3, 3, 4]
        if with_world:
            world = self.world if self.world is not None else np.full_like(self.image, np.nan)
            per_landmark.append(world)
            digits += [5, 5, 5]
        body = np.concatenate(per_landmark, axis=2).reshape(len(self), -1)
        table = np.column_stack([self.frame.astype(float), self.time, body])
        return table, [0, 6] + digits * N_LANDMARKS

    @classmethod
    def from_csv(cls, path: str | Path) -> PoseSequence:
        """Read a landmark CSV in the README schema (and its ``.meta.json`` sidecar if present).

        Raises
        ------
        MechanicsError
            If the file is missing or not a landmark CSV.
        """
        path = Path(path)
        if not path.is_file():
            raise MechanicsError("file not found", path)
        try:
            with open(path, newline="", encoding="utf-8") as fh:
                rows = list(csv.reader(fh))
        except (UnicodeDecodeError, csv.Error) as exc:
            raise MechanicsError(f"not a landmark CSV ({exc})", path) from None
        if not rows:
            raise MechanicsError("empty file", path)
        header = [h.strip() for h in rows[0]]
        if "time_s" not in header or not any(h.endswith("_x") for h in header):
            raise MechanicsError("not a landmark CSV (needs columns time_s and {name}_x)", path)
        col = {h: i for i, h in enumerate(header)}
        try:
            data = np.array([[_parse(c) for c in r] + [np.nan] * (len(header) - len(r))
                             for r in rows[1:] if r], dtype=float).reshape(-1, len(header))
        except ValueError as exc:
            raise MechanicsError(f"bad number in landmark CSV ({exc})", path) from None
        n = data.shape[0]
        seq = cls.empty(n, world=any(h.endswith("_wx") for h in header))
        seq.time = data[:, col["time_s"]]
        if "frame" in col:
            seq.frame = np.nan_to_num(data[:, col["frame"]], nan=-1).astype(int)
        for j, name in enumerate(LANDMARK_NAMES):
            for k, suffix in enumerate(("x", "y", "z")):
                if f"{name}_{suffix}" in col:
                    seq.image[:, j, k] = data[:, col[f"{name}_{suffix}"]]
            if f"{name}_visibility" in col:
                seq.visibility[:, j] = data[:, col[f"{name}_visibility"]]
            elif f"{name}_x" in col:
                seq.visibility[:, j] = np.where(np.isfinite(seq.image[:, j, 0]), 1.0, np.nan)
            if seq.world is not None:
                for k, suffix in enumerate(WORLD_SUFFIXES):
                    if f"{name}_{suffix}" in col:
                        seq.world[:, j, k] = data[:, col[f"{name}_{suffix}"]]
        # a landmark without x/y is missing as a whole
        missing = ~np.isfinite(seq.image[:, :, :2]).all(axis=2)
        seq.image[missing] = np.nan
        seq.visibility[missing] = np.nan
        sidecar = meta_path(path)
        if sidecar.is_file():
            info = json.loads(sidecar.read_text(encoding="utf-8"))
            seq.meta = dict(info.get("meta", {}))
            seq.provenance = list(info.get("provenance", []))
        seq.meta.setdefault("source", str(path))
        seq.log("read_csv", file=str(path), frames=n)
        return seq

    # ------------------------------------------------------------------ TRC
    def to_trc(self, path: str | Path, use_world: bool | None = None) -> Path:
        """Write an OpenSim TRC marker file atomically.

        With world landmarks (default when present) markers are in metres in a Y-up frame
        (X = world x, Y = -world y, Z = -world z), hip-centred. Otherwise image pixels with
        Y flipped to point up and Z = 0. Missing samples are written as empty cells.
        """
        path = Path(path)
        world = self.world is not None if use_world is None else use_world
        if world and self.world is None:
            raise MechanicsError("no world landmarks to write", path)
        if world:
            pts = self.world * np.array([1.0, -1.0, -1.0])
            units = "m"
        else:
            pts = self.image.copy() * np.array([1.0, -1.0, 0.0])
            units = "px"
        rate = self.fps if np.isfinite(self.fps) else 0.0
        n = len(self)
        lines = [
            f"PathFileType\t4\t(X/Y/Z)\t{path.name}",
            "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate"
            "\tOrigDataStartFrame\tOrigNumFrames",
            f"{rate:.4f}\t{rate:.4f}\t{n}\t{N_LANDMARKS}\t{units}\t{rate:.4f}\t1\t{n}",
            "Frame#\tTime\t" + "\t\t\t".join(LANDMARK_NAMES) + "\t\t",
            "\t\t" + "\t".join(f"X{j + 1}\tY{j + 1}\tZ{j + 1}" for j in range(N_LANDMARKS)),
            "",
        ]
        for t in range(n):
            vals = "\t".join(_fmt(v, 6) for v in pts[t].ravel())
            lines.append(f"{t + 1}\t{self.time[t]:.6f}\t{vals}")
        write_text_atomic(path, "\n".join(lines) + "\n")
        return path


def csv_header(with_world: bool) -> list[str]:
    """Column names of the landmark CSV."""
    cols = ["frame", "time_s"]
    for name in LANDMARK_NAMES:
        cols += [f"{name}_{s}" for s in IMAGE_SUFFIXES]
        if with_world:
            cols += [f"{name}_{s}" for s in WORLD_SUFFIXES]
    return cols


def meta_path(csv_path: str | Path) -> Path:
    """Sidecar file holding a CSV's metadata and provenance: ``landmarks.csv.meta.json``."""
    csv_path = Path(csv_path)
    return csv_path.with_name(csv_path.name + ".meta.json")


_NAN_CELL = re.compile(r"(?<![^,])-?nan(?![^,])")


def _fmt(v: float, digits: int) -> str:
    return "" if not np.isfinite(v) else f"{v:.{digits}f}"


def _parse(cell: str) -> float:
    cell = cell.strip()
    return float(cell) if cell else math.nan
