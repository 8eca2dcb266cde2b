"""A subject toss-up broken by the document's words (README "Tagging that generalises", round 4): TF-IDF of
the text against each field's ISCED-F text reorders the best 5 fields, each gaining up to the toss-up margin,
only in a toss-up and only for English text. The e5 scores are fixed here so the rule itself is tested."""

from __future__ import annotations

import numpy as np
import pytest

from adapt.tagging.lexical import FieldLexicon, stem
from adapt.tagging.subject import TOSS_UP_MARGIN, SubjectTagger
from tests.adapt.tagging.conftest import HashEmbedder

PROGRAMMING = ("Write a Python program: variables and data types, loops and control flow, functions, "
               "objects and classes; debugging and testing the program.")
PORTUGUESE = "A água evapora dos oceanos, forma nuvens e volta à terra como chuva."


@pytest.fixture
def tagger() -> SubjectTagger:
    return SubjectTagger(HashEmbedder())


def fixed_scores(tagger: SubjectTagger, top: dict[str, float]) -> None:
    """Every field scores 0 except `top`: the e5 side of the rule is fixed."""
    codes = tagger._label_vectors()[0]
    scores = {c: top.get(c, 0.0) for c in codes}
    tagger.field_scores = lambda vectors: dict(scores)  # type: ignore[method-assign]


def test_subject_words_stem_merges_inflections_and_keeps_fields_apart():
    assert stem("programs") == stem("programming") == stem("program") == stem("programmer")
    assert stem("studies") == stem("study")
    assert stem("biology") == stem("biological")
    assert stem("chemistry") != stem("chemical")  # chemistry (0531) vs chemical engineering (0711)
    assert stem("cell") == "cell"  # short words stay whole


def test_subject_words_lexicon_ranks_the_field_whose_text_shares_the_words(tagger):
    codes = tagger._label_vectors()[0]
    lexicon = tagger.lexicon()
    chemistry = lexicon.scores("Stoichiometry: balancing chemical reactions and equations, acids and bases.")
    assert codes[int(np.argmax(chemistry))] == "0531"
    assert codes[int(np.argmax(lexicon.scores(PROGRAMMING)))] == "0613"
    assert not lexicon.scores(PORTUGUESE).any(), "no English word shared: no lexical evidence"
    assert not FieldLexicon(["alpha beta", "gamma delta"]).scores("").any()


def test_subject_words_break_a_toss_up_and_keep_scores_ranked(tagger):
    fixed_scores(tagger, {"0541": 0.300, "0613": 0.295, "0611": 0.290, "0542": 0.28})
    without = tagger.rank(np.zeros((1, 384)), top_k=3)
    assert [t.code for t in without] == ["0541", "0613", "0611"]
    assert without[0].toss_up and not without[0].words
    tags = tagger.rank(np.zeros((1, 384)), top_k=3, words=PROGRAMMING)
    assert tags[0].code == "0613" and tags[0].toss_up and all(t.words for t in tags)
    assert tags[0].score >= tags[1].score >= tags[2].score, "scores (with the words' share) stay the ranking"
    assert tags[0].score == pytest.approx(0.295 + TOSS_UP_MARGIN), "the best match gains the toss-up margin"
    assert tags[0].to_json()["words"] is True


def test_subject_words_leave_a_clear_lead_alone(tagger):
    fixed_scores(tagger, {"0541": 0.40, "0611": 0.29, "0613": 0.285})
    tags = tagger.rank(np.zeros((1, 384)), top_k=3, words=PROGRAMMING)
    assert [t.code for t in tags] == ["0541", "0611", "0613"]
    assert not tags[0].toss_up and not tags[0].words


def test_subject_words_only_reorder_the_best_five(tagger):
    # A toss-up, but the field the words favour is 6th: it cannot be lifted into the lead.
    fixed_scores(tagger, {"0541": 0.300, "0542": 0.295, "0533": 0.29, "0531": 0.289, "0511": 0.288, "0613": 0.287})
    tags = tagger.rank(np.zeros((1, 384)), top_k=5, words=PROGRAMMING)
    assert "0613" not in [t.code for t in tags]


def test_subject_words_without_shared_words_change_nothing(tagger):
    fixed_scores(tagger, {"0541": 0.300, "0611": 0.290, "0613": 0.285})
    tags = tagger.rank(np.zeros((1, 384)), top_k=3, words=PORTUGUESE)
    assert [t.code for t in tags] == ["0541", "0611", "0613"] and not tags[0].words


def test_subject_words_tagger_passes_words_for_english_only(hash_tagger, monkeypatch):
    seen: list[str | None] = []
    rank = hash_tagger.subject.rank

    def spy(*args, **kwargs):
        seen.append(kwargs.get("words"))
        return rank(*args, **kwargs)

    monkeypatch.setattr(hash_tagger.subject, "rank", spy)
    hash_tagger.tag_texts([PROGRAMMING], title="Programs", language="en")
    hash_tagger.tag_texts([PORTUGUESE * 3], language="pt")
    assert seen[0] is not None and "Programs" in seen[0] and "debugging" in seen[0]
    assert seen[1] is None
