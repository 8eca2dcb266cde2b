"""Word-level differences for the side-by-side view."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapt.textdiff import Piece, similarity, word_diff


@pytest.mark.parametrize(
    ("before", "after", "pieces"),
    [
        ("the cat sat", "the cat sat", [Piece("equal", "the cat sat")]),
        ("the cat sat", "the dog sat", [Piece("equal", "the "), Piece("delete", "cat"), Piece("insert", "dog"),
                                        Piece("equal", " sat")]),
        ("Hello, world", "Hello world", [Piece("equal", "Hello"), Piece("delete", ","), Piece("equal", " world")]),
        ("[1]bold[/1] text", "[1]strong[/1] text", [Piece("equal", "[1]"), Piece("delete", "bold"),
                                                    Piece("insert", "strong"), Piece("equal", "[/1] text")]),
        ("", "new", [Piece("insert", "new")]),
        ("old", "", [Piece("delete", "old")]),
    ],
)
def test_textdiff_known_cases(before, after, pieces):
    assert word_diff(before, after) == pieces


@given(st.text(max_size=80), st.text(max_size=80))
def test_textdiff_pieces_rebuild_both_texts(before, after):
    pieces = word_diff(before, after)
    assert "".join(p.text for p in pieces if p.op != "insert") == before
    assert "".join(p.text for p in pieces if p.op != "delete") == after


def test_textdiff_similarity():
    assert similarity("a b c", "a b c") == 1.0
    assert similarity("", "") == 1.0
    assert 0 < similarity("the cat sat", "the dog sat") < 1
