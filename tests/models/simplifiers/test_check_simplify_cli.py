"""scripts/check_simplify_cli.py: the real CLI (simplify, accept --all, export) on a few ASSET validation
sentences, the export read back and scored against the references."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO, shared_data

SCRIPT = REPO / "scripts" / "check_simplify_cli.py"


def _run(*args: str, cwd=None) -> subprocess.CompletedProcess[str]:
    shared_data()  # fails with a clear message when the data is missing; conftest exports ADAPT_SHARED_DATA
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=1200,
                          cwd=cwd or REPO, check=False)


@pytest.mark.slow
def test_the_cli_check_simplifies_exports_and_scores_a_few_sentences(tmp_path):
    done = _run("--start", "640", "--limit", "4", "--json", "--workdir", str(tmp_path))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["n"] == 4 and result["start"] == 640
    assert result["sari_signature"].startswith("sari:") and "mode:corpus" in result["sari_signature"]
    # what was accepted is what was exported, and every exported change is an accepted suggestion
    assert result["accepted"] == result["exported_accepted"] == result["suggestions"]
    assert result["changed"] <= result["accepted"]
    assert 0 < result["SARI"] < 100 and result["SARI_copy"] < 25  # copying ASSET scores about 20
    exported = (tmp_path / "exported.txt").read_text(encoding="utf-8")
    assert "NOTE:" in exported  # the attribution is there, and was left out of the scoring
    if result["changed"]:
        assert result["SARI"] > result["SARI_copy"]
        assert result["FKGL_changed_after"] < result["FKGL_changed_before"]


def test_bad_arguments_exit_1_with_a_message():
    done = _run("--limit", "0")
    assert done.returncode == 1
    assert "--limit must be at least 1" in done.stderr


def test_a_slice_past_the_end_says_so():
    done = _run("--start", "1990", "--limit", "40")
    assert done.returncode != 0
    assert "ASSET validation has only 2000 sentences" in done.stderr
