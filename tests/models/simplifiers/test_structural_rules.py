"""Each structural rule on its own: what it rewrites, what it leaves alone, and the operation it reports."""

from __future__ import annotations

import pytest

from adapt.engines import english_grade
from models.simplifiers.structural import StructuralSimplifier, drop_parenthetical, split_apposition


def test_parenthetical_is_dropped_and_named():
    text, op = drop_parenthetical("The hornet makes aerial nests (similar to the true hornets) in trees.")
    assert text == "The hornet makes aerial nests in trees."
    assert (op.kind, op.rule, op.before) == ("drop", "parenthetical", "(similar to the true hornets)")


@pytest.mark.parametrize(
    "sentence",
    [
        "Marcel Junod (1904 - 1961) was a delegate.",  # numbers: the number guard would reject the suggestion
        "Water ([1]H2O[/1]) boils at a high heat.",  # markup inside
        "(Draft) The plan is new and it is good.",  # at the start: not a parenthetical
        "The plan (which had been discussed by the board for many long months before it was approved at last by "
        "everyone) is new.",
    ],
)
def test_parenthetical_is_kept_when_unsafe(sentence):
    assert drop_parenthetical(sentence) is None


@pytest.mark.slow
def test_apposition_of_the_subject_becomes_its_own_sentence():
    from models.simplifiers.rules import nlp

    text, op = split_apposition("Marcel Junod, a physician from Geneva, was a famous delegate during the war.", nlp())
    assert text == "Marcel Junod was a famous delegate during the war. Marcel Junod was a physician from Geneva."
    assert (op.kind, op.rule) == ("split", "apposition")


@pytest.mark.slow
def test_apposition_rule_leaves_other_commas_alone():
    from models.simplifiers.rules import nlp

    assert split_apposition("In the end, the town, which was small, grew quickly after the war.", nlp()) is None


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, rule, word",
    [
        ("History Landsberg prison, which is in the town's western outskirts, was completed in 1910.",
         "relative-clause", "which"),
        ("The river flooded the whole valley; the farmers lost their entire harvest that year.", "semicolon", ";"),
        ("This led scientists to re-examine the old photos again, and the satellite was finally found in the images.",
         "coordination", "and"),
    ],
)
def test_clause_splits_report_their_rule(sentence, rule, word):
    text, ops = StructuralSimplifier(grade=english_grade).rewrite_sentence(sentence)
    assert text != sentence
    assert [(o.kind, o.rule, o.before) for o in ops][0] == ("split", rule, word)
    assert f'split at {rule}' in ops[0].describe()


@pytest.mark.slow
def test_structural_simplifier_only_touches_sentences_above_the_target():
    easy = "The cat sat. It was red."
    hard = "The hornet makes aerial nests (similar to the true hornets) rather than subterranean nests in the ground."
    done = StructuralSimplifier(grade=english_grade).rewrite([easy, hard], target_grade=6)
    assert done[0].text == easy and not done[0].operations
    assert "(similar" not in done[1].text and done[1].operations[0].rule == "parenthetical"


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence, expected",
    [
        ("The prison was completed by the army in 1910.", "The army completed the prison in 1910."),
        ("The song was written by her.", "She wrote the song."),
        ("He was praised by the teacher for his work.", "The teacher praised him for his work."),
        ("The law is enforced by the police.", "The police enforce the law."),
    ],
)
def test_passive_becomes_active_where_the_parse_is_safe(sentence, expected):
    from models.simplifiers.lexical import lexical_nlp
    from models.simplifiers.structural import passive_to_active

    text, op = passive_to_active(sentence, lexical_nlp())
    assert text == expected
    assert (op.kind, op.rule) == ("rewrite", "passive-to-active")


@pytest.mark.slow
@pytest.mark.parametrize(
    "sentence",
    [
        "The letter was not signed by the king.",  # negation
        "The cake was eaten.",  # no agent
        "The city, which is old, was destroyed by the fire.",  # a clause inside the subject
        "The results were analysed by the team using a new method.",  # a clause inside the agent
        "The data may be collected by the students.",  # a modal
        "The [1]song[/1] was written by her.",  # markup
    ],
)
def test_passive_is_left_alone_when_unsafe(sentence):
    from models.simplifiers.lexical import lexical_nlp
    from models.simplifiers.structural import passive_to_active

    assert passive_to_active(sentence, lexical_nlp()) is None
