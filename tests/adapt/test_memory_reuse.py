"""Translation memory: reviewed translations come back, exact and fuzzy, across resources."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapt.memory import MemoryUnit, TranslationMemory, canonical, load_memory, reviewed_units
from models.translators.base import normalise_language


def translate_file(service, path, **options):
    """The sources here are our own test text: say so, as a user would with --license."""
    options.setdefault("license", "CC-BY-4.0")
    return service.translate_file(path, **options)


class EchoTranslator:
    """A small fake model for pipeline tests: upper-cases, and counts what it was asked."""

    name = "echo"

    def __init__(self) -> None:
        self.seen: list[str] = []

    def pairs(self):
        return [("en", "es")]

    def supports(self, source, target):
        return (normalise_language(source), normalise_language(target)) == ("en", "es")

    def translate(self, texts, *, source, target):
        self.seen.extend(texts)
        return [t.upper() for t in texts]

    def signature(self, source, target):
        from models.signature import ModelSignature

        return ModelSignature("echo", "upper")


@pytest.fixture
def echo(service):
    fake = EchoTranslator()
    service.engines.use_translator(fake, "echo")
    return fake


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "key", "order"),
    [
        ("Use [3]print[/3] here", "Use [1]print[/1] here", [3]),
        ("  a   b ", "a b", []),
        ("[5] then [2] and [5]", "[1] then [2] and [1]", [5, 2]),
    ],
)
def test_memory_canonical_keys(text, key, order):
    assert canonical(text) == (key, order)


def test_memory_exact_match_renumbers_placeholders():
    unit = MemoryUnit("Use [3]print[/3] and [4].", "Usa [3]print[/3] y [4].", "edited", 1, 9, 5, "ana", "t")
    tm = TranslationMemory("en", "es", [unit])
    match = tm.exact("Use [1]print[/1] and [2].")
    assert match is not None and match.text == "Usa [1]print[/1] y [2]." and match.similarity == 100.0
    assert tm.exact("Use [1]print[/1] and [2].", exclude_segment=5) is None


def test_memory_fuzzy_threshold():
    tm = TranslationMemory("en", "es",
                           [MemoryUnit("The cat is very big today.", "El gato es muy grande hoy.", "accepted")])
    (match,) = tm.fuzzy("The cat is very big now.")
    assert 75 <= match.similarity < 100
    assert tm.fuzzy("Something completely different.") == []
    assert tm.fuzzy("The cat is very big today.") == []  # exact is not fuzzy


def test_memory_accepted_edit_reused_in_another_resource(service, echo, tmp_path):
    first = translate_file(service, _write(tmp_path, "a.txt", "Lists hold values.\n\nA second paragraph.\n"),
                                   target="es", engine="echo")
    edited = service.review.suggestions(first.resource_id)[0]
    service.review.edit(edited.id, "Las listas guardan valores.", actor="ana")

    echo.seen.clear()
    second = translate_file(service, _write(tmp_path, "b.txt", "Intro.\n\nLists hold values.\n"), target="es",
                                    engine="echo")
    rows = service.review.suggestions(second.resource_id)
    reused = next(s for s in rows if s.source_text == "Lists hold values.")
    assert reused.origin == "memory" and reused.text == "Las listas guardan valores."
    assert reused.scores["memory"]["suggestion"] == edited.id
    assert reused.scores["memory"]["resource"] == first.resource_id
    assert reused.scores["memory"]["kind"] == "edited" and reused.scores["memory"]["decided_by"] == "ana"
    assert reused.model_signature["engine"] == "memory"
    assert echo.seen == ["Intro."]  # the model was not asked for the remembered paragraph


def test_memory_undo_takes_translation_out(service, echo, tmp_path):
    run = translate_file(service, _write(tmp_path, "a.txt", "Lists hold values.\n"), target="es", engine="echo")
    (s,) = service.review.suggestions(run.resource_id)
    service.review.accept([s.id], actor="ana")
    assert len(load_memory(service.store, "en", "es")) == 1
    service.review.undo(s.id, actor="ana")
    assert len(load_memory(service.store, "en", "es")) == 0
    assert reviewed_units(service.store, "en", "es") == []


def test_memory_fuzzy_match_offered_next_to_model(service, echo, tmp_path):
    run = translate_file(service, _write(tmp_path, "a.txt", "The loop repeats the block of code.\n"), target="es",
                                 engine="echo")
    service.review.edit(service.review.suggestions(run.resource_id)[0].id, "El bucle repite el bloque de código.",
                        actor="ana")
    second = translate_file(service, _write(tmp_path, "b.txt", "The loop repeats the block of text.\n"), target="es",
                                    engine="echo")
    rows = service.review.suggestions(second.resource_id)
    assert {s.origin for s in rows} == {"model", "memory-fuzzy"}
    fuzzy = next(s for s in rows if s.origin == "memory-fuzzy")
    assert fuzzy.text == "El bucle repite el bloque de código."
    assert fuzzy.qa_flags[0]["code"] == "memory-fuzzy" and 75 <= fuzzy.scores["memory"]["similarity"] < 100
    model = next(s for s in rows if s.origin == "model")
    assert model.scores["memory_fuzzy"][0]["suggestion"] is not None


def test_memory_off_asks_the_model(service, echo, tmp_path):
    run = translate_file(service, _write(tmp_path, "a.txt", "Lists hold values.\n"), target="es", engine="echo")
    service.review.accept_all(run.resource_id, actor="ana")
    echo.seen.clear()
    translate_file(service, _write(tmp_path, "b.txt", "Other.\n\nLists hold values.\n"), target="es", engine="echo",
                           memory=False)
    assert echo.seen == ["Other.", "Lists hold values."]


def test_pipeline_translates_repeated_paragraphs_once_across_batches(service, echo, tmp_path):
    text = "\n\n".join(["Concepts in Practice", "Other text."] * 70) + "\n"
    run = translate_file(service, _write(tmp_path, "a.txt", text), target="es", engine="echo")
    assert run.segments == 140 and run.suggestions == 140
    assert sorted(echo.seen) == ["Concepts in Practice", "Other text."]  # 3 batches of 64, each text once


# -- re-translation: memory offered again, once, never over a reviewer's decision --------------------


def _rows(service, resource_id):
    return [(s.segment_id, s.origin, s.text, s.status) for s in service.review.suggestions(resource_id)]


def test_memory_retranslation_offers_matches_once(service, echo, tmp_path):
    text = "Lists hold values.\n\nLoops repeat code.\n\nLists hold values.\n"
    run = translate_file(service, _write(tmp_path, "a.txt", text), target="es", engine="echo")
    first, loops, repeat = service.review.suggestions(run.resource_id)
    assert first.source_text == repeat.source_text and first.segment_id != repeat.segment_id
    service.review.edit(first.id, "Las listas guardan valores.", actor="ana")
    service.review.reject([loops.id], actor="ana")

    again = service.translate_resource(run.resource_id, target="es", engine="echo")
    rows = service.review.suggestions(run.resource_id)
    offered = [s for s in rows if s.origin == "memory"]
    # The repeated paragraph, still pending, gets the reviewer's edit of its twin; nothing else is new.
    assert [(s.segment_id, s.text) for s in offered] == [(repeat.segment_id, "Las listas guardan valores.")]
    assert offered[0].scores["memory"]["suggestion"] == first.id
    assert again.suggestions == 1
    # Reviewer decisions are untouched, and the decided segment got nothing new.
    assert service.review.suggestion(first.id).status == "edited"
    assert service.review.suggestion(loops.id).status == "rejected"
    assert [s.id for s in rows if s.segment_id == first.segment_id] == [first.id]

    before = _rows(service, run.resource_id)
    assert service.translate_resource(run.resource_id, target="es", engine="echo").suggestions == 0
    assert _rows(service, run.resource_id) == before  # a third run adds nothing


def test_memory_retranslation_offers_later_imports_and_respects_rejections(service, echo, tmp_path):
    run = translate_file(service, _write(tmp_path, "a.txt", "The loop repeats the block of code.\n"),
                         target="es", engine="echo")
    (model,) = service.review.suggestions(run.resource_id)
    tmx = tmp_path / "later.tmx"
    tmx.write_text(
        '<tmx version="1.4"><header srclang="en"/><body>'
        '<tu><tuv xml:lang="en"><seg>The loop repeats the block of code.</seg></tuv>'
        '<tuv xml:lang="es"><seg>El bucle repite el bloque de código.</seg></tuv></tu>'
        '<tu><tuv xml:lang="en"><seg>The loop repeats the block of text.</seg></tuv>'
        '<tuv xml:lang="es"><seg>El bucle repite el bloque de texto.</seg></tuv></tu></body></tmx>',
        encoding="utf-8")
    service.memory.import_tmx(tmx, actor="ana")

    service.translate_resource(run.resource_id, target="es", engine="echo")
    rows = service.review.suggestions(run.resource_id)
    assert [(s.origin, s.text) for s in rows] == [
        ("model", model.text), ("memory", "El bucle repite el bloque de código.")]
    exact = rows[1]
    assert exact.scores["memory"]["origin"] == "tmx:later.tmx"
    service.review.reject([exact.id], actor="ana")

    # Rejected: not offered again. The model runs again (no exact match left to offer) and its same
    # output is not stored twice; the fuzzy match is offered now, once.
    echo.seen.clear()
    service.translate_resource(run.resource_id, target="es", engine="echo")
    service.translate_resource(run.resource_id, target="es", engine="echo")
    assert echo.seen == ["The loop repeats the block of code."] * 2
    rows = service.review.suggestions(run.resource_id)
    assert [(s.origin, s.status) for s in rows] == [("model", "pending"), ("memory", "rejected"),
                                                    ("memory-fuzzy", "pending")]
    assert rows[2].text == "El bucle repite el bloque de texto."


def test_memory_retranslation_leaves_accepted_segments_alone(service, echo, tmp_path):
    run = translate_file(service, _write(tmp_path, "a.txt", "Lists hold values.\n"), target="es", engine="echo")
    (model,) = service.review.suggestions(run.resource_id)
    service.review.accept([model.id], actor="ana")
    other = translate_file(service, _write(tmp_path, "b.txt", "Lists hold values.\n\nMore.\n"), target="es",
                           engine="echo")
    (reused, _) = service.review.suggestions(other.resource_id)
    service.review.edit(reused.id, "Las listas tienen valores.", actor="bo")  # a newer decision elsewhere
    service.translate_resource(run.resource_id, target="es", engine="echo")
    assert [(s.id, s.status) for s in service.review.suggestions(run.resource_id)] == [(model.id, "accepted")]
