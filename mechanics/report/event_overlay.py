"""Overlay video of an analysis: the clip with the cleaned skeleton, gait events flashed
(foot strike / toe-off of each foot) and a live readout of the key angles.

Everything drawn comes from the :class:`~mechanics.analysis.Analysis`: landmarks of the
cleaned track, the valid contacts' event times and the angle series (read at each frame's
row). The clip is decoded once more; frames are encoded on a background thread
(:class:`mechanics.report.overlay.OverlayWriter`) and the file is written atomically.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from mechanics.analysis import Analysis
from mechanics.errors import MechanicsError
from mechanics.pose.skeleton import INDEX
from mechanics.report.overlay import SIDE_BGR, OverlayWriter
from mechanics.report.page_keyframes import video_path

#: how long an event stays marked after it happened, s
FLASH_S = 0.12
EVENT_WORDS = {"strike": "FOOT STRIKE", "off": "TOE-OFF"}
#: readout lines: label, series per side (or one series)
READOUT = (("knee", "{side}_knee_flexion"), ("hip", "{side}_hip_flexion"),
           ("ankle", "{side}_ankle_dorsiflexion"))


def event_list(analysis: Analysis) -> list[tuple[float, str, str]]:
    """(time s, side, 'strike' | 'off') of every valid contact's events, in time order."""
    if analysis.gait is None:
        return []
    out = []
    for c in analysis.gait.events.contacts:
        if c.valid:
            out.append((c.strike_s, c.side, "strike"))
            if np.isfinite(c.off_s):
                out.append((c.off_s, c.side, "off"))
    return sorted(out)


def _text(img: np.ndarray, text: str, org: tuple[int, int], scale: float,
          colour: tuple[int, int, int]) -> None:
    thick = max(1, int(round(2 * scale)))
    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), thick + 2,
                cv2.LINE_AA)
    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, colour, thick, cv2.LINE_AA)


def _readout(analysis: Analysis, row: int, t: float, on_ground: dict[str, bool]
             ) -> list[tuple[str, tuple[int, int, int]]]:
    """Lines of the angle readout at one row: (text, BGR colour)."""
    lines = [(f"t {t:6.2f} s", (255, 255, 255))]
    a = analysis.angles
    if a is None:
        return lines
    for side in ("left", "right"):
        vals = [f"{label} {a.series[key.format(side=side)][row]:4.0f}"
                for label, key in READOUT
                if np.isfinite(a.series.get(key.format(side=side), np.array([np.nan]))[row])]
        ground = " [ground]" if on_ground.get(side) else ""
        text = f"{side[0].upper()}: " + "  ".join(vals) + (" deg" if vals else "")
        lines.append((text + ground, SIDE_BGR[side]))
    trunk = a.series.get("trunk_lean")
    if trunk is not None and np.isfinite(trunk[row]):
        lines.append((f"trunk lean {trunk[row]:4.0f} deg", (255, 255, 255)))
    return lines


def _annotator(analysis: Analysis, row: int | None, t: float,
               events: list[tuple[float, str, str]]) -> Callable[[np.ndarray], None]:
    """The drawing of one frame: readout panel, event flashes."""
    seq = analysis.sequence
    flashes = [(side, kind) for te, side, kind in events if 0.0 <= t - te < FLASH_S]
    on_ground = {s: any(c.valid and c.strike_s <= t < c.off_s
                        for c in analysis.gait.events.side(s)) if analysis.gait else False
                 for s in ("left", "right")}
    lines = _readout(analysis, row, t, on_ground) if row is not None else []
    xy = seq.image[row, :, :2] if row is not None else None

    def draw(img: np.ndarray) -> None:
        scale = max(img.shape[:2]) / 1280.0
        h = int(30 * scale)
        if lines:
            width = int(10 * scale + max(len(s) for s, _ in lines) * 15 * scale)
            panel = img[: h * len(lines) + int(10 * scale), : min(width, img.shape[1])]
            panel[:] = (panel * 0.45).astype(img.dtype)
            for i, (s, colour) in enumerate(lines):
                _text(img, s, (int(8 * scale), h * (i + 1)), 0.75 * scale, colour)
        for k, (side, kind) in enumerate(flashes):
            word = f"{side.upper()} {EVENT_WORDS[kind]}"
            y = img.shape[0] - int((20 + 40 * k) * scale)
            _text(img, word, (int(10 * scale), y), 1.1 * scale, SIDE_BGR[side])
            point = f"{side}_heel" if kind == "strike" else f"{side}_foot_index"
            if xy is not None and np.isfinite(xy[INDEX[point]]).all():
                c = tuple(int(v) for v in np.round(xy[INDEX[point]]))
                cv2.circle(img, c, int(22 * scale), SIDE_BGR[side], max(2, int(4 * scale)),
                           cv2.LINE_AA)

    return draw


def write_event_overlay(analysis: Analysis, out_path: str | Path) -> Path:
    """Write the overlay video of ``analysis`` to ``out_path`` (.mp4).

    Raises
    ------
    MechanicsError
        When the analysis has no video (landmark file input without its clip).
    """
    from mechanics.video import iter_frames, probe

    path = video_path(analysis)
    if path is None:
        raise MechanicsError("--overlay needs the video: this input is a landmark file "
                             "whose clip is not available")
    info = probe(path)
    seq = analysis.sequence
    rows = {int(f): i for i, f in enumerate(seq.frame)}
    events = event_list(analysis)
    fps = info.fps  # playback rate of the file: the overlay plays like the clip
    with OverlayWriter(out_path, fps, (info.width, info.height)) as writer:
        for frame in iter_frames(info, check_complete=False):
            row = rows.get(frame.index)
            t = float(seq.time[row]) if row is not None else frame.time_s
            xy = seq.image[row, :, :2].copy() if row is not None else None
            writer.submit(frame.bgr, xy, _annotator(analysis, row, t, events))
    return Path(out_path)
