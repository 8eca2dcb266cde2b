"""POS-free keyword candidates (adapt.tagging.nominal): no bare verb, no function word, inflections merged.
No model: candidates only (the ranked keywords of the lessons run with the real e5 in the slow tests)."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapt.tagging.keywords import _dedupe_forms, candidates, inflection_key, stop_words
from adapt.tagging.nominal import is_name, nominal_evidence

LESSONS = Path(__file__).resolve().parents[2] / "fixtures" / "lessons"
# Every verb form in the two Portuguese lessons (hand list): none may be a keyword candidate on its own.
PT_VERBS = {
    "move", "aquece", "evapora", "vira", "sobe", "esfria", "condensa", "formam", "juntam", "ficam", "caem", "chama",
    "entra", "torna", "corre", "volta", "absorvem", "liberam", "começa", "coloque", "cubra", "observe", "consegue",
    "ver", "produzem", "têm", "capta", "junta", "produz", "guardam", "dependem",
    "respiram", "come", "param", "crescer", "incluindo", "forma",
}
# Participles: adjectives inside a phrase ("plantas guardadas"), never a keyword alone.
PT_PARTICIPLES = {"liberado", "guardadas", "absorvida"}


def _text(name: str) -> str:
    return (LESSONS / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["water-cycle.pt.md", "plantas.pt.md"])
def test_keywords_nominal_portuguese_lessons_have_no_bare_verbs_or_stop_words(name):
    found = candidates(_text(name), "pt")
    stops = stop_words("pt")
    assert found, "a lesson has nominal phrases"
    for phrase in found:
        words = phrase.lower().split()
        assert not (len(words) == 1 and words[0] in PT_VERBS | PT_PARTICIPLES), phrase
        assert words[0] not in stops and words[-1] not in stops, phrase
        assert not any(w in PT_VERBS for w in words), f"a verb inside {phrase!r}"


def test_keywords_nominal_keeps_the_topic_phrases():
    found = {c.lower() for c in candidates(_text("water-cycle.pt.md"), "pt")}
    assert {"ciclo da água", "vapor de água", "nuvens", "chuva", "transpiração"} <= found
    assert {"folhas", "raízes", "plantas"} <= {c.lower() for c in candidates(_text("plantas.pt.md"), "pt")}


def test_keywords_nominal_infinitive_after_ambiguous_a_is_not_a_noun():
    text = "Depois começa a chover. A chuva molha a terra. Eles voltam a correr na terra molhada."
    found = {c.lower() for c in candidates(text, "pt")}
    assert "chover" not in found and "correr" not in found
    assert "chuva" in found and "terra" in found


def test_keywords_nominal_names_inside_a_sentence_are_kept():
    text = "O rio corre para o mar. Muitos peixes vivem no Rio Amazonas. O Rio Amazonas é muito longo."
    assert "Rio Amazonas" in candidates(text, "pt")
    assert is_name("Rio Amazonas") and not is_name("rio amazonas") and not is_name("ONU")


def test_keywords_nominal_evidence_reads_determiners():
    sentences = [["a", "chuva", "cai"], ["começa", "a", "chover"], ["os", "rios", "correm"]]
    assert nominal_evidence(sentences, "pt") == {"chuva", "rios"}


def test_keywords_nominal_inflections_share_one_key():
    assert inflection_key("nuvens", "pt") == inflection_key("nuvem", "pt")
    assert inflection_key("estações", "pt") == inflection_key("estação", "pt")
    assert inflection_key("animais", "pt") == inflection_key("animal", "pt")
    assert inflection_key("Neurons", "en") == inflection_key("neuron", "en")
    assert _dedupe_forms(["nuvens", "nuvem", "estações", "estação", "Chuva", "chuva"], language="pt") == [
        "nuvens", "estações", "Chuva"]


@pytest.mark.parametrize("text", ["", "a o os as", "A A A A", "123 456", "!!!", "\x00" * 50, "É. É. É."])
def test_keywords_nominal_bad_input(text):
    assert all(c.strip() for c in candidates(text, "pt"))


def test_keywords_nominal_language_without_rules_keeps_the_old_filter():
    found = candidates("Der Wasserkreislauf bewegt Wasser. Der Wasserkreislauf beginnt.", "sw")
    assert found
