"""The per-sentence choice (models.simplifiers.choice): features without references, the tuned score, and
the source kept when nothing scores above it. No model is loaded: the grade is a word count here."""

from __future__ import annotations

from models.simplifiers.choice import FEATURES, WEIGHTS, Candidate, choose, features, score
from models.simplifiers.operations import Operation


def grade(text: str) -> float:
    """A stand-in readability formula: words per sentence."""
    sentences = max(1, text.count("."))
    return len(text.split()) / sentences


SOURCE = "one two three four five six seven eight nine ten eleven twelve."
REPLACED = Candidate("lexical", "one two three four five six seven eight nine ten eleven dozen.",
                     [Operation("replace", "lexical", "twelve", "dozen")])
SPLIT = Candidate("structural", "one two three four five six. seven eight nine ten eleven twelve.",
                  [Operation("split", "list", "seven")])
DROPPED = Candidate("compress", "one two three four five six seven eight.",
                    [Operation("drop", "adverb-drop", "nine ten eleven twelve")])


def test_features_count_what_was_done_and_the_grade_rule():
    f = features(SOURCE, SPLIT, grade=grade, target_grade=4)
    assert set(f) == set(FEATURES)
    assert f["split"] == 1 and f["replace"] == 0
    assert f["grade_drop"] == 12 - 6 and f["passes"] == 1.0  # 6 words a sentence: a drop of 6 grades
    f = features(SOURCE, REPLACED, grade=grade, target_grade=4)
    assert f["replace"] == 1 and f["grade_drop"] == 0 and f["passes"] == 0.0  # a word swap alone does not pass
    f = features(SOURCE, DROPPED, grade=grade, target_grade=4)
    assert f["adverb-drop"] == 1 and f["dropped_words"] == 4 and f["shorter"] > 0.3


def test_the_best_scoring_candidate_wins_and_a_passing_one_is_preferred():
    assert choose(SOURCE, [REPLACED, SPLIT, DROPPED], grade=grade, target_grade=4,
                  weights={"passes": 1.0, "split": 0.5, "replace": 0.25}) is SPLIT
    assert choose(SOURCE, [REPLACED, SPLIT, DROPPED], grade=grade, target_grade=4,
                  weights={"passes": 1.0, "adverb-drop": 1.0, "split": 0.5}) is DROPPED


def test_the_source_stays_when_no_candidate_scores_above_it():
    best = choose(SOURCE, [REPLACED, SPLIT], grade=grade, target_grade=4, weights={"replace": -1, "split": -1})
    assert best.name == "source" and best.text == SOURCE and best.operations == []
    assert choose(SOURCE, [], grade=grade, target_grade=4).text == SOURCE
    # a candidate without operations, or equal to the source, is never chosen
    assert choose(SOURCE, [Candidate("lexical", SOURCE, [Operation("replace", "lexical", "a", "a")]),
                           Candidate("x", "other text here.", [])],
                  grade=grade, target_grade=4, weights={"replace": 5}).name == "source"


def test_the_shipped_weights_cover_the_features_and_favour_passing():
    assert set(WEIGHTS) <= set(FEATURES)
    assert WEIGHTS["passes"] > 0
    assert score({"passes": 1.0}) == WEIGHTS["passes"]
