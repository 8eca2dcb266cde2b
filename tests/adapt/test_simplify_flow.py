"""Simplification through the service and the store: only hard segments are touched, guard failures are
stored rejected with the reason, and translation with --simplify starts from the simplified text."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapt.errors import UserError
from adapt.simplify import GUARD_ACTOR, SimplifyStep, parse_level, run_simplify
from models.signature import ModelSignature

LESSON = (
    "# Photosynthesis\n"
    "\n"
    "Photosynthesis, which occurs in the chloroplasts of plant cells, converts light energy into chemical energy, "
    "and this energy is stored in glucose molecules for later use.\n"
    "\n"
    "Plants need water. They also need light to grow well in spring.\n"
    "\n"
    "Marie Curie, who won two Nobel prizes in 1903 and 1911, studied radioactivity extensively; "
    "her discoveries fundamentally transformed physics and medicine.\n"
)


@pytest.fixture
def lesson(tmp_path: Path) -> Path:
    path = tmp_path / "lesson.md"
    path.write_text(LESSON, encoding="utf-8")
    return path


class Inventor:
    """A simplifier that shortens text and invents a number: the guards must stop it."""

    name = "inventor"

    def simplify(self, texts, *, target_grade):
        return ["Plants make food. A 12-year-old saw it." for _ in texts]

    def signature(self) -> ModelSignature:
        return ModelSignature("test", "inventor")


@pytest.mark.parametrize(("level", "grade"), [("grade:6", 6.0), ("GRADE: 8.5", 8.5), ("7", 7.0), (5, 5.0)])
def test_simplify_parses_levels(level, grade) -> None:
    assert parse_level(level) == grade


@pytest.mark.parametrize("level", ["grade:", "level:6", "grade:0", "grade:40", "six", ""])
def test_simplify_rejects_bad_levels(level) -> None:
    with pytest.raises(UserError):
        parse_level(level)


@pytest.mark.slow
def test_simplify_guard_failures_are_stored_rejected_with_their_reasons(service, lesson: Path) -> None:
    from adapt.simplify_guards import MEANING_EMBEDDER
    from models.embedders import get_embedder

    imported = service.import_file(lesson, language="en")
    step = SimplifyStep(Inventor(), target_grade=6, embedder=get_embedder(MEANING_EMBEDDER))
    summary = run_simplify(service.store, imported.resource_id, step)
    assert (summary.segments, summary.above_target) == (4, 2)  # the heading is too short, paragraph 2 is easy
    assert (summary.suggestions, summary.rejected) == (0, 2)
    rejected = service.review.suggestions(imported.resource_id, status="rejected", task="simplify")
    assert len(rejected) == 2 and all(s.decided_by == GUARD_ACTOR for s in rejected)
    for s in rejected:
        found = {f["code"] for f in s.qa_flags}
        assert {"meaning-lost", "number-invented"} <= found
        assert s.scores["guard"] == "rejected" and s.scores["similarity"] < 0.6
    assert {"number-missing"} <= {f["code"] for f in rejected[1].qa_flags}  # 1903 and 1911 are gone
    # Nothing rejected reaches an export, and the reviewer can bring one back.
    restored = service.review.undo(rejected[0].id, actor="reviewer")
    assert restored.status == "pending"


@pytest.mark.slow
def test_simplify_file_with_rules_offers_only_hard_segments(service, lesson: Path, tmp_path: Path) -> None:
    summary = service.simplify_file(lesson, level="grade:6", simplifier="rules", license="CC-BY-4.0")
    assert summary.above_target == 2 and summary.suggestions == 2 and summary.rejected == 0
    assert summary.grade_after < summary.grade_before
    rows = service.review.suggestions(summary.resource_id, task="simplify")
    assert {s.segment_key for s in rows} == {"paragraph-1", "paragraph-3"}
    for s in rows:
        assert s.target_language == "en" and s.origin == "rule"
        assert s.scores["grade_after"] < s.scores["grade_before"]
        assert s.model_signature["settings"]["target_grade"] == 6
    service.review.accept([rows[0].id], actor="reviewer")
    out = tmp_path / "simple.md"
    service.export(summary.resource_id, out)
    text = out.read_text(encoding="utf-8")
    assert "Photosynthesis occurs in the chloroplasts of plant cells." in text
    assert "Marie Curie, who won two Nobel prizes" in text  # pending: not exported


@pytest.mark.slow
def test_simplify_refuses_non_english_text(service, tmp_path: Path) -> None:
    path = tmp_path / "aula.md"
    path.write_text("A fotossíntese, que ocorre nos cloroplastos, converte energia luminosa.\n", encoding="utf-8")
    with pytest.raises(UserError, match="English"):
        service.simplify_file(path, level="grade:6", language="pt", simplifier="rules", license="CC-BY-4.0")


@pytest.mark.slow
def test_translate_with_simplify_translates_the_simplified_text(service, lesson: Path, tmp_path: Path) -> None:
    summary = service.translate_file(lesson, target="pt", simplify="grade:6", simplifier="rules",
                                     license="CC-BY-4.0")
    rid = summary.resource_id
    simplified = {s.segment_key: s for s in service.review.suggestions(rid, task="simplify")}
    translations = {s.segment_key: s for s in service.review.suggestions(rid, task="translate")}
    assert set(simplified) == {"paragraph-1", "paragraph-3"}
    assert set(translations) == {"heading-1", "paragraph-1", "paragraph-2", "paragraph-3"}
    # The translation of a simplified segment records the simplified English as what it translated.
    assert translations["paragraph-1"].source_text == simplified["paragraph-1"].text
    assert translations["paragraph-2"].source_text.startswith("Plants need water.")
    assert translations["paragraph-1"].target_language == "pt"
    # Export per language: --to pt writes the translation, --to en the simplified English.
    service.review.accept_all(rid, actor="reviewer")
    pt, en = tmp_path / "pt.md", tmp_path / "en.md"
    service.export(rid, pt, target_language="pt")
    service.export(rid, en, target_language="en")
    assert "Photosynthesis occurs in the chloroplasts" in en.read_text(encoding="utf-8")
    assert "Photosynthesis" not in pt.read_text(encoding="utf-8").split("\n", 2)[2]
    with pytest.raises(UserError, match="several languages"):
        service.export(rid, tmp_path / "x.md")
