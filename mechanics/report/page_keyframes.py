"""Page 2, key frames: the runner at foot strike, mid-stance and toe-off of each side,
cropped from the video with the skeleton and the key angles drawn.

Only the needed frames are decoded (the clip is read up to the last one and stopped). One
representative contact per side is shown: the valid contact whose contact time is closest
to that side's median. Angles are read from the analysis' angle series at the event times.
Without a video (landmark file input) the poses are drawn as stick figures and the page
says so.
"""

from __future__ import annotations

import math
from pathlib import Path

import cv2
import numpy as np
from matplotlib.figure import Figure

from mechanics.analysis import Analysis
from mechanics.gait import Contact
from mechanics.pose.skeleton import CONNECTIONS, INDEX, side_of
from mechanics.report import style
from mechanics.report.layout import TextFlow
from mechanics.report.overlay import draw_skeleton

SIDES = ("left", "right")
PHASES = (("foot strike", 0.0), ("mid-stance", 0.5), ("toe-off", 1.0))
#: crop: margin around the landmarks as a share of the runner's height; panel aspect w/h
MARGIN, ASPECT = 0.12, 0.62


def representative_contact(analysis: Analysis, side: str) -> Contact | None:
    """The valid, complete contact of ``side`` closest to the side's median contact time."""
    if analysis.gait is None:
        return None
    cs = [c for c in analysis.gait.events.side(side) if math.isfinite(c.off_s)]
    if not cs:
        return None
    med = float(np.median([c.contact_s for c in cs]))
    return min(cs, key=lambda c: abs(c.contact_s - med))


def key_rows(analysis: Analysis) -> dict[tuple[str, str], tuple[int, float]]:
    """(side, phase) -> (row of the sequence, event time s) for the frames to show."""
    seq, out = analysis.sequence, {}
    for side in SIDES:
        c = representative_contact(analysis, side)
        if c is None:
            continue
        for phase, frac in PHASES:
            t = c.strike_s + frac * (c.off_s - c.strike_s)
            out[(side, phase)] = (int(np.argmin(np.abs(seq.time - t))), t)
    return out


def video_path(analysis: Analysis) -> Path | None:
    """The clip the landmarks came from, when it still exists (video input, or a landmark
    file whose metadata names its clip)."""
    s = analysis.source
    for candidate in (s.get("file") if s.get("input") == "video" else None,
                      analysis.sequence.meta.get("source")):
        if candidate and Path(str(candidate)).suffix.lower() != ".csv" and \
                Path(str(candidate)).is_file():
            return Path(str(candidate))
    return None


def decode_frames(path: Path, indices: set[int]) -> dict[int, np.ndarray]:
    """Decode only up to the last needed frame; frame index -> BGR image."""
    from mechanics.video import iter_frames, probe

    info = probe(path)
    out: dict[int, np.ndarray] = {}
    if not indices:
        return out
    last = max(indices)
    for frame in iter_frames(info, check_complete=False):
        if frame.index in indices:
            out[frame.index] = frame.bgr
        if frame.index >= last:
            break
    return out


def crop_box(xy: np.ndarray, shape: tuple[int, int]) -> tuple[int, int, int, int] | None:
    """(x0, y0, x1, y1) around the finite landmarks with a margin, aspect ASPECT (w/h)."""
    ok = np.isfinite(xy).all(axis=1)
    if ok.sum() < 5:
        return None
    (x0, y0), (x1, y1) = xy[ok].min(axis=0), xy[ok].max(axis=0)
    h = (y1 - y0) * (1 + 2 * MARGIN)
    w = max((x1 - x0) * (1 + 2 * MARGIN), h * ASPECT)
    h = max(h, w / ASPECT)
    H, W = shape
    w, h = min(w, W), min(h, H)
    # move the box inside the frame rather than cutting it, so every panel keeps its shape
    bx0 = int(min(max(0.0, (x0 + x1) / 2 - w / 2), W - w))
    by0 = int(min(max(0.0, (y0 + y1) / 2 - h / 2), H - h))
    bx1, by1 = int(bx0 + w), int(by0 + h)
    return (bx0, by0, bx1, by1) if bx1 - bx0 > 4 and by1 - by0 > 4 else None


def _angles_text(analysis: Analysis, side: str, t: float) -> tuple[str, float]:
    """Caption with the key angles at time t, and the knee flexion (deg)."""
    a = analysis.angles
    if a is None:
        return "", math.nan
    knee = a.at(f"{side}_knee_flexion", t)
    parts = [("knee", knee), ("hip", a.at(f"{side}_hip_flexion", t)),
             ("shank", a.at(f"{side}_shank", t)), ("trunk", a.at("trunk_lean", t))]
    words = [f"{n} {v:.0f}°" for n, v in parts if math.isfinite(v)]
    text = "  ".join(words[:2]) + ("\n" + "  ".join(words[2:]) if len(words) > 2 else "")
    return text, knee


def _stick_figure(ax, xy: np.ndarray) -> None:
    for a, b in CONNECTIONS:
        p, q = xy[INDEX[a]], xy[INDEX[b]]
        if np.isfinite(p).all() and np.isfinite(q).all():
            sa, sb = side_of(a), side_of(b)
            colour = style.SIDE_COLOUR.get(sa, style.GREY) if sa == sb else style.GREY
            ax.plot([p[0], q[0]], [p[1], q[1]], color=colour, lw=2)
    ax.set_aspect("equal")
    ax.invert_yaxis()


def _panel(ax, analysis: Analysis, side: str, phase: str, row: int, t: float,
           frames: dict[int, np.ndarray] | None) -> None:
    seq = analysis.sequence
    xy = seq.image[row, :, :2]
    caption, knee = _angles_text(analysis, side, t)
    ax.set_title(f"{side.capitalize()} {phase}\n{t:.2f} s", fontsize=style.BODY,
                 color=style.SIDE_COLOUR[side])
    frame = None if frames is None else frames.get(int(seq.frame[row]))
    if frame is None:
        _stick_figure(ax, xy)
        ax.set_xticks([])
        ax.set_yticks([])
    else:
        img = draw_skeleton(frame.copy(), xy)
        box = crop_box(xy, img.shape[:2]) or (0, 0, img.shape[1], img.shape[0])
        x0, y0, x1, y1 = box
        ax.imshow(cv2.cvtColor(img[y0:y1, x0:x1], cv2.COLOR_BGR2RGB), aspect="equal",
                  extent=(x0, x1, y1, y0))
        ax.set_axis_off()
    knee_xy = xy[INDEX[f"{side}_knee"]]
    if math.isfinite(knee) and np.isfinite(knee_xy).all():
        ax.annotate(f"{knee:.0f}°", knee_xy, xytext=(8, 0), textcoords="offset points",
                    fontsize=style.SMALL, color="white", fontweight="bold", va="center",
                    bbox={"boxstyle": "round,pad=0.15", "fc": style.SIDE_COLOUR[side],
                          "ec": "none"}, gid="allow-overlap")
    ax.text(0.5, -0.03, caption, transform=ax.transAxes, ha="center", va="top",
            fontsize=style.SMALL)


def page_keyframes(analysis: Analysis) -> Figure:
    """Page 2 (see the module docstring)."""
    fig = style.new_page("Key frames", analysis.source,
                         "Foot strike, mid-stance and toe-off of one typical contact per side.")
    rows = key_rows(analysis)
    path = video_path(analysis)
    frames = None
    if path is not None:
        frames = decode_frames(path, {int(analysis.sequence.frame[r]) for r, _ in
                                      rows.values()})
    flow = TextFlow(fig, style.MARGIN_L, style.MARGIN_R, 0.905)
    if path is None:
        flow.para("No video for this input (a landmark file without its clip): the poses "
                  "are drawn as stick figures from the landmarks, in image pixels.",
                  style.BODY, colour=style.GREY, gid="message")
    flow.para("Angles in degrees (sagittal, 2D): knee flexion (0 = straight, shown at the "
              "knee), hip flexion (+ = thigh ahead of the trunk line), shank (+ = ankle ahead "
              "of the knee), trunk lean (+ = forward).", style.SMALL, colour=style.GREY)
    top, bottom = flow.y - 0.02, 0.07
    h = (top - bottom) / 2
    for i, side in enumerate(SIDES):
        for j, (phase, _) in enumerate(PHASES):
            ax = fig.add_axes((style.MARGIN_L + j * 0.29, top - (i + 1) * h + 0.045,
                               0.26, h - 0.085))
            if (side, phase) not in rows:
                style.message(ax, f"no complete {side}\ncontact detected")
                continue
            row, t = rows[(side, phase)]
            _panel(ax, analysis, side, phase, row, t, frames)
    return fig
