"""The lexical simplifier with its real resources: Debian WordNet, wordfreq's packaged lists, spaCy and e5."""

from __future__ import annotations

import pytest

from adapt.engines import english_grade
from models.simplifiers.lexical import LexicalSimplifier, protected_spans
from models.simplifiers.wordnet import wordnet_available

needs_wordnet = pytest.mark.skipif(not wordnet_available(), reason="Debian wordnet-base is not installed")


def test_protected_spans_cover_placeholder_pairs_and_terms():
    text = "Use [1]commence[/1] to commence the Commence step."
    spans = protected_spans(text, ["commence step"])
    inside = text.index("commence[/1]")
    assert any(a <= inside < b for a, b in spans)
    term = text.index("Commence step")
    assert any(a <= term < b for a, b in spans)
    second = text.index("commence the")
    assert not any(a <= second < b for a, b in spans)


@pytest.fixture(scope="module")
def lexical(tmp_path_factory):
    return LexicalSimplifier(grade=english_grade, cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.mark.slow
@needs_wordnet
def test_a_rare_verb_becomes_a_common_one_in_the_same_tense(lexical):
    text, ops = lexical.rewrite_sentence("The committee commenced the annual meeting on Monday.")
    assert text in ("The committee started the annual meeting on Monday.",
                    "The committee began the annual meeting on Monday.")
    assert [(o.kind, o.rule, o.before) for o in ops] == [("replace", "lexical", "commenced")]
    assert ops[0].describe().startswith('replaced "commenced" -> "')


@pytest.mark.slow
@needs_wordnet
def test_protected_terms_and_markup_are_never_replaced(lexical):
    sentence = "The committee will commence the annual meeting on Monday."
    assert lexical.rewrite_sentence(sentence, keep_terms=["commence"]) == (sentence, [])
    marked = "The committee will [1]commence[/1] the annual meeting on Monday."
    text, ops = lexical.rewrite_sentence(marked)
    assert "[1]commence[/1]" in text and not ops


@pytest.mark.slow
@needs_wordnet
def test_common_words_and_proper_nouns_stay(lexical):
    sentence = "Maria went to the market in Lisbon with her brother."
    assert lexical.rewrite_sentence(sentence) == (sentence, [])


@pytest.mark.slow
@needs_wordnet
def test_rewrite_reports_operations_and_skips_easy_sentences(lexical):
    hard = "The municipality will subsequently commence the construction of additional accommodation."
    done = lexical.rewrite(["The cat sat on the mat.", hard], target_grade=6)
    assert done[0].text == "The cat sat on the mat." and not done[0].operations
    assert done[1].operations and all(o.kind == "replace" for o in done[1].operations)
    assert lexical.simplify(["The cat sat on the mat."], target_grade=6) == ["The cat sat on the mat."]
