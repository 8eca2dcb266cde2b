"""The rule-based simplifier: clause splits with the packaged spaCy model, and the splits it refuses."""

from __future__ import annotations

import pytest

from adapt.engines import english_grade
from adapt.readability import grade_level

pytestmark = pytest.mark.slow  # loads the packaged spaCy English model (once per session)


@pytest.fixture(scope="module")
def splitter():
    from models.simplifiers.rules import ClauseSplitter

    return ClauseSplitter(grade=english_grade)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Marie Curie, who won two Nobel prizes, studied radioactivity for many years.",
         "Marie Curie studied radioactivity for many years. Marie Curie won two Nobel prizes."),
        ("The volcano erupted violently in the night; the villagers escaped to the neighbouring valley.",
         "The volcano erupted violently in the night. The villagers escaped to the neighbouring valley."),
        ("The company has applied for a new domain name, but the governments argue this would prevent its use.",
         "The company has applied for a new domain name. But the governments argue this would prevent its use."),
        ("The students measured the temperature every morning, and the teacher recorded the results carefully.",
         "The students measured the temperature every morning. The teacher recorded the results carefully."),
        ("The experiment failed in the second week, because the samples had been contaminated by bacteria.",
         "The experiment failed in the second week. This is because the samples had been contaminated by bacteria."),
        ("Although the team worked very hard all year, the project was not finished on time.",
         "The team worked very hard all year. But the project was not finished on time."),
    ],
)
def test_rules_splitter_splits_at_clause_boundaries(splitter, source: str, expected: str) -> None:
    assert splitter.split_sentence(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        # "or" would turn a choice into two statements.
        "You can take the early bus to the station or you can walk there along the river.",
        # a restrictive relative clause (no commas) says which one: removing it changes the meaning.
        "The scientists who discovered the vaccine received an important international award.",
        # one subject for both verbs: nothing to split.
        "The committee met on Monday and approved the budget for the following academic year.",
        # a condition: its order carries the meaning.
        "If it rains tomorrow morning, the match will be cancelled by the organisers of the league.",
        # short sentence.
        "It rained.",
    ],
)
def test_rules_splitter_leaves_sentences_it_cannot_split_safely(splitter, source: str) -> None:
    assert splitter.split_sentence(source) == source


def test_rules_splitter_keeps_placeholders_whole(splitter) -> None:
    source = "The [1]volcano[/1] erupted in [2] during the night; the villagers escaped to the valley below."
    out = splitter.split_sentence(source)
    assert out == "The [1]volcano[/1] erupted in [2] during the night. The villagers escaped to the valley below."
    # A pair that would be cut in two is not split at all.
    spanning = "The [1]volcano erupted in the night; the villagers[/1] escaped to the valley below the town."
    assert splitter.split_sentence(spanning) == spanning


def test_rules_splitter_only_touches_sentences_above_the_target(splitter) -> None:
    easy = "Cats sleep a lot, and dogs like to run."
    hard = ("Photosynthesis, which occurs in the chloroplasts of plant cells, converts light energy into "
            "chemical energy that plants store in glucose.")
    assert grade_level(easy) < 6 < grade_level(hard)
    out_easy, out_hard = splitter.simplify([easy, easy + " " + hard], target_grade=6)
    assert out_easy == easy
    assert out_hard.startswith(easy + " Photosynthesis converts light energy")
    assert "Photosynthesis occurs in the chloroplasts of plant cells." in out_hard
    assert grade_level(out_hard) < grade_level(easy + " " + hard)


def test_rules_splitter_signature_names_the_model(splitter) -> None:
    sig = splitter.signature()
    assert (sig.engine, sig.model) == ("rules", "clause-splitter-v2")
    assert sig.version and sig.version != "not-installed"
