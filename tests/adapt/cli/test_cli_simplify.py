"""`adapt simplify` and `adapt readability` through the real CLI entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
LESSON = ("# Curie\n\nMarie Curie, who won two Nobel prizes in 1903 and 1911, studied radioactivity extensively; "
          "her discoveries fundamentally transformed physics and medicine.\n\nShe was born in Warsaw in 1867.\n")


def adapt(*args: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "adapt", "--db", str(db), *args], cwd=REPO, capture_output=True,
                          text=True, timeout=600)


@pytest.mark.parametrize("level", ["grade:0", "hard", "grade:"])
def test_cli_simplify_bad_level_exits_1_before_anything_is_imported(tmp_path: Path, level: str) -> None:
    path = tmp_path / "lesson.md"
    path.write_text(LESSON, encoding="utf-8")
    result = adapt("simplify", str(path), "--level", level, "--simplifier", "rules", "--json", db=tmp_path / "a.db")
    assert result.returncode == 1
    assert "grade" in json.loads(result.stdout)["hint"]
    listed = adapt("resources", "--json", db=tmp_path / "a.db")
    assert json.loads(listed.stdout) == []


def test_cli_readability_of_a_file_per_segment_and_document(tmp_path: Path) -> None:
    path = tmp_path / "lesson.md"
    path.write_text(LESSON, encoding="utf-8")
    result = adapt("readability", str(path), "--json", db=tmp_path / "a.db")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["document"]["grade_formula"] == "Flesch-Kincaid grade"
    assert [s["segment"] for s in data["segments"]] == ["heading-1", "paragraph-1", "paragraph-2"]
    assert data["segments"][1]["grade"] > 12 > data["segments"][2]["grade"]


@pytest.mark.slow
def test_cli_simplify_with_rules_then_review_and_readability(tmp_path: Path) -> None:
    path = tmp_path / "lesson.md"
    path.write_text(LESSON, encoding="utf-8")
    db = tmp_path / "a.db"
    result = adapt("simplify", str(path), "--level", "grade:6", "--simplifier", "rules", "--license", "CC-BY-4.0",
                   "--json", db=db)
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["above_target"] == 1 and summary["suggestions"] == 1
    assert summary["grade_after"] < summary["grade_before"]
    rows = json.loads(adapt("suggestions", str(summary["resource"]), "--task", "simplify", "--json", db=db).stdout)
    assert rows[0]["suggestion"].startswith("Marie Curie studied radioactivity extensively.")
    text = adapt("readability", str(summary["resource"]), db=db)
    assert text.returncode == 0 and text.stdout.startswith("document: grade")


@pytest.mark.slow
def test_cli_default_simplifier_stores_and_shows_its_operations(tmp_path: Path) -> None:
    from models.simplifiers.wordnet import wordnet_available

    path = tmp_path / "lesson.md"
    path.write_text("# Council\n\nThe council, which commenced the project in March, subsequently abandoned the "
                    "ambitious plan for the riverside area.\n", encoding="utf-8")
    db = tmp_path / "a.db"
    result = adapt("simplify", str(path), "--level", "grade:6", "--license", "CC-BY-4.0", "--json", db=db)
    assert result.returncode == 0, result.stderr
    resource = json.loads(result.stdout)["resource"]
    rows = json.loads(adapt("suggestions", str(resource), "--task", "simplify", "--status", "pending", "--json",
                            db=db).stdout)
    assert len(rows) == 1
    operations = rows[0]["scores"]["operations"]
    # the "which" clause is split off or dropped, whichever candidate the default's choice scores best
    which = [op for op in operations if op["rule"] in ("relative-clause", "relative-drop")]
    assert which and which[0]["kind"] in ("split", "drop") and which[0]["before"].startswith("which")
    if wordnet_available():
        assert any(op["kind"] == "replace" for op in operations)
    listing = adapt("suggestions", str(resource), "--task", "simplify", db=db).stdout
    assert "why: " in listing and ("split at relative-clause" in listing
                                   or 'dropped relative-drop "which' in listing)
