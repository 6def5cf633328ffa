"""Gait events and spatiotemporal parameters from a side-view PoseSequence.

- :func:`detect_events` -> :class:`Events` (foot strike / toe-off per side, science.md 1.5);
- :func:`build_steps` -> list of :class:`Step` (step, contact, flight, swing, stride times);
- :func:`summarize` -> :class:`GaitSummary` (cadence, duty factor, step length, speed,
  vertical oscillation, science.md 1.6);
- :func:`analyze_gait` runs the three -> :class:`GaitResult`.
"""

from mechanics.gait.events import Contact, Events, detect_events
from mechanics.gait.spatiotemporal import (
    GaitResult,
    GaitSummary,
    Step,
    analyze_gait,
    body_height_px,
    build_steps,
    summarize,
)

__all__ = ["Contact", "Events", "GaitResult", "GaitSummary", "Step", "analyze_gait",
           "body_height_px", "build_steps", "detect_events", "summarize"]
