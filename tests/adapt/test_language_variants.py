"""Glossary and memory look-ups serve a language's regional variants both ways (issue 13):
a `pt` glossary entry applies to a run into `pt-BR`, and a translation reviewed for `pt-BR` is offered
to a run into `pt` (flagged, since nothing for `pt` itself exists). Real store, real pipeline, a small
fake model (these tests are about the look-ups, not the model)."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapt.glossary import Term, load_glossary
from adapt.memory import load_memory
from models.signature import ModelSignature
from models.translators.base import normalise_language


class KeepsWords:
    """Translator protocol: returns the text as it is, so the glossary's forced term is missing unless the
    glossary is looked up and the QA check flags it."""

    name = "keeps"

    def pairs(self):
        return [("en", "pt")]

    def supports(self, source, target):
        return (normalise_language(source), normalise_language(target)) == ("en", "pt")

    def translate(self, texts, *, source, target):
        return list(texts)

    def signature(self, source, target):
        return ModelSignature("keeps", "identity")


LESSON = "# Cells\n\nThe cell membrane holds the cell together.\n\nA second paragraph about cells.\n"


@pytest.fixture
def keeps(service):
    service.engines.use_translator(KeepsWords())
    return service


def _lesson(tmp_path: Path, name: str = "lesson.md", text: str = LESSON) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _flags(service, resource_id: int) -> list[str]:
    return [f["code"] for s in service.review.suggestions(resource_id, task="translate") for f in s.qa_flags]


def test_a_pt_glossary_entry_applies_to_a_pt_BR_run(keeps, tmp_path):
    keeps.glossary.add(Term("cell membrane", "forced", "en", "pt", "membrana celular"))
    summary = keeps.translate_file(_lesson(tmp_path), target="pt-BR", license="CC-BY-4.0")
    rows = keeps.review.suggestions(summary.resource_id, task="translate")
    assert {s.target_language for s in rows} == {"pt-BR"}
    membrane = next(s for s in rows if "membrane" in s.source_text)
    # The glossary took part: its check flags the missing forced term, and the suggestion says which entry.
    assert "glossary-term" in [f["code"] for f in membrane.qa_flags]
    assert "entry for pt" in next(f["message"] for f in membrane.qa_flags if f["code"] == "glossary-term")
    assert membrane.scores["glossary_variants"] == {"cell membrane": "pt"}


def test_language_codes_are_normalised_at_the_boundary(keeps, tmp_path):
    keeps.glossary.add(Term("cell membrane", "forced", "EN", "PT_br", "membrana celular"))
    assert [t.target_language for t in keeps.glossary.terms()] == ["pt-BR"]
    summary = keeps.translate_file(_lesson(tmp_path), target="pt_br", license="CC-BY-4.0")
    assert {s.target_language for s in keeps.review.suggestions(summary.resource_id)} == {"pt-BR"}
    assert "glossary-term" in _flags(keeps, summary.resource_id)  # the exact entry, found after normalising


def test_a_pt_BR_entry_serves_pt_only_when_nothing_closer_exists(service):
    service.glossary.add(Term("cell", "forced", "en", "pt-BR", "célula (BR)"))
    only_br = load_glossary(service.store, "default", "en", "pt")
    assert [(t.term, t.target_language) for t in only_br.terms] == [("cell", "pt-BR")]
    service.glossary.add(Term("cell", "forced", "en", "pt", "célula"))
    both = load_glossary(service.store, "default", "en", "pt")
    assert [(t.term, t.translation) for t in both.terms] == [("cell", "célula")]
    assert [t.translation for t in load_glossary(service.store, "default", "en", "pt-BR").terms] == ["célula (BR)"]
    assert load_glossary(service.store, "default", "en", "pt-PT").terms[0].translation == "célula"
    assert load_glossary(service.store, "default", "en", "es").terms == []


def test_a_pt_BR_review_is_offered_to_a_pt_run_and_says_so(keeps, tmp_path):
    first = keeps.translate_file(_lesson(tmp_path), target="pt-BR", license="CC-BY-4.0")
    row = next(s for s in keeps.review.suggestions(first.resource_id) if "membrane" in s.source_text)
    keeps.review.edit(row.id, "A membrana celular mantém a célula unida.", actor="ana")
    # Another lesson with the same paragraph, translated into plain `pt`.
    second = keeps.translate_file(_lesson(tmp_path, "other.md", LESSON + "\nOne more line.\n"), target="pt",
                                  license="CC-BY-4.0")
    offered = next(s for s in keeps.review.suggestions(second.resource_id) if "membrane" in s.source_text)
    assert offered.origin == "memory" and offered.text == "A membrana celular mantém a célula unida."
    assert offered.scores["memory"]["language"] == "pt-BR"
    assert "language-variant" in [f["code"] for f in offered.qa_flags]


def test_a_pt_review_serves_a_pt_BR_run_and_a_pt_PT_one_is_never_used(keeps, tmp_path):
    first = keeps.translate_file(_lesson(tmp_path), target="pt", license="CC-BY-4.0")
    row = next(s for s in keeps.review.suggestions(first.resource_id) if "membrane" in s.source_text)
    keeps.review.edit(row.id, "A membrana celular (pt).", actor="ana")
    memory = load_memory(keeps.store, "en", "pt-BR")
    assert [u.target_text for u in memory.units] == ["A membrana celular (pt)."]
    match = memory.exact(row.source_text)
    assert match is not None and match.unit.target_language == "pt"
    assert load_memory(keeps.store, "en", "pt-PT").exact(row.source_text) is not None  # pt serves pt-PT too
    # A unit written for pt-PT never serves pt-BR (sibling variants), but serves pt when nothing closer exists.
    from adapt.memory import MemoryUnit, TranslationMemory

    units = [MemoryUnit("Hello", "Olá (PT)", "tmx", target_language="pt-PT")]
    assert TranslationMemory("en", "pt-BR", units).exact("Hello") is None
    assert TranslationMemory("en", "pt", units).exact("Hello").text == "Olá (PT)"
    ranked = [MemoryUnit("Hello", "Olá (PT)", "tmx", target_language="pt-PT", decided_at="2"),
              MemoryUnit("Hello", "Olá", "tmx", target_language="pt", decided_at="1")]
    assert TranslationMemory("en", "pt", ranked).exact("Hello").text == "Olá"  # the exact tag wins over newer


def test_an_old_database_with_raw_tags_is_normalised_by_its_migration(tmp_path):
    import sqlite3

    from adapt.store import Store

    db = tmp_path / "old.db"
    store = Store(db)
    store.applied_migrations()
    store.close()
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM schema_migrations WHERE number = 65")
    conn.execute("INSERT INTO resources (content_hash, format, source_name, source_bytes, language, created_at) "
                 "VALUES ('x', 'markdown', 'a.md', x'00', 'EN', '2026-01-01')")
    conn.execute("INSERT INTO suggestions (resource_id, segment_id, task, target_language, source_text, text, "
                 "model_signature, created_at) VALUES (1, NULL, 'translate', 'PT_br', 'a', 'b', '{}', '2026-01-01')")
    conn.commit()
    conn.close()
    again = Store(db)
    assert again.resource(1).language == "en"
    assert [s.target_language for s in again.suggestions(1)] == ["pt-BR"]
    again.close()
