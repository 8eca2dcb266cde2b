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


SENTENCE = ("The council, which commenced the project in March, subsequently abandoned the ambitious plan for the "
            "riverside area.")


@pytest.mark.slow
@pytest.mark.skipif(not wordnet_available(), reason="Debian wordnet-base is not installed")
def test_without_the_choice_it_replaces_words_and_splits_sentences_listing_both(tmp_path):
    simplifier = DefaultSimplifier(grade=english_grade, cache_dir=tmp_path, choose=False)
    done = simplifier.rewrite([SENTENCE], target_grade=6)[0]
    kinds = {o.kind for o in done.operations}
    assert kinds == {"replace", "split"}, done
    assert "which" not in done.text
    assert simplifier.signature().engine == "default"
    assert simplifier.signature().model == "lexical+structural-v1"


@pytest.mark.slow
@pytest.mark.skipif(not wordnet_available(), reason="Debian wordnet-base is not installed")
def test_the_default_chooses_among_candidates_that_combine_words_drops_and_splits(tmp_path):
    simplifier = DefaultSimplifier(grade=english_grade, cache_dir=tmp_path)
    candidates = simplifier.candidate_batch([SENTENCE])[0]
    names = {c.name for c in candidates}
    assert {"lexical", "compress", "structural", "lexical+compress", "lexical+structural"} <= names, names
    for c in candidates:  # each candidate lists what made it
        kinds = {o.kind for o in c.operations}
        assert ("replace" in kinds) == c.name.startswith("lexical")
        assert c.text != SENTENCE
    done = simplifier.rewrite([SENTENCE], target_grade=6)[0]
    assert (done.text, done.operations) in [(c.text, c.operations) for c in candidates]
    assert "which" not in done.text and "replace" in {o.kind for o in done.operations}
    assert english_grade(done.text) <= 6 or english_grade(SENTENCE) - english_grade(done.text) >= 1  # passes
    signature = simplifier.signature()
    assert signature.model == "lexical+compression+structural-choice-v2"
    assert signature.settings["weights"]["passes"] > 0 and "parenthetical" in signature.settings["compression"]
