"""Candidates keep the inflection of the word they replace; unsure forms are refused, not guessed."""

from __future__ import annotations

import pytest

from models.simplifiers.inflection import article_for, inflect, match_case


@pytest.mark.parametrize(
    "lemma, tag, expected",
    [
        ("start", "VBD", "started"), ("use", "VBD", "used"), ("stop", "VBD", "stopped"), ("try", "VBZ", "tries"),
        ("begin", "VBD", "began"), ("begin", "VBN", "begun"), ("give up", "VBD", "gave up"),
        ("make", "VBG", "making"), ("run", "VBG", "running"), ("die", "VBG", "dying"), ("fix", "VBZ", "fixes"),
        ("city", "NNS", "cities"), ("child", "NNS", "children"), ("box", "NNS", "boxes"),
        ("start", "VB", "start"), ("big", "JJ", "big"),
    ],
)
def test_inflect(lemma, tag, expected):
    assert inflect(lemma, tag) == expected


@pytest.mark.parametrize("lemma, tag", [("big", "JJR"), ("fast", "RBS"), ("ice cream", "NNS"), ("x", "XX")])
def test_inflect_refuses_what_it_cannot_do_safely(lemma, tag):
    assert inflect(lemma, tag) is None


def test_case_and_articles():
    assert match_case("start", "Commence") == "Start"
    assert match_case("start", "NASA") == "START"
    assert match_case("start", "begin") == "start"
    articles = (article_for("apple"), article_for("pear"), article_for("hour"), article_for("user"))
    assert articles == ("an", "a", "an", "a")
