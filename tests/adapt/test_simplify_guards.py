"""Every simplification guard rejects what it should, and lets a good rewrite through."""

from __future__ import annotations

import pytest

from adapt.qa import QAInput, run_checks
from adapt.readability import grade_level
from adapt.simplify_guards import GUARDS, MEANING_THRESHOLD, GuardContext, guard_details, rejecting

SOURCE = ("In [1] the committee, which had deliberated for 3 weeks, ultimately rejected the proposal "
          "because of its considerable cost, said [2]Dr Okafor[/2].")
GOOD = "In [1] the committee talked for 3 weeks. It said no to the plan because it cost a lot, said [2]Dr Okafor[/2]."


def codes(source: str, output: str, *, similarity: float | None = 0.9, target: float = 6,
          keep_terms: tuple[str, ...] = ()) -> set[str]:
    ctx = GuardContext(target, grade_level(source), grade_level(output), similarity, MEANING_THRESHOLD, keep_terms)
    qa = QAInput(source=source, output=output, task="simplify", pair_numbers=frozenset({2}),
                 details=guard_details(ctx))
    return {f.code for f in rejecting(run_checks(qa, extra=GUARDS, skip=("untranslated",)))}


def test_guards_pass_a_faithful_simpler_rewrite() -> None:
    assert grade_level(GOOD) < grade_level(SOURCE)
    assert codes(SOURCE, GOOD) == set()


@pytest.mark.parametrize(
    ("output", "code"),
    [
        (GOOD.replace("3 weeks", "three weeks"), "number-missing"),
        (GOOD.replace("It said no", "It said no 12 times"), "number-invented"),
        (GOOD.replace("In [1] ", "In 2020 "), "placeholder-missing"),
        (GOOD + " [3]", "placeholder-extra"),
        (GOOD.replace("[2]Dr Okafor[/2]", "[/2]Dr Okafor[2]"), "placeholder-order"),
        (SOURCE, "not-simpler"),
        ("", "empty"),
        (GOOD + " no no no no no no", "repetition"),
    ],
)
def test_guards_reject(output: str, code: str) -> None:
    assert code in codes(SOURCE, output)


def test_guard_meaning_rejects_low_similarity_and_keeps_the_reason() -> None:
    assert codes(SOURCE, GOOD, similarity=MEANING_THRESHOLD - 0.01) == {"meaning-lost"}
    assert codes(SOURCE, GOOD, similarity=MEANING_THRESHOLD) == set()


def test_guard_terms_rejects_a_lost_glossary_term() -> None:
    assert codes(SOURCE, GOOD, keep_terms=("committee",)) == set()
    assert codes(SOURCE, GOOD.replace("committee", "group"), keep_terms=("committee",)) == {"term-lost"}
    # A term the source does not contain is not required.
    assert codes(SOURCE, GOOD, keep_terms=("photosynthesis",)) == set()


def test_guard_simpler_accepts_reaching_the_target_or_a_real_gain() -> None:
    hard = "The municipality's infrastructure investments substantially ameliorated residential conditions."
    slightly = "The city's infrastructure investments substantially ameliorated residential conditions."
    assert "not-simpler" in codes(hard, slightly, target=3)  # gained less than a grade, target far away
    assert "not-simpler" not in codes(hard, "The city spent money. Homes got better.", target=3)


@pytest.mark.slow
def test_guard_meaning_with_the_real_embedder_separates_rewrites_from_unrelated_text() -> None:
    from adapt.simplify_guards import MEANING_EMBEDDER, meaning_similarity
    from models.embedders import get_embedder

    embedder = get_embedder(MEANING_EMBEDDER)
    source = "Amazon has applied for dozens of new internet domains, including .shop, .book and .kindle."
    rewrite = "Amazon has asked for many new internet domains, like .shop, .book and .kindle."
    unrelated = "A 12-year-old boy went to the beach with his dog last summer."
    near, far = meaning_similarity(embedder, [source, source], [rewrite, unrelated])
    assert near >= MEANING_THRESHOLD > far
