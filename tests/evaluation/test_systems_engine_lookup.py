"""Engine lookup: the registries by task, engines plugged in with `register`, clear errors otherwise."""

from __future__ import annotations

import re

import pytest

from adapt.errors import MissingModel, UserError
from evaluation import systems
from evaluation.metrics import SARI
from evaluation.suites import evaluate_simplification, evaluate_tagging
from evaluation.systems import CopySource, build_system, register


class DropParentheses:
    """A tiny real simplifier: removes parenthetical asides (a rule some readability guides give)."""

    name = "drop-parens"

    def simplify(self, texts, *, target_grade):
        return [re.sub(r"\s*\([^)]*\)", "", t) for t in texts]

    def signature(self):
        from models.signature import ModelSignature

        return ModelSignature("rules", "drop-parens", "1")


class KeywordTagger:
    """A tiny real tagger: ranks ISCED fields by keywords in the file."""

    def tag_files(self, paths):
        out = []
        for path in paths:
            text = path.read_text(encoding="utf-8").lower()
            out.append(["0613", "0313"] if "python" in text else ["0313", "0613"])
        return out

    def signature(self):
        return {"engine": "test", "model": "keywords", "version": "1", "settings": {}}


@pytest.fixture
def plugged(monkeypatch):
    monkeypatch.setattr(systems, "_REGISTERED", {})
    register("simplify", "drop-parens", lambda **o: DropParentheses())
    register("tag", "keywords", lambda **o: KeywordTagger())


def test_a_registered_simplifier_runs_and_carries_its_signature(plugged):
    system = build_system("simplify", "drop-parens", target_grade=5)
    sources = ["The mitochondrion (plural mitochondria) makes energy ."]
    run = evaluate_simplification(suite="t", sources=sources, references=[["The mitochondrion makes energy ."]],
                                  systems=[CopySource("identity"), system], language="en",
                                  metrics=[SARI()],
                                  settings={}, bootstrap=0)
    result = run.system("drop-parens")
    assert result.output.outputs == ["The mitochondrion makes energy ."]
    assert result.output.signature["settings"]["target_grade"] == 5.0
    assert result.score("SARI").value > run.system("identity").score("SARI").value


def test_a_registered_tagger_runs_on_files(plugged, tmp_path):
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    a.write_text("Loops in Python", encoding="utf-8")
    b.write_text("Memory and the brain", encoding="utf-8")
    run = evaluate_tagging(suite="t", items=[str(a), str(b)], gold=[["0613"], ["0313"]],
                           systems=[build_system("tag", "keywords")], settings={}, bootstrap=0)
    assert run.system("keywords").score("Top-1").value == 100.0
    assert run.system("majority").score("Top-1").value == 50.0


def test_registering_for_an_unknown_task_is_refused():
    with pytest.raises(ValueError):
        register("summarise", "x", lambda **o: None)


def test_an_engine_without_the_expected_method_is_explained(monkeypatch):
    monkeypatch.setattr(systems, "_REGISTERED", {})
    register("simplify", "broken", lambda **o: object())
    with pytest.raises(MissingModel) as info:
        build_system("simplify", "broken")
    assert "--hyp" in info.value.hint


def test_translation_engines_come_from_the_translator_registry():
    with pytest.raises(UserError) as info:
        build_system("translate", "nope", source="en", target="pt")
    assert "unknown translation engine" in str(info.value)


def test_an_unsupported_pair_is_refused_before_running():
    from adapt.errors import UnsupportedLanguagePair

    with pytest.raises(UnsupportedLanguagePair):
        build_system("translate", "bergamot", source="en", target="de")


def test_baselines_are_engines_too():
    assert build_system("translate", "copy-source").run(["a", "b"]) == ["a", "b"]
    assert build_system("simplify", "identity").role == "baseline"
