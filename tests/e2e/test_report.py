"""The PDF report, the event overlay, ``mechanics compare`` and ``mechanics demo``.

Fast tests run the report on exact synthetic landmarks (the renderer's truth, no pose
model); tests marked ``slow`` run the real pose model on video: the real treadmill clip
(skipped without ../shared/data), a synthetic front view, the demo. The text of a page is
checked on what the report drew (:class:`mechanics.report.pdf.PageInfo`, pure Python) and,
when poppler's ``pdftotext`` is installed, on the PDF itself.
"""

from __future__ import annotations

import copy
import json
import math
import re
import shutil
import subprocess
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from mechanics.analysis import Analysis, analyze_sequence
from mechanics.report import style
from mechanics.report.compare import compare_rows, load
from mechanics.report.export import write_analysis
from mechanics.report.pdf import PAGES, ReportInfo, write_report
from mechanics.sequence import PoseSequence
from mechanics.synth import read_truth, render_clip, truth_path
from tests.e2e.cli import run

slow = pytest.mark.slow
TITLES = [title for title, _ in PAGES]
NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


# ---------------------------------------------------------------- helpers
def page_count(pdf: Path) -> int:
    """Pages of a PDF written by matplotlib (its page objects are not compressed)."""
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf.read_bytes()))


def pdftotext(pdf: Path, first: int | None = None, last: int | None = None) -> str | None:
    """The PDF's text with poppler's pdftotext; without it, with pypdf (a test dependency,
    pure Python, so a fresh machine checks the text too); None when neither is there."""
    exe = shutil.which("pdftotext")
    if exe is None:
        return _pypdf_text(pdf, first, last)
    args = [exe, "-layout"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def _pypdf_text(pdf: Path, first: int | None, last: int | None) -> str | None:
    try:
        from pypdf import PdfReader
    except ImportError:
        return None
    pages = PdfReader(str(pdf)).pages
    lo = (first or 1) - 1
    hi = (last or first or len(pages))
    return "\n".join(page.extract_text(extraction_mode="layout") for page in pages[lo:hi])


def truth_sequence(clip: Path, with_source: bool = False) -> PoseSequence:
    """The renderer's exact image landmarks of a synthetic clip as a landmark track."""
    truth = read_truth(truth_path(clip))
    img = np.asarray(truth["frames"]["image"], dtype=float).copy()
    img[:, :, 2] = np.nan  # the truth's depth is in metres, not MediaPipe's pixel scale
    meta = {"source": str(clip)} if with_source else {}
    return PoseSequence(time=truth["frames"]["time_s"], image=img,
                        visibility=np.isfinite(img[:, :, 0]).astype(float), meta=meta)


def small_clip(folder: Path, **params) -> Path:
    return render_clip(folder / "clip.mp4", width=640, height=360, **params)


@pytest.fixture(scope="module")
def side_csv(make_once) -> Path:
    """Exact landmarks of a 4 s side-view runner (60 fps, asymmetry 0.1) as a landmark CSV
    without its clip (the key-frames page must say so)."""
    def build(folder: Path) -> None:
        clip = small_clip(folder, seconds=4, fps=60, asymmetry=0.1)
        truth_sequence(clip).to_csv(folder / "landmarks.csv")

    return make_once("report_side_csv", build) / "landmarks.csv"


@pytest.fixture(scope="module")
def side_analysis(make_once) -> Analysis:
    """Analysis of the exact landmarks, with the clip (key frames from the video)."""
    folder = make_once("report_side_clip", lambda d: small_clip(d, seconds=4, fps=60,
                                                                asymmetry=0.1))
    return analyze_sequence(truth_sequence(folder / "clip.mp4", with_source=True),
                            treadmill_speed_m_s=3.5, mass_kg=70.0)


def written(analysis: Analysis, folder: Path) -> tuple[ReportInfo, dict]:
    """metrics.json and report.pdf of one analysis, as analyze writes them."""
    folder.mkdir(parents=True, exist_ok=True)
    write_analysis(analysis, folder)
    info = write_report(analysis, folder / "report.pdf", check_layout=True)
    doc = json.loads((folder / "metrics.json").read_text())
    return info, doc


# ---------------------------------------------------------------- fast: exact landmarks
def test_every_number_printed_equals_metrics_json(side_analysis, tmp_path):
    info, doc = written(side_analysis, tmp_path)
    assert not info.errors
    checked = 0
    for page in info.pages:
        for gid, text in page.texts:
            if not (gid or "").startswith("metric:"):
                continue
            _, name, attr = gid.split(":")
            m = doc["metrics"][name]
            want = style.fmt(m[attr], m["unit"])
            got = NUMBER.search(text.split(" ", 1)[-1] if text[:2] in ("L ", "R ") else text)
            assert (got.group() if got else "-") == want, (page.title, gid, text)
            checked += 1
    assert checked > 40
    summary = info.pages[0]
    values = [t for g, t in summary.texts if (g or "").startswith("metric:")
              and g.endswith(":value")]
    assert 5 <= len(values) <= 8
    # every other text with digits on the summary comes from metrics.json or science.md
    allowed = ("metric:", "source:", "ref:", "plain:", "obs", "note", "message", "title",
               "header", "footer", "page")
    for gid, text in summary.texts:
        if NUMBER.search(text):
            assert (gid or "").startswith(allowed), (gid, text)
    text = pdftotext(tmp_path / "report.pdf", 1)
    if text is not None:
        for v in values:
            assert v in text


def test_report_pages_are_clean_and_complete(side_analysis, tmp_path):
    info, _ = written(side_analysis, tmp_path)
    titles = [p.title for p in info.pages]
    assert [t for i, t in enumerate(titles) if i == 0 or t != titles[i - 1]] == TITLES
    assert page_count(info.path) == len(info.pages) >= len(TITLES)
    for page in info.pages:
        assert page.problems == [], page.title
    kinematics = next(p for p in info.pages if p.title == "Sagittal kinematics")
    assert "gait cycle (% of the stride)" in kinematics.text
    keyframes = next(p for p in info.pages if p.title == "Key frames")
    assert "No video" not in keyframes.text and "Left foot strike" in keyframes.text


def test_landmark_file_without_video(side_csv, tmp_path):
    proc = run("analyze", side_csv, "--out", tmp_path, "--treadmill-speed", "3.5")
    assert proc.returncode == 0, proc.stderr
    pdf = tmp_path / "report.pdf"
    assert page_count(pdf) >= len(TITLES)
    text = pdftotext(pdf, 2)
    if text is not None:
        assert "No video for this input" in text
    proc = run("analyze", side_csv, "--out", tmp_path / "o", "--overlay")
    assert proc.returncode == 1 and "--overlay needs the video" in proc.stderr
    proc = run("analyze", side_csv, "--out", tmp_path / "n", "--no-pdf")
    assert proc.returncode == 0 and not (tmp_path / "n" / "report.pdf").exists()


def test_short_clip_says_what_could_not_be_measured(tmp_path):
    clip = small_clip(tmp_path, seconds=0.8, fps=60)
    seq = truth_sequence(clip)
    seq.to_csv(tmp_path / "short.csv")
    proc = run("analyze", tmp_path / "short.csv", "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert page_count(tmp_path / "out" / "report.pdf") >= len(TITLES)
    info, _ = written(analyze_sequence(seq), tmp_path / "py")
    summary = info.pages[0].text
    assert "Too short to measure most numbers" in summary
    assert "not measurable" in summary and "fewer than 2 strides" in summary
    assert all(p.problems == [] for p in info.pages)


def test_a_failing_page_still_gives_a_report(side_analysis, tmp_path, monkeypatch):
    import mechanics.report.pdf as pdf

    def broken(analysis):
        raise RuntimeError("boom")

    monkeypatch.setattr(pdf, "PAGES", (*pdf.PAGES[:2], ("Gait timing", broken),
                                       *pdf.PAGES[3:]))
    info = write_report(side_analysis, tmp_path / "r.pdf")
    assert info.errors == ["Gait timing: RuntimeError: boom"]
    assert "could not be drawn" in info.pages[2].text
    assert page_count(info.path) == len(info.pages)


def test_report_without_the_extended_blocks(side_analysis, tmp_path):
    older = copy.copy(side_analysis)
    older.symmetry, older.results = {}, {}
    info = write_report(older, tmp_path / "r.pdf", check_layout=True)
    assert not info.errors and all(p.problems == [] for p in info.pages)
    assert "Symmetry angles and flags: not in this analysis" in \
        next(p for p in info.pages if p.title == "Symmetry").text


def test_compare_highlights_only_differences_beyond_the_error(tmp_path):
    for name, cadence in (("a", 165.0), ("b", 185.0)):
        clip = small_clip(tmp_path / name, seconds=4, fps=60, cadence=cadence)
        write_analysis(analyze_sequence(truth_sequence(clip), treadmill_speed_m_s=3.5),
                       tmp_path / name)
    proc = run("compare", tmp_path / "a", tmp_path / "b" / "metrics.json", "--out",
               tmp_path / "c.pdf")
    assert proc.returncode == 0, proc.stderr
    assert page_count(tmp_path / "c.pdf") >= 1 and "Cadence" in proc.stdout
    rows = {(r.name, r.attr): r for r in compare_rows(load(tmp_path / "a"),
                                                      load(tmp_path / "b"))}
    cad = rows[("cadence_spm", "value")]
    assert cad.highlighted and math.isclose(cad.difference, 20.0, abs_tol=2.0)
    assert not rows[("trunk_lean_deg", "value")].highlighted
    bad = run("compare", tmp_path / "a", tmp_path / "nowhere", "--out", tmp_path / "x.pdf")
    assert bad.returncode == 1 and "no metrics.json" in bad.stderr


# ---------------------------------------------------------------- slow: real pose model
@pytest.fixture(scope="module")
def treadmill(shared_data, tmp_path_factory) -> Path:
    clip = shared_data / "videos" / "treadmill_side_male_part1.mp4"
    if not clip.is_file():
        pytest.skip(f"{clip} not found")
    out = tmp_path_factory.mktemp("treadmill_report")
    proc = run("analyze", clip, "--out", out, "--overlay")
    assert proc.returncode == 0, proc.stderr
    return out


@slow
def test_treadmill_report(treadmill):
    pdf = treadmill / "report.pdf"
    assert page_count(pdf) >= len(TITLES)
    text = pdftotext(pdf)
    if text is None:
        pytest.skip("pdftotext not installed: page texts are checked by the fast tests")
    for title in TITLES:
        assert title in text
    doc = json.loads((treadmill / "metrics.json").read_text())
    cad = doc["metrics"]["cadence_spm"]
    assert f"{style.fmt(cad['value'], cad['unit'])} steps/min" in pdftotext(pdf, 1)
    assert "No video" not in pdftotext(pdf, 2)


@slow
def test_treadmill_report_layout(treadmill, tmp_path):
    """The real clip's analysis (from its landmarks, frames from its video): no overlap,
    nothing cut, nothing under 8 pt, on every page."""
    seq = PoseSequence.from_csv(treadmill / "landmarks_raw.csv")
    info = write_report(analyze_sequence(seq), tmp_path / "r.pdf", check_layout=True)
    assert not info.errors
    for page in info.pages:
        assert page.problems == [], page.title


@slow
def test_treadmill_overlay(treadmill):
    cap = cv2.VideoCapture(str(treadmill / "overlay.mp4"))
    n = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
    fps = cap.get(cv2.CAP_PROP_FPS)
    cap.release()
    doc = json.loads((treadmill / "metrics.json").read_text())
    assert n == doc["source"]["frames"]
    assert math.isclose(fps, doc["source"]["playback_fps"], rel_tol=0.01)


@slow
def test_synthetic_front_view_report(make_once, tmp_path):
    folder = make_once("report_front", lambda d: render_clip(
        d / "clip.mp4", view="front", seconds=2.5, fps=30, width=960, height=540))
    proc = run("analyze", folder / "clip.mp4", "--out", tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert page_count(tmp_path / "report.pdf") >= len(TITLES)
    doc = json.loads((tmp_path / "metrics.json").read_text())
    assert doc["source"]["view"] == "front"
    text = pdftotext(tmp_path / "report.pdf")
    if text is not None:
        assert "A front view" in text
        assert "Not measurable from a front view" in text


@slow
def test_demo_under_two_minutes(tmp_path):
    start = time.monotonic()
    proc = run("demo", "--out", tmp_path, "--seconds", "4")
    elapsed = time.monotonic() - start
    assert proc.returncode == 0, proc.stderr
    assert elapsed < 120.0
    assert page_count(tmp_path / "report.pdf") >= len(TITLES) + 1
    assert (tmp_path / "runner.truth.json").is_file()
    text = pdftotext(tmp_path / "report.pdf")
    if text is not None:
        assert "Ground truth vs measured" in text
