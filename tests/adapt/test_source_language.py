"""Source language: given, else stated by the file, else detected when sure, else English, always
with a note saying which and how sure; pt→en works without naming the source."""

from __future__ import annotations

import pytest

from adapt.formats import parse_stored
from adapt.source_language import detect_source_language, resolve_source_language
from tests.conftest import FIXTURES, shared_data

PT_LESSON = FIXTURES / "ciclo_da_agua.md"


def test_a_portuguese_lesson_is_detected_with_its_confidence():
    found = detect_source_language(PT_LESSON.read_text(encoding="utf-8").splitlines())
    assert (found.language, found.origin) == ("pt", "detected")
    assert 0.5 < found.confidence <= 1.0 and found.runner_up
    assert "Portuguese" in found.note and f"{found.confidence:.2f}" in found.note
    assert found.to_json()["detector"].startswith("function-word")
    # The note is for a teacher: no module or method names (issue 14, defect 8); the JSON keeps them.
    assert "adapt." not in found.note and "function-word" not in found.note
    assert "next most likely: " in found.note


@pytest.mark.parametrize("texts", [[], [""], ["Olá, mundo"], ["12 + 3 = 15"], ["<p>ok</p>"]])
def test_too_little_text_falls_back_to_english_and_says_so(texts):
    found = detect_source_language(texts)
    assert (found.language, found.origin) == ("en", "default")
    assert "using English" in found.note


def test_a_close_second_falls_back_to_english_and_names_both():
    # Mixed Spanish and Portuguese: neither leads clearly.
    mixed = ["El agua de los ríos y del mar es para todos los que viven en la tierra.",
             "A água dos rios e do mar é para todos os que vivem na terra, não é?"]
    found = detect_source_language(mixed)
    assert found.origin == "default" and found.language == "en"
    assert "unclear" in found.note and "Spanish" in found.note and "Portuguese" in found.note


def test_given_beats_stated_beats_detected():
    assert resolve_source_language("es", "fr", ["The cat is on the table and the dog is under it."]).origin == "given"
    stated = resolve_source_language(None, "fr", ["The cat is on the table and the dog is under it, as always."])
    assert (stated.language, stated.origin) == ("fr", "file")


def test_ntrex_paragraphs_are_detected_per_language():
    """Ten-line paragraphs of the NTREX references: detected right, never wrong (development data)."""
    folder = shared_data() / "mt" / "ntrex-128"
    for name, want in (("newstest2019-ref.por.txt", "pt"), ("newstest2019-ref.spa.txt", "es"),
                       ("newstest2019-ref.fra.txt", "fr"), ("newstest2019-src.eng.txt", "en")):
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        found = [detect_source_language(lines[i:i + 10]) for i in range(0, 200, 10)]
        assert all(f.language == want for f in found if f.origin == "detected"), name
        assert sum(f.origin == "detected" for f in found) >= 18, name


def test_import_keeps_the_detection_and_the_resource_language(service):
    data = PT_LESSON.read_bytes()
    doc = parse_stored("markdown", PT_LESSON.name, data)
    rid = service.import_document(doc, data, license="CC-BY-4.0").resource_id
    assert service.resource(rid).language == "pt"
    assert service.resource(rid).metadata["source_language"]["origin"] == "detected"
    assert service.resource_source_language(rid).origin == "detected"
    assert service.resource_source_language(rid, "es").language == "es"


@pytest.mark.slow
def test_cli_translates_portuguese_to_english_without_from(tmp_path):
    from tests.adapt.cli.conftest import Adapt

    adapt = Adapt(tmp_path / "cli.db")
    out = adapt.json("translate", PT_LESSON, "--to", "en", "--assume-license", "CC-BY-4.0")
    assert out["suggestions"] == out["segments"] > 5
    assert out["source_language"]["language"] == "pt" and out["source_language"]["origin"] == "detected"
    rows = adapt.json("suggestions", out["resource"])
    assert any("water" in r["suggestion"].lower() for r in rows)
    text = adapt("translate", PT_LESSON, "--to", "en", "--assume-license", "CC-BY-4.0").stdout
    assert "Source language detected: Portuguese" in text
