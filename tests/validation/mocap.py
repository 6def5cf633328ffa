"""Test adapter: Fukuchi RBDS treadmill mocap -> side-view virtual landmarks + force-plate events.

Data: Fukuchi, Fukuchi & Duarte (2017), Running Biomechanics Data Set, PeerJ 5:e3298,
doi:10.6084/m9.figshare.4543435 (CC BY 4.0); files described in ../shared/data/SOURCES.md
(markers 150 Hz, mm, X antero-posterior = running direction, Y up, Z medio-lateral with +Z to
the runner's right; forces 300 Hz, ``Fy`` vertical, one treadmill plate for both feet).

Virtual landmarks (science.md section 9.2), chosen from the 32 *tracking* markers of the
running trial (the anatomical markers exist only in the static trial):

- hip: hip joint centre from the pelvis markers, Bell et al. (1990) regression in the pelvis
  frame (origin mid-ASIS; 19 % of the inter-ASIS width posterior, 30 % inferior, 36 % lateral);
- knee: mean of the four thigh-bottom and shank-top cluster markers (they straddle the joint);
- ankle: mean of the two shank-bottom cluster markers (a few cm above the malleoli);
- heel: ``Heel.Bottom``; foot_index: mean of ``MT1`` and ``MT5`` (metatarsal heads: the
  markers carry no toe-tip marker, so "foot_index" sits ~5 cm behind MediaPipe's toe point);
- shoulders, arms and head: absent (NaN): the trial has no upper-body markers.

The virtual camera is orthographic (a distant side camera): image x = +-X, image y = -Y
(y down) at ``px_per_m`` pixels per metre; MediaPipe's depth z = -Z for a camera on the
runner's right (smaller = nearer), +Z for a camera on the left.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mechanics.pose.skeleton import INDEX
from mechanics.sequence import PoseSequence

MARKER_FPS = 150.0
FORCE_FPS = 300.0


def load_markers(path: str | Path) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Read an RBDS ``*markers.txt`` file.

    Returns
    -------
    time : (T,) s, rebuilt as frame / 150 Hz (the file's ``Time`` column is rounded to ms).
    markers : name -> (T, 3) positions in metres (X AP, Y up, Z ML); single-sample gaps
        are filled linearly.
    """
    with open(path, encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
    data = np.genfromtxt(path, skip_header=1, delimiter="\t")
    time = np.arange(data.shape[0]) / MARKER_FPS
    markers: dict[str, np.ndarray] = {}
    for i in range(1, len(header), 3):
        name = header[i][:-1]
        xyz = data[:, i:i + 3] / 1000.0
        for k in range(3):
            bad = ~np.isfinite(xyz[:, k])
            if bad.any():
                xyz[bad, k] = np.interp(time[bad], time[~bad], xyz[~bad, k])
        markers[name] = xyz
    return time, markers


def _hip_centres(m: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Left and right hip joint centres (T, 3), Bell et al. 1990 (in metres)."""
    r_asis, l_asis = m["R.ASIS"], m["L.ASIS"]
    mid_asis = (r_asis + l_asis) / 2
    mid_psis = (m["R.PSIS"] + m["L.PSIS"]) / 2
    width = np.linalg.norm(r_asis - l_asis, axis=1, keepdims=True)
    ml = (r_asis - l_asis) / width                      # to the right
    ap = mid_asis - mid_psis
    ap -= (ap * ml).sum(axis=1, keepdims=True) * ml
    ap /= np.linalg.norm(ap, axis=1, keepdims=True)     # forward
    up = np.cross(ml, ap)                                # right x forward = up
    base = mid_asis - 0.19 * width * ap - 0.30 * width * up
    return base - 0.36 * width * ml, base + 0.36 * width * ml


def virtual_landmarks(m: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """MediaPipe-named 3D points (T, 3) in metres built from RBDS markers."""
    l_hip, r_hip = _hip_centres(m)
    out = {"left_hip": l_hip, "right_hip": r_hip}
    for side, s in (("left", "L"), ("right", "R")):
        knee = [m[f"{s}.{seg}.{pos}"] for seg in ("Thigh.Bottom", "Shank.Top")
                for pos in ("Lateral", "Medial")]
        out[f"{side}_knee"] = np.mean(knee, axis=0)
        out[f"{side}_ankle"] = (m[f"{s}.Shank.Bottom.Lateral"] + m[f"{s}.Shank.Bottom.Medial"]) / 2
        out[f"{side}_heel"] = m[f"{s}.Heel.Bottom"]
        out[f"{side}_foot_index"] = (m[f"{s}.MT1"] + m[f"{s}.MT5"]) / 2
    return out


def to_sequence(time: np.ndarray, points: dict[str, np.ndarray], *, fps: float | None = None,
                px_per_m: float = 500.0, camera: str = "right", noise_px: float = 0.0,
                seed: int = 0, ground_px: float = 1000.0, centre_px: float = 960.0
                ) -> PoseSequence:
    """Project virtual 3D landmarks to a side-view :class:`PoseSequence` (pixels, y down).

    Parameters
    ----------
    time, points : output of :func:`load_markers` / :func:`virtual_landmarks`.
    fps : resample (linear interpolation) to this frame rate; default: keep 150 Hz.
    px_per_m : image scale of the orthographic virtual camera, px/m.
    camera : 'right' (camera on the runner's right: runner faces image right) or 'left'
        (mirror image: runner faces image left).
    noise_px : SD of independent Gaussian noise added to x and y, px (seeded by ``seed``).
    """
    t_new = time if fps is None else np.arange(time[0], time[-1], 1.0 / fps)
    seq = PoseSequence.empty(len(t_new), world=False, fps=fps or MARKER_FPS,
                             source="RBDS001 virtual side camera", width=1920, height=1080)
    seq.time = t_new.copy()
    rng = np.random.default_rng(seed)
    sign = 1.0 if camera == "right" else -1.0
    x0 = float(np.mean([p[:, 0].mean() for p in points.values()]))
    z0 = float(np.mean([p[:, 2].mean() for p in points.values()]))
    for name, p in points.items():
        xyz = np.column_stack([np.interp(t_new, time, p[:, k]) for k in range(3)])
        j = INDEX[name]
        seq.image[:, j, 0] = centre_px + sign * px_per_m * (xyz[:, 0] - x0)
        seq.image[:, j, 1] = ground_px - px_per_m * xyz[:, 1]
        seq.image[:, j, 2] = -sign * px_per_m * (xyz[:, 2] - z0)
        if noise_px > 0:
            seq.image[:, j, :2] += rng.normal(0.0, noise_px, (len(t_new), 2))
        seq.visibility[:, j] = 1.0
    seq.log("mocap_virtual_camera", camera=camera, px_per_m=px_per_m, noise_px=noise_px,
            seed=seed, fps=fps or MARKER_FPS)
    return seq


@dataclass
class ForceContact:
    """One ground contact from the force plate (truth)."""

    side: str
    strike_s: float
    off_s: float

    @property
    def contact_s(self) -> float:
        """Contact time, s."""
        return self.off_s - self.strike_s


def _crossing(t: np.ndarray, f: np.ndarray, i: int, thr: float) -> float:
    """Time where f crosses thr between samples i-1 and i (linear interpolation)."""
    f0, f1 = f[i - 1], f[i]
    return float(t[i - 1] + (thr - f0) / (f1 - f0) * (t[i] - t[i - 1]))


def force_contacts(path: str | Path, threshold_n: float = 50.0, min_gap_s: float = 0.02,
                   min_contact_s: float = 0.08, min_peak_n: float = 300.0
                   ) -> list[tuple[float, float]]:
    """Contact intervals (strike_s, off_s) from the vertical force ``Fy`` of a ``*forces.txt``.

    ``Fy > threshold_n`` marks contact; gaps shorter than ``min_gap_s`` are merged
    (hysteresis against the single-sample spikes in the file), then contacts shorter than
    ``min_contact_s`` or with a peak below ``min_peak_n`` are dropped. Crossing times are
    linearly interpolated between the 300 Hz samples (sample 1 is at t = 0).
    """
    fy = np.loadtxt(path, skiprows=1)[:, 2]
    t = np.arange(fy.size) / FORCE_FPS
    on = np.concatenate([[False], fy > threshold_n, [False]]).astype(int)
    starts = np.flatnonzero(np.diff(on) == 1)
    ends = np.flatnonzero(np.diff(on) == -1)        # first sample below threshold
    runs: list[list[int]] = []
    for s, e in zip(starts, ends, strict=True):
        if runs and (s - runs[-1][1]) / FORCE_FPS < min_gap_s:
            runs[-1][1] = e
        else:
            runs.append([s, e])
    out = []
    for s, e in runs:
        if s == 0 or e >= fy.size:
            continue                                  # cut by the recording edges
        if (e - s) / FORCE_FPS < min_contact_s or fy[s:e].max() < min_peak_n:
            continue
        out.append((_crossing(t, fy, s, threshold_n), _crossing(t, fy, e, threshold_n)))
    return out


def assign_sides(contacts: list[tuple[float, float]], time: np.ndarray,
                 markers: dict[str, np.ndarray]) -> list[ForceContact]:
    """Label each force contact left/right: the foot whose lowest marker is lower at mid-contact."""
    out = []
    for fs, to in contacts:
        k = int(round((fs + to) / 2 * MARKER_FPS))
        k = min(max(k, 0), time.size - 1)
        low = {s: min(markers[f"{s}.Heel.Bottom"][k, 1], markers[f"{s}.MT1"][k, 1],
                      markers[f"{s}.MT5"][k, 1]) for s in ("L", "R")}
        out.append(ForceContact("left" if low["L"] < low["R"] else "right", fs, to))
    return out


def load_trial(folder: str | Path, stem: str = "RBDS001runT25"
               ) -> tuple[np.ndarray, dict[str, np.ndarray], list[ForceContact]]:
    """(time, virtual 3D landmarks, force-plate truth contacts) for one RBDS trial."""
    folder = Path(folder)
    time, markers = load_markers(folder / f"{stem}markers.txt")
    truth = assign_sides(force_contacts(folder / f"{stem}forces.txt"), time, markers)
    return time, virtual_landmarks(markers), truth
