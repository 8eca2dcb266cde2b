"""Batching for speed must not change what the simplifiers say: one parse per text, one encoder call per
batch, and the same outputs and operations as one sentence at a time."""

from __future__ import annotations

import pytest

from adapt.engines import english_grade
from models.simplifiers import parsing
from models.simplifiers.composite import DefaultSimplifier, rewrite_batched
from models.simplifiers.operations import Operation
from models.simplifiers.wordnet import wordnet_available

needs_wordnet = pytest.mark.skipif(not wordnet_available(), reason="Debian wordnet-base is not installed")

TEXTS = [
    "The committee commenced the annual meeting, which was attended by numerous delegates from abroad.",
    "Cats sleep.",  # below the target grade: never touched
    "The prison was completed by the army in 1910. The governor subsequently relinquished his position.",
    "The committee commenced the annual meeting, which was attended by numerous delegates from abroad.",
]


def test_parse_returns_one_cached_doc_per_text_and_parse_many_fills_the_cache():
    parsing.clear()
    first = parsing.parse("The army completed the prison.")
    assert parsing.parse("The army completed the prison.") is first
    docs = parsing.parse_many(["A dog barked.", "The army completed the prison.", "A dog barked."])
    assert docs[1] is first and docs[0] is docs[2]
    assert [t.lemma_ for t in docs[0]][:3] == ["a", "dog", "bark"]  # lemmas: the passive rule needs them
    parsing.clear()
    assert parsing.parse("A dog barked.") is not docs[0]


def test_rewrite_batched_sends_each_hard_sentence_once_and_keeps_easy_ones():
    seen: list[list[str]] = []

    def rewrite(batch):
        seen.append(list(batch))
        return [(s.upper(), [Operation("replace", "test", s, s.upper())]) for s in batch]

    texts = ["Cats sleep.", TEXTS[0], TEXTS[0] + " Cats sleep."]
    out = rewrite_batched(texts, 6.0, rewrite, grade=english_grade)
    assert seen == [[TEXTS[0]]]  # one call, the repeated sentence once, the easy one never
    assert out[0].text == "Cats sleep." and not out[0].operations
    assert out[1].text == TEXTS[0].upper() and len(out[1].operations) == 1
    assert out[2].text == TEXTS[0].upper() + " Cats sleep."
    assert rewrite_batched([], 6.0, rewrite, grade=english_grade) == []


@pytest.mark.slow
@needs_wordnet
def test_default_simplifier_gives_the_same_results_in_a_batch_as_one_by_one(tmp_path):
    simplifier = DefaultSimplifier(grade=english_grade, cache_dir=tmp_path)
    together = simplifier.rewrite(TEXTS, target_grade=6.0)
    alone = [simplifier.rewrite([t], target_grade=6.0)[0] for t in TEXTS]
    assert [r.text for r in together] == [r.text for r in alone]
    assert [r.operations for r in together] == [r.operations for r in alone]
    assert together[1].text == "Cats sleep." and not together[1].operations
    assert together[0].operations and together[2].operations  # it did simplify something
