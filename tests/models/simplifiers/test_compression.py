"""Compression rules (models.simplifiers.compression): each drops what it names, and nothing unsafe."""

from __future__ import annotations

import pytest

from models.simplifiers.compression import RULES, compress, tidy

pytestmark = pytest.mark.slow  # the packaged spaCy model


def _compress(sentence: str, rules=tuple(RULES), protected=()):
    from models.simplifiers.parsing import parse

    return compress(parse(sentence), list(rules), protected)


@pytest.mark.parametrize(
    "rule, sentence, expected, dropped",
    [
        ("parenthetical", "Adjacent counties are Marin (to the south) and Napa (to the east).",
         "Adjacent counties are Marin and Napa.", "(to the south)"),
        ("apposition-drop", "Curie, a Polish physicist, studied radium in Paris.", "Curie studied radium in Paris.",
         "a Polish physicist"),
        ("relative-drop", "The town, which lies on a wide river, grew quickly.", "The town grew quickly.",
         "which lies on a wide river"),
        ("participial-drop", "The team returned to the old series, introducing two new variants of the race.",
         "The team returned to the old series.", "introducing two new variants of the race"),
        ("including-drop", "The zoo has many animals, including lions, tigers and bears.", "The zoo has many animals.",
         "including lions, tigers and bears"),
        ("adverb-drop", "However, the village also grew quickly.", "The village grew quickly.", "However"),
    ],
)
def test_each_rule_drops_its_span_and_names_it(rule, sentence, expected, dropped):
    text, ops = _compress(sentence, [rule])
    assert text == expected
    assert ops[0].kind == "drop" and ops[0].rule == rule and ops[0].before == dropped
    assert all(op.rule == rule for op in ops)


@pytest.mark.parametrize(
    "sentence",
    [
        "Marcel Junod (1904 - 1961) was a delegate of the Red Cross.",  # a number: the guard would reject it
        "The town, which was founded in 1850, grew quickly.",
        "Water ([1]H2O[/1]) boils at a high heat in the pot.",  # markup
        "He met Smith, Jones, and Brown at the station.",  # a list, not appositions
        "The man who founded the town was rich and famous.",  # restrictive: the meaning would change
    ],
)
def test_unsafe_spans_stay(sentence):
    text, ops = _compress(sentence)
    assert ops == [] and text == sentence


def test_protected_terms_stay_and_too_little_left_means_no_change():
    sentence = "The plan, a bold idea, failed."
    start = sentence.index("a bold idea")
    text, ops = _compress(sentence, ["apposition-drop"], [(start, start + len("a bold idea"))])
    assert ops == []
    # what would be left has fewer than four words: not a sentence worth offering
    assert _compress("However, it rained.", ["adverb-drop"]) == ("However, it rained.", [])


def test_all_rules_together_on_one_parse():
    text, ops = _compress("However, the town, which lies on a wide river, also grew quickly (to the south).")
    assert text == "The town grew quickly."
    assert sorted(op.rule for op in ops) == ["adverb-drop", "adverb-drop", "parenthetical", "relative-drop"]


def test_tidy_fixes_commas_and_capitals():
    from models.simplifiers.parsing import parse

    doc = parse("However, the big dog barked loudly.")
    assert tidy([t for t in doc if t.i not in (0, 1)]) == "The big dog barked loudly."
