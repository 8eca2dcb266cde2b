"""The clause splitter's list and participial rules (models.simplifiers.rules): what they split, how they
repeat the subject and put the verb into the main verb's tense, and what they leave alone."""

from __future__ import annotations

import pytest

from adapt.engines import english_grade
from models.simplifiers.rules import ClauseSplitter
from models.simplifiers.wordnet import wordnet_available

pytestmark = pytest.mark.slow  # the packaged spaCy model


def _split(sentence: str):
    return ClauseSplitter(grade=english_grade).split_with_operations(sentence)


@pytest.mark.parametrize(
    "sentence, expected, word",
    [
        ("The students visited the museum, saw the old paintings, and wrote a long report about the trip.",
         "The students visited the museum. The students saw the old paintings. The students wrote a long report "
         "about the trip.", "wrote"),
        ("He studied law in Paris, worked as a lawyer in London and later moved to New York.",
         "He studied law in Paris. He worked as a lawyer in London. He later moved to New York.", "moved"),
        ("Smith founded the company in 1990 and sold it to a large bank in the United States ten years later.",
         "Smith founded the company in 1990. Smith sold it to a large bank in the United States ten years later.",
         "sold"),
    ],
)
def test_a_list_of_predicates_becomes_one_sentence_each(sentence, expected, word):
    text, ops = _split(sentence)
    assert text == expected
    assert [(op.kind, op.rule, op.before) for op in ops] == [("split", "list", word)]


@pytest.mark.parametrize(
    "sentence",
    [
        "She came and left.",  # two short predicates: not a list worth splitting
        "He has painted portraits, written poems and taught music.",  # a shared auxiliary
        "They would sing, dance or play the piano at the party every night.",  # "or": the meaning would change
    ],
)
def test_lists_that_must_stay_whole(sentence):
    assert _split(sentence) == (sentence, [])


@pytest.mark.skipif(not wordnet_available(), reason="the past of a regular verb is checked against WordNet")
@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("The town grew quickly after the war, becoming the largest city in the region.",
         "The town grew quickly after the war. The town became the largest city in the region."),
        ("The bridge was built in 1990, connecting the two towns on the river.",
         "The bridge was built in 1990. The bridge connected the two towns on the river."),
        ("The river runs through the old town, giving the valley its name.",
         "The river runs through the old town. The river gives the valley its name."),
    ],
)
def test_a_trailing_participial_clause_gets_the_subject_and_the_tense(sentence, expected):
    text, ops = _split(sentence)
    assert text == expected
    assert [(op.kind, op.rule) for op in ops] == [("split", "participial-clause")]


@pytest.mark.parametrize(
    "sentence",
    [
        "Standing on the hill above the town, she saw the river and the old bridge.",  # leading: order matters
        "They would return to the series in the next year, introducing new characters.",  # a modal: no safe tense
        "He left the room while holding the heavy box in both of his hands.",  # a marked clause
    ],
)
def test_participial_clauses_that_stay(sentence):
    text, ops = _split(sentence)
    assert all(op.rule != "participial-clause" for op in ops)
