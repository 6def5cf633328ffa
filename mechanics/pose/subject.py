"""Choose the runner among the people detected in a clip.

Detections are linked over time into person tracks (assignment on mid-hip distance relative
to body size). The runner is the track whose legs move in the alternating, periodic way of
running or walking for the longest stretch; body size breaks ties. ``--subject x,y`` picks
instead the track whose landmark box, in the first frame where it appears, holds that point.

Why: with one pose the tracker locks onto whoever it finds first; with two poses the walker in
the Sports2D demo clip is found in every frame, but someone must choose her
(../shared/docs/pose-model.md sections 4.1-4.2).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import linear_sum_assignment

from mechanics.pose.backend import Candidate

#: a detection joins a track when its mid-hip moved less than this many body sizes
LINK_MAX_DISTANCE = 0.6
#: a track ends after this long without a detection (seconds)
LINK_MAX_GAP_S = 0.5
#: window for the periodicity test (seconds): about two walking strides, three of running
WINDOW_S = 2.6
#: stride periods accepted as running or walking (seconds)
PERIOD_RANGE_S = (0.45, 1.6)
#: correlation with itself one stride later needed to call a window periodic
MIN_AUTOCORR = 0.5
#: ankle separation amplitude needed (fraction of body size): legs really pass each other
MIN_AMPLITUDE = 0.04


@dataclass
class PersonTrack:
    """One person over time: frame index -> detection."""

    ident: int
    frames: list[int] = field(default_factory=list)
    detections: list[Candidate] = field(default_factory=list)
    times: list[float] = field(default_factory=list)

    def last_centre(self) -> np.ndarray:
        return self.detections[-1].centre

    def last_size(self) -> float:
        return self.detections[-1].size

    @property
    def median_size(self) -> float:
        return float(np.median([d.size for d in self.detections]))


def link_tracks(per_frame: list[list[Candidate]], times: list[float]) -> list[PersonTrack]:
    """Link per-frame detections into person tracks (Hungarian assignment per frame)."""
    tracks: list[PersonTrack] = []
    active: list[PersonTrack] = []
    for i, (cands, t) in enumerate(zip(per_frame, times, strict=True)):
        active = [tr for tr in active if t - tr.times[-1] <= LINK_MAX_GAP_S]
        matched: set[int] = set()
        if active and cands:
            cost = np.array([[_link_cost(tr, c) for c in cands] for tr in active])
            rows, cols = linear_sum_assignment(cost)
            for r, c in zip(rows, cols, strict=True):
                if cost[r, c] <= LINK_MAX_DISTANCE:
                    _append(active[r], i, t, cands[c])
                    matched.add(c)
        for c, cand in enumerate(cands):
            if c not in matched:
                track = PersonTrack(ident=len(tracks))
                _append(track, i, t, cand)
                tracks.append(track)
                active.append(track)
    return tracks


def _link_cost(track: PersonTrack, cand: Candidate) -> float:
    scale = max(track.last_size(), cand.size, 1.0)
    return float(np.linalg.norm(track.last_centre() - cand.centre) / scale)


def _append(track: PersonTrack, i: int, t: float, cand: Candidate) -> None:
    track.frames.append(i)
    track.times.append(t)
    track.detections.append(cand)


def gait_signal(track: PersonTrack) -> np.ndarray:
    """Ankle separation along its main direction, in body sizes, per detection.

    Side view: the ankles pass each other front to back; front view: they alternate up and
    down. Either way the separation along its principal direction changes sign each step.
    """
    d = np.array([(c.image[27, :2] - c.image[28, :2]) / max(c.size, 1.0)
                  for c in track.detections])
    if len(d) < 3:
        return np.zeros(len(d))
    _, _, vt = np.linalg.svd(d - d.mean(axis=0), full_matrices=False)
    return d @ vt[0]


def periodic_mask(signal: np.ndarray, times: np.ndarray) -> np.ndarray:
    """Per-sample bool: inside a window that oscillates like running or walking legs."""
    n = len(signal)
    mask = np.zeros(n, dtype=bool)
    if n < 8:
        return mask
    dt = float(np.median(np.diff(times)))
    win = max(int(round(WINDOW_S / dt)), 8)
    step = max(win // 4, 1)
    for start in range(0, max(n - win, 0) + 1, step):
        seg = signal[start:start + win]
        if _is_periodic(seg, dt):
            mask[start:start + win] = True
    return mask


def _is_periodic(seg: np.ndarray, dt: float) -> bool:
    if np.ptp(seg) < 2 * MIN_AMPLITUDE or np.sum(np.diff(np.sign(seg)) != 0) < 3:
        return False
    lo = max(int(PERIOD_RANGE_S[0] / dt), 2)
    hi = min(int(PERIOD_RANGE_S[1] / dt), len(seg) - 4)
    best = max((_lag_correlation(seg, lag) for lag in range(lo, hi + 1)), default=-1.0)
    return best >= MIN_AUTOCORR


def _lag_correlation(x: np.ndarray, lag: int) -> float:
    """Pearson correlation of the signal with itself ``lag`` samples later."""
    a, b = x[:-lag], x[lag:]
    if a.std() == 0 or b.std() == 0:
        return -1.0
    return float(np.corrcoef(a, b)[0, 1])


def longest_run(mask: np.ndarray, frames: list[int]) -> int:
    """Length (in frames of the clip) of the longest stretch of True samples."""
    best, start = 0, None
    for ok, f in zip(mask, frames, strict=True):
        if not ok:
            start = None
            continue
        start = f if start is None else start
        best = max(best, f - start + 1)
    return best


def merge_continuations(chosen: PersonTrack, tracks: list[PersonTrack]) -> PersonTrack:
    """Append later tracks that pick up where ``chosen`` was lost (same person re-found)."""
    merged = PersonTrack(ident=chosen.ident, frames=list(chosen.frames),
                         detections=list(chosen.detections), times=list(chosen.times))
    for tr in sorted(tracks, key=lambda t: t.frames[0]):
        if tr is chosen or tr.frames[0] <= merged.frames[-1]:
            continue
        gap = tr.times[0] - merged.times[-1]
        scale = max(merged.last_size(), 1.0)
        dist = float(np.linalg.norm(tr.detections[0].centre - merged.last_centre())) / scale
        if dist <= LINK_MAX_DISTANCE + 1.5 * gap:
            merged.frames += tr.frames
            merged.times += tr.times
            merged.detections += tr.detections
    return merged


def choose_runner(tracks: list[PersonTrack]) -> tuple[PersonTrack | None, dict]:
    """The track with the longest periodic leg motion; size breaks ties.

    Returns the track (None if there is none) and a JSON-able account of the choice.
    """
    if not tracks:
        return None, {"rule": "none detected", "tracks": []}
    scored = []
    for tr in tracks:
        mask = periodic_mask(gait_signal(tr), np.asarray(tr.times))
        scored.append((longest_run(mask, tr.frames), tr.median_size, len(tr.frames), tr))
    scored.sort(key=lambda s: (s[0], s[1], s[2]), reverse=True)
    account = {
        "rule": "longest alternating periodic leg motion, size as tie-breaker",
        "tracks": [{"id": tr.ident, "first_frame": tr.frames[0], "last_frame": tr.frames[-1],
                    "detections": n, "periodic_frames": run, "median_size_px": round(size, 1)}
                   for run, size, n, tr in scored],
    }
    return scored[0][3], account


def track_at_point(tracks: list[PersonTrack], x: float, y: float) -> PersonTrack | None:
    """The track whose box in its first frame contains (x, y) (nearest centre on ties)."""
    best, best_d = None, np.inf
    for tr in tracks:
        x0, y0, x1, y1 = tr.detections[0].bbox
        margin = 0.15 * tr.detections[0].size
        if x0 - margin <= x <= x1 + margin and y0 - margin <= y <= y1 + margin:
            d = float(np.hypot(x - (x0 + x1) / 2, y - (y0 + y1) / 2))
            if d < best_d:
                best, best_d = tr, d
    return best
