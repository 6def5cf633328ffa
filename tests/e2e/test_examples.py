"""Every script in examples/ runs and prints what it promises."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def test_track_and_read(tmp_path):
    script = ROOT / "examples" / "track_and_read.py"
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=300, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "left_ankle: present in" in proc.stdout
    assert "step repair_left_right" in proc.stdout and "step lowpass" in proc.stdout
