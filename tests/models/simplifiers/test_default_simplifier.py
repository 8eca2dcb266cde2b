"""The default simplifier composes lexical and structural rewrites, and falls back when WordNet is missing."""

from __future__ import annotations

import pytest

from adapt.engines import english_grade
from models.simplifiers import DEFAULT_SIMPLIFIER, get_simplifier
from models.simplifiers.composite import DefaultSimplifier
from models.simplifiers.wordnet import wordnet_available


def test_default_is_lexical_plus_structural_and_a_model_path_still_means_the_llm(monkeypatch):
    assert DEFAULT_SIMPLIFIER == "default"
    import models.simplifiers as registry

    seen = {}
    monkeypatch.setitem(registry.SIMPLIFIERS, "llm", lambda **o: seen.setdefault("llm", o))
    get_simplifier(None, model="/some/model.gguf")
    assert seen["llm"]["model"] == "/some/model.gguf"


def test_without_wordnet_only_structural_rules_run_and_it_says_what_to_install(monkeypatch):
    import models.simplifiers.wordnet as wn

    monkeypatch.setattr(wn, "wordnet_available", lambda: False)
    with pytest.warns(UserWarning, match="wordnet-base"):
        simplifier = DefaultSimplifier(grade=english_grade)
    assert simplifier.lexical is None and simplifier.structural is not None
    assert "wordnet-base" in simplifier.lexical_missing


@pytest.mark.slow
@pytest.mark.skipif(not wordnet_available(), reason="Debian wordnet-base is not installed")
def test_default_replaces_words_and_splits_sentences_listing_both(tmp_path):
    simplifier = DefaultSimplifier(grade=english_grade, cache_dir=tmp_path)
    done = simplifier.rewrite(["The council, which commenced the project in March, subsequently abandoned the "
                               "ambitious plan for the riverside area."], target_grade=6)[0]
    kinds = {o.kind for o in done.operations}
    assert kinds == {"replace", "split"}, done
    assert "which" not in done.text
    assert simplifier.signature().engine == "default"
