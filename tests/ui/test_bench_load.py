"""The load benchmark's own check: run briefly against the real server, every acknowledged decision
must be found in the decision log. (The figures are the script's to print, not a test's to time.)"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("shared", [False, True], ids=["own-rows", "shared-rows"])
def test_bench_load_acknowledged_decisions_are_all_logged(shared):
    args = [sys.executable, str(ROOT / "scripts" / "bench_load.py"), "--reviewers", "3", "--rows", "6",
            "--seconds", "4", "--max-decisions", "150", "--json"] + (["--shared"] if shared else [])
    run = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=400)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    result = json.loads(run.stdout[run.stdout.index("{"):])
    assert result["errors"] == [] and result["lost"] == 0, result
    # Accepts of edited rows (which log the edit they confirm) happen within a few dozen decisions.
    assert result["decisions_acknowledged"] >= 20 and result["decisions_in_db"] >= result["decisions_acknowledged"]
    if shared:
        assert result["conflicts"] > 0  # three reviewers on six rows collide, and stale versions are refused
