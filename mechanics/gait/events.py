"""Foot strike (FS) and toe-off (TO) per side from a side-view PoseSequence.

Detector (science.md section 1.5, adapted and validated on force plates, see
``tests/validation/test_gait_forceplate.py``):

1. **Event copy.** Heel, foot_index, knee, ankle and hip pixels go through a Hampel filter
   (sliding median +- 50 ms, samples more than 3 robust SDs away replaced by the median;
   science.md 7.3) and are then low-passed lightly (2nd-order Butterworth, zero lag, 12 Hz;
   18 Hz sprint; at most 0.4 x fps; science.md 7.1). The Hampel step removes the 1-3 frame
   jumps of a foot onto the other leg that the pose model makes while the legs cross (seen on
   the synthetic runner through MediaPipe at mid-stance, near and far foot); a sliding median
   leaves monotone stretches exactly unchanged, so the descent to the ground and the lift-off
   that the contact test times are untouched (RBDS001 errors moved by <= 0.5 ms).
2. **Direction.** ``d`` = +1 when the runner faces image right (toes ahead of heels, nose
   ahead of ears, net travel; :func:`mechanics.view.facing_direction`); when those cues are
   weak, the swing cue: the foot moves forward relative to the hip fast (swing) and backward
   slowly (stance), so the velocity of ``x_heel - x_MH`` is skewed towards ``d``.
3. **Coarse windows (Zeni et al. 2008, pelvis := mid-hip).** ``rel_heel = d (x_heel - x_MH)``;
   its local maxima (most anterior heel, at least 0.6 stride apart) open one window per
   stride. In running the maximum comes shortly *before* contact (late-swing retraction:
   27 ms on RBDS001 at 2.5 m/s) and, importantly, *after* the low toe pass of late swing, where
   the swing foot may come within 3-5 cm of the ground. The stride period comes from the
   autocorrelation of ``rel_heel``.
4. **Ground contact.** For heel and foot_index separately the ground level is the median over
   strides (windows between Zeni maxima) of each stride's lowest image position (largest y);
   a straight ground line ``y = a + b x`` is fitted instead when those points spread over
   more than two leg lengths (overground, slightly rolled camera). A foot is *in contact*
   while its lower point is within ``eps`` of its ground: ``eps = contact_tol x leg length``
   (default 2.5 %, ~2 cm; leg = median hip-knee + knee-ankle pixel length), and at least
   3 x the landmark jitter left after the low-pass (jitter from second differences while the
   foot rests). One-frame dropouts inside a contact are bridged. This works on a treadmill
   (the stance foot moves backward at belt speed, irrelevant to the vertical test) and
   overground, for rear-, mid- and forefoot strikes (lower point of heel or toe). The 2.5 %
   tolerance absorbs shoe/heel-pad compression and landmark height on the shoe; it was
   chosen on RBDS001 (1.5 % and 3.5 % gave 9 ms late / 15 ms early foot strikes there) and
   should be re-checked on video with force plates. Measured there: at force onset the heel
   marker is still 17-21 mm above the level it settles to in loaded stance, and at toe-off
   the metatarsal-head point is 16-18 mm above its stance level. A foot that does not
   compress reaches its stance level only at contact, so there the test fires early (-37 ms
   FS on the synthetic runner's former rigid foot; with its compressing sole now -8 ms, see
   docs/metrics.md, "Gait events on the synthetic runner").
5. **Events.** Contact runs starting after ``z - 0.05 T`` (z = Zeni maximum), or after
   ``z - 0.1 T`` and still going at ``z`` (the stance seen early: at 4.2 m/s through
   MediaPipe runs began 2 frames before z and were lost to the fallback) are grouped
   into one stance when less than ``0.15 T`` apart and the group spans at most the maximum
   duty factor (0.65 T): a foot that leaves the ground swings for at least 1 - 0.65 = 0.35 T,
   so a shorter break is a tracking dropout (the far foot occluded by the near swing leg at
   mid-stance, a label swap longer than the Hampel window), not a swing. The stance of the
   window is the group starting before ``z + 0.6 T`` with the most contact frames: a contact
   cannot start while the foot still moves forward relative to the hip, so the low toe pass
   of late swing is excluded. FS = its start, TO = its end, sub-frame times by linear
   interpolation of the ``eps`` crossing.
   **Lift-off rule (TO).** A foot leaves the ground in a burst: its last point accelerates
   upward to a peak speed (synthetic runner 600-1500 px/s, RBDS001 metatarsal heads
   ~550-800 px/s at 500 px/m). When that point crossed ``eps`` rising at less than
   ``LIFT_SPEED_SHARE`` = 1/3 of the peak upward speed of the burst (largest in
   [crossing - 0.1 T, crossing + 0.3 T]), the crossing was a slow drift of the tracked
   point, not the lift-off, and TO is the first later instant at which it rises that fast
   (sub-frame). Cause: the far foot through MediaPipe, whose foot_index creeps up ~8 px
   (4 cm) at ~100 px/s (0.15 of the burst's peak) during the ~80 ms of heel rise while the
   toe is still down, as the near swing foot passes above it (far TO was -70 ms, now -2 to
   +1 ms with the full model, -12 ms heavy). Real lift-offs cross ``eps`` inside the burst
   (RBDS001: medians 0.53-0.68 of the peak; exact synthetic landmarks 0.42-0.54), so the
   rule leaves them alone (RBDS001 at 150 Hz and with 2 px noise unchanged; shares
   0.25-0.45 gave the same there). When the clip ends less than 0.3 T after the crossing,
   the burst cannot be checked and TO is NaN (noted): a drifting far toe at the clip end
   gave a toe-off 89 ms early and a hip extension at toe-off 20 deg off.
6. **Fallback** when no contact is found in a window (foot lost, no ground estimate): FS =
   Zeni maximum + 27 ms, TO = peak knee extension in [FS + 0.1 T, FS + 0.6 T]
   (Fellin et al. 2010: 5 ms error against force plates in running); ``method='zeni'``.
7. **Sanity.** Contacts must last 0.08-0.65 of the stride (loose on purpose: sprint duty
   factor is ~0.19 and slow jogging ~0.42, science.md 2.1-2.2; the 0.15-0.45 rule of 1.5
   would reject elite sprinting); failing contacts are kept with ``valid=False`` and a note.
   Consecutive contacts of the same side, or overlapping L/R contacts (no flight), are noted.

Optional constant offsets (``strike_offset_s``, ``off_offset_s``, as pyCGM2's
``footStrikeOffset``/``footOffOffset``) are added to every event; default 0 because the
measured biases on RBDS001 are below one 150 Hz frame (see the validation test).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mechanics.gait import signals as sig
from mechanics.kinematics import knee_flexion_from_points, leg_length_px
from mechanics.sequence import PoseSequence
from mechanics.view import event_confidence, facing_direction

SIDES = ("left", "right")
#: Zeni foot-strike bias measured on RBDS001 2.5 m/s (max anterior heel precedes FS), s
ZENI_STRIKE_DELAY_S = 0.027
MIN_DUTY, MAX_DUTY = 0.08, 0.65
#: eps is at least this many SDs of the landmark jitter left after the low-pass
NOISE_FACTOR = 3.0
#: a contact may start at most this share of the stride before the Zeni maximum
EARLY_START = 0.05
#: contact runs separated by at most this many frames are one contact (jitter dropouts)
MERGE_GAP_FRAMES = 1
#: contact runs of one foot less than this share of the stride apart are one stance (the
#: shortest swing is 1 - MAX_DUTY = 0.35 of the stride; 0.15 T = 105 ms at 170 spm)
BRIDGE = 0.15
#: a toe-off is a rise at at least this share of the foot point's peak lift-off speed
LIFT_SPEED_SHARE = 1 / 3
#: half-window of the Hampel outlier filter applied before the low-pass, s (removes jumps
#: of up to 50 ms: 3 frames at 60 fps, 6 at 120 fps)
HAMPEL_S = 0.05


@dataclass
class Contact:
    """One ground contact of one foot.

    Attributes
    ----------
    side : 'left' or 'right'.
    strike_s : foot-strike time, s (sub-frame). off_s : toe-off time, s (NaN if the clip
        ends first).
    method : 'contact' (ground geometry, the normal case) or 'zeni' (fallback).
    valid : False when a sanity rule failed (see ``note``).
    """

    side: str
    strike_s: float
    off_s: float
    method: str = "contact"
    valid: bool = True
    note: str = ""

    @property
    def contact_s(self) -> float:
        """Ground contact time t_c = TO - FS, s."""
        return self.off_s - self.strike_s


@dataclass
class Events:
    """Gait events of a clip.

    Attributes
    ----------
    contacts : all contacts of both feet, sorted by foot-strike time.
    direction : +1 runner faces image right, -1 image left.
    stride_estimate_s : stride period from the autocorrelation, s.
    fps : frame rate of the sequence, Hz.
    confidence : 'ok' or 'low' (:func:`mechanics.view.event_confidence`).
    params : detector settings and estimates (eps_px, leg_px, cutoff_hz, ...).
    notes : sanity findings (missed contacts, overlaps).
    """

    contacts: list[Contact]
    direction: int
    stride_estimate_s: float
    fps: float
    confidence: str
    params: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def side(self, side: str, valid_only: bool = True) -> list[Contact]:
        """Contacts of one side, in time order."""
        return [c for c in self.contacts if c.side == side and (c.valid or not valid_only)]

    def strikes(self, side: str, valid_only: bool = True) -> np.ndarray:
        """Foot-strike times (s) of one side."""
        return np.array([c.strike_s for c in self.side(side, valid_only)])

    def offs(self, side: str, valid_only: bool = True) -> np.ndarray:
        """Toe-off times (s) of one side."""
        return np.array([c.off_s for c in self.side(side, valid_only)])


def event_tracks(seq: PoseSequence, cutoff: float) -> dict[str, np.ndarray]:
    """Low-passed (T, 2) pixel tracks keyed by landmark name, plus 'mid_hip'."""
    names = [f"{s}_{p}" for s in SIDES for p in ("hip", "knee", "ankle", "heel", "foot_index")]
    fps = seq.fps
    half = int(round(HAMPEL_S * fps))
    out = {n: sig.lowpass_xy(np.column_stack([sig.hampel(c, half) for c in seq.xy(n).T]),
                             fps, cutoff) for n in names}
    out["mid_hip"] = (out["left_hip"] + out["right_hip"]) / 2
    for n in ("left_hip", "right_hip"):            # one hip visible: use it as mid-hip
        gap = ~np.isfinite(out["mid_hip"][:, 0])
        out["mid_hip"][gap] = out[n][gap]
    return out


def _direction(seq: PoseSequence, tr: dict[str, np.ndarray]) -> int:
    """+1 / -1 facing/travel sign in the image (see module docstring, step 2)."""
    d, conf = facing_direction(seq)
    if d != 0 and conf >= 0.5:
        return d
    skews = []
    for s in SIDES:
        v = np.diff(tr[f"{s}_heel"][:, 0] - tr["mid_hip"][:, 0])
        v = v[np.isfinite(v)]
        if v.size > 10 and np.std(v) > 0:
            skews.append(np.mean(((v - v.mean()) / v.std()) ** 3))
    if skews and abs(np.mean(skews)) > 0.1:
        return 1 if np.mean(skews) > 0 else -1
    return d if d != 0 else 1


def _jitter_px(seq: PoseSequence) -> float:
    """Raw landmark jitter (px, SD) of the feet, from second differences on the ground.

    Where a foot rests (the 30 % of frames with the largest y) its true path is nearly flat,
    so the second difference is noise: SD(diff2) = sqrt(6) sigma for white noise; robust
    (median absolute value) over both feet and both points.
    """
    vals = []
    for s in SIDES:
        for p in ("heel", "foot_index"):
            y = seq.xy(f"{s}_{p}")[:, 1]
            if np.isfinite(y).sum() < 10:
                continue
            d2 = y[:-2] - 2 * y[1:-1] + y[2:]
            low = y[1:-1] >= np.nanpercentile(y, 70)
            vals.append(d2[low & np.isfinite(d2)])
    v = np.concatenate(vals) if vals else np.zeros(0)
    return float(1.4826 * np.median(np.abs(v)) / math.sqrt(6)) if v.size else 0.0


def _ground(xy: np.ndarray, windows: np.ndarray, leg_px: float) -> np.ndarray:
    """(T,) ground level (image y) under one foot point (module docstring, step 4)."""
    x, y = xy[:, 0], xy[:, 1]
    lows = []
    for a, b in zip(windows[:-1], windows[1:], strict=True):
        seg = y[a:b]
        ok = np.isfinite(seg)
        if ok.sum() >= 5:
            k = a + int(np.nanargmax(seg))
            lows.append((x[k], y[k]))
    if not lows:
        level = np.nanpercentile(y, 97) if np.isfinite(y).any() else math.nan
        return np.full(y.shape, level)
    px, py = np.array(lows).T
    spread = np.ptp(px) if px.size else 0.0
    if px.size >= 3 and np.isfinite(leg_px) and spread > 2 * leg_px:
        slope, icpt = np.polyfit(px, py, 1)
        resid = py - (icpt + slope * px)
        keep = np.abs(resid) <= 3 * 1.4826 * np.median(np.abs(resid)) + 1e-9
        slope, icpt = np.polyfit(px[keep], py[keep], 1)
        slope = float(np.clip(slope, -0.1, 0.1))
        icpt = float(np.median(py - slope * px))
        return icpt + slope * x
    return np.full(y.shape, float(np.median(py)))


def _point_clearances(tr: dict[str, np.ndarray], side: str, windows: np.ndarray,
                      leg_px: float) -> np.ndarray:
    """(T, 2) heights (px) of heel and foot_index above their own grounds (NaN if lost)."""
    return np.column_stack([_ground(tr[f"{side}_{p}"], windows, leg_px) - tr[f"{side}_{p}"][:, 1]
                            for p in ("heel", "foot_index")])


def _lift_off(t: np.ndarray, h: np.ndarray, a: int, b: int, period: float) -> float:
    """Toe-off of the contact run ``[a, b)`` from the lift-off burst (module docstring, 5.).

    ``h`` is the clearance (px, up +) of the foot point that ended the run. When that point
    crossed ``eps`` rising at less than ``LIFT_SPEED_SHARE`` of the peak upward speed of its
    lift-off (the largest in ``[b - 0.1 T, b + 0.3 T]``), the crossing was a slow drift of
    the tracked point and the toe-off is the first later instant at which it rises that fast
    (sub-frame). NaN: keep the eps crossing.
    """
    fps = 1.0 / float(np.median(np.diff(t)))
    u = np.gradient(h) * fps
    lo, hi = max(a + 1, b - int(0.1 * period)), min(t.size - 1, b + int(0.3 * period))
    if hi - lo < 3 or not np.isfinite(u[lo:hi]).any():
        return math.nan
    k = lo + int(np.nanargmax(u[lo:hi]))
    thr = LIFT_SPEED_SHARE * u[k]
    if not thr > 0 or k <= b or not u[b] < thr:
        return math.nan
    m = b + 1
    while m < k and not u[m] >= thr:
        m += 1
    return sig.crossing_time(t, u, m - 1, thr)


def _run_from(contact_runs: list[tuple[int, int]], z: int, period: float
              ) -> tuple[int, int] | None:
    """The stance run ``[a, b)`` of the window opened at the Zeni maximum ``z`` (frames).

    Runs starting after ``z - 0.05 T``, or after ``z - 0.1 T`` and still going at ``z``, are
    grouped when less than ``BRIDGE x T`` apart (a
    stance broken by a tracking dropout); groups starting before ``z + 0.6 T`` are the
    candidates and the one with the most contact frames wins (a brief noise dip of the
    late-swing toe is shorter than the stance). None when there is no candidate, it is
    shorter than half the minimum duty factor, or the clip starts with it.
    """
    groups: list[list[tuple[int, int]]] = []
    for a, b in contact_runs:
        early = a < z - EARLY_START * period
        if early and (a < z - 2 * EARLY_START * period or b <= z):
            continue
        if (groups and a - groups[-1][-1][1] <= BRIDGE * period
                and b - groups[-1][0][0] <= MAX_DUTY * period):
            groups[-1].append((a, b))
        elif a <= z + 0.6 * period:
            groups.append([(a, b)])
        else:
            break
    if not groups:
        return None
    best = max(groups, key=lambda g: sum(b - a for a, b in g))
    a, b = best[0][0], best[-1][1]
    if a == 0 or sum(e - s for s, e in best) < 0.5 * MIN_DUTY * period:
        return None
    return a, b


def _zeni_fallback(t: np.ndarray, z: int, knee: np.ndarray, period: float,
                   side: str) -> Contact:
    """FS from the Zeni maximum plus its typical delay; TO at peak knee extension."""
    fs = float(t[z]) + ZENI_STRIKE_DELAY_S
    k0 = int(np.searchsorted(t, fs)) + int(0.1 * period)
    k1 = min(knee.size, k0 + int(0.5 * period))
    seg = knee[k0:k1]
    to = float(t[k0 + int(np.nanargmin(seg))]) if np.isfinite(seg).any() else math.nan
    return Contact(side, fs, to, method="zeni", note="no ground contact found in window")


def _merge(contact_runs: list[tuple[int, int]], max_gap: int) -> list[tuple[int, int]]:
    """Join runs ``[a, b)`` separated by at most ``max_gap`` frames."""
    out: list[tuple[int, int]] = []
    for a, b in contact_runs:
        if out and a - out[-1][1] <= max_gap:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _contact(t: np.ndarray, clear: np.ndarray, eps: float, a: int, b: int,
             side: str, points: np.ndarray | None = None, period: float = math.nan) -> Contact:
    """Contact of the run ``[a, b)``: sub-frame eps crossings, or the run's edge frames when
    the foot was not tracked just outside it (noted)."""
    notes = []
    fs = sig.crossing_time(t, clear, a - 1, eps)
    if not np.isfinite(clear[a - 1]):
        fs = float(t[a])
        notes.append("foot not tracked before the strike")
    to = math.nan
    if b < t.size:
        to = sig.crossing_time(t, clear, b - 1, eps)
        if not np.isfinite(clear[b]):
            to = float(t[b - 1])
            notes.append("foot not tracked after the toe-off")
        elif points is not None and b + int(0.3 * period) > t.size - 1:
            to = math.nan
            notes.append("toe-off unconfirmed: the clip ends before the lift-off burst")
        elif points is not None:
            p = int(np.nanargmin(points[b - 1])) if np.isfinite(points[b - 1]).any() else 1
            lift = _lift_off(t, points[:, p], a, b, period)
            if np.isfinite(lift) and lift > to:
                to = lift
    return Contact(side, fs, to, note="; ".join(notes))


def _side_contacts(t: np.ndarray, clear: np.ndarray, eps: float, zeni: np.ndarray,
                   period: float, knee: np.ndarray, side: str,
                   points: np.ndarray | None = None) -> list[Contact]:
    """Contacts of one foot from its ground clearance and its Zeni windows (frames)."""
    contact_runs = _merge(sig.runs(np.nan_to_num(clear, nan=np.inf) < eps), MERGE_GAP_FRAMES)
    out: list[Contact] = []
    seen: set[int] = set()
    for z in zeni:
        run = _run_from(contact_runs, int(z), period)
        if run is None:
            if z + 0.6 * period < t.size:
                out.append(_zeni_fallback(t, int(z), knee, period, side))
            continue
        a, b = run
        if a in seen:
            continue
        seen.add(a)
        out.append(_contact(t, clear, eps, a, b, side, points, period))
    return out


def _sanity(contacts: list[Contact], stride_s: float) -> list[str]:
    """Flag implausible contacts in place; return notes on the L/R sequence."""
    notes = []
    for c in contacts:
        if np.isfinite(c.off_s) and np.isfinite(stride_s):
            duty = c.contact_s / stride_s
            if not MIN_DUTY <= duty <= MAX_DUTY:
                c.valid = False
                c.note = (c.note + "; " if c.note else "") + f"contact {duty:.2f} of stride"
    valid = [c for c in contacts if c.valid]
    for a, b in zip(valid[:-1], valid[1:], strict=True):
        if a.side == b.side:
            notes.append(f"{a.side} contacts at {a.strike_s:.3f} s and {b.strike_s:.3f} s "
                         "without a contralateral contact between them")
    overlaps = [b.strike_s for a, b in zip(contacts[:-1], contacts[1:], strict=True)
                if a.side != b.side and np.isfinite(a.off_s) and b.strike_s < a.off_s]
    if overlaps:
        notes.append(f"{len(overlaps)} contacts overlap the other foot's contact, first at "
                     f"{overlaps[0]:.3f} s (no flight: walking, or not running)")
    return notes


def _foot_px(tr: dict[str, np.ndarray]) -> float:
    """Median heel-to-foot_index distance (px) over both feet."""
    d = np.concatenate([np.linalg.norm(tr[f"{s}_heel"] - tr[f"{s}_foot_index"], axis=1)
                        for s in SIDES])
    return float(np.nanmedian(d)) if np.isfinite(d).any() else math.nan


def _tolerance(seq: PoseSequence, tr: dict[str, np.ndarray], contact_tol: float,
               cutoff: float) -> tuple[float, dict[str, float]]:
    """Contact tolerance eps (px) and the quantities it was derived from."""
    leg = leg_length_px(tr)
    jitter = _jitter_px(seq)
    # white noise left after the low-pass: share 2 fc / fps of its variance
    left = jitter * math.sqrt(min(1.0, 2.0 * cutoff / seq.fps))
    size = leg if np.isfinite(leg) else 3.3 * _foot_px(tr)   # foot ~ 0.3 leg length
    eps = max(contact_tol * size if np.isfinite(size) else 0.0, NOISE_FACTOR * left)
    return eps, {"leg_px": leg, "jitter_px": jitter, "eps_px": eps}


def detect_events(seq: PoseSequence, *, sprint: bool = False, cutoff_hz: float | None = None,
                  contact_tol: float = 0.025, strike_offset_s: float = 0.0,
                  off_offset_s: float = 0.0) -> Events:
    """Foot strikes and toe-offs of both feet from a side-view sequence (module docstring).

    Parameters
    ----------
    seq : side-view landmarks in image pixels (NaN = missing).
    sprint : sprinting (higher event cut-off, 120 fps needed for 'ok' confidence).
    cutoff_hz : low-pass cut-off of the event copy, Hz (default :func:`signals.event_cutoff`).
    contact_tol : contact tolerance as a share of the leg length (default 0.025).
    strike_offset_s, off_offset_s : constant offsets added to every FS / TO, s.

    Returns
    -------
    Events
        Contacts of both feet sorted by FS; empty (with a note) when no stride rhythm exists.
    """
    fps = seq.fps
    cutoff = cutoff_hz or sig.event_cutoff(fps, sprint)
    tr = event_tracks(seq, cutoff)
    d = _direction(seq, tr)
    rel = {s: d * (tr[f"{s}_heel"][:, 0] - tr["mid_hip"][:, 0]) for s in SIDES}
    period_s = sig.stride_period(list(rel.values()), fps)
    eps, params = _tolerance(seq, tr, contact_tol, cutoff)
    params.update(cutoff_hz=cutoff, contact_tol=contact_tol, strike_offset_s=strike_offset_s,
                  off_offset_s=off_offset_s)
    events = Events([], d, period_s, fps, event_confidence(fps, sprint), params)
    if not np.isfinite(period_s) or not eps > 0:
        events.notes.append("no stride rhythm or no foot landmarks: no events")
        return events
    period = period_s * fps
    for s in SIDES:
        zeni = sig.peak_indices(rel[s], int(0.6 * period))
        points = _point_clearances(tr, s, zeni, params["leg_px"])
        clear = np.fmin(points[:, 0], points[:, 1])
        knee = knee_flexion_from_points(tr[f"{s}_hip"], tr[f"{s}_knee"], tr[f"{s}_ankle"], d)
        events.contacts += _side_contacts(seq.time, clear, eps, zeni, period, knee, s, points)
    for c in events.contacts:
        c.strike_s += strike_offset_s
        c.off_s += off_offset_s
    events.contacts.sort(key=lambda c: c.strike_s)
    events.notes += _sanity(events.contacts, period_s)
    seq.log("gait_events", n_contacts=len(events.contacts), direction=d,
            stride_estimate_s=round(period_s, 4), confidence=events.confidence,
            **{k: round(float(v), 4) for k, v in params.items()})
    return events
