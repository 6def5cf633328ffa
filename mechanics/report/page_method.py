"""Page 9, method: the pose model, cleaning (repairs counted), the gait-event method, the
confidence rules and the references, all read from the analysis' provenance, the cleaning
summary and the confidence tables."""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure

from mechanics.analysis import RULES, VIEW_GRADES, Analysis
from mechanics.analysis.confidence import VIEWS
from mechanics.report import style
from mechanics.report.layout import TextFlow

#: provenance keys not worth printing
_SKIP = {"step", "at", "params", "gaps_left", "segments", "root_segments", "per_signal_iqr_hz"}

REFERENCES = (
    "Science brief: ../shared/docs/science.md (definitions, reference values, validity "
    "matrix 0.3, metric set 10).",
    "Bazarevsky V et al. (2020) BlazePose: on-device real-time body pose tracking. "
    "arXiv:2006.10204.",
    "Fukuchi RK, Fukuchi CA, Duarte M (2017) A public dataset of running biomechanics. "
    "PeerJ 5:e3298 (RBDS).",
    "Winter DA (2009) Biomechanics and Motor Control of Human Movement, 4th ed. (filtering).",
    "Zifchock RA et al. (2008) The symmetry angle. Gait Posture 27:622-627.",
)


def _value_text(v: Any) -> str:
    """A provenance value in a few words: numbers, short strings and small mappings only."""
    if isinstance(v, bool) or v is None:
        return str(v)
    if isinstance(v, float):
        return f"{v:.4g}"
    if isinstance(v, int | str):
        return str(v) if len(str(v)) <= 90 else ""
    if isinstance(v, dict) and 0 < len(v) <= 4 and all(
            isinstance(x, int | float) for x in v.values()):
        return "(" + ", ".join(f"{k} {_value_text(x)}" for k, x in v.items()) + ")"
    return ""


def provenance_lines(provenance: list[dict[str, Any]]) -> list[str]:
    """One line per processing step: its name and its facts (scalars and short lists)."""
    lines = []
    for p in provenance:
        facts = [f"{k.replace('_', ' ')} {_value_text(v)}" for k, v in p.items()
                 if k not in _SKIP and _value_text(v)]
        lines.append(f"{p.get('step', '?')}: " + "; ".join(facts))
    return lines


def _event_methods(steps: list[dict[str, Any]]) -> str:
    counts: dict[str, int] = {}
    for r in steps:
        m = r.get("event_method") or "unknown"
        counts[m] = counts.get(m, 0) + 1
    if not counts:
        return "no steps detected"
    return ", ".join(f"{n} steps by '{m}'" for m, n in counts.items())


def _confidence_paragraphs() -> list[str]:
    grades = [f"{fam}: " + ", ".join(f"{v} {g or 'not measurable'}"
                                     for v, g in zip(VIEWS, row, strict=True))
              for fam, row in VIEW_GRADES.items()]
    by_effect: dict[str, list[str]] = {}
    for r in RULES:
        effect = "not measurable" if r.effect == "not_measurable" else f"cap at {r.effect}"
        if r.name not in by_effect.setdefault(effect, []):
            by_effect[effect].append(r.name)
    rules = "; ".join(f"{effect}: {', '.join(names)}" for effect, names in by_effect.items())
    return [
        "A grade starts from the metric family and the camera view (science.md 0.3, 10):",
        *grades,
        f"Then the rules apply in order ({rules}); the first 'not measurable' ends the "
        "grading with its reason, a cap lowers the grade and adds its reason. Details and "
        "thresholds: docs/metrics.md (Confidence rules).",
    ]


def _sections(analysis: Analysis) -> list[tuple[str, list[str]]]:
    s, meta = analysis.source, analysis.sequence.meta
    cleaning = meta.get("cleaning", {})
    refs = sorted({r.strip() for m in analysis.metrics.values()
                   for r in m.reference.split(";")
                   if r.strip() and not r.strip().startswith("science.md")})
    track = next((p for p in analysis.provenance if p.get("step") == "track"), {})
    model = track.get("model") or f"pose model '{s.get('model') or 'unknown'}'"
    events_on = next((p.get("events_on") for p in analysis.provenance
                      if p.get("step") == "analyze"), "")
    return [
        ("Pose model", [f"{model}; {s.get('frames')} frames"
                        + (f", {track['frames_with_runner']} with the runner"
                           if "frames_with_runner" in track else "") + "."]),
        ("Cleaning (repairs counted)", [cleaning.get("summary") or s.get("cleaning")
                                        or "not cleaned by mechanics."]),
        ("Gait events", [
            "Foot strike and toe-off from the ground contact of the foot landmarks (Zeni "
            "windows refined by ground contact, sub-frame timing; science.md 1.5); "
            f"{events_on}.",
            f"{s.get('n_contacts')} contacts, {s.get('n_steps')} steps, {s.get('n_strides')} "
            f"strides; {_event_methods(analysis.steps)}."]),
        ("Processing log (provenance)", provenance_lines(analysis.provenance)),
        ("Confidence rules", _confidence_paragraphs()),
        ("References", [*REFERENCES, "Cited with the metrics (full entries in science.md "
                        "11): " + "; ".join(refs) + "."]),
    ]


def page_method(analysis: Analysis) -> list[Figure]:
    """Page 9 and, if the text is long, its continuation pages."""
    pages = [style.new_page("Method", analysis.source,
                            "How the numbers were made, and how far to trust them.")]
    flow = TextFlow(pages[0], style.MARGIN_L, style.MARGIN_R, 0.905)
    for title, paras in _sections(analysis):
        for i, text in enumerate([None, *paras]):
            size = style.BODY + 1 if text is None else style.SMALL
            body = title if text is None else text
            if not flow.fits(body, size) or (text is None and not flow.fits(
                    body + "\n" + paras[0], size)):
                pages.append(style.new_page("Method (continued)", analysis.source))
                flow = TextFlow(pages[-1], style.MARGIN_L, style.MARGIN_R, 0.905)
            if text is None:
                flow.para(body, size, weight="bold", after=0.2)
            else:
                flow.para(body, size, indent=0.015, after=0.25 if i < len(paras) else 0.8)
    return pages
