"""All three engines through the real service, store and pipeline (bergamot with its packaged weights,
argos and transformers with the generated test model), plus the glossary enforced on a real model."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapt.glossary import Term

from .conftest import ARGOS_MODEL, HF_MODEL

pytestmark = pytest.mark.slow


def translate_file(service, path, **options):
    """The sources here are our own test text: say so, as a user would with --license."""
    options.setdefault("license", "CC-BY-4.0")
    return service.translate_file(path, **options)


@pytest.fixture
def lesson(tmp_path) -> Path:
    path = tmp_path / "lesson.txt"
    path.write_text("The cat is big.\n\nThe dog is red.\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("engine", "model"), [("argos", None), ("transformers", str(HF_MODEL))])
def test_engines_translate_through_service(service, lesson, engine, model):
    service.models.install_argos_file(ARGOS_MODEL)
    run = translate_file(service, lesson, target="es", engine=engine, model=model)
    rows = service.review.suggestions(run.resource_id)
    assert [s.text for s in rows] == ["El gato es grande.", "El perro es rojo."]
    assert all(s.model_signature["engine"] == engine and not s.qa_flags for s in rows)


def test_bergamot_translates_through_service(service, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("The book is on the table.\n", encoding="utf-8")
    run = translate_file(service, path, target="pt", engine="bergamot")
    (s,) = service.review.suggestions(run.resource_id)
    assert "livro" in s.text.lower() and s.model_signature["engine"] == "bergamot"


def test_glossary_dnt_enforced_on_real_model(service, lesson):
    service.models.install_argos_file(ARGOS_MODEL)
    service.glossary.add(Term("dog", "dnt", "en"))
    run = translate_file(service, lesson, target="es", engine="argos")
    rows = service.review.suggestions(run.resource_id)
    assert [s.text for s in rows] == ["El gato es grande.", "El dog es rojo."]
    assert rows[1].scores["glossary_protected"] == ["dog"] and not rows[1].qa_flags


def test_glossary_forced_term_violation_is_flagged(service, lesson):
    service.models.install_argos_file(ARGOS_MODEL)
    service.glossary.add(Term("cat", "forced", "en", "es", "minino"))
    run = translate_file(service, lesson, target="es", engine="argos", glossary="default")
    first = service.review.suggestions(run.resource_id)[0]
    assert [f["code"] for f in first.qa_flags] == ["glossary-term"]
    other = translate_file(service, lesson, target="es", engine="argos", glossary=None)
    assert other.flagged == 0


def test_accepted_edit_reused_with_real_model(service, tmp_path):
    service.models.install_argos_file(ARGOS_MODEL)
    a = tmp_path / "a.txt"
    a.write_text("The cat is big.\n", encoding="utf-8")
    b = tmp_path / "b.txt"
    b.write_text("Where is the house?\n\nThe cat is big.\n", encoding="utf-8")
    first = translate_file(service, a, target="es", engine="argos")
    (s,) = service.review.suggestions(first.resource_id)
    service.review.edit(s.id, "El gato es enorme.", actor="ana")
    second = translate_file(service, b, target="es", engine="argos")
    rows = service.review.suggestions(second.resource_id)
    assert [(r.origin, r.text) for r in rows] == [("model", "¿Dónde está la casa?"), ("memory", "El gato es enorme.")]
